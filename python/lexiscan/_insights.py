"""What each outlet says: figures near entities, disagreements between groups, alias audits.

The figures, near misses, descriptions and topics are found in Rust (`_lexiscan.figures`,
`near_misses`, `descriptions`, `topics`); this module shapes them into DataFrames and compares
groups. Like `_analysis`, it takes a `Scan` and the matches frame, never a `ScanResult`. The
rules are in docs/insights.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from lexiscan import _display, _lexiscan
from lexiscan._analysis import Scan, doc_index, group_of_docs
from lexiscan._analysis import group_codes as _analysis_group_codes
from lexiscan._analysis import objects as _objects

SAME_UNIT = {"soldiers": "troops", "servicemen": "troops", "service members": "troops"}
FIGURE_COLUMNS = ["doc", "figure", "value", "hedge", "unit", "entities", "sentence", "start", "end"]


def figures(scan: Scan, groups: Any = None) -> pd.DataFrame:
    found = _lexiscan.figures(scan.native)
    names = [name for name, _ in scan.entities]
    positions = np.asarray(found["doc"], dtype=np.intp)
    frame = pd.DataFrame(
        {
            "doc": doc_index(scan).take(positions),
            "figure": found["figure"],
            "value": np.asarray(found["value"], dtype=np.float64),
            "hedge": found["hedge"],
            "unit": found["unit"],
            # a short list per figure (the entities of its sentence), not a loop over matches
            "entities": [[names[e] for e in ids] for ids in found["entities"]],
            "sentence": found["sentence"],
            "start": np.asarray(found["start"], dtype=np.int64),
            "end": np.asarray(found["end"], dtype=np.int64),
        },
        columns=FIGURE_COLUMNS,
    )
    if groups is not None:
        frame.insert(1, "group", group_of_docs(scan, groups).take(positions).tolist())
    return frame


DESCRIPTION_COLUMNS = [
    "doc", "entity", "label", "text", "description", "description_text", "start", "end",
]  # fmt: skip


def descriptions(
    scan: Scan,
    matches: Callable[[], pd.DataFrame],
    label: str = "TITLE",
    window: int = 3,
    groups: Any = None,
) -> pd.DataFrame:
    if not isinstance(label, str):
        raise TypeError(f"label must be str, not {type(label).__name__}")
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise ValueError(f"window must be an int of 0 or more (words), not {window!r}")
    labels = [entity_label for _, entity_label in scan.entities]
    if label not in labels:
        known = sorted({x for x in labels if x is not None})
        raise ValueError(f"no entity has label {label!r}; the labels are {known}")
    describing = bytes(int(entity_label == label) for entity_label in labels)
    describer, described = _lexiscan.descriptions(scan.native, describing, window)
    rows = matches()
    by = np.asarray(described, dtype=np.intp)
    of = np.asarray(describer, dtype=np.intp)
    positions = np.frombuffer(scan.native.column("doc"), "<u8").astype(np.intp)[by]
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
        frame.insert(1, "group", group_of_docs(scan, groups).take(positions).tolist())
    return frame


def disagreements(
    scan: Scan, groups: Any, max_ratio: float = 1.5, hedges: bool = True
) -> pd.DataFrame:
    if max_ratio < 1:
        raise ValueError(f"max_ratio must be at least 1, not {max_ratio!r}")
    found = figures(scan, groups)
    # A year or a day is a date, not a count: outlets naming different dates disagree on nothing.
    found = found[~found["unit"].isin(["", "year", "date"]) & (found["entities"].str.len() > 0)]
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
    """A topic id per figure (row of `found`: unit, entities, value): figures are linked when
    they have the same unit, share an entity and are within `max_ratio` of each other; topics
    are the connected groups (`_lexiscan.topics`, a sort and a union-find in Rust). Names are
    handed over as codes in their sorted order, so ids and order are those of sorting names."""
    rows = found[["unit", "entities", "value"]].reset_index(drop=True).explode("entities")
    rows = rows[rows["entities"].notna()]
    # Different words for the same counted thing ("soldiers" and "troops") are one unit here.
    unit, _ = pd.factorize(rows["unit"].replace(SAME_UNIT), sort=True)
    entity, _ = pd.factorize(rows["entities"], sort=True)
    topic = _lexiscan.topics(
        rows.index.to_numpy().tolist(),
        unit.tolist(),
        entity.tolist(),
        rows["value"].to_numpy(dtype=np.float64).tolist(),
        len(found),
        float(max_ratio),
    )
    return np.asarray(topic, dtype=np.int64)


class Audit(NamedTuple):
    """What `ScanResult.audit` returns: three DataFrames, `aliases_used`, `never_matched` and
    `near_misses`.

    >>> import lexiscan
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv"))
    >>> m.scan(["NATO"]).audit().never_matched
      entity label
    0   Kyiv  None
    """

    aliases_used: pd.DataFrame
    never_matched: pd.DataFrame
    near_misses: pd.DataFrame

    def _repr_html_(self) -> str:
        return _display.frames_html(self._asdict())


def audit(
    scan: Scan,
    matches: Callable[[], pd.DataFrame],
    groups: Any = None,
    min_chars: int = 5,
    max_edits: int = 1,
) -> Audit:
    if groups is None:
        # one group, None, of the scanned documents (none without documents)
        group_codes, group_names = np.zeros(scan.n_docs, dtype="<u4"), [None][: scan.n_docs]
    else:
        group_codes, group_names = _analysis_group_codes(scan, groups)
    of_doc = _objects(group_names).take(group_codes.astype(np.intp))
    rows = matches()
    positions = np.frombuffer(scan.native.column("doc"), "<u8").astype(np.intp)
    rows.insert(0, "group", of_doc[positions].tolist())
    used = (
        rows.groupby(["group", "entity", "text"], dropna=False, sort=True)
        .size()
        .rename("count")
        .reset_index()
        .rename(columns={"text": "alias"})
    )
    never = _never_matched(scan, group_codes, group_names)
    near = _lexiscan.near_misses(scan.native, scan.matcher, min_chars, max_edits)
    names = _objects([name for name, _ in scan.entities])
    alias_words = _objects(near["alias_words"])
    near_doc = np.asarray(near["doc"], dtype=np.intp)
    near_frame = _frame(
        {
            "group": of_doc[near_doc].tolist(),
            "doc": doc_index(scan)[near_doc].tolist(),
            "word": near["word"],
            "start": near["start"],
            "end": near["end"],
            "alias_word": alias_words[np.asarray(near["alias_word"], dtype=np.intp)].tolist(),
            "entity": names[np.asarray(near["entity"], dtype=np.intp)].tolist(),
            "distance": near["distance"],
        }
    )
    frames = [used, never, near_frame]
    if groups is None:
        frames = [f.drop(columns="group") for f in frames]
        frames[1] = frames[1].drop_duplicates().reset_index(drop=True)
    return Audit(*frames)


def _never_matched(scan: Scan, group_codes: np.ndarray, group_names: list[Any]) -> pd.DataFrame:
    """Per group (in order), the entities (lexicon order) whose name no match of the group has:
    mentions per (group, entity) come from the core's `frequency`."""
    n_entities = len(scan.entities)
    entity = np.frombuffer(scan.native.column("entity"), dtype="<u4")
    mentions, _ = scan.native.frequency(
        entity.tobytes(), n_entities, group_codes.astype("<u4").tobytes(), len(group_names)
    )
    per_entity = np.frombuffer(mentions, "<u8").reshape(len(group_names), n_entities)
    # An entity counts as matched when any entity of its name is (names may repeat by label).
    name_code, _ = pd.factorize(pd.Series([name for name, _ in scan.entities], dtype=object))
    per_name = np.zeros((len(group_names), name_code.max(initial=-1) + 1), dtype=np.uint64)
    np.add.at(per_name.T, name_code, per_entity.T)
    never = per_name[:, name_code] == 0
    group, index = np.nonzero(never)
    return _frame(
        {
            "group": _objects(group_names)[group].tolist(),
            "entity": _objects([name for name, _ in scan.entities])[index].tolist(),
            "label": _objects([label for _, label in scan.entities])[index].tolist(),
        }
    )


def _frame(columns: dict[str, list[Any]]) -> pd.DataFrame:
    """A frame of Python values, as rows of them would give (empty: object columns)."""
    if not any(columns.values()):
        return pd.DataFrame(columns=list(columns))
    return pd.DataFrame(columns)
