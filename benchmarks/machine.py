"""A one-paragraph description of the machine a run was measured on, for the results file."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return "unknown"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe() -> list[tuple[str, str]]:
    """(label, value) pairs: CPU, cores, memory, load, OS, Python and the libraries measured."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    return [
        ("CPU", _cpu_model()),
        ("Cores", f"{os.cpu_count()} ({usable} usable by this process)"),
        ("Memory", _memory_gib()),
        ("Load average at start", load),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_implementation()} {sys.version.split()[0]}"),
        ("Textual", _version("textual")),
        ("pydantic", f"{_version('pydantic')} (core {_version('pydantic-core')})"),
        ("httpx", _version("httpx")),
        ("roark-analytics (reference SDK)", _version("roark-analytics")),
    ]


def as_markdown(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"- {label}: {value}" for label, value in pairs)
