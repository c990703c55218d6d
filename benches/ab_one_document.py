#!/usr/bin/env python3
"""A/B of two builds on one large document read in pieces, against many documents, in one process.

A script, never a test. Like `ab_builds.py` it loads both native modules side by side and scans
in turns, round by round, so that a slow minute hits both alike; here each build scans the
bench corpus as many documents and joined into one (read in pieces: a str that is not ASCII,
converted on every scan), on 1 and 2 threads. Beside the wall-clock speeds it gives the CPU
time a MB takes (every thread of the process): on a busy machine, where two threads do not get
two cores, `many ÷ one` of CPU is what the two-thread ratio would be on an idle machine if
nothing waited (not the GIL, not a group of pieces for its last one).

    python benches/ab_one_document.py OLD.so NEW.so --mb 200 --rounds 3 > result.md

The native API used (`Lexicon.add`, `Matcher(lexicon)`, `Matcher.scan(docs, n_threads=...)`,
`_read_large_documents_in_pieces`) is the one every build since piecewise reading has had.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from ab_builds import load_native, native_matchers
from data import make_docs, make_lexicon, real_texts
from provenance import provenance

MB = 1_000_000
NEVER = 1 << 62
IN_PIECES_FROM = 1 << 24  # the binding's default


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", type=Path, help="the native module of build A (.so)")
    parser.add_argument("new", type=Path, help="the native module of build B (.so)")
    parser.add_argument("--mb", type=float, default=200)
    parser.add_argument("--lexicons", default="100,10k")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    builds = {"A": load_native(args.old, "build_a"), "B": load_native(args.new, "build_b")}
    texts = [text for _, text in real_texts()]
    docs = make_docs(texts, args.mb, args.seed)
    joined = ["\n\n".join(docs)]
    size = len(joined[0].encode()) / MB
    corpora = {"many": (docs, NEVER), "one": (joined, IN_PIECES_FROM)}
    for line in provenance(sys.argv):
        print(line)
    print(
        f"A = {args.old}\nB = {args.new}\n{len(docs):,} documents, {size:.1f} MB, joined into "
        f"one (ASCII: {joined[0].isascii()}); median of {args.rounds} rounds\n"
    )
    print(
        "| lexicon | threads | build | many MB/s | one MB/s | one / many "
        "| CPU ms/MB many / one (ratio) | rows |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for lexicon_size in args.lexicons.split(","):
        spec = make_lexicon(lexicon_size.strip(), texts)
        matchers = native_matchers(builds, spec)
        for n_threads in [int(n) for n in args.threads.split(",")]:
            speed: dict[tuple[str, str], list[float]] = {}
            cpu: dict[tuple[str, str], list[float]] = {}
            rows: dict[str, set[int]] = {key: set() for key in builds}
            for round_ in range(args.rounds):
                for key in ("A", "B") if round_ % 2 == 0 else ("B", "A"):
                    for mode, (corpus, in_pieces_from) in corpora.items():
                        builds[key]._read_large_documents_in_pieces(in_pieces_from, NEVER)
                        started, used = time.perf_counter(), time.process_time()
                        rows[key].add(len(matchers[key].scan(corpus, n_threads=n_threads)))
                        wall, used = time.perf_counter() - started, time.process_time() - used
                        speed.setdefault((key, mode), []).append(size / wall)
                        cpu.setdefault((key, mode), []).append(used * 1000 / size)
            for key in builds:
                many, one = (statistics.median(speed[key, m]) for m in corpora)
                cpu_many, cpu_one = (statistics.median(cpu[key, m]) for m in corpora)
                print(
                    f"| {lexicon_size} | {n_threads} | {key} | {many:,.0f} | {one:,.0f} "
                    f"| {one / many:.2f} | {cpu_many:.2f} / {cpu_one:.2f} "
                    f"({cpu_many / cpu_one:.2f}) | {', '.join(f'{r:,}' for r in rows[key])} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
