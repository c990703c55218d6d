"""Corpus analyses of a scan, computed in Rust (`lexiscan._lexiscan`) and shaped into pandas.

Every function takes explicit inputs: a `Scan` (the native columns, the lexicon's entities,
the document keys) and, where rows are needed, the matches frame of `ScanResult.to_pandas`.
`ScanResult`'s methods (`counts`, `frequency`, `cooccurrence`, `kwic`, `compare`,
`highlight`) are the documented face; this module never imports it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from lexiscan import _display, _lexiscan
from lexiscan._optional import require


class Scan(NamedTuple):
    """What the analyses read of a scan: its native result and matcher, the entities of the
    lexicon (name, label) by id, the document keys (None: positions) and the number of
    documents.

    >>> import lexiscan
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
    >>> scan = Scan(m._native.scan(["NATO"]), m._native, m._native.entities(), None, 1)
    >>> doc_index(scan)
    RangeIndex(start=0, stop=1, step=1)
    """

    native: _lexiscan.ScanResult
    matcher: _lexiscan.Matcher
    entities: list[tuple[str, str | None]]
    keys: pd.Index | None
    n_docs: int


class SparseCounts(NamedTuple):
    """`ScanResult.counts(sparse=True)`: a scipy CSR matrix (documents x entities) with its row
    (doc) and column keys.

    >>> import lexiscan
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
    >>> counts = m.scan(["NATO NATO", "none"]).counts(sparse=True)
    >>> counts.matrix.toarray().tolist(), list(counts.columns)
    ([[2], [0]], ['NATO'])
    """

    matrix: Any
    docs: pd.Index
    columns: pd.Index


def keys(scan: Scan, by: str) -> tuple[np.ndarray, list[str]]:
    """Per-match key codes and key names: entities (lexicon order) or labels (sorted)."""
    entity = np.frombuffer(scan.native.column("entity"), dtype="<u4")
    if by == "entity":
        names = [name for name, _ in scan.entities]
        counts = pd.Series(names).value_counts()
        clash = set(counts[counts > 1].index)
        names = [f"{name} ({label})" if name in clash else name for name, label in scan.entities]
        return entity, names
    if by == "label":
        labels = sorted({str(label) for _, label in scan.entities})
        code = {label: i for i, label in enumerate(labels)}
        of_entity = np.array([code[str(label)] for _, label in scan.entities] or [0], "<u4")
        return of_entity.take(entity.astype(np.intp)), labels
    raise ValueError(f"by={by!r}: use 'entity' or 'label'")


def doc_index(scan: Scan) -> pd.Index:
    """The document keys: the scan's keys, or positions."""
    if scan.keys is not None:
        return pd.Index(scan.keys)
    return pd.RangeIndex(scan.n_docs)


class CountTriplets(NamedTuple):
    """The nonzero cells of a documents x keys count table: document positions, key codes and
    counts, as int64 arrays."""

    rows: np.ndarray
    columns: np.ndarray
    values: np.ndarray


def count_triplets(scan: Scan, by: str) -> CountTriplets:
    """Mentions per (document, key) of a scan, its nonzero cells only (the core counts)."""
    code, _names = keys(scan, by)
    doc_b, key_b, n_b = scan.native.counts(code.astype("<u4").tobytes())
    return CountTriplets(
        np.frombuffer(doc_b, "<u8").astype(np.int64),
        np.frombuffer(key_b, "<u4").astype(np.int64),
        np.frombuffer(n_b, "<u4").astype(np.int64),
    )


def counts_frame(
    cells: CountTriplets, docs: pd.Index, names: list[str], presence: bool, sparse: bool
) -> Any:
    """`ScanResult.counts`' answer from its nonzero cells: a dense frame (documents x keys) or
    a `SparseCounts`."""
    values = np.ones_like(cells.values) if presence else cells.values
    shape = (len(docs), len(names))
    if sparse:
        sp = require("scipy.sparse", "counts(sparse=True)", "sparse")
        matrix = sp.csr_matrix((values, (cells.rows, cells.columns)), shape=shape)
        return SparseCounts(matrix, docs, pd.Index(names))
    dense = np.zeros(shape, dtype=np.int64)
    dense[cells.rows, cells.columns] = values
    return pd.DataFrame(dense, index=docs, columns=pd.Index(names))


def counts(scan: Scan, by: str, presence: bool, sparse: bool) -> Any:
    names = keys(scan, by)[1]
    return counts_frame(count_triplets(scan, by), doc_index(scan), names, presence, sparse)


def group_codes(scan: Scan, groups: Any) -> tuple[np.ndarray, list[Any]]:
    """One group code per scanned document; a Series is aligned on the doc keys."""
    if isinstance(groups, pd.Series) and scan.keys is not None:
        groups = groups.reindex(scan.keys)
    values = list(groups)
    if len(values) != scan.n_docs:
        raise ValueError(f"groups has {len(values)} values for {scan.n_docs} documents")
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return codes.astype("<u4"), list(uniques)


