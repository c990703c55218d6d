"""What each outlet says: figures near entities, disagreements between groups, alias audits.

The figures and the near misses are found in Rust (`_lexiscan.figures`, `_lexiscan.near_misses`);
this module shapes them into DataFrames and compares groups. The rules are in docs/insights.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from lexiscan import _analysis, _lexiscan

if TYPE_CHECKING:
    from lexiscan._result import ScanResult

FIGURE_COLUMNS = ["doc", "figure", "value", "hedge", "unit", "entities", "sentence", "start", "end"]


def _group_of_docs(result: ScanResult, groups: Any) -> list[Any]:
    codes, names = _analysis.group_codes(result, groups)
    return [names[c] for c in codes]


def figures(result: ScanResult, groups: Any = None) -> pd.DataFrame:
    doc, sentence, figure, start, end, value, hedge, unit, entities = _lexiscan.figures(
        result._native
    )
    names = [name for name, _ in result._entities]
    positions = np.asarray(doc, dtype=np.intp)
    frame = pd.DataFrame(
        {
            "doc": _analysis.doc_index(result).take(positions),
            "figure": figure,
            "value": np.asarray(value, dtype=np.float64),
            "hedge": hedge,
            "unit": unit,
            "entities": [[names[e] for e in ids] for ids in entities],
            "sentence": sentence,
            "start": np.asarray(start, dtype=np.int64),
            "end": np.asarray(end, dtype=np.int64),
        },
        columns=FIGURE_COLUMNS,
    )
    if groups is not None:
        of_doc = _group_of_docs(result, groups)
        frame.insert(1, "group", [of_doc[p] for p in positions])
    return frame


def disagreements(
    result: ScanResult, groups: Any, max_ratio: float = 1.5, hedges: bool = True
) -> pd.DataFrame:
    if max_ratio < 1:
        raise ValueError(f"max_ratio must be at least 1, not {max_ratio!r}")
    found = figures(result, groups)
    # A year is a date, not a count: two outlets naming different years disagree on nothing.
    found = found[~found["unit"].isin(["", "year"]) & (found["entities"].str.len() > 0)]
    rows: list[dict[str, Any]] = []
    for unit, same_unit in found.groupby("unit", sort=True):
        for topic, members in _topics(same_unit, max_ratio):
            if members["group"].nunique() < 2:
                continue
            values = set(members["value"])
            kind = "value" if len(values) > 1 else "hedge"
            if kind == "hedge" and (not hedges or members["hedge"].nunique() < 2):
                continue
            for _, row in members.iterrows():
                rows.append(
                    {
                        "unit": unit,
                        "entities": topic,
                        "kind": kind,
                        "group": row["group"],
                        "doc": row["doc"],
                        "value": row["value"],
                        "hedge": row["hedge"],
                        "figure": row["figure"],
                        "sentence": row["sentence"],
                    }
                )
    columns = ["unit", "entities", "kind", "group", "doc", "value", "hedge", "figure", "sentence"]
    return pd.DataFrame(rows, columns=columns)


def _topics(same_unit: pd.DataFrame, max_ratio: float) -> list[tuple[list[str], pd.DataFrame]]:
    """Figures of one unit linked when they share an entity and are within `max_ratio` of each
    other (connected components), each with the entities its figures share most."""
    records = list(same_unit.itertuples(index=False))
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(records):
        for j in range(i + 1, len(records)):
            b = records[j]
            low, high = sorted((a.value, b.value))
            close = low > 0 and high / low <= max_ratio or low == high
            if close and set(a.entities) & set(b.entities):
                parent[root(i)] = root(j)
    components: dict[int, list[int]] = {}
    for i in range(len(records)):
        components.setdefault(root(i), []).append(i)
    out = []
    for members in components.values():
        if len(members) < 2:
            continue
        frame = same_unit.iloc[members]
        counts = pd.Series([e for ents in frame["entities"] for e in set(ents)]).value_counts()
        shared = sorted(counts[counts == counts.max()].index)
        out.append((shared, frame))
    return out


class Audit(NamedTuple):
    """What `ScanResult.audit` returns: three DataFrames."""

    aliases_used: pd.DataFrame
    never_matched: pd.DataFrame
    near_misses: pd.DataFrame

    def _repr_html_(self) -> str:
        parts = [
            f"<h4>{name.replace('_', ' ')}</h4>{getattr(self, name).to_html(max_rows=20)}"
            for name in self._fields
        ]
        return "".join(parts)


def audit(result: ScanResult, groups: Any = None, min_chars: int = 5, max_edits: int = 1) -> Audit:
    if result._matcher is None:
        raise ValueError("this result has no matcher to audit against (scan with Matcher.scan)")
    of_doc = _group_of_docs(result, groups) if groups is not None else [None] * result.n_docs
    matches = result.to_pandas()
    positions = np.frombuffer(result._native.column("doc"), "<u8").astype(np.intp)
    matches.insert(0, "group", [of_doc[p] for p in positions])
    used = (
        matches.groupby(["group", "entity", "text"], dropna=False, sort=True)
        .size()
        .rename("count")
        .reset_index()
        .rename(columns={"text": "alias"})
    )
    names = [name for name, _ in result._entities]
    labels = [label for _, label in result._entities]
    matched: dict[Any, set[str]] = {g: set() for g in dict.fromkeys(of_doc)}
    for g, entity in zip(matches["group"], matches["entity"]):
        matched[g].add(entity)
    never = [
        {"group": g, "entity": name, "label": label}
        for g, seen in matched.items()
        for name, label in zip(names, labels)
        if name not in seen
    ]
    doc, word, start, end, word_index, distance, alias_words = _lexiscan.near_misses(
        result._native, result._matcher, min_chars, max_edits
    )
    near_rows = []
    doc_keys = _analysis.doc_index(result)
    for d, w, s, e, i, dist in zip(doc, word, start, end, word_index, distance):
        alias_word, entity_ids = alias_words[i]
        for entity in entity_ids:
            near_rows.append(
                {
                    "group": of_doc[d],
                    "doc": doc_keys[d],
                    "word": w,
                    "start": s,
                    "end": e,
                    "alias_word": alias_word,
                    "entity": names[entity],
                    "distance": dist,
                }
            )
    near_columns = ["group", "doc", "word", "start", "end", "alias_word", "entity", "distance"]
    frames = [
        used,
        pd.DataFrame(never, columns=["group", "entity", "label"]),
        pd.DataFrame(near_rows, columns=near_columns),
    ]
    if groups is None:
        frames = [f.drop(columns="group") for f in frames]
        frames[1] = frames[1].drop_duplicates().reset_index(drop=True)
    return Audit(*frames)
