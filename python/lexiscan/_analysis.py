"""Corpus analyses of a ScanResult, computed in Rust and shaped into pandas here.

Every function takes the ScanResult; its public methods (`counts`, `frequency`,
`cooccurrence`, `kwic`, `compare`, `highlight`) are the documented face.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from lexiscan import _lexiscan
from lexiscan._optional import require

if TYPE_CHECKING:
    from lexiscan._result import ScanResult

# Label colours for highlight(), in the spirit of displaCy's palette.
PALETTE = ["#7aecec", "#bfeeb7", "#feca74", "#ff9561", "#aa9cfc", "#c887fb", "#9cc9cc", "#ffeb80"]


class SparseCounts(NamedTuple):
    """`counts(sparse=True)`: a scipy CSR matrix with its row (doc) and column keys."""

    matrix: Any
    docs: pd.Index
    columns: pd.Index


def keys(result: ScanResult, by: str) -> tuple[np.ndarray, list[str]]:
    """Per-match key codes and key names: entities (lexicon order) or labels (sorted)."""
    entity = np.frombuffer(result._native.column("entity"), dtype="<u4")
    if by == "entity":
        names = [name for name, _ in result._entities]
        counts = pd.Series(names).value_counts()
        clash = set(counts[counts > 1].index)
        names = [f"{name} ({label})" if name in clash else name for name, label in result._entities]
        return entity, names
    if by == "label":
        labels = sorted({str(label) for _, label in result._entities})
        code = {label: i for i, label in enumerate(labels)}
        of_entity = np.array([code[str(label)] for _, label in result._entities] or [0], "<u4")
        return of_entity.take(entity.astype(np.intp)), labels
    raise ValueError(f"by={by!r}: use 'entity' or 'label'")


def doc_index(result: ScanResult) -> pd.Index:
    if result._keys is not None:
        return pd.Index(result._keys)
    return pd.RangeIndex(result.n_docs)


def counts(result: ScanResult, by: str, presence: bool, sparse: bool) -> Any:
    code, names = keys(result, by)
    doc_b, key_b, n_b = result._native.counts(code.astype("<u4").tobytes())
    rows = np.frombuffer(doc_b, "<u8").astype(np.intp)
    cols = np.frombuffer(key_b, "<u4").astype(np.intp)
    values = np.frombuffer(n_b, "<u4").astype(np.int64)
    if presence:
        values = np.ones_like(values)
    shape = (result.n_docs, len(names))
    if sparse:
        sp = require("scipy.sparse", "counts(sparse=True)", "sparse")
        matrix = sp.csr_matrix((values, (rows, cols)), shape=shape)
        return SparseCounts(matrix, doc_index(result), pd.Index(names))
    dense = np.zeros(shape, dtype=np.int64)
    dense[rows, cols] = values
    return pd.DataFrame(dense, index=doc_index(result), columns=pd.Index(names))


def group_codes(result: ScanResult, groups: Any) -> tuple[np.ndarray, list[Any]]:
    """One group code per scanned document; a Series is aligned on the doc keys."""
    if isinstance(groups, pd.Series) and result._keys is not None:
        groups = groups.reindex(result._keys)
    values = list(groups)
    if len(values) != result.n_docs:
        raise ValueError(f"groups has {len(values)} values for {result.n_docs} documents")
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return codes.astype("<u4"), list(uniques)


def frequency(result: ScanResult, by: str, groups: Any | None) -> pd.DataFrame:
    code, names = keys(result, by)
    if groups is None:
        doc_group, group_names = None, [None]
    else:
        doc_group, group_names = group_codes(result, groups)
    n_docs_per_group = (
        np.bincount(doc_group, minlength=len(group_names))
        if doc_group is not None
        else np.array([result.n_docs])
    )
    mentions_b, docs_b = result._native.frequency(
        code.astype("<u4").tobytes(),
        len(names),
        None if doc_group is None else doc_group.tobytes(),
        len(group_names),
    )
    mentions = np.frombuffer(mentions_b, "<u8").reshape(len(group_names), len(names))
    documents = np.frombuffer(docs_b, "<u8").reshape(len(group_names), len(names))
    frames = []
    for g, group in enumerate(group_names):
        frame = pd.DataFrame(
            {
                "feature": names,
                "frequency": mentions[g].astype(np.int64),
                "docfreq": documents[g].astype(np.int64),
            }
        )
        frame = frame[frame["frequency"] > 0]
        frame = frame.sort_values("frequency", ascending=False, kind="stable")
        frame.insert(2, "rank", frame["frequency"].rank(method="min", ascending=False))
        frame["rank"] = frame["rank"].astype(np.int64)
        frame["share"] = frame["docfreq"] / max(int(n_docs_per_group[g]), 1)
        if groups is not None:
            frame["group"] = group
        frames.append(frame)
    columns = ["feature", "frequency", "rank", "docfreq", "share"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return out.reset_index(drop=True)


def cooccurrence(result: ScanResult, window: str | int, as_: str, by: str) -> pd.DataFrame:
    if isinstance(window, bool) or not isinstance(window, (str, int)):
        raise TypeError(f"window must be 'document', 'sentence' or an int, not {window!r}")
    if isinstance(window, int) and window < 0:
        raise ValueError(f"window={window}: a number of words must be >= 0")
    code, names = keys(result, by)
    a_b, b_b, n_b = result._native.cooccurrence(code.astype("<u4").tobytes(), window)
    a = np.frombuffer(a_b, "<u4").astype(np.intp)
    b = np.frombuffer(b_b, "<u4").astype(np.intp)
    n = np.frombuffer(n_b, "<u8").astype(np.int64)
    label = np.array(names, dtype=object)
    if as_ == "edges":
        return pd.DataFrame({"source": label[a], "target": label[b], "weight": n})
    if as_ != "frame":
        raise ValueError(f"as_={as_!r}: use 'frame' or 'edges'")
    present = sorted(set(np.unique(code).tolist()))
    position = {k: i for i, k in enumerate(present)}
    square = np.zeros((len(present), len(present)), dtype=np.int64)
    for x, y, w in zip(a.tolist(), b.tolist(), n.tolist()):
        square[position[x], position[y]] = square[position[y], position[x]] = w
    index = pd.Index([names[k] for k in present])
    return pd.DataFrame(square, index=index, columns=index)


def kwic(result: ScanResult, pattern: str, window: int, unit: str) -> pd.DataFrame:
    if unit not in ("words", "chars"):
        raise ValueError(f"unit={unit!r}: use 'words' or 'chars'")
    entity = np.frombuffer(result._native.column("entity"), "<u4")
    alias = np.frombuffer(result._native.column("alias"), "<u4")
    entity_hit = np.array([name == pattern for name, _ in result._entities] or [False])
    alias_hit = np.array([text == pattern for text in result._alias_texts] or [False])
    rows = np.flatnonzero(entity_hit[entity] | alias_hit[alias])
    pre, post = result._native.kwic(rows.tolist(), window, unit == "chars")
    matches = result.to_pandas().iloc[rows]
    return pd.DataFrame(
        {
            "docname": matches["doc"].to_numpy(),
            "from": matches["start"].to_numpy(),
            "to": matches["end"].to_numpy(),
            "pre": pre,
            "keyword": matches["text"].to_numpy(),
            "post": post,
            "pattern": matches["alias"].to_numpy(),
            "entity": matches["entity"].to_numpy(),
        }
    )


def p_value_chi2_1df(statistic: float) -> float:
    """Upper tail of the chi-squared distribution with one degree of freedom."""
    return math.erfc(math.sqrt(abs(statistic) / 2))


def compare(result: ScanResult, groups: Any, by: str) -> pd.DataFrame:
    code, names = keys(result, by)
    doc_group, group_names = group_codes(result, groups)
    mentions_b, _ = result._native.frequency(
        code.astype("<u4").tobytes(), len(names), doc_group.tobytes(), len(group_names)
    )
    table = np.frombuffer(mentions_b, "<u8").reshape(len(group_names), len(names))
    table = table.astype(np.int64)
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
                    "feature": np.array(names, dtype=object)[used],
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


class Highlighted:
    """A document as HTML with its matches marked; renders itself in notebooks."""

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<Highlighted document: {len(self.html):,} characters of HTML>"


def highlight(result: ScanResult, doc: Any, colours: dict[str, str] | None) -> Highlighted:
    keys_ = doc_index(result)
    try:
        position = keys_.get_loc(doc)
    except KeyError:
        raise KeyError(f"no document {doc!r} in this scan") from None
    if not isinstance(position, (int, np.integer)):
        raise KeyError(f"document key {doc!r} is not unique")
    in_doc = np.frombuffer(result._native.column("doc"), "<u8") == position
    starts = np.frombuffer(result._native.column("start"), "<u8")[in_doc]
    ends = np.frombuffer(result._native.column("end"), "<u8")[in_doc]
    entities = np.frombuffer(result._native.column("entity"), "<u4")[in_doc]
    labels = sorted({str(label) for _, label in result._entities})
    palette = {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}
    palette.update(colours or {})
    spans: list[tuple[int, int, str, str]] = []
    last_end = -1
    for start, end, entity in zip(starts.tolist(), ends.tolist(), entities.tolist()):
        if start < last_end:  # overlapping or repeated (ambiguous) spans: the first is drawn
            continue
        label = result._entities[entity][1]
        name = "" if label is None else str(label)
        spans.append((int(start), int(end), name, palette.get(name, PALETTE[0])))
        last_end = int(end)
    return Highlighted(result._native.highlight(int(position), spans))