def group_of_docs(scan: Scan, groups: Any) -> np.ndarray:
    """The group of each scanned document, as an object array (see `group_codes`)."""
    codes, names = group_codes(scan, groups)
    return objects(names).take(codes.astype(np.intp))


def objects(values: list[Any]) -> np.ndarray:
    """`values` as a one-dimensional object array (tuples stay whole).

    >>> objects([("A", 1), None]).shape
    (2,)
    """
    array = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        array[i] = value
    return array


class FrequencyTable(NamedTuple):
    """Mentions and documents per (group, key), with the documents per group; without groups
    the whole corpus is the one group None."""

    groups: list[Any]  # in the order they first appear
    mentions: np.ndarray  # groups x keys, int64
    documents: np.ndarray  # groups x keys, int64
    n_docs: np.ndarray  # per group, int64


def frequency_table(scan: Scan, by: str, groups: Any | None) -> FrequencyTable:
    """The counts behind `frequency` and `compare` (the core sums them)."""
    code, names = keys(scan, by)
    if groups is None:
        doc_group, group_names = None, [None]
        n_docs = np.array([scan.n_docs], dtype=np.int64)
    else:
        doc_group, group_names = group_codes(scan, groups)
        n_docs = np.bincount(doc_group, minlength=len(group_names)).astype(np.int64)
    mentions_b, docs_b = scan.native.frequency(
        code.astype("<u4").tobytes(),
        len(names),
        None if doc_group is None else doc_group.tobytes(),
        len(group_names),
    )
    shape = (len(group_names), len(names))
    return FrequencyTable(
        group_names,
        np.frombuffer(mentions_b, "<u8").reshape(shape).astype(np.int64),
        np.frombuffer(docs_b, "<u8").reshape(shape).astype(np.int64),
        n_docs,
    )


