"""Every analysis of a ScanResult as a map and a merge, for corpora scanned in pieces.

`partial(result, name, kwargs)` runs on the process that holds a piece of the corpus and
returns a small picklable value; `merge(name, a, b)` joins the partials of two consecutive
pieces (a's documents come first; it is associative, so Dask can merge in a tree); and
`finish(name, partial, matcher, kwargs)` shapes the last one into exactly the DataFrame that
`ScanResult.<name>(**kwargs)` gives for the whole corpus in one process.

What each partial ships (`groups`, when given, is one value per document of the piece):

- counts: the nonzero (document, key, count) triplets and the piece's document keys.
- frequency, compare: mentions and documents per (group, key) as two small integer tables,
  the documents per group, and the groups in the order they first appear.
- cooccurrence: the (key, key, count) pairs and the keys with a mention. Documents, sentences
  and word windows never cross documents, and a piece holds whole documents, so pairs add.
- kwic, figures, descriptions: their rows (these analyses return text; nothing smaller
  gives the same rows).
- disagreements: the piece's figures that can disagree (a unit and an entity); the topics
  are formed on the merged figures, since a topic spans documents.
- audit: the aliases used with their counts, the entities never matched per group (merged
  by intersection), and the near misses' rows.

The heavy work of each partial is the Rust analysis the single-process method calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from lexiscan import _analysis, _insights

if TYPE_CHECKING:
    from lexiscan._matcher import Matcher
    from lexiscan._result import ScanResult

# The analyses that take `groups` (one value per document) and whether they need it.
GROUPED = {"frequency": False, "compare": True, "figures": False, "disagreements": True,
           "descriptions": False, "audit": False}  # fmt: skip


class Analysis(NamedTuple):
    partial: Callable[..., Any]
    merge: Callable[[Any, Any], Any]
    finish: Callable[..., Any]


def _scan(result: ScanResult) -> Any:
    """What `_analysis`'s functions take for a scan."""
    return result._scan()


def _names(matcher: Matcher, by: str) -> list[str]:
    """The column names of an analysis by entity or label (as the single-process one)."""
    return _analysis.keys(_scan(matcher.scan([])), by)[1]


