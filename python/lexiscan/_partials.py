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

The heavy work of each partial is the Rust analysis the single-process method calls. The
tables of counts, frequency/compare and co-occurrence, and the frames shaped from them, are
`_analysis`'s (`count_triplets`/`counts_frame`, `frequency_table`/`frequency_frame`,
`cooccurrence_pairs`/`cooccurrence_frame`): one process and the merged partials shape their
answers in the same place; this module only merges the tables.
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
    cells: _analysis.CountTriplets  # rows are positions in `keys`


def _counts_partial(result: ScanResult, by: str = "entity", **_: Any) -> CountsPartial:
    scan = _scan(result)
    return CountsPartial(_analysis.doc_index(scan), _analysis.count_triplets(scan, by))


def _counts_merge(a: CountsPartial, b: CountsPartial) -> CountsPartial:
    shifted = b.cells._replace(rows=b.cells.rows + len(a.keys))  # b's documents come after a's
    cells = _analysis.CountTriplets(*map(np.concatenate, zip(a.cells, shifted)))
    return CountsPartial(a.keys.append(b.keys), cells)


def _counts_finish(
    p: CountsPartial,
    matcher: Matcher,
    by: str = "entity",
    presence: bool = False,
    sparse: bool = False,
) -> Any:
    return _analysis.counts_frame(p.cells, p.keys, _names(matcher, by), presence, sparse)


# frequency and compare: tables per (group, key) ----------------------------------------------


def _table_partial(
    result: ScanResult, by: str = "entity", groups: Any = None, **_: Any
) -> _analysis.FrequencyTable:
    return _analysis.frequency_table(_scan(result), by, groups)


def _table_merge(
    a: _analysis.FrequencyTable, b: _analysis.FrequencyTable
) -> _analysis.FrequencyTable:
    position = {g: i for i, g in enumerate(a.groups)}
    groups = list(a.groups) + [g for g in b.groups if g not in position]
    position = {g: i for i, g in enumerate(groups)}
    at = np.array([position[g] for g in b.groups], dtype=np.intp)

    def added(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        out = np.zeros((len(groups), *x.shape[1:]), dtype=np.int64)
        out[: len(a.groups)] += x
        np.add.at(out, at, y)
        return out

    return _analysis.FrequencyTable(
        groups,
        added(a.mentions, b.mentions),
        added(a.documents, b.documents),
        added(a.n_docs, b.n_docs),
    )


def _frequency_finish(
    p: _analysis.FrequencyTable, matcher: Matcher, by: str = "entity", groups: Any = None
) -> pd.DataFrame:
    return _analysis.frequency_frame(p, _names(matcher, by), groups is not None)


def _compare_finish(
    p: _analysis.FrequencyTable, matcher: Matcher, groups: Any = None, by: str = "entity"
) -> pd.DataFrame:
    return _analysis.keyness_frame(p.mentions, _names(matcher, by), p.groups)


# cooccurrence ------------------------------------------------------------------------------


def _pairs_partial(
    result: ScanResult, window: str | int = "document", by: str = "entity", **_: Any
) -> _analysis.PairCounts:
    return _analysis.cooccurrence_pairs(_scan(result), window, by)


def _pairs_merge(x: _analysis.PairCounts, y: _analysis.PairCounts) -> _analysis.PairCounts:
    a = np.concatenate([x.a, y.a])
    b = np.concatenate([x.b, y.b])
    # Pairs sorted by (a, b) as the core sorts them; equal pairs summed.
    pair = a * (2**32) + b
    unique, inverse = np.unique(pair, return_inverse=True)
    total = np.zeros(len(unique), dtype=np.int64)
    np.add.at(total, inverse, np.concatenate([x.n, y.n]))
    present = np.union1d(x.present, y.present)
    return _analysis.PairCounts(unique // (2**32), unique % (2**32), total, present)


def _pairs_finish(
    p: _analysis.PairCounts,
    matcher: Matcher,
    window: str | int = "document",
    as_: str = "frame",
    by: str = "entity",
) -> pd.DataFrame:
    return _analysis.cooccurrence_frame(p, _names(matcher, by), as_)


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


def requests(analyses: tuple[Any, ...]) -> list[tuple[str, dict[str, Any]]]:
    """The (name, keyword arguments) of each analysis asked of an engine's `compute`: a name,
    or a (name, dict of arguments) pair.

    >>> requests(("counts", ("cooccurrence", {"window": "sentence"})))
    [('counts', {}), ('cooccurrence', {'window': 'sentence'})]
    """
    if not analyses:
        raise ValueError("compute needs at least one analysis, e.g. compute('counts')")
    found: list[tuple[str, dict[str, Any]]] = []
    for analysis in analyses:
        if isinstance(analysis, str):
            found.append((analysis, {}))
        elif (
            isinstance(analysis, tuple)
            and len(analysis) == 2
            and isinstance(analysis[0], str)
            and isinstance(analysis[1], dict)
        ):
            found.append((analysis[0], dict(analysis[1])))
        else:
            raise TypeError(
                "each analysis is a name or a (name, dict of arguments) pair, e.g. "
                f"('cooccurrence', {{'window': 'sentence'}}), not {analysis!r}"
            )
    return found


def partial(result: ScanResult, name: str, kwargs: dict[str, Any]) -> Any:
    """The partial of analysis `name` for one piece of the corpus (its documents keyed; a
    `groups` argument holds one value per document of the piece)."""
    return ANALYSES[name].partial(result, **kwargs)


def merge(name: str, a: Any, b: Any) -> Any:
    """Two consecutive pieces' partials as one (a's documents first)."""
    return ANALYSES[name].merge(a, b)


def partials_of(
    result: ScanResult, requests: list[tuple[str, dict[str, Any]]], groups: list[Any]
) -> list[Any]:
    """The partial of every request (name, arguments but `groups`) for one piece;
    `groups` holds, per request, one group value per document of the piece, or None."""
    found = []
    for (name, kwargs), of_documents in zip(requests, groups):
        if of_documents is not None:
            kwargs = {**kwargs, "groups": of_documents}
        found.append(partial(result, name, kwargs))
    return found


def merge_each(names: list[str], a: list[Any], b: list[Any]) -> list[Any]:
    """Two consecutive pieces' lists of partials (one per analysis in `names`) merged."""
    return [merge(name, x, y) for name, x, y in zip(names, a, b)]


def merge_all(name: str, partials: list[Any]) -> Any:
    """The partials of consecutive pieces merged in order."""
    merged = partials[0]
    for p in partials[1:]:
        merged = merge(name, merged, p)
    return merged


def finish(name: str, merged: Any, matcher: Matcher, kwargs: dict[str, Any]) -> Any:
    """The analysis of the whole corpus from its merged partial."""
    return ANALYSES[name].finish(merged, matcher, **kwargs)
