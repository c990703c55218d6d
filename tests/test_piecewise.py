"""Large Python strings that are not ASCII are read by the scan in UTF-8 pieces.

CPython stores such a string at 2 or 4 bytes a character; the scan converts a piece at a time
(`PiecewiseText` in `src/python/piecewise.rs`) on the scan's threads, each piece running from
just after a byte no match can cross to just after the next such byte past its range
(`stream` in the core's matcher), so no whole UTF-8 copy is ever made. Here every string is
read that way (the threshold lowered to one character and the pieces to a few characters), on
one thread (with a helper reading ahead) and on two, and the matches are checked against the
reference and against the scan of the same text in memory: offsets in characters on non-ASCII
text, and the paragraph and apostrophe rules where a piece ends.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference import reference_find
from test_properties import (
    ALL_OPTIONS,
    SETTINGS,
    _explain,
    _opts_id,
    build_matcher,
    entries_from_spec,
    match_rows,
    needs_lexiscan,
    scenarios,
)

import lexiscan
from lexiscan import _lexiscan


@contextlib.contextmanager
def read_in_pieces(read_chars: int, min_chars: int = 1) -> Iterator[None]:
    """Strings of `min_chars` or more that are not ASCII read `read_chars` at a time."""
    before = _lexiscan._read_large_documents_in_pieces(min_chars, read_chars)
    try:
        yield
    finally:
        _lexiscan._read_large_documents_in_pieces(*before)


def not_ascii(text: str) -> str:
    """`text`, made non-ASCII if it is not already (ASCII strings are read in place)."""
    return text if not text.isascii() else text + " \u2019"


def scan_rows(matcher: lexiscan.Matcher, docs: list, n_threads: int = 1) -> list[tuple]:
    frame = matcher.scan(docs, n_threads=n_threads).to_pandas()
    return list(frame[["doc", "start", "end", "entity", "alias", "text"]].itertuples(index=False))


@needs_lexiscan
@pytest.mark.parametrize("opts", ALL_OPTIONS, ids=_opts_id)
@SETTINGS
@given(scenario=scenarios(), read_chars=st.integers(1, 7), n_threads=st.sampled_from([1, 2]))
def test_pieces_equal_reference(opts, scenario, read_chars, n_threads):
    spec, text = scenario
    text = not_ascii(text)
    matcher = build_matcher(spec, opts)
    with read_in_pieces(read_chars):
        got = match_rows(matcher.find(text))
        in_pieces = scan_rows(matcher, [text, None, text], n_threads)
    want = reference_find(entries_from_spec(spec), text, **opts)
    assert got == want, _explain(spec, text, opts, got, want)
    assert in_pieces == scan_rows(matcher, [text, None, text], n_threads)


# Words around apostrophes, paragraph breaks and cut punctuation, so that pieces end at them.
PIECES = [
    "O'Brien", "Brien", "l'Ukraine", "Ukraine's", "Kyiv", "Київ", "New York", "New\n\nYork",
    "\n\n", "\n", " ", ". ", "; ", "(", ")", "'", "\u2019", "\u2014", "-", "\u00e9t\u00e9", "ß",
    "\U0001f600", "U.S.", "e\u0301",
]  # fmt: skip
LEXICON = (
    lexiscan.Lexicon()
    .add("Brien", ["O'Brien"])
    .add("Ukraine", ["Україна"])
    .add("Kyiv", ["Київ", "Kiev"])
    .add("New York", ["NY"])
    .add("United States", ["U.S."])
    .add("été", ["ete"])
    .add("Strauss", ["Strauß"])
)


@needs_lexiscan
@pytest.mark.parametrize("whole_words", [True, False])
@pytest.mark.parametrize("overlapping", [False, True])
def test_a_long_document_in_pieces_equals_the_one_in_memory(whole_words, overlapping):
    rng = random.Random(7)
    text = "".join(rng.choice(PIECES) for _ in range(40_000))
    matcher = lexiscan.Matcher(LEXICON, whole_words=whole_words, overlapping=overlapping)
    in_memory = scan_rows(matcher, [text], n_threads=2)
    assert len(in_memory) > 1000
    for read_chars, n_threads in [(1, 1), (1, 2), (13, 1), (13, 2), (1000, 2), (1 << 20, 1)]:
        with read_in_pieces(read_chars):
            assert scan_rows(matcher, [text], n_threads) == in_memory, (read_chars, n_threads)


@needs_lexiscan
def test_texts_kept_after_a_scan_in_pieces_serve_the_analyses():
    text = "Kyiv, Київ \u2014 O'Brien and NY.\n\n" * 50
    matcher = lexiscan.Matcher(LEXICON)
    with read_in_pieces(5):
        result = matcher.scan([text, "Kiev"])
    plain = matcher.scan([text, "Kiev"])
    assert result.kwic("Kyiv").equals(plain.kwic("Kyiv"))
    assert str(result.highlight(0)) == str(plain.highlight(0))
    frame = result.to_pandas()
    assert (frame["text"] == [text[s:e] if d == 0 else "Kiev"[s:e] for d, s, e in
                              zip(frame["doc"], frame["start"], frame["end"])]).all()  # fmt: skip


@needs_lexiscan
def test_a_lone_surrogate_in_a_document_read_in_pieces_is_a_clear_error():
    matcher = lexiscan.Matcher(LEXICON)
    with read_in_pieces(4), pytest.raises(ValueError, match="document 1 is not valid Unicode"):
        matcher.scan(["Kyiv", "Київ " * 10 + "\ud800" + " Kyiv"])


@needs_lexiscan
def test_only_large_strings_that_are_not_ascii_are_read_in_pieces():
    # Below the threshold, and ASCII strings, are read in place: same rows either way.
    matcher = lexiscan.Matcher(LEXICON)
    docs = ["Kyiv " * 100, "Київ Kyiv " * 100, "Kyiv"]
    with read_in_pieces(3, min_chars=200):
        rows = scan_rows(matcher, docs)
    assert rows == scan_rows(matcher, docs)


@needs_lexiscan
def test_a_result_scanned_in_pieces_pickles_with_its_texts():
    import pickle

    text = "Київ, Kyiv \u2014 O'Brien.\n\n" * 40
    matcher = lexiscan.Matcher(LEXICON)
    with read_in_pieces(6):
        result = matcher.scan([text, "Kiev"])
    again = pickle.loads(pickle.dumps(result))
    assert again.to_pandas().equals(result.to_pandas())
    assert str(again.highlight(0)) == str(result.highlight(0))


# Words and separators of each CPython string kind (PEP 393: 1, 2 or 4 bytes a character),
# among ASCII ones: a scan reads a large str's own code units in pieces and makes them UTF-8.
KIND_WORDS = {
    1: ["café", "Müller", "Straße", "ÉTÉ", "naïve", "Ægir", "\u00bfqué?", "×"],
    2: ["Київ", "Україна", "’", "—", "“Kyiv”", "Łódź", "Ω", "\u2026"],
    4: ["😀", "🇺🇦", "👍🏽", "𝔘", "\U00020000", "Kyiv😀", "😀Київ"],
}
ASCII_WORDS = ["Kyiv", "Kiev", "O'Brien", "New York", "the", " ", " ", ". ", ", ", "\n\n", "-", "'"]
# The widest character of a str of each kind, and of the kind below (ASCII below kind 1).
WIDEST = {1: 0xFF, 2: 0xFFFF, 4: 0x10FFFF}
BELOW = {1: 0x7F, 2: 0xFF, 4: 0xFFFF}


@st.composite
def kind_scenarios(draw, kind: int) -> tuple[list, str]:
    """A lexicon of words of strings of `kind` (and narrower) and ASCII ones, and a text of
    them with at least one character that makes it a str of that kind."""
    words = [w for k in (1, 2, 4) if k <= kind for w in KIND_WORDS[k]]
    named = [w for w in words + ASCII_WORDS if any(c.isalnum() for c in w)]
    alias = st.lists(st.sampled_from(named), min_size=1, max_size=3).map(" ".join)
    spec = [
        (f"E{i}", None, draw(st.lists(alias, max_size=3)), draw(st.booleans()))
        for i in range(draw(st.integers(1, 4)))
    ]
    text = "".join(draw(st.lists(st.sampled_from(words + ASCII_WORDS), max_size=60)))
    wide = draw(st.sampled_from([w for w in KIND_WORDS[kind] if max(map(ord, w)) > BELOW[kind]]))
    at = draw(st.integers(0, len(text)))
    return spec, text[:at] + wide + text[at:]


@needs_lexiscan
@pytest.mark.parametrize("opts", ALL_OPTIONS, ids=_opts_id)
@pytest.mark.parametrize("kind", [1, 2, 4])
@SETTINGS
@given(
    data=st.data(),
    # Short reads put the edges of pieces everywhere; reads of 16 or more characters are
    # converted sixteen code units at a time, with runs of ASCII between wide characters.
    read_chars=st.one_of(st.integers(1, 7), st.integers(16, 80)),
    n_threads=st.sampled_from([1, 2]),
)
def test_strings_of_each_kind_in_pieces_equal_reference(opts, kind, data, read_chars, n_threads):
    spec, text = data.draw(kind_scenarios(kind))
    assert BELOW[kind] < max(map(ord, text)) <= WIDEST[kind]
    matcher = build_matcher(spec, opts)
    with read_in_pieces(read_chars):
        got = match_rows(matcher.find(text))
        in_pieces = scan_rows(matcher, [text, text], n_threads)
    want = reference_find(entries_from_spec(spec), text, **opts)
    assert got == want, _explain(spec, text, opts, got, want)
    assert in_pieces == scan_rows(matcher, [text, text], n_threads)
