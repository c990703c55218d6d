"""Time of each analysis on a scan result of over a million matches (the seed corpus repeated).

python benches/bench_analysis.py            # writes benches/results/bench_analysis.md
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from provenance import provenance

import lexiscan

RESULTS = Path(__file__).parent / "results" / "bench_analysis.md"


def timed(call):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=2000, help="copies of the 5 articles")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    seeds = lexiscan.datasets.seeds()
    docs = seeds["text"].tolist() * args.copies
    outlets = seeds["outlet"].tolist() * args.copies
    matcher = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())
    start = time.perf_counter()
    res = matcher.scan(docs)
    scan_s = time.perf_counter() - start
    rows = [
        ("scan", scan_s),
        ("to_pandas()", timed(res.to_pandas)),
        ("counts()", timed(res.counts)),
        ("counts(sparse=True)", timed(lambda: res.counts(sparse=True))),
        ("frequency()", timed(res.frequency)),
        ("frequency(groups=outlet)", timed(lambda: res.frequency(groups=outlets))),
        ("cooccurrence('document')", timed(res.cooccurrence)),
        ("cooccurrence('sentence')", timed(lambda: res.cooccurrence("sentence"))),
        ("cooccurrence(10) (words)", timed(lambda: res.cooccurrence(10))),
        ("kwic('NATO')", timed(lambda: res.kwic("NATO"))),
        ("compare(outlet)", timed(lambda: res.compare(outlets))),
        ("highlight(one document)", timed(lambda: res.highlight(0))),
        ("figures(outlet)", timed(lambda: res.figures(outlets))),
        ("disagreements(outlet)", timed(lambda: res.disagreements(outlets))),
        ("audit(outlet) (near misses, max_edits=1)", timed(lambda: res.audit(outlets))),
        ("audit(outlet, max_edits=2)", timed(lambda: res.audit(outlets, max_edits=2))),
        ("descriptions(groups=outlet) (titles)", timed(lambda: res.descriptions(groups=outlets))),
    ]
    typo_matcher = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon(), max_edits=1)
    rows.append(("scan with max_edits=1 (typo-tolerant)", timed(lambda: typo_matcher.scan(docs))))
    lines = [
        "# bench_analysis: analyses on a large scan result",
        "",
        f"{len(docs):,} documents ({sum(len(d) for d in docs) / 1e6:.0f} M characters), "
        f"{len(res):,} matches of the seed lexicon.",
        "",
        *provenance(),
        "",
        "| step | seconds |",
        "|---|---:|",
        *[f"| {name} | {seconds:.3f} |" for name, seconds in rows],
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_save:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
