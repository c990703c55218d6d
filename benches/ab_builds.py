#!/usr/bin/env python3
"""A/B of two builds of lexiscan's native module in one process, scans interleaved round by round.

A script, never a test. It answers "did this change make the scan faster or slower?" on a
machine whose speed swings by ±30% over minutes: both builds are loaded side by side (each
`_lexiscan*.so` under a name of its own), get the same lexicon and the same documents, and scan
in turns on one thread, so a slow minute hits both alike. The figure to read is the ratio.

    python benches/ab_builds.py OLD.so NEW.so --mb 50 --rounds 7 --lexicons 100,10k
    python benches/ab_builds.py OLD.so NEW.so --corpus news --lexicons 100,dense --passes 5
    python benches/ab_builds.py OLD.so NEW.so --lexicons 1m --to-pandas --after-build
    python benches/ab_builds.py OLD.so NEW.so --lexicons 1m --to-pandas --old-face OLD_result.py

The native API used (`Lexicon.add`, `Matcher(lexicon)`, `Matcher.scan(docs, n_threads=1)`,
`len(result)`) is the one every build since the first has had; `--to-pandas` also times each
result's `to_pandas()` (the Python face's, over that build's own native result),
`--after-build` builds each round's matcher anew, as bench_scan.py times the first scan after
a build, `--collect` collects garbage before each timed scan as bench_scan.py does (the pool's
threads are then asleep, so each hand-off of work to them costs a wake-up), and
`--convert-only` times `to_pandas()` alone (one scan per build, frames compared).
`--old-face` gives build A the `_result.py` of its own commit (`git show
REV:python/lexiscan/_result.py`) where the native calls of `to_pandas()` changed. Row counts
are printed for both: equal where the change under test should not change what is found. The
documents and lexicons come from `data.py` (real news and speeches, gazetteer lexicons), as in
bench_scan.py; `--corpus news` takes the short articles instead (10.5 MB, each round scans them
`--passes` times).
"""

from __future__ import annotations

import argparse
import gc
import importlib.machinery
import importlib.util
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from data import make_docs, make_lexicon, news_texts, real_texts
from provenance import provenance

MB = 1_000_000


def load_native(path: Path, alias: str) -> ModuleType:
    """The extension at `path` as module `alias`._lexiscan (its init function keeps its name)."""
    name = f"{alias}._lexiscan"
    loader = importlib.machinery.ExtensionFileLoader(name, str(path))
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def native_matchers(builds: dict[str, ModuleType], spec: Any) -> dict[str, Any]:
    """One matcher of `spec`'s lexicon per native build, the aliases added as bench_scan adds
    them (the entity's name is not an alias of its own)."""
    matchers = {}
    for key, native in builds.items():
        lexicon = native.Lexicon()
        for s in spec.specs:
            lexicon.add(s.entity, s.aliases, s.label, s.case_sensitive, name_is_alias=False)
        matchers[key] = native.Matcher(lexicon)
    return matchers


class NativeOwner:
    """What the Python face's ScanResult asks of its matcher, from one build's native matcher
    (the lexicon's tables only if a conversion asks for them)."""

    def __init__(self, native: Any) -> None:
        self._native = native

    @property
    def _entities(self) -> list[tuple[str, str | None]]:
        return self._native.entities()

    @property
    def _alias_texts(self) -> list[str]:
        return self._native.alias_texts()


