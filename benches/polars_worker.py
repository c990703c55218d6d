"""polars `str.extract_many` in a process of its own, so that it runs on the number of threads
set by POLARS_MAX_THREADS (polars reads it once, at import). Used by peers.py.

Usage: python polars_worker.py INPUT.pickle   (a pickle of (patterns, docs)); then each line
"scan" on stdin answers one line "matches seconds peak_mb" on stdout; "quit" ends it."""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1000
    return float("nan")


def main() -> None:
    patterns, docs = pickle.loads(Path(sys.argv[1]).read_bytes())
    import polars as pl

    print(f"ready {pl.thread_pool_size()}", flush=True)
    for line in sys.stdin:
        if line.strip() != "scan":
            break
        try:
            Path("/proc/self/clear_refs").write_text("5")  # reset the peak (Linux)
        except OSError:
            pass
        before = peak_mb()
        t0 = time.perf_counter()
        found = pl.Series(docs).str.extract_many(
            patterns, ascii_case_insensitive=True, overlapping=False
        )
        matches = len(found.explode().drop_nulls())
        seconds = time.perf_counter() - t0
        print(f"{matches} {seconds} {peak_mb() - before}", flush=True)


if __name__ == "__main__":
    main()