def _concat_frames(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    # An empty piece's frame has placeholder dtypes (no rows to infer them from): skip it.
    if b.empty:
        return a
    if a.empty:
        return b
    return pd.concat([a, b], ignore_index=True)


# counts ------------------------------------------------------------------------------------


@dataclass
class CountsPartial:
    keys: pd.Index
    rows: np.ndarray  # document positions in `keys`
    columns: np.ndarray  # key codes
    values: np.ndarray


def _counts_partial(result: ScanResult, by: str = "entity", **_: Any) -> CountsPartial:
    code, _names_ = _analysis.keys(_scan(result), by)
    doc_b, key_b, n_b = result._native.counts(code.astype("<u4").tobytes())
    return CountsPartial(
        _analysis.doc_index(_scan(result)),
        np.frombuffer(doc_b, "<u8").astype(np.int64),
        np.frombuffer(key_b, "<u4").astype(np.int64),
        np.frombuffer(n_b, "<u4").astype(np.int64),
    )


def _counts_merge(a: CountsPartial, b: CountsPartial) -> CountsPartial:
    return CountsPartial(
        a.keys.append(b.keys),
        np.concatenate([a.rows, b.rows + len(a.keys)]),
        np.concatenate([a.columns, b.columns]),
        np.concatenate([a.values, b.values]),
    )


def _counts_finish(
    p: CountsPartial,
    matcher: Matcher,
    by: str = "entity",
    presence: bool = False,
    sparse: bool = False,
) -> Any:
    names = _names(matcher, by)
    values = np.ones_like(p.values) if presence else p.values
    shape = (len(p.keys), len(names))
    if sparse:
        from scipy import sparse as sp

        matrix = sp.csr_matrix((values, (p.rows, p.columns)), shape=shape)
        return _analysis.SparseCounts(matrix, p.keys, pd.Index(names))
    dense = np.zeros(shape, dtype=np.int64)
    dense[p.rows, p.columns] = values
    return pd.DataFrame(dense, index=p.keys, columns=pd.Index(names))


# frequency and compare: tables per (group, key) ----------------------------------------------


@dataclass
class TablePartial:
    groups: list[Any]  # in order of first appearance
    mentions: np.ndarray  # groups x keys
    documents: np.ndarray  # groups x keys
    n_docs: np.ndarray  # per group


def _table_partial(
    result: ScanResult, by: str = "entity", groups: Any = None, **_: Any
) -> TablePartial:
    code, names = _analysis.keys(_scan(result), by)
    if groups is None:
        doc_group, group_names = None, [None]
        n_docs = np.array([result.n_docs], dtype=np.int64)
    else:
        doc_group, group_names = _analysis.group_codes(_scan(result), groups)
        n_docs = np.bincount(doc_group, minlength=len(group_names)).astype(np.int64)
    mentions_b, docs_b = result._native.frequency(
        code.astype("<u4").tobytes(),
        len(names),
        None if doc_group is None else doc_group.tobytes(),
        len(group_names),
    )
    shape = (len(group_names), len(names))
    return TablePartial(
        group_names,
        np.frombuffer(mentions_b, "<u8").reshape(shape).astype(np.int64),
        np.frombuffer(docs_b, "<u8").reshape(shape).astype(np.int64),
        n_docs,
    )


def _table_merge(a: TablePartial, b: TablePartial) -> TablePartial:
    position = {g: i for i, g in enumerate(a.groups)}
    groups = list(a.groups) + [g for g in b.groups if g not in position]
    position = {g: i for i, g in enumerate(groups)}
    at = np.array([position[g] for g in b.groups], dtype=np.intp)
    n_keys = a.mentions.shape[1]
    mentions = np.zeros((len(groups), n_keys), dtype=np.int64)
    documents = np.zeros_like(mentions)
    n_docs = np.zeros(len(groups), dtype=np.int64)
    for out, x, y in ((mentions, a.mentions, b.mentions), (documents, a.documents, b.documents)):
        out[: len(a.groups)] += x
        np.add.at(out, at, y)
    n_docs[: len(a.groups)] += a.n_docs
    np.add.at(n_docs, at, b.n_docs)
    return TablePartial(groups, mentions, documents, n_docs)


def _frequency_finish(
    p: TablePartial, matcher: Matcher, by: str = "entity", groups: Any = None
) -> pd.DataFrame:
    names = _names(matcher, by)
    frames = []
    for g, group in enumerate(p.groups):
        frame = pd.DataFrame(
            {"feature": names, "frequency": p.mentions[g], "docfreq": p.documents[g]}
        )
        frame = frame[frame["frequency"] > 0]
        frame = frame.sort_values("frequency", ascending=False, kind="stable")
        frame.insert(2, "rank", frame["frequency"].rank(method="min", ascending=False))
        frame["rank"] = frame["rank"].astype(np.int64)
        frame["share"] = frame["docfreq"] / max(int(p.n_docs[g]), 1)
        if groups is not None:
            frame["group"] = group
        frames.append(frame)
    columns = ["feature", "frequency", "rank", "docfreq", "share"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return out.reset_index(drop=True)


def _compare_finish(
    p: TablePartial, matcher: Matcher, groups: Any = None, by: str = "entity"
) -> pd.DataFrame:
    return _analysis.keyness_frame(p.mentions, _names(matcher, by), p.groups)


# cooccurrence ------------------------------------------------------------------------------


@dataclass
class PairsPartial:
    a: np.ndarray
    b: np.ndarray
    n: np.ndarray
    present: np.ndarray  # keys with at least one mention


def _pairs_partial(
    result: ScanResult, window: str | int = "document", by: str = "entity", **_: Any
) -> PairsPartial:
    code, _names_ = _analysis.keys(_scan(result), by)
    a_b, b_b, n_b = result._native.cooccurrence(code.astype("<u4").tobytes(), window)
    return PairsPartial(
        np.frombuffer(a_b, "<u4").astype(np.int64),
        np.frombuffer(b_b, "<u4").astype(np.int64),
        np.frombuffer(n_b, "<u8").astype(np.int64),
        np.unique(code).astype(np.int64),
    )


def _pairs_merge(x: PairsPartial, y: PairsPartial) -> PairsPartial:
    a = np.concatenate([x.a, y.a])
    b = np.concatenate([x.b, y.b])
    n = np.concatenate([x.n, y.n])
    # Pairs sorted by (a, b) as the core sorts them; equal pairs summed.
    pair = a * (2**32) + b
    unique, inverse = np.unique(pair, return_inverse=True)
    total = np.zeros(len(unique), dtype=np.int64)
    np.add.at(total, inverse, n)
    present = np.union1d(x.present, y.present)
    return PairsPartial(unique // (2**32), unique % (2**32), total, present)


def _pairs_finish(
    p: PairsPartial,
    matcher: Matcher,
    window: str | int = "document",
    as_: str = "frame",
    by: str = "entity",
) -> pd.DataFrame:
    names = _names(matcher, by)
    label = np.array(names, dtype=object)
    if as_ == "edges":
        return pd.DataFrame({"source": label[p.a], "target": label[p.b], "weight": p.n})
    present = p.present.tolist()
    position = np.zeros(max(len(names), 1), dtype=np.intp)
    position[p.present] = np.arange(len(present))
    square = np.zeros((len(present), len(present)), dtype=np.int64)
    square[position[p.a], position[p.b]] = p.n
    square[position[p.b], position[p.a]] = p.n
    index = pd.Index([names[k] for k in present])
    return pd.DataFrame(square, index=index, columns=index)


# analyses whose rows are their partial -------------------------------------------------------


def _rows_finish(frame: pd.DataFrame, matcher: Matcher, **_: Any) -> pd.DataFrame:
    return frame.reset_index(drop=True)


def _disagreement_rows(result: ScanResult, groups: Any = None, **_: Any) -> pd.DataFrame:
    return _insights.disagreement_candidates(result.figures(groups))


def _disagreements_finish(
    found: pd.DataFrame,
    matcher: Matcher,
    groups: Any = None,
    max_ratio: float = 1.5,
    hedges: bool = True,
) -> pd.DataFrame:
    return _insights.disagreements_of_figures(found.reset_index(drop=True), max_ratio, hedges)


# audit -------------------------------------------------------------------------------------


_ONE_GROUP = "\x00the whole corpus"


@dataclass
class AuditPartial:
    used: pd.DataFrame  # group, entity, alias, count
    never: dict[Any, pd.DataFrame] = field(default_factory=dict)  # per group: entity, label
    near: pd.DataFrame = field(default_factory=pd.DataFrame)


def _audit_partial(
    result: ScanResult, groups: Any = None, min_chars: int = 5, max_edits: int = 1
) -> AuditPartial:
    # Always grouped here (without groups, the whole corpus is one), so rows say their group.
    per_doc = [_ONE_GROUP] * result.n_docs if groups is None else groups
    found = result.audit(per_doc, min_chars, max_edits)
    _codes, group_names = _analysis.group_codes(_scan(result), per_doc)
    never_rows = found.never_matched
    of_row = pd.Series(never_rows["group"].tolist(), dtype=object)
    never = {}
    for g in group_names:
        in_group = of_row.isna() if _missing(g) else of_row.eq(g)
        never[g] = never_rows[in_group.to_numpy()].drop(columns="group")
    return AuditPartial(found.aliases_used, never, found.near_misses)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def _audit_merge(a: AuditPartial, b: AuditPartial) -> AuditPartial:
    used = _concat_frames(a.used, b.used)
    if not used.empty:
        used = (
            used.groupby(["group", "entity", "alias"], dropna=False, sort=True)["count"]
            .sum()
            .reset_index()
        )
    never = dict(a.never)
    for g, rows in b.never.items():
        # An entity never matched in the whole group is never matched in each piece.
        never[g] = never[g][never[g]["entity"].isin(rows["entity"])] if g in never else rows
    return AuditPartial(used, never, _concat_frames(a.near, b.near))


def _audit_finish(
    p: AuditPartial,
    matcher: Matcher,
    groups: Any = None,
    min_chars: int = 5,
    max_edits: int = 1,
) -> Any:
    never_rows = [rows.assign(group=g) for g, rows in p.never.items() if not rows.empty]
    never = (
        pd.concat(never_rows, ignore_index=True)[["group", "entity", "label"]]
        if never_rows
        else pd.DataFrame(columns=["group", "entity", "label"])
    )
    frames = [p.used.reset_index(drop=True), never, p.near.reset_index(drop=True)]
    if groups is None:
        frames = [f.drop(columns="group") for f in frames]
        frames[1] = frames[1].drop_duplicates().reset_index(drop=True)
    return _insights.Audit(*frames)


ANALYSES: dict[str, Analysis] = {
    "counts": Analysis(_counts_partial, _counts_merge, _counts_finish),
    "frequency": Analysis(_table_partial, _table_merge, _frequency_finish),
    "compare": Analysis(_table_partial, _table_merge, _compare_finish),
    "cooccurrence": Analysis(_pairs_partial, _pairs_merge, _pairs_finish),
    "kwic": Analysis(lambda result, **kw: result.kwic(**kw), _concat_frames, _rows_finish),
    "figures": Analysis(lambda result, **kw: result.figures(**kw), _concat_frames, _rows_finish),
    "descriptions": Analysis(
        lambda result, **kw: result.descriptions(**kw), _concat_frames, _rows_finish
    ),
    "disagreements": Analysis(_disagreement_rows, _concat_frames, _disagreements_finish),
    "audit": Analysis(_audit_partial, _audit_merge, _audit_finish),
}


def check(name: str, matcher: Matcher, kwargs: dict[str, Any]) -> None:
    """Raise what `ScanResult.<name>(**kwargs)` raises for bad arguments, before any work is
    sent out: the analysis runs once on an empty scan."""
    if name not in ANALYSES:
        raise ValueError(f"no analysis {name!r}; the analyses are {sorted(ANALYSES)}")
    empty = matcher.scan([])
    if name == "compare":
        empty.counts(by=kwargs.get("by", "entity"))
        return
    if GROUPED.get(name) is not None and "groups" in kwargs:
        kwargs = {**kwargs, "groups": None} if not GROUPED[name] else {**kwargs, "groups": []}
    getattr(empty, name)(**kwargs)


def partial(result: ScanResult, name: str, kwargs: dict[str, Any]) -> Any:
    """The partial of analysis `name` for one piece of the corpus (its documents keyed; a
    `groups` argument holds one value per document of the piece)."""
    return ANALYSES[name].partial(result, **kwargs)


def merge(name: str, a: Any, b: Any) -> Any:
    """Two consecutive pieces' partials as one (a's documents first)."""
    return ANALYSES[name].merge(a, b)


def merge_all(name: str, partials: list[Any]) -> Any:
    """The partials of consecutive pieces merged in order."""
    merged = partials[0]
    for p in partials[1:]:
        merged = merge(name, merged, p)
    return merged


def finish(name: str, merged: Any, matcher: Matcher, kwargs: dict[str, Any]) -> Any:
    """The analysis of the whole corpus from its merged partial."""
    return ANALYSES[name].finish(merged, matcher, **kwargs)
