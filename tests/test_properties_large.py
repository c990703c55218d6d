"""Reference-checked cases that reach the fast paths the short property tests cannot.

`test_properties.py` draws texts under 100 characters and lexicons of a few aliases, so the
paths taken only by long documents and big lexicons are compared with the reference there
only indirectly. Here they are compared directly:

- documents of 2 MiB and more, which the scan cuts into pieces matched in parallel
  (`PIECE_BYTES` in `src/scan.rs`), and texts long enough for the lockstep streams of one
  search (`MIN_STREAM_BYTES` in `src/matcher/lockstep.rs`);
- lexicons past the word-start table threshold (`table::word_starts_pay`: some 600 aliases)
  and past the DFA limit (`DFA_MAX_PATTERN_BYTES` in `src/matcher/mod.rs`: 300,000 folded
  bytes), where whole words walk from word starts on an NFA.

The reference is slow (pure Python), so the default run draws one or two examples per case;
`pytest --slow` draws many more.
"""

from __future__ import annotations

import functools
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import reference_find
from test_piecewise import read_in_pieces
from test_properties import (
    build_matcher,
    entries_from_spec,
    lexicon_specs,
    match_rows,
    needs_lexiscan,
    texts_for,
)

SLOW = os.environ.get("LEXISCAN_HYPOTHESIS_PROFILE") == "slow"
PIECE_BYTES = 1 << 20  # src/scan.rs: documents of twice this are cut into pieces
DFA_MAX_PATTERN_BYTES = 300_000  # src/matcher/mod.rs
FAST = dict(case="insensitive", accents="fold")
OPTIONS = [
    dict(FAST, whole_words=True, overlapping=False),  # word-start table / walks
    dict(FAST, whole_words=False, overlapping=False),  # unanchored in lockstep
    dict(case="sensitive", accents="keep", whole_words=True, overlapping=False),
    dict(FAST, whole_words=True, overlapping=True),
]


def _few(default: int, slow: int) -> settings:
    return settings(max_examples=slow if SLOW else default, deadline=None)


def _id(o: dict) -> str:
    return "-".join(
        [o["case"][:4], o["accents"], "words" if o["whole_words"] else "nowords"]
        + (["overlap"] if o["overlapping"] else [])
    )


def first_difference(got: list, want: list, text: str) -> str:
    """Where lexiscan and the reference part ways, with the text around it."""
    at = next((i for i, (g, w) in enumerate(zip(got, want)) if g != w), min(len(got), len(want)))
    row = (got[at:] or want[at:])[0]
    return (
        f"{len(got)} rows from lexiscan, {len(want)} from the reference; row {at}: "
        f"lexiscan {got[at : at + 2]!r}, reference {want[at : at + 2]!r}, "
        f"text around it {text[max(row[0] - 40, 0) : row[1] + 40]!r}"
    )


@st.composite
def long_documents(draw, min_bytes: int):
    """A lexicon and one document of at least `min_bytes` UTF-8 bytes: drawn texts for the
    lexicon, repeated in a drawn order with drawn separators, so matches fall across every
    place the document may be cut."""
    spec = draw(lexicon_specs())
    texts = draw(st.lists(texts_for(spec), min_size=1, max_size=12))
    joins = draw(st.lists(st.sampled_from([" ", "\n", ". ", "", "–", "\u00ad"]), min_size=1))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    parts, size = [], 0
    while size < min_bytes:
        piece = rng.choice(texts) + rng.choice(joins)
        if not piece:
            piece = "filler "
        parts.append(piece)
        size += len(piece.encode("utf-8"))
    return spec, "".join(parts)


