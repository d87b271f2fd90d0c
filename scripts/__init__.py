"""Developer tools run from the repository (`./dev ...`), not part of the installed package."""
