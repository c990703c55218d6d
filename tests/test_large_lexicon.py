"""A lexicon past the size where whole words are matched by walks from word starts (over
300,000 bytes of folded aliases): lexiscan against the reference, on texts made of the same
syllables, so that most words begin some alias and the first-word filter is exercised both
ways. The small lexicons of test_properties.py never reach this search."""

from __future__ import annotations

import random

import pytest
from reference import reference_find

lexiscan = pytest.importorskip("lexiscan")

SYLLABLES = ["ka", "ro", "mi", "é", "Ss", "ß", "tu", "ne", "7", "ж"]
SEPARATORS = [" ", "-", ".", "'", " (", ") "]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5)))


def _alias(rng: random.Random) -> str:
    alias = _word(rng)
    for _ in range(rng.choice([0, 0, 1, 2])):
        alias += rng.choice(SEPARATORS) + _word(rng)
    return alias + ("*" if rng.random() < 0.02 else "")


def _entries() -> list[tuple[str, str, str, bool]]:
    rng = random.Random(23)
    aliases = dict.fromkeys(_alias(rng) for _ in range(32_000))
    return [(alias, "L", alias, rng.random() < 0.05) for alias in aliases]


ENTRIES = _entries()


@pytest.fixture(scope="module")
def matchers() -> dict[bool, object]:
    lex = lexiscan.Lexicon()
    for entity, label, alias, sensitive in ENTRIES:
        lex.add(entity, [alias], label=label, case_sensitive=sensitive, name_is_alias=False)
    return {
        overlapping: lexiscan.Matcher(lex, overlapping=overlapping) for overlapping in (False, True)
    }


@pytest.mark.parametrize("overlapping", [False, True])
def test_large_lexicon_equals_reference(matchers, overlapping):
    # The case-insensitive aliases alone are past the size limit of a DFA.
    assert sum(len(a.encode()) for _, _, a, sensitive in ENTRIES if not sensitive) > 300_000
    rng = random.Random(7)
    pieces = [*SYLLABLES, "KA", "É", "x", *SEPARATORS, ", ", "\n", "’"]
    found = 0
    for _ in range(8):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(20, 120)))
        got = [
            (m.start, m.end, m.entity, m.label, m.alias) for m in matchers[overlapping].find(text)
        ]
        want = reference_find(ENTRIES, text, overlapping=overlapping)
        assert got == want, text
        found += len(got)
    assert found > 0