def frequency_frame(table: FrequencyTable, names: list[str], grouped: bool) -> pd.DataFrame:
    """`ScanResult.frequency`'s answer from its table: per group, the keys mentioned, most
    frequent first, with rank, document frequency and share of documents."""
    frames = []
    for g, group in enumerate(table.groups):
        frame = pd.DataFrame(
            {"feature": names, "frequency": table.mentions[g], "docfreq": table.documents[g]}
        )
        frame = frame[frame["frequency"] > 0]
        frame = frame.sort_values("frequency", ascending=False, kind="stable")
        frame.insert(2, "rank", frame["frequency"].rank(method="min", ascending=False))
        frame["rank"] = frame["rank"].astype(np.int64)
        frame["share"] = frame["docfreq"] / max(int(table.n_docs[g]), 1)
        if grouped:
            frame["group"] = group
        frames.append(frame)
    columns = ["feature", "frequency", "rank", "docfreq", "share"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return out.reset_index(drop=True)


def frequency(scan: Scan, by: str, groups: Any | None) -> pd.DataFrame:
    names = keys(scan, by)[1]
    return frequency_frame(frequency_table(scan, by, groups), names, groups is not None)


class PairCounts(NamedTuple):
    """Co-occurrence counts: pairs of key codes (a < b, sorted) with their counts, and the
    keys with at least one mention (sorted)."""

    a: np.ndarray
    b: np.ndarray
    n: np.ndarray
    present: np.ndarray


def cooccurrence_pairs(scan: Scan, window: str | int, by: str) -> PairCounts:
    """The pairs behind `cooccurrence` (the core counts them per window)."""
    if isinstance(window, bool) or not isinstance(window, (str, int)):
        raise TypeError(f"window must be 'document', 'sentence' or an int, not {window!r}")
    if isinstance(window, int) and window < 0:
        raise ValueError(f"window={window}: a number of words must be >= 0")
    code, _names = keys(scan, by)
    a_b, b_b, n_b = scan.native.cooccurrence(code.astype("<u4").tobytes(), window)
    return PairCounts(
        np.frombuffer(a_b, "<u4").astype(np.int64),
        np.frombuffer(b_b, "<u4").astype(np.int64),
        np.frombuffer(n_b, "<u8").astype(np.int64),
        np.unique(code).astype(np.int64),
    )


def cooccurrence_frame(pairs: PairCounts, names: list[str], as_: str) -> pd.DataFrame:
    """`ScanResult.cooccurrence`'s answer from its pairs: an edge list, or a symmetric frame
    over the keys mentioned."""
    label = np.array(names, dtype=object)
    if as_ == "edges":
        return pd.DataFrame({"source": label[pairs.a], "target": label[pairs.b], "weight": pairs.n})
    if as_ != "frame":
        raise ValueError(f"as_={as_!r}: use 'frame' or 'edges'")
    square = np.zeros((len(pairs.present), len(pairs.present)), dtype=np.int64)
    x, y = np.searchsorted(pairs.present, pairs.a), np.searchsorted(pairs.present, pairs.b)
    square[x, y] = pairs.n
    square[y, x] = pairs.n
    index = pd.Index(label[pairs.present].tolist())
    return pd.DataFrame(square, index=index, columns=index)


def cooccurrence(scan: Scan, window: str | int, as_: str, by: str) -> pd.DataFrame:
    names = keys(scan, by)[1]
    return cooccurrence_frame(cooccurrence_pairs(scan, window, by), names, as_)


def kwic(
    scan: Scan,
    alias_texts: list[str],
    matches: Callable[[], pd.DataFrame],
    pattern: str,
    window: int,
    unit: str,
) -> pd.DataFrame:
    """Keyword in context of the matches of entity or alias `pattern`; `matches` gives the
    frame of every match (`ScanResult.to_pandas`)."""
    if unit not in ("words", "chars"):
        raise ValueError(f"unit={unit!r}: use 'words' or 'chars'")
    entity = np.frombuffer(scan.native.column("entity"), "<u4")
    alias = np.frombuffer(scan.native.column("alias"), "<u4")
    entity_hit = np.array([name == pattern for name, _ in scan.entities] or [False])
    alias_hit = np.array([text == pattern for text in alias_texts] or [False])
    rows = np.flatnonzero(entity_hit[entity] | alias_hit[alias])
    pre, post = scan.native.kwic(rows.tolist(), window, unit == "chars")
    found = matches().iloc[rows]
    return pd.DataFrame(
        {
            "docname": found["doc"].to_numpy(),
            "from": found["start"].to_numpy(),
            "to": found["end"].to_numpy(),
            "pre": pre,
            "keyword": found["text"].to_numpy(),
            "post": post,
            "pattern": found["alias"].to_numpy(),
            "entity": found["entity"].to_numpy(),
        }
    )


def p_value_chi2_1df(statistic: float) -> float:
    """Upper tail of the chi-squared distribution with one degree of freedom."""
    return math.erfc(math.sqrt(abs(statistic) / 2))


def compare(scan: Scan, groups: Any, by: str) -> pd.DataFrame:
    names = keys(scan, by)[1]
    table = frequency_table(scan, by, groups)
    return keyness_frame(table.mentions, names, table.groups)


def keyness_frame(table: np.ndarray, names: Any, group_names: Any) -> pd.DataFrame:
    """Each group against the rest, from mentions per (group, feature): chi² and G² (the core)
    with their p-values, strongest first within each group."""
    names = np.array(names, dtype=object)
    totals = table.sum(axis=1)
    frames = []
    for g, group in enumerate(group_names):
        a = table[g]
        b = table.sum(axis=0) - a
        c = totals[g] - a
        d = (totals.sum() - totals[g]) - b
        used = (a + b) > 0
        chi2, g2 = _lexiscan.keyness(
            a[used].tolist(), b[used].tolist(), c[used].tolist(), d[used].tolist()
        )
        frames.append(
            pd.DataFrame(
                {
                    "group": group,
                    "feature": names[used],
                    "n_target": a[used],
                    "n_reference": b[used],
                    "chi2": chi2,
                    "p": [p_value_chi2_1df(x) for x in chi2],
                    "G2": g2,
                    "p_G2": [p_value_chi2_1df(x) for x in g2],
                }
            ).sort_values("chi2", ascending=False, kind="stable")
        )
    return pd.concat(frames, ignore_index=True)


def highlight(scan: Scan, doc: Any, colours: dict[str, str] | None) -> _display.Highlighted:
    """Document `doc` (a key) as HTML with the matches the core says can be drawn marked."""
    keys_ = doc_index(scan)
    try:
        position = keys_.get_loc(doc)
    except KeyError:
        raise KeyError(f"no document {doc!r} in this scan") from None
    if not isinstance(position, (int, np.integer)):
        raise KeyError(f"document key {doc!r} is not unique")
    text = scan.native.document(int(position)) or ""
    rows = np.asarray(scan.native.drawn_rows(int(position)), dtype=np.intp)
    starts = np.frombuffer(scan.native.column("start"), "<u8")[rows]
    ends = np.frombuffer(scan.native.column("end"), "<u8")[rows]
    entities = np.frombuffer(scan.native.column("entity"), "<u4")[rows].astype(np.intp)
    palette = _display.label_colours(sorted({str(label) for _, label in scan.entities}), colours)
    names = ["" if label is None else str(label) for _, label in scan.entities]
    label = objects(names)
    colour = objects([palette.get(name, _display.PALETTE[0]) for name in names])
    spans = list(
        zip(starts.tolist(), ends.tolist(), label[entities].tolist(), colour[entities].tolist())
    )
    return _display.Highlighted(_display.highlight_html(text, spans))
