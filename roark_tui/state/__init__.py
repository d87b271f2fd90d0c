"""Every file roark-tui keeps between runs, and the one way it reads and writes them.

`files` knows where the files live and replaces them atomically (the credentials of `auth` go
through it too); `store` is the tolerant JSON store every kept file uses: a damaged file never
stops the app, it is set aside with a note. The rest are the stores themselves. Nothing here
imports textual. The files and the rules they keep: docs/design.md, "Files kept between runs".
"""