def load_face(path: Path | None) -> ModuleType:
    """The Python face's `_result` module: this tree's, or the file at `path` (an older
    commit's, loaded under a name of its own; it imports the rest of this tree's package)."""
    if path is None:
        from lexiscan import _result

        return _result
    spec = importlib.util.spec_from_file_location("build_a_result", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def to_pandas(result: Any, matcher: Any, n_docs: int, face: ModuleType) -> Any:
    """`result.to_pandas()` as the Python face `face` makes it, over one build's native result
    and matcher (the face only calls the native objects' own methods)."""
    return face.ScanResult(result, NativeOwner(matcher), None, n_docs).to_pandas()


def convert_row(
    lexicon: str,
    matchers: dict[str, Any],
    faces: dict[str, ModuleType],
    docs: list[str],
    rounds: int,
) -> str:
    """One scan per build, then its `to_pandas()` timed in turns (wall clock): the table row.
    The two frames are compared once first, so a faster conversion is also the same one."""
    import pandas as pd

    results = {key: matchers[key].scan(docs, n_threads=1) for key in matchers}
    frames = {key: to_pandas(results[key], matchers[key], len(docs), faces[key]) for key in results}
    pd.testing.assert_frame_equal(frames["A"], frames["B"], check_exact=True)
    del frames
    seconds: dict[str, list[float]] = {"A": [], "B": []}
    for round_ in range(rounds):
        for key in ("A", "B") if round_ % 2 == 0 else ("B", "A"):
            gc.collect()
            started = time.perf_counter()
            frame = to_pandas(results[key], matchers[key], len(docs), faces[key])
            seconds[key].append(time.perf_counter() - started)
            del frame
    ratio = statistics.median(b / a for a, b in zip(seconds["A"], seconds["B"]))
    a, b = (statistics.median(seconds[key]) for key in ("A", "B"))
    rows = len(results["A"]), len(results["B"])
    return (
        f"| {lexicon} | {a * 1e3:.2f} | {b * 1e3:.2f} | {ratio:.3f} | {rows[0]:,} | {rows[1]:,} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", type=Path, help="the native module of build A (.so)")
    parser.add_argument("new", type=Path, help="the native module of build B (.so)")
    parser.add_argument("--mb", type=float, default=50, help="corpus size in MB")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per lexicon")
    parser.add_argument(
        "--lexicons", default="100,10k",
        help="lexicon sizes: 100, 10k, 1m, dense, or e.g. 100k (the first 100,000 aliases of 1m)",
    )  # fmt: skip
    parser.add_argument(
        "--corpus", choices=("bench", "news"), default="bench",
        help="bench: real texts repeated to --mb; news: the 1,966 short articles",
    )  # fmt: skip
    parser.add_argument("--passes", type=int, default=1, help="scans per build per round")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cpu", action="store_true",
        help="time each scan by the process's CPU time, not the wall clock (a loaded machine)",
    )  # fmt: skip
    parser.add_argument(
        "--collect", action="store_true",
        help="gc.collect() before each timed scan, as bench_scan.py does: the pool's threads "
        "have then gone to sleep, and each hand-off of work to them wakes one",
    )  # fmt: skip
    parser.add_argument(
        "--to-pandas", action="store_true",
        help="time to_pandas() of each result too (the end to end cost, as bench_scan.py)",
    )  # fmt: skip
    parser.add_argument(
        "--after-build", action="store_true",
        help="build the matchers anew each round: time the first scan after a build",
    )  # fmt: skip
    parser.add_argument(
        "--convert-only", action="store_true",
        help="scan once per build, then time only to_pandas() in turns (and check the frames "
        "are equal)",
    )  # fmt: skip
    parser.add_argument(
        "--old-face", type=Path,
        help="build A's python/lexiscan/_result.py, where to_pandas()'s native calls changed",
    )  # fmt: skip
    args = parser.parse_args(argv)

    builds = {"A": load_native(args.old, "build_a"), "B": load_native(args.new, "build_b")}
    faces = {"A": load_face(args.old_face), "B": load_face(None)}
    clock = time.process_time if args.cpu else time.perf_counter
    texts = [text for _, text in real_texts()]
    docs = news_texts() if args.corpus == "news" else make_docs(texts, args.mb, args.seed)
    size = sum(len(d.encode()) for d in docs) / MB * args.passes
    for line in provenance(sys.argv):
        print(line)
    timed = "CPU time of the process" if args.cpu else "wall clock"
    if args.convert_only:
        timed += ", to_pandas() alone (one scan per build)"
    elif args.to_pandas:
        timed += ", scan and to_pandas()"
    if args.after_build:
        timed += ", the first scan after a build"
    if args.collect:
        timed += ", garbage collected before each (the pool's threads asleep)"
    face_a = f" (Python face {args.old_face})" if args.old_face else ""
    print(
        f"A = {args.old}{face_a}\nB = {args.new}\n{len(docs):,} documents ({args.corpus}), "
        f"{size:.1f} MB a round, one thread, {timed}"
    )
    unit = "to_pandas() ms" if args.convert_only else "MB/s"
    print(
        f"| lexicon | A {unit} (median) | B {unit} (median) | B / A (median of rounds) "
        "| rows A | rows B |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    million = None
    for lexicon_size in args.lexicons.split(","):
        lexicon_size = lexicon_size.strip()
        if lexicon_size in ("100", "10k", "1m", "dense"):
            spec = make_lexicon(lexicon_size, texts)
        else:  # e.g. 100k: the first 100,000 aliases of the million (as bench_scan --curve)
            from bench_scan import first_aliases

            million = million or make_lexicon("1m", texts)
            scale = {"k": 1_000, "m": 1_000_000}[lexicon_size[-1]]
            spec = first_aliases(million, int(float(lexicon_size[:-1]) * scale))
        matchers = native_matchers(builds, spec)
        if args.convert_only:
            print(convert_row(lexicon_size, matchers, faces, docs, args.rounds))
            continue
        speeds: dict[str, list[float]] = {"A": [], "B": []}
        rows: dict[str, int] = {}
        for round_ in range(args.rounds):
            order = ("A", "B") if round_ % 2 == 0 else ("B", "A")
            for key in order:
                if args.after_build:
                    del matchers[key]
                    gc.collect()
                    matchers[key] = native_matchers({key: builds[key]}, spec)[key]
                if args.collect:
                    gc.collect()
                started = clock()
                for _ in range(args.passes):
                    result = matchers[key].scan(docs, n_threads=1)
                    if args.to_pandas:
                        frame = to_pandas(result, matchers[key], len(docs), faces[key])
                        del frame
                speeds[key].append(size / (clock() - started))
                rows[key] = len(result)
                del result
        ratio = statistics.median(b / a for a, b in zip(speeds["A"], speeds["B"]))
        print(
            f"| {lexicon_size} | {statistics.median(speeds['A']):.0f} | "
            f"{statistics.median(speeds['B']):.0f} | {ratio:.3f} | {rows['A']:,} | {rows['B']:,} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
