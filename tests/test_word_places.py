"""The search from word starts past the DFA limit reads ASCII text 64 bytes at a time
(`src/matcher/places.rs`): word starts, word ends and the bytes that begin aliases of
punctuation come from bit masks, and short words are hashed from one load. Here lexiscan meets
the reference on mostly ASCII texts with words of every length around 8 and 64 bytes, words
that cross a 64-byte window, a non-ASCII word inside ASCII text, aliases that begin or end with
punctuation or have it inside, prefix entries and case-sensitive aliases. The other large-
lexicon tests use non-ASCII syllables, so their texts rarely have a window of ASCII."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import reference_find

lexiscan = pytest.importorskip("lexiscan")

# Words of 1 to 70 letters: one load (up to 8), two (up to 16), and longer than a window.
WORDS = [
    "a", "to", "the", "port", "ville", "saint", "abcdefg", "abcdefgh", "abcdefghi", "x1",
    "newyorker", "o", "brien", "denis", "u", "s", "net", "old", "town", "hertogenbosch",
    "q" * 15, "w" * 16, "e" * 17, "r" * 63, "t" * 64, "y" * 70,
]  # fmt: skip
GAPS = [" ", " ", " ", "  ", "-", "'", ".", ", ", " - "]


def _alias(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.choice([1, 1, 2, 2, 3]))]
    alias = words[0]
    for word in words[1:]:
        alias += rng.choice(GAPS) + word
    roll = rng.random()
    if roll < 0.03:
        alias = rng.choice(["(", "'s-", ".", "--"]) + alias
    elif roll < 0.05:
        alias += rng.choice([".", ")", "'"])
    elif roll < 0.07:
        alias += "*"
    return alias + str(rng.randrange(2000))


def _entries() -> list[tuple[str, str, str, bool]]:
    rng = random.Random(6464)
    aliases = dict.fromkeys([*WORDS, "o'brien", "saint-denis", "u.s.", ".net", "(old) town"])
    while len(aliases) < 26_000:
        aliases[_alias(rng)] = None
    # Every alias also without its number, so that texts made of WORDS find many.
    for alias in list(aliases)[len(WORDS) : len(WORDS) + 4000]:
        aliases[alias.rstrip("0123456789") or alias] = None
    return [(alias, "L", alias, rng.random() < 0.03) for alias in aliases]


ENTRIES = _entries()


@pytest.fixture(scope="module")
def matcher() -> object:
    lex = lexiscan.Lexicon()
    for entity, label, alias, sensitive in ENTRIES:
        lex.add(entity, [alias], label=label, case_sensitive=sensitive, name_is_alias=False)
    return lexiscan.Matcher(lex)


def test_the_lexicon_is_past_the_dfa_limit():
    assert sum(len(a.encode()) for _, _, a, s in ENTRIES if not s) > 300_000


PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from([e[2].rstrip("*") for e in ENTRIES[:6000]]),
    st.sampled_from(GAPS + ["\n", "(", ")", "'s ", "’", "é", "naïve", "日本", "Ü"]),
)


@settings(max_examples=40, deadline=None)
@given(
    pieces=st.lists(PIECES, min_size=1, max_size=80),
    upper=st.sets(st.integers(0, 79), max_size=6),
)
def test_mostly_ascii_texts_equal_reference(matcher, pieces, upper):
    text = "".join(p.upper() if i in upper else p for i, p in enumerate(pieces))
    got = [(m.start, m.end, m.entity, m.label, m.alias) for m in matcher.find(text)]
    assert got == reference_find(ENTRIES, text), text


def test_long_ascii_texts_find_aliases_across_windows(matcher):
    rng = random.Random(11)
    found = 0
    for _ in range(6):
        pieces = []
        for _ in range(rng.randint(40, 120)):
            pieces.append(rng.choice([rng.choice(WORDS), rng.choice(ENTRIES)[2].rstrip("*")]))
            pieces.append(rng.choice([" ", " ", ", ", ". ", "\n", " (", "-"]))
        text = "".join(pieces)
        got = [(m.start, m.end, m.entity, m.label, m.alias) for m in matcher.find(text)]
        assert got == reference_find(ENTRIES, text), text
        found += len(got)
    assert found > 50
