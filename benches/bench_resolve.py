"""How well `ScanResult.resolve` picks the entity of an ambiguous mention, and what it costs.

The labelled mentions are tests/fixtures/resolve_labels.csv (drawn by `resolve_sample.py`,
labelled by reading each one; rules in tests/fixtures/resolve_labels.md). Each is predicted by:

- resolve (at several `min_score`; a dropped mention predicts NOT_A_PLACE),
- the largest weight (population) among the candidates,
- the candidate with the most other mentions in the document: the other spans of the document
  naming it, a span naming k entities counting 1/k (ties: the largest weight).

Accuracy is given over every mention, over those whose answer is one of the candidates or
NOT_A_PLACE (OTHER_PLACE: a place none of the candidates is, which nothing here can answer),
and over the places alone. Cost: resolve against the scan of the same corpus, both timed in
each round (scan, then resolve of that scan), many rounds in one process, so that the
machine's slow minutes hit both alike; the figure is the median of the per-round ratios,
given with its spread.

    python benches/bench_resolve.py --repeat 31    # writes benches/results/bench_resolve.md
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import resolve_data  # noqa: E402
from provenance import provenance  # noqa: E402

LABELS = HERE.parent / "tests" / "fixtures" / "resolve_labels.csv"
SPECIAL = ("NOT_A_PLACE", "OTHER_PLACE")
RESULTS = HERE / "results" / "bench_resolve.md"


def accuracy(predicted: dict[int, str], rows: list[dict[str, str]]) -> tuple[float, float, float]:
    """Share right over every row, over rows not OTHER_PLACE, over places only."""

    def share(subset: list[dict[str, str]]) -> float:
        return sum(predicted[int(r["id"])] == r["label"] for r in subset) / len(subset)

    answerable = [r for r in rows if r["label"] != "OTHER_PLACE"]
    places = [r for r in rows if r["label"] not in SPECIAL]
    return share(rows), share(answerable), share(places)


def main() -> None:
    import lexiscan

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=21, help="rounds (each: scan, resolve)")
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()

    rows = list(csv.DictReader(open(LABELS, encoding="utf-8")))
    corpus = resolve_data.corpus()
    texts = [text for _, text in corpus]
    entries = resolve_data.gazetteer(texts)
    weight = {e["entity"]: e.get("weight") or 0.0 for e in entries}
    matcher = lexiscan.Matcher(resolve_data.lexicon(entries))

    result = matcher.scan(texts)
    result.resolve()  # the resolver is built once per matcher: not part of the timings
    cost = [
        cost_line("with texts", *timings(matcher, texts, args.repeat, args.window, True)),
        cost_line("keep_text=False", *timings(matcher, texts, args.repeat, args.window, False)),
    ]

    frame = result.to_pandas()
    spans = frame.groupby(["doc", "start", "end"])["entity"].agg(list)
    # Per document, each entity's mentions: a span naming k entities counts 1/k for each.
    per_doc: dict[int, Counter[str]] = {}
    for (doc, _, _), entities in spans.items():
        counts = per_doc.setdefault(int(doc), Counter())
        for entity in set(entities):
            counts[entity] += 1 / len(set(entities))

    def candidates(r: dict[str, str]) -> list[str]:
        return sorted(set(spans[(int(r["doc"]), int(r["start"]), int(r["end"]))]))

    largest = {int(r["id"]): max(candidates(r), key=lambda c: (weight[c], c)) for r in rows}

    def most_mentioned(r: dict[str, str]) -> str:
        counts = per_doc[int(r["doc"])]  # this mention adds the same to every candidate
        return max(candidates(r), key=lambda c: (counts[c], weight[c], c))

    busiest = {int(r["id"]): most_mentioned(r) for r in rows}

    differ = sum(largest[i] != busiest[i] for i in largest)
    report = [("largest weight", largest), ("most other mentions in doc", busiest)]
    for min_score in (0.0, 0.5, 1.0, 1.5):
        res = result.resolve(min_score=min_score, window=args.window)
        report.append((f"resolve(min_score={min_score})", predictions(res, rows)))
    lines = [
        "# bench_resolve: which entity an ambiguous mention means, and what deciding costs",
        "",
        f"{len(rows)} labelled mentions: {dict(Counter(_kind(r['label']) for r in rows))}; "
        f"{len(texts)} documents, {sum(map(len, texts)) / 1e6:.1f} M characters, "
        f"{len(result):,} rows; window {args.window}.",
        "",
        *provenance(),
        "",
        f"Cost: {args.repeat} rounds of scan then resolve of that scan, in one process:",
        "",
        "| texts | scan median (best) | resolve median (best) | resolve / scan per round: "
        "median | quartiles | best .. worst |",
        "|---|---:|---:|---:|---:|---:|",
        *cost,
        "",
        f"Accuracy (the two baselines differ on {differ} of {len(rows)} mentions):",
        "",
        "| predictor | all | answerable | places |",
        "|---|---:|---:|---:|",
    ]
    for name, predicted in report:
        a, b, c = accuracy(predicted, rows)
        lines.append(f"| {name} | {a:.1%} | {b:.1%} | {c:.1%} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_save:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")


def timings(
    matcher: object, texts: list[str], repeat: int, window: int, keep_text: bool
) -> tuple[list[float], list[float]]:
    """Seconds of each round's scan, and of resolving that scan."""
    scan_times, resolve_times = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = matcher.scan(texts, keep_text=keep_text)  # type: ignore[attr-defined]
        t1 = time.perf_counter()
        result.resolve(window=window)
        t2 = time.perf_counter()
        scan_times.append(t1 - t0)
        resolve_times.append(t2 - t1)
    return scan_times, resolve_times


def cost_line(name: str, scan_times: list[float], resolve_times: list[float]) -> str:
    """One row of the cost table: medians, bests, and the per-round ratio's spread."""
    ratios = sorted(r / s for r, s in zip(resolve_times, scan_times))
    q1, _, q3 = statistics.quantiles(ratios, n=4)
    ms = lambda t: f"{statistics.median(t) * 1000:.1f} ms ({min(t) * 1000:.1f})"  # noqa: E731
    return (
        f"| {name} | {ms(scan_times)} | {ms(resolve_times)} | "
        f"**{statistics.median(ratios):.1%}** | {q1:.1%} .. {q3:.1%} | "
        f"{ratios[0]:.1%} .. {ratios[-1]:.1%} |"
    )


def _kind(label: str) -> str:
    return label if label in SPECIAL else "place"


def predictions(res: object, rows: list[dict[str, str]]) -> dict[int, str]:
    """The entity resolve kept at each labelled span, or NOT_A_PLACE where it dropped it."""
    kept = res.to_pandas()  # type: ignore[attr-defined]
    dropped = res.dropped.to_pandas()  # type: ignore[attr-defined]
    at = {(int(d), int(s)): e for d, s, e in zip(kept["doc"], kept["start"], kept["entity"])}
    gone = {(int(d), int(s)) for d, s in zip(dropped["doc"], dropped["start"])}
    out = {}
    for r in rows:
        key = (int(r["doc"]), int(r["start"]))
        out[int(r["id"])] = "NOT_A_PLACE" if key in gone else at[key]
    return out


if __name__ == "__main__":
    main()
