"""Draw the ambiguous mentions of the resolver's test set (tests/fixtures/resolve_labels.csv).

Scans the corpus of `resolve_data.py` with its gazetteer, keeps the mentions the scan gives
more than one entity, and draws with a fixed seed at most one mention per (document, alias)
and at most `--per-alias` per alias, so that "Washington" cannot fill the sample. Writes one
row per mention with a snippet of its sentence and its candidates; the `label` column is left
empty for a person to fill by reading the snippet (the rules are in the fixture's README).

    python benches/resolve_sample.py --out /tmp/unlabelled.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import resolve_data  # noqa: E402

SNIPPET_CHARS = 220
FIELDS = ["id", "source", "doc", "start", "end", "text", "candidates", "label", "snippet"]


def main() -> None:
    import lexiscan

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--per-alias", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()

    corpus = resolve_data.corpus()
    texts = [text for _, text in corpus]
    matcher = lexiscan.Matcher(resolve_data.lexicon(resolve_data.gazetteer(texts)))
    frame = matcher.scan(texts).to_pandas()
    spans = frame.groupby(["doc", "start", "end"], sort=True)
    candidates = spans["entity"].agg(lambda names: "|".join(sorted(names)))
    ambiguous = candidates[spans["entity"].nunique() > 1]
    by_alias: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for doc, start, end in ambiguous.index:
        key = texts[doc][start:end].lower()
        if (doc, key) not in seen:
            seen.add((doc, key))
            by_alias[key].append((doc, start, end))
    rng = random.Random(args.seed)
    pool: list[tuple[int, int, int]] = []
    for key in sorted(by_alias):
        mentions = by_alias[key]
        pool += rng.sample(mentions, min(len(mentions), args.per_alias))
    rng.shuffle(pool)
    drawn = sorted(pool[: args.n])
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(FIELDS)
        for number, (doc, start, end) in enumerate(drawn):
            text = texts[doc]
            left = max(0, start - SNIPPET_CHARS)
            snippet = " ".join(text[left : end + SNIPPET_CHARS].split())
            writer.writerow(
                [
                    number,
                    corpus[doc][0],
                    doc,
                    start,
                    end,
                    text[start:end],
                    ambiguous[(doc, start, end)],
                    "",
                    snippet,
                ]
            )
    print(f"{len(drawn)} of {len(ambiguous)} ambiguous mentions ({len(by_alias)} aliases)")


if __name__ == "__main__":
    main()
