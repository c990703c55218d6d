"""The compact result (a start and a form code per match, documents as runs): every way a
result is rebuilt — scanned on one or two threads, pickled, joined from the scans of single
documents, resolved — gives the reference's rows, each matched text as the document has it."""

from __future__ import annotations

import os
import pickle
import sys
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lexiscan

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import reference_find  # noqa: E402

# Aliases that fold into each other ("kyiv"/"KYIV"/"Kýiv"), share words and are not ASCII, so
# one alias has several forms and one surface several aliases.
ALIASES = [
    ("Kyiv", "GPE", ["Kiev", "Київ"]),
    ("NATO", "ORG", ["N.A.T.O."]),
    ("Émile Zola", "PERSON", ["Zola", "Émile"]),
]
WRITTEN = [
    "Kyiv", "KYIV", "kyiv", "Kiev", "KIEV", "Київ", "КИЇВ", "NATO", "Nato", "N.A.T.O.",
    "Émile Zola", "EMILE ZOLA", "émile", "Zola", "zola",
]  # fmt: skip
FILLER = [" ", ", ", " and ", "\n\n", " — ", "’s ", "x", "😀 ", "Kyivan ", "."]


def matcher() -> lexiscan.Matcher:
    lex = lexiscan.Lexicon()
    for name, label, aliases in ALIASES:
        lex.add(name, aliases, label=label)
    return lexiscan.Matcher(lex)


MATCHER = matcher()
ENTRIES = [
    (name, label, alias, False) for name, label, aliases in ALIASES for alias in [name, *aliases]
]
COLUMNS = ["doc", "entity", "label", "alias", "start", "end", "text"]

documents = st.lists(st.sampled_from(WRITTEN + FILLER), max_size=40).map("".join)
corpora = st.lists(st.one_of(documents, st.none()), max_size=6)


def rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in frame[COLUMNS].itertuples(index=False, name=None)]


def reference_rows(docs: list[str | None]) -> list[tuple[Any, ...]]:
    return [
        (i, entity, label, alias, start, end, doc[start:end])
        for i, doc in enumerate(docs)
        if doc is not None
        for start, end, entity, label, alias in reference_find(ENTRIES, doc)
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=corpora)
def test_every_rebuilt_result_has_the_reference_rows(docs: list[str | None]) -> None:
    want = reference_rows(docs)
    result = MATCHER.scan(docs, n_threads=2)
    assert rows(result.to_pandas()) == want
    assert rows(MATCHER.scan(docs, n_threads=1).to_pandas()) == want
    assert rows(pickle.loads(pickle.dumps(result)).to_pandas()) == want
    singles = [MATCHER.scan([doc]) for doc in docs] or [MATCHER.scan([])]
    assert rows(lexiscan.ScanResult.concat(singles).to_pandas()) == want
    # Nothing here is ambiguous: resolve keeps every row, through `select`.
    assert rows(result.resolve().to_pandas()) == want
    # Arrow, the other way out, and the native text column agree with the frame.
    assert rows(result.to_arrow().to_pandas()) == want
    assert list(result._native.surfaces()) == [row[-1] for row in want]


def test_a_long_scan_joined_from_many_chunks_keeps_every_text() -> None:
    """Many documents on two threads (results joined from several workers' chunks, each
    with a table of forms of its own) against the same documents one by one."""
    docs = [
        " ".join(WRITTEN[(i * 7 + k) % len(WRITTEN)] for k in range(i % 50)) + f" #{i}"
        for i in range(3000)
    ]
    whole = MATCHER.scan(docs, n_threads=2).to_pandas()
    one_by_one = pd.concat(
        [MATCHER.scan([doc]).to_pandas().assign(doc=i) for i, doc in enumerate(docs)],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(whole, one_by_one)
    assert len(whole) > 50_000
    texts = [docs[d][s:e] for d, s, e in zip(whole["doc"], whole["start"], whole["end"])]
    assert texts == whole["text"].tolist()
