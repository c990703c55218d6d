#!/usr/bin/env python3
"""A/B of `resolve` between two builds of the native module in one process, rounds interleaved.

A script, never a test. As `ab_builds.py` does for the scan, both builds are loaded side by
side and get the same lexicon and documents (bench_resolve's corpus and gazetteer); each round
scans with one build and resolves that scan, then the other, in alternating order, so a slow
minute of a shared machine hits both alike. The figure to read is the median of the per-round
ratios of resolve's time. The decisions of both builds are compared too (rows kept and
dropped, scores, evidence, entities and ends of the kept rows).

    python benches/ab_resolve.py OLD.so NEW.so --rounds 15
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import resolve_data
from ab_builds import load_native
from provenance import provenance


def decisions(resolved: tuple[Any, ...]) -> tuple[Any, ...]:
    """What a resolve decided, comparable across builds."""
    kept, score, evidence, dropped = resolved[:4]
    return (
        len(kept),
        len(dropped),
        bytes(score),
        bytes(evidence),
        bytes(kept.column("entity")),
        bytes(kept.column("end")),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", type=Path, help="the native module of build A (.so)")
    parser.add_argument("new", type=Path, help="the native module of build B (.so)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--window", type=int, default=10)
    args = parser.parse_args(argv)

    texts = [text for _, text in resolve_data.corpus()]
    spec = resolve_data.lexicon(resolve_data.gazetteer(texts))._native.to_bytes()
    builds = {}
    for key, path, alias in (("A", args.old, "build_a"), ("B", args.new, "build_b")):
        native = load_native(path, alias)
        matcher = native.Matcher(native.Lexicon.from_bytes(spec))
        builds[key] = (native, matcher, native.Resolver(matcher))
    for line in provenance(sys.argv):
        print(line)
    print(f"A = {args.old}\nB = {args.new}\n{len(texts):,} documents, all cores, wall clock")
    print("| texts | A resolve ms (median) | B resolve ms (median) | B / A (median of rounds) "
          "| same decisions |")  # fmt: skip
    print("|---|---:|---:|---:|---|")
    for keep_text in (True, False):
        times: dict[str, list[float]] = {"A": [], "B": []}
        decided: dict[str, tuple[Any, ...]] = {}
        for round_ in range(args.rounds):
            for key in ("A", "B") if round_ % 2 == 0 else ("B", "A"):
                native, matcher, resolver = builds[key]
                result = matcher.scan(texts, 0, None, keep_text)
                started = time.perf_counter()
                resolved = native.resolve(result, resolver, 0.0, args.window)
                times[key].append(time.perf_counter() - started)
                decided[key] = decisions(resolved)
        ratio = statistics.median(b / a for a, b in zip(times["A"], times["B"]))
        a_ms, b_ms = (statistics.median(times[key]) * 1e3 for key in ("A", "B"))
        print(
            f"| {'kept' if keep_text else 'keep_text=False'} | {a_ms:.1f} | {b_ms:.1f} "
            f"| {ratio:.3f} | {decided['A'] == decided['B']} ({decided['A'][0]:,} kept) |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
