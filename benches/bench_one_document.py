#!/usr/bin/env python3
"""Benchmark: one large document against the same bytes as many documents, in one process.

A script, never a test. Issue 23 asks that one large document scan at 90% or more of the
many-documents speed at every lexicon size. This takes the bench_scan corpus (`data.py`: real
news and speeches, repeated to `--mb`), joins it into one document with paragraph breaks, and
scans, round by round in turns so that the machine's swings hit all alike:

- `many`: the documents as they are, each its own str: the corpus repeats its ~23 MB of
  distinct texts, and sharing their str objects would let the many documents be read from a
  working set that stays in the caches while the one document streams from memory
  (`--shared-texts` measures that way);
- `one, in pieces`: the joined document as a scan reads it by default. It is a Python str of
  2 bytes a character (the text has curly quotes and dashes), which the scan reads a piece at
  a time as UTF-8 (converted on every scan; nothing kept);
- `one, UTF-8 kept`: the same document read through the UTF-8 copy CPython keeps inside the
  str after the first scan (the way before piecewise reading; half as much memory again);
- and the first scan of a new str, both ways: in pieces, and making CPython's UTF-8 copy.

With `--ascii` the documents lose their characters that are not ASCII first: an ASCII str is
its own UTF-8, which the scan reads in place (`in pieces` and `UTF-8 kept` are then the same).
Beside the speeds it gives the CPU time a MB takes (all threads): on a busy machine, where two
threads do not get two cores, `many ÷ in pieces` of CPU is what the two-thread ratio would be
on an idle one if nothing waited.

    python benches/bench_one_document.py                  # 1 GB, 100 and 10k aliases
    python benches/bench_one_document.py --ascii          # the same, ASCII only
    python benches/bench_one_document.py --lexicons 1m --rounds 1

Writes `benches/results/bench_one_document.md` (`_ascii.md` with `--ascii`, `_1m.md` when the
lexicons are only `1m`; `--no-save` to skip it).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from data import make_docs, make_lexicon, real_texts
from provenance import provenance

import lexiscan
from lexiscan import _lexiscan

RESULTS = Path(__file__).parent / "results" / "bench_one_document.md"
MB = 1_000_000
NEVER = 1 << 62
# The binding's default: strings of 16 Mi characters or more that are not ASCII go in pieces.
IN_PIECES_FROM = 1 << 24


def scan_speed(matcher: lexiscan.Matcher, docs: list[str], n_threads: int, mb: float) -> tuple:
    """Rows, MB/s and CPU milliseconds a MB (every thread of the process)."""
    started, cpu = time.perf_counter(), time.process_time()
    rows = len(matcher.scan(docs, n_threads=n_threads).to_pandas())
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return rows, mb / wall, cpu * 1000 / mb


SHARED = "share the strs of"
OWN = "are each a str of its own, copies of"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1000)
    parser.add_argument("--lexicons", default="100,10k", help="lexicon sizes: 100, 10k, 1m")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ascii", action="store_true", help="drop the non-ASCII characters")
    parser.add_argument(
        "--shared-texts",
        action="store_true",
        help="repeated documents share one str (a working set the caches hold), not a copy each",
    )
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    texts = [text for _, text in real_texts()]
    docs = make_docs(texts, args.mb, args.seed)
    if args.ascii:
        docs = [doc.encode("ascii", "ignore").decode("ascii") for doc in docs]
    elif not args.shared_texts:
        docs = [doc[:1] + doc[1:] for doc in docs]  # a new str each, as a real corpus has
    joined = ["\n\n".join(docs)]
    mb = len(joined[0].encode()) / MB
    modes = {
        "many": (docs, NEVER),
        "one, in pieces": (joined, IN_PIECES_FROM),
        "one, UTF-8 kept": (joined, NEVER),
    }
    lines = [
        "# bench_one_document: one large document against many, in one process",
        "",
        *provenance(sys.argv),
        f"- corpus: {len(docs):,} documents, joined with paragraph breaks into one of "
        f"{mb:,.1f} MB of UTF-8 ({len(joined[0]):,} characters, ASCII: {joined[0].isascii()}); "
        f"the many documents {SHARED if args.shared_texts else OWN} the corpus's distinct texts",
        f"- MB/s end to end (`scan(...).to_pandas()`), median of {args.rounds} rounds, the "
        "three in turns in each round; CPU: milliseconds of CPU time a MB, all threads",
        "",
        "| lexicon | threads | many MB/s | one, in pieces MB/s | one, UTF-8 kept MB/s "
        "| in pieces / many | UTF-8 kept / many | CPU ms/MB: many / in pieces (ratio) "
        "| first scan of a new str: in pieces / making the UTF-8 copy, MB/s | rows |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in args.lexicons.split(","):
        spec = make_lexicon(size.strip(), texts)
        lexicon = lexiscan.Lexicon()
        for s in spec.specs:
            lexicon.add(s.entity, s.aliases, s.label, s.case_sensitive, name_is_alias=False)
        matcher = lexiscan.Matcher(lexicon)
        for n_threads in [int(n) for n in args.threads.split(",")]:
            speeds: dict[str, list[float]] = {mode: [] for mode in [*modes, "new", "new kept"]}
            cpus: dict[str, list[float]] = {mode: [] for mode in modes}
            rows = set()
            for _ in range(args.rounds):
                for mode, (corpus, in_pieces_from) in modes.items():
                    _lexiscan._read_large_documents_in_pieces(in_pieces_from, NEVER)
                    found, speed, cpu = scan_speed(matcher, corpus, n_threads, mb)
                    rows.add(found)
                    speeds[mode].append(speed)
                    cpus[mode].append(cpu)
                for mode, in_pieces_from in [("new", IN_PIECES_FROM), ("new kept", NEVER)]:
                    _lexiscan._read_large_documents_in_pieces(in_pieces_from, NEVER)
                    new = ["\n\n".join(docs)]  # a str CPython has made no UTF-8 copy of
                    found, speed, _ = scan_speed(matcher, new, n_threads, mb)
                    del new
                    rows.add(found)
                    speeds[mode].append(speed)
            _lexiscan._read_large_documents_in_pieces(IN_PIECES_FROM, NEVER)
            many, pieces, kept, new, new_kept = (statistics.median(v) for v in speeds.values())
            cpu_many, cpu_pieces = (statistics.median(cpus[m]) for m in ["many", "one, in pieces"])
            line = (
                f"| {len(spec.aliases()):,} | {n_threads} | {many:,.0f} | {pieces:,.0f} "
                f"| {kept:,.0f} | {pieces / many:.2f} | {kept / many:.2f} "
                f"| {cpu_many:.2f} / {cpu_pieces:.2f} ({cpu_many / cpu_pieces:.2f}) "
                f"| {new:,.0f} / {new_kept:,.0f} | {', '.join(f'{r:,}' for r in sorted(rows))} |"
            )
            print(line, flush=True)
            lines.append(line)
    lines += [
        "",
        "The rows column lists every row count seen: one number means all three found the "
        "same matches. `many` reads each document's UTF-8 copy, which CPython made on the "
        "first round and keeps with the str; `one, in pieces` converts its text again on "
        "every scan, each piece on the worker that matches it (with one thread, a helper "
        "thread reads ahead on the second core). On a first scan of a new str, both ways "
        "convert it: in pieces, or whole into the copy CPython then keeps. An ASCII str is read "
        "in place either way.",
    ]
    report = "\n".join(lines)
    print(report)
    if not args.no_save:
        suffix = "_ascii" if args.ascii else "_1m" if args.lexicons.strip() == "1m" else ""
        results = RESULTS.with_name(f"{RESULTS.stem}{suffix}.md")
        results.parent.mkdir(exist_ok=True)
        results.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
