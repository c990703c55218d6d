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

SAME_UNIT = {"soldiers": "troops", "servicemen": "troops", "service members": "troops"}
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


DESCRIPTION_COLUMNS = [
    "doc", "entity", "label", "text", "description", "description_text", "start", "end",
]  # fmt: skip


def descriptions(
    result: ScanResult, label: str = "TITLE", window: int = 3, groups: Any = None
) -> pd.DataFrame:
    if not isinstance(label, str):
        raise TypeError(f"label must be str, not {type(label).__name__}")
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise ValueError(f"window must be an int of 0 or more (words), not {window!r}")
    labels = [entity_label for _, entity_label in result._entities]
    if label not in labels:
        known = sorted({x for x in labels if x is not None})
        raise ValueError(f"no entity has label {label!r}; the labels are {known}")
    describing = bytes(int(entity_label == label) for entity_label in labels)
    describer, described = _lexiscan.descriptions(result._native, describing, window)
    rows = result.to_pandas()
    by = np.asarray(described, dtype=np.intp)
    of = np.asarray(describer, dtype=np.intp)
    positions = np.frombuffer(result._native.column("doc"), "<u8").astype(np.intp)[by]
    frame = pd.DataFrame(
        {
            "doc": rows["doc"].to_numpy()[by],
            "entity": rows["entity"].to_numpy()[by],
            "label": rows["label"].to_numpy()[by],
            "text": rows["text"].to_numpy()[by],
            "description": rows["entity"].to_numpy()[of],
            "description_text": rows["text"].to_numpy()[of],
            "start": rows["start"].to_numpy()[by],
            "end": rows["end"].to_numpy()[by],
        },
        columns=DESCRIPTION_COLUMNS,
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
    return disagreements_of_figures(
        disagreement_candidates(figures(result, groups)), max_ratio, hedges
    )


def disagreement_candidates(found: pd.DataFrame) -> pd.DataFrame:
    """The figures that can disagree: those with a counted unit and an entity."""
    # A year or a day is a date, not a count: outlets naming different dates disagree on nothing.
    if found.empty:
        return found
    return found[~found["unit"].isin(["", "year", "date"]) & (found["entities"].str.len() > 0)]


def disagreements_of_figures(found: pd.DataFrame, max_ratio: float, hedges: bool) -> pd.DataFrame:
    """`disagreements` of the candidate figures of a whole corpus (from any number of scans)."""
    if max_ratio < 1:
        raise ValueError(f"max_ratio must be at least 1, not {max_ratio!r}")
    found = found.reset_index(drop=True)
    columns = ["unit", "entities", "kind", "group", "doc", "value", "hedge", "figure", "sentence"]
    if found.empty:
        return pd.DataFrame(columns=columns)
    found["topic"] = _topics(found, max_ratio)
    by_topic = found.groupby("topic")
    n_groups = by_topic["group"].transform("nunique")
    n_values = by_topic["value"].transform("nunique")
    n_hedges = by_topic["hedge"].transform("nunique")
    found["kind"] = np.where(n_values > 1, "value", "hedge")
    keep = (n_groups >= 2) & ((n_values > 1) | (hedges & (n_hedges > 1)))
    found = found[keep.to_numpy()]
    # Each topic is labelled with the entities most of its figures share.
    mentions = found[["topic", "entities"]].explode("entities")
    per_entity = mentions.groupby(["topic", "entities"]).size().rename("n").reset_index()
    top = per_entity[per_entity["n"] == per_entity.groupby("topic")["n"].transform("max")]
    label = top.groupby("topic")["entities"].agg(sorted)
    found["entities"] = found["topic"].map(label)
    found = found.sort_values(["unit", "topic"], kind="stable")
    return found[columns].reset_index(drop=True)


def _topics(found: pd.DataFrame, max_ratio: float) -> np.ndarray:
    """A topic id per figure: figures are linked when they have the same unit, share an entity
    and are within `max_ratio` of each other; topics are the connected groups. For one unit
    and entity, sorted by value, linking neighbours gives the same groups as linking every
    pair, so the work is a sort, not a comparison of all pairs."""
    rows = found[["unit", "entities", "value"]].explode("entities")
    # Different words for the same counted thing ("soldiers" and "troops") are one unit here.
    rows["unit"] = rows["unit"].replace(SAME_UNIT)
    rows = rows.reset_index().sort_values(["unit", "entities", "value"], kind="stable")
    index = rows["index"].to_numpy()
    value = rows["value"].to_numpy(dtype=np.float64)
    same = (rows["unit"].to_numpy()[1:] == rows["unit"].to_numpy()[:-1]) & (
        rows["entities"].to_numpy()[1:] == rows["entities"].to_numpy()[:-1]
    )
    low, high = value[:-1], value[1:]
    close = (low == high) | ((low > 0) & (high <= low * max_ratio))
    parent = np.arange(len(found))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in zip(index[:-1][same & close], index[1:][same & close]):
        parent[root(a)] = root(b)
    return np.array([root(i) for i in range(len(found))])


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
    doc, word, start, end, word_index, distance, row_entities, alias_words = _lexiscan.near_misses(
        result._native, result._matcher, min_chars, max_edits
    )
    near_rows = []
    doc_keys = _analysis.doc_index(result)
    rows = zip(doc, word, start, end, word_index, distance, row_entities)
    for d, w, s, e, i, dist, entity_ids in rows:
        alias_word = alias_words[i]
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
