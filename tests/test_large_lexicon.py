"""A lexicon past the size where whole words are matched by walks from word starts (over
300,000 bytes of folded aliases): lexiscan against the reference, on texts made of the same
syllables, so that most words begin some alias and the first-word filter is exercised both
ways. The small lexicons of test_properties.py never reach this search."""

from __future__ import annotations

import random

import pytest
from reference import reference_find, reference_find_with_typos

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


# Aliases that are runs of words over a small vocabulary, so that first words and shorter runs
# are shared by many aliases and are aliases themselves: the search past the DFA limit looks
# these up a run of words at a time (`src/matcher/word_sequences.rs`), and the rest (prefix
# entries, aliases that begin or end with punctuation) walk a trie beside it; both at once.
VOCABULARY = [
    "san", "new", "the", "port", "ka", "ro'mi", "é7", "Ss", "ß", "жа", "tu", "o", "l", "d",
    "x1", "ne", "ville", "saint", "a", "on",
]  # fmt: skip
GAPS = [" ", " ", " ", "-", " - ", ". ", "'", ", "]


def _run(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5]))]
    alias = words[0]
    for word in words[1:]:
        alias += rng.choice(GAPS) + word
    roll = rng.random()
    if roll < 0.02:
        alias += "*"
    elif roll < 0.04:
        alias = "(" + alias + ")"
    elif roll < 0.06:
        alias += "."
    return alias


def _run_entries() -> list[tuple[str, str, str, bool]]:
    rng = random.Random(2323)
    entries = []
    seen: set[tuple[str, bool]] = set()
    while len(entries) < 34_000:
        longer = _run(rng) + " " + rng.choice(VOCABULARY) + str(rng.randrange(400))
        for alias in (longer, _run(rng)):
            sensitive = rng.random() < 0.03
            if (alias, sensitive) in seen:
                continue
            seen.add((alias, sensitive))
            # A few aliases belong to two entities (a row for each).
            entity = f"E{rng.randrange(30_000)}"
            entries.append((entity, "L", alias, sensitive))
            if rng.random() < 0.02:
                entries.append((f"F{rng.randrange(100)}", "L", alias, sensitive))
    return entries


RUN_ENTRIES = _run_entries()


def _run_text(rng: random.Random, aliases: int) -> str:
    pieces = []
    for _ in range(aliases):
        _, _, alias, _ = rng.choice(RUN_ENTRIES)
        alias = alias.rstrip("*")
        if rng.random() < 0.3:
            alias = alias.upper()
        if rng.random() < 0.2:  # a shorter run, or one glued to more letters
            alias = alias[: rng.randint(1, len(alias))]
        pieces.append(alias)
        pieces.append(
            rng.choice([" ", " ", "  ", "\n", "\n\n", "-", "–", "’s ", "'x ", ", ", "ville "])
        )
    return "".join(pieces)


@pytest.fixture(scope="module")
def run_matchers() -> dict[tuple[bool, int], object]:
    lex = lexiscan.Lexicon()
    for entity, label, alias, sensitive in RUN_ENTRIES:
        lex.add(entity, [alias], label=label, case_sensitive=sensitive, name_is_alias=False)
    return {
        (overlapping, edits): lexiscan.Matcher(lex, overlapping=overlapping, max_edits=edits)
        for overlapping, edits in [(False, 0), (True, 0), (False, 1)]
    }


@pytest.mark.parametrize(("overlapping", "edits"), [(False, 0), (True, 0), (False, 1)])
def test_runs_of_words_past_the_dfa_limit_equal_reference(run_matchers, overlapping, edits):
    folded = sum(len(a.encode()) for _, _, a, sensitive in RUN_ENTRIES if not sensitive)
    assert folded > 300_000
    rng = random.Random(11 + edits + 2 * overlapping)
    long_matches = 0
    # The reference with typos is slow (every word against every alias): one short text.
    for _ in range(1 if edits else 6):
        text = _run_text(rng, 6 if edits else rng.randint(10, 40))
        found = run_matchers[(overlapping, edits)].find(text)
        if edits:
            got = [(m.start, m.end, m.entity, m.label, m.alias, m.edits) for m in found]
            want = reference_find_with_typos(
                RUN_ENTRIES, text, max_edits=edits, overlapping=overlapping
            )
        else:
            got = [(m.start, m.end, m.entity, m.label, m.alias) for m in found]
            want = reference_find(RUN_ENTRIES, text, overlapping=overlapping)
        assert got == want, text
        long_matches += sum(" " in text[row[0] : row[1]] for row in got)
    assert long_matches > 0


# A large vocabulary, so that most first words begin only a few aliases of several words: the
# search then rejects a text word by its opening (first word, gap, next word) without the
# table (`src/matcher/openings.rs`; the vocabulary above makes every first word a busy one).
# The texts put first words before the wrong next word, the right word behind the wrong gap,
# and aliases cut short; a few aliases end in punctuation or are prefix entries (the trie).
def _light_entries() -> tuple[list[tuple[str, str, str, bool]], list[str]]:
    rng = random.Random(4242)
    vocabulary = list(
        dict.fromkeys(_word(rng) + rng.choice(["", "a", "on", "x"]) for _ in range(3000))
    )
    entries = []
    seen: set[str] = set()
    while len(entries) < 30_000:
        words = [rng.choice(vocabulary) for _ in range(rng.choice([1, 2, 2, 3]))]
        alias = words[0]
        for word in words[1:]:
            alias += rng.choice([" ", " ", " ", "-", ", ", "'"]) + word
        roll = rng.random()
        if roll < 0.03:
            alias += rng.choice([".", "'", " (x)", ")"])
        elif roll < 0.04:
            alias += "*"
        if alias.lower() in seen:
            continue
        seen.add(alias.lower())
        entries.append((f"E{len(entries)}", "L", alias, rng.random() < 0.02))
    return entries, vocabulary


LIGHT_ENTRIES, LIGHT_VOCABULARY = _light_entries()


@pytest.fixture(scope="module")
def light_matcher() -> object:
    lex = lexiscan.Lexicon()
    for entity, label, alias, sensitive in LIGHT_ENTRIES:
        lex.add(entity, [alias], label=label, case_sensitive=sensitive, name_is_alias=False)
    return lexiscan.Matcher(lex)


def test_first_words_of_few_aliases_past_the_dfa_limit_equal_reference(light_matcher):
    assert sum(len(a.encode()) for _, _, a, s in LIGHT_ENTRIES if not s) > 300_000
    rng = random.Random(99)
    multi_word = 0
    for _ in range(6):
        pieces = []
        for _ in range(rng.randint(20, 60)):
            _, _, alias, _ = rng.choice(LIGHT_ENTRIES)
            alias = alias.rstrip("*")
            roll = rng.random()
            if roll < 0.3:  # its first word before another word
                alias = alias.split(" ")[0].split("-")[0] + " " + rng.choice(LIGHT_VOCABULARY)
            elif roll < 0.4:  # cut short
                alias = alias[: rng.randint(1, len(alias))]
            elif roll < 0.5:  # another gap
                alias = alias.replace(" ", rng.choice(["  ", "-", ". ", "\n"]), 1)
            pieces.append(alias.upper() if rng.random() < 0.2 else alias)
            pieces.append(rng.choice([" ", " ", ", ", ". ", "'s ", "\n", " ("]))
        text = "".join(pieces)
        got = [(m.start, m.end, m.entity, m.label, m.alias) for m in light_matcher.find(text)]
        want = reference_find(LIGHT_ENTRIES, text)
        assert got == want, text
        multi_word += sum(" " in text[row[0] : row[1]] for row in got)
    assert multi_word > 0