@needs_lexiscan
@pytest.mark.parametrize("opts", OPTIONS[: 4 if SLOW else 2], ids=_id)
@_few(1, 12)
@given(case=long_documents(2 * PIECE_BYTES + 1))
def test_documents_cut_into_pieces_equal_the_reference(opts, case) -> None:
    spec, text = case
    matcher = build_matcher(spec, opts)
    want = reference_find(entries_from_spec(spec), text, **opts)
    got = match_rows(matcher.find(text))
    assert got == want, first_difference(got, want, text)
    # the scan cuts a document this long into pieces matched in parallel
    frame = matcher.scan(["Kyiv", text], n_threads=4).to_pandas()
    in_long = frame[frame["doc"] == 1]
    assert list(zip(in_long["start"], in_long["end"])) == [(s, e) for s, e, *_ in want]
    if not text.isascii():  # and reads it in UTF-8 pieces when it is a large str
        with read_in_pieces(read_chars=10_007):
            read = matcher.scan(["Kyiv", text], n_threads=4).to_pandas()
        assert read.equals(frame)


@needs_lexiscan
@pytest.mark.parametrize("opts", OPTIONS, ids=_id)
@_few(3, 60)
@given(case=long_documents(4_000))
def test_texts_long_enough_for_lockstep_streams_equal_the_reference(opts, case) -> None:
    spec, text = case
    matcher = build_matcher(spec, opts)
    want = reference_find(entries_from_spec(spec), text, **opts)
    got = match_rows(matcher.find(text))
    assert got == want, first_difference(got, want, text)
    docs = [text[: len(text) // 3], text, text[len(text) // 2 :]]
    frame = matcher.scan(docs).to_pandas()
    for i, doc in enumerate(docs):
        rows = frame[frame["doc"] == i]
        expected = reference_find(entries_from_spec(spec), doc, **opts)
        assert list(zip(rows["start"], rows["end"])) == [(s, e) for s, e, *_ in expected]


@functools.cache
def generated_aliases(n: int) -> tuple[str, ...]:
    """`n` distinct made-up names of one or two words (some accented), the same every run."""
    rng = random.Random(n)
    letters = "abcdefghijklmnopqrstuvwxyzéü"
    names: set[str] = set()
    while len(names) < n:
        words = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))]
        if rng.random() < 0.3:
            words.append("".join(rng.choice(letters) for _ in range(rng.randint(2, 7))))
        names.add(" ".join(words).capitalize())
    return tuple(sorted(names))


# Past the word-start table threshold but a DFA; past the DFA limit (walks from word starts).
SIZES = {"word-start-table": 1_500, "past-dfa-limit": 42_000}


def test_the_big_lexicon_is_past_the_dfa_limit() -> None:
    folded = sum(len(a.lower().encode()) for a in generated_aliases(SIZES["past-dfa-limit"]))
    assert folded > DFA_MAX_PATTERN_BYTES


@st.composite
def big_lexicon_cases(draw, n: int):
    spec = draw(lexicon_specs())
    names = generated_aliases(n)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    texts = draw(st.lists(texts_for(spec), min_size=1, max_size=8))
    words = []
    for _ in range(1_500):
        roll = rng.random()
        if roll < 0.2:
            words.append(rng.choice(names))
        elif roll < 0.3:
            words.append(rng.choice(texts))
        elif roll < 0.35:  # a name glued to letters: whole words must reject it
            words.append("x" + rng.choice(names).lower())
        else:
            words.append(rng.choice(["the", "of", "Kyiv", "über", "a", "NATO's", "1999", "—"]))
    generated = [(name, "GEN", [], False) for name in names]
    return spec + generated, " ".join(words)


@needs_lexiscan
@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("opts", OPTIONS if SLOW else OPTIONS[:2], ids=_id)
@_few(1, 10)
@given(data=st.data())
def test_big_lexicons_equal_the_reference(size, opts, data) -> None:
    spec, text = data.draw(big_lexicon_cases(SIZES[size]))
    matcher = build_matcher(spec, opts)
    want = reference_find(entries_from_spec(spec), text, **opts)
    got = match_rows(matcher.find(text))
    assert got == want, first_difference(got, want, text)
