"""`ScanResult.to_pandas()` against a frame built the plain way from `Matcher.find`'s matches,
on random lexicons and documents: every column's values, dtypes and the index, for the
Arrow-strings path and the object path alike. Enough copies of the documents give results of
more rows than one piece of the Rust column writers (16,384), so their seams are read too."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lexiscan
from lexiscan import _result
from lexiscan._dtypes import TEXT_DTYPE

# Names of one or two words, some non-ASCII or longer than the 32-byte blocks of the writers.
WORDS = ["Kyiv", "NATO", "Émile", "Zola", "Київ", "São", "Paulo", "Ab", "x" * 40, "Ōsaka"]
FILLER = [" ", ", ", " and ", "\n", " — ", "😀 ", "."]
LABELS = [None, "GPE", "ORG", "ÉTAT", ""]

names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(" ".join)
entities = st.lists(
    st.tuples(names, st.lists(names, max_size=2), st.sampled_from(LABELS)),
    min_size=1,
    max_size=5,
)
documents = st.lists(
    st.lists(st.sampled_from(WORDS + FILLER), max_size=12).map("".join), min_size=1, max_size=4
)


def reference_frame(matcher: lexiscan.Matcher, docs: list[str | None]) -> pd.DataFrame:
    """The frame `to_pandas` promises, row by row from `find` on each document."""
    rows = [
        (i, m.entity, m.label, m.alias, m.start, m.end, m.text)
        for i, doc in enumerate(docs)
        if doc is not None
        for m in matcher.find(doc)
    ]
    columns = ["doc", "entity", "label", "alias", "start", "end", "text"]
    frame = pd.DataFrame(rows, columns=columns).astype(
        {"doc": np.int64, "start": np.int64, "end": np.int64}
    )
    return frame.astype(dict.fromkeys(["entity", "label", "alias", "text"], TEXT_DTYPE))


@pytest.mark.parametrize("arrow_strings", [True, False], ids=["arrow", "object"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=entities, texts=documents, copies=st.sampled_from([1, 3, 2_000]))
def test_frame_equals_a_frame_built_from_find(
    arrow_strings: bool, specs: list, texts: list[str], copies: int
) -> None:
    if arrow_strings and not _result._ARROW_STRINGS:
        pytest.skip("Arrow-backed text columns need pandas 3 and pyarrow")
    lexicon = lexiscan.Lexicon()
    for name, aliases, label in specs:
        lexicon.add(name, aliases, label=label)
    matcher = lexiscan.Matcher(lexicon)
    docs: list[str | None] = [*texts, None] * copies
    with mock.patch.object(_result, "_ARROW_STRINGS", arrow_strings):
        frame = matcher.scan(docs).to_pandas()
    pd.testing.assert_frame_equal(frame, reference_frame(matcher, docs), check_exact=True)
    if arrow_strings:  # the text columns are large strings, as pandas keeps them
        for name in ("entity", "label", "alias", "text"):
            assert str(frame[name].array._pa_array.type) == "large_string"
