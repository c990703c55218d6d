"""How well `ScanResult.resolve` picks the entity of an ambiguous mention, and what it costs.

The labelled mentions are tests/fixtures/resolve_labels.csv (drawn by `resolve_sample.py`,
labelled by reading each one; rules in tests/fixtures/resolve_labels.md). Each is predicted by:

- resolve (at several `min_score`; a dropped mention predicts NOT_A_PLACE),
- the largest weight (population) among the candidates,
- the candidate with the most other mentions in the document: the other spans of the document
  naming it, a span naming k entities counting 1/k (ties: the largest weight).

Accuracy is given over every mention, over those whose answer is one of the candidates or
NOT_A_PLACE (OTHER_PLACE: a place none of the candidates is, which nothing here can answer),
and over the places alone. Cost: resolve against the scan of the same corpus, median of runs.

    python benches/bench_resolve.py
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

LABELS = HERE.parent / "tests" / "fixtures" / "resolve_labels.csv"
SPECIAL = ("NOT_A_PLACE", "OTHER_PLACE")


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
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--window", type=int, default=10)
    args = parser.parse_args()

    rows = list(csv.DictReader(open(LABELS, encoding="utf-8")))
    corpus = resolve_data.corpus()
    texts = [text for _, text in corpus]
    entries = resolve_data.gazetteer(texts)
    weight = {e["entity"]: e.get("weight") or 0.0 for e in entries}
    matcher = lexiscan.Matcher(resolve_data.lexicon(entries))

    result = matcher.scan(texts)
    result.resolve()  # the resolver is built once per matcher: not part of the timings
    scan_times, resolve_times = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = matcher.scan(texts)
        t1 = time.perf_counter()
        result.resolve(window=args.window)
        t2 = time.perf_counter()
        scan_times.append(t1 - t0)
        resolve_times.append(t2 - t1)
    ratios = sorted(r / s for r, s in zip(resolve_times, scan_times))

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

    print(f"{len(rows)} labelled mentions: {dict(Counter(_kind(r['label']) for r in rows))}")
    print(
        f"{len(texts)} documents, {sum(map(len, texts)) / 1e6:.1f} M characters, "
        f"{len(result):,} rows; {args.repeat} rounds of scan then resolve:"
    )
    print(
        f"  scan    median {statistics.median(scan_times) * 1000:.0f} ms, "
        f"best {min(scan_times) * 1000:.0f} ms"
    )
    print(
        f"  resolve median {statistics.median(resolve_times) * 1000:.0f} ms, "
        f"best {min(resolve_times) * 1000:.0f} ms"
    )
    print(
        f"  resolve / scan per round: median {statistics.median(ratios):.1%}, "
        f"best {ratios[0]:.1%}, worst {ratios[-1]:.1%}"
    )
    differ = sum(largest[i] != busiest[i] for i in largest)
    print(f"the two baselines differ on {differ} of {len(rows)} mentions")  # fmt: skip
    print(f"\n{'predictor':<32} {'all':>6} {'answerable':>11} {'places':>7}")
    report = [("largest weight", largest), ("most other mentions in doc", busiest)]
    for min_score in (0.0, 0.5, 1.0, 1.5):
        res = result.resolve(min_score=min_score, window=args.window)
        report.append((f"resolve(min_score={min_score})", predictions(res, rows)))
    for name, predicted in report:
        a, b, c = accuracy(predicted, rows)
        print(f"{name:<32} {a:>6.1%} {b:>11.1%} {c:>7.1%}")


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
