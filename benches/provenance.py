"""The provenance lines every bench writes under its results: which code, machine and command.

A figure in the README or docs/performance.md is only as good as the line that says where it
came from; each bench script writes these lines itself, so no figure is copied by hand.
"""

from __future__ import annotations

import os
import platform
import shlex
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent


def git_commit() -> str:
    """The short commit of the working tree, flagged when it has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def provenance(argv: list[str] | None = None) -> list[str]:
    """Markdown list lines: date, commit, machine (with its load), versions and the command.

    >>> lines = provenance(["benches/bench_x.py", "--quick"])
    >>> lines[-1]
    '- command: `python benches/bench_x.py --quick`'
    """
    import lexiscan

    argv = sys.argv if argv is None else argv
    try:
        load = f"; load average {os.getloadavg()[0]:.2f} (1 min) at the end"
    except (AttributeError, OSError):
        load = ""
    return [
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; "
        f"lexiscan {lexiscan.__version__}, commit {git_commit()}",
        f"- machine: {cpu_name()}, {os.cpu_count()} logical CPUs; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}{load}",
        f"- command: `python {shlex.join(argv)}`",
    ]
