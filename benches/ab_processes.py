#!/usr/bin/env python3
"""A/B of two builds of lexiscan's native module, each in processes of its own, as bench_scan runs.

A script, never a test. `ab_builds.py` loads both builds into one process and interleaves
their scans, so that the machine's swings hit both alike; but there each build writes its
result into the pages the other one's result has just freed. bench_scan.py builds a matcher
and scans with it in a process that has freshly trimmed its heap, and on the project's
virtual machines a page the process has not held before can cost ten times the fault of one
it freed a moment ago (docs/performance.md, Method). A change to how much new memory a scan
writes shows in this protocol and hides in the other. So here each build runs in its own
process, in turns (A, B, A, B, ...), and each process does what bench_scan.py does for one
contender: `--runs` times build a matcher, collect garbage, `scan(docs, n_threads=1)` and
`to_pandas()`. The scan and the conversion are timed apart, with the system time and page
faults of the scan (`getrusage`); the first run of a process also makes CPython's UTF-8 copies
of the documents, so the medians are of the runs after it.

    python benches/ab_processes.py OLD.so NEW.so --lexicons 1m --pairs 2 > result.md

The native API used (`Lexicon.add`, `Matcher(lexicon)`, `Matcher.scan(docs, n_threads=1)`) is
the one every build since the first has had; `to_pandas()` is this tree's Python face over
each build's native result (`ab_builds.to_pandas`).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from ab_builds import load_face, load_native, native_matchers, to_pandas
from data import make_docs, make_lexicon, real_texts
from provenance import provenance


def child(build: Path, lexicon: str, mb: float, runs: int, seed: int) -> None:
    """One process of one build: `runs` times build, scan and convert; a JSON line a run."""
    native = load_native(build, "build")
    face = load_face(None)
    texts = [text for _, text in real_texts()]
    docs = [doc[:1] + doc[1:] for doc in make_docs(texts, mb, seed)]  # a str each, as bench_scan
    spec = make_lexicon(lexicon, texts)
    for _ in range(runs):
        gc.collect()
        matcher = native_matchers({"build": native}, spec)["build"]
        gc.collect()
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        result = matcher.scan(docs, n_threads=1)
        scanned = time.perf_counter()
        after = resource.getrusage(resource.RUSAGE_SELF)
        frame = to_pandas(result, matcher, len(docs), face)
        converted = time.perf_counter()
        run = {
            "scan": scanned - started,
            "to_pandas": converted - scanned,
            "sys": after.ru_stime - before.ru_stime,
            "faults": after.ru_minflt - before.ru_minflt,
            "rows": len(result),
        }
        print(json.dumps(run), flush=True)
        del frame, result, matcher


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", type=Path, help="the native module of build A (.so)")
    parser.add_argument("new", type=Path, help="the native module of build B (.so)")
    parser.add_argument("--mb", type=float, default=1000)
    parser.add_argument("--lexicons", default="1m", help="lexicon sizes: 100, 10k, 1m, dense")
    parser.add_argument("--runs", type=int, default=3, help="build, scan, convert: per process")
    parser.add_argument("--pairs", type=int, default=2, help="processes of each build, in turns")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 2:
        parser.error("--runs must be at least 2: each process's first run is left out")
    if args.child:
        child(args.child, args.lexicons, args.mb, args.runs, args.seed)
        return 0
    for line in provenance(sys.argv):
        print(line)
    print(
        f"A = {args.old}\nB = {args.new}\n{args.mb:,.0f} MB of the bench corpus, one thread; "
        f"{args.pairs} processes of each build in turns, {args.runs} runs (build, scan, "
        "`to_pandas()`) in each; medians of the runs after each process's first"
    )
    print(
        "| lexicon | build | scan s | `to_pandas()` s | system s of the scan "
        "| page faults of the scan | rows |"
    )
    print("|---|---|---:|---:|---:|---:|---:|")
    for lexicon in args.lexicons.split(","):
        runs: dict[str, list[dict]] = {"A": [], "B": []}
        for _ in range(args.pairs):
            for key, build in (("A", args.old), ("B", args.new)):
                command = [sys.executable, __file__, str(build), str(build), "--child", str(build)]
                command += ["--lexicons"]
                command += [lexicon, "--mb", str(args.mb), "--runs", str(args.runs)]
                command += ["--seed", str(args.seed)]
                out = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True).stdout
                runs[key] += [json.loads(line) for line in out.splitlines()[1:]]
        for key in ("A", "B"):
            median = {k: statistics.median(run[k] for run in runs[key]) for k in runs[key][0]}
            rows = ", ".join(f"{n:,}" for n in sorted({run["rows"] for run in runs[key]}))
            print(
                f"| {lexicon} | {key} | {median['scan']:.3f} | {median['to_pandas']:.3f} "
                f"| {median['sys']:.3f} | {median['faults']:,.0f} | {rows} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
