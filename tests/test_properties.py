"""Property tests: lexiscan.Matcher against the plain Python reference (tests/reference.py).

- explicit examples from docs/matching.md, each checked against hand-written expected values,
  both for the reference (``-k reference``) and for lexiscan (``-k lexiscan``);
- Hypothesis properties on random lexicons and texts: find == reference, the offset law,
  and scan(...).to_pandas() == concatenated find(...).

Hypothesis profiles: ``lexiscan-default`` (150 examples per test) and ``lexiscan-slow``
(selected with ``LEXISCAN_HYPOTHESIS_PROFILE=slow``, many more). Both have ``deadline=None``.
"""

import os
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import fold_alias, reference_find  # noqa: E402

try:
    import lexiscan
except ImportError:  # the extension is not built: only the reference tests run
    lexiscan = None

needs_lexiscan = pytest.mark.skipif(lexiscan is None, reason="lexiscan is not importable")

# ---------------------------------------------------------------------------------------------
# Hypothesis profiles
# ---------------------------------------------------------------------------------------------

_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "lexiscan-default", max_examples=150, deadline=None, suppress_health_check=_HEALTH
)
settings.register_profile(
    "lexiscan-slow", max_examples=3000, deadline=None, suppress_health_check=_HEALTH
)
_PROFILE = "lexiscan-" + os.environ.get("LEXISCAN_HYPOTHESIS_PROFILE", "default")
# Applied per test (not loaded globally) so other test modules keep their own settings.
SETTINGS = settings(settings.get_profile(_PROFILE))


# ---------------------------------------------------------------------------------------------
# Helpers shared by the examples and the properties
# ---------------------------------------------------------------------------------------------


def entries_from_spec(spec):
    """Mirror Lexicon.add: ``spec`` is a list of add() calls ``(entity, label, aliases,
    case_sensitive)``. The canonical name is added first (with that call's case_sensitive)
    when the entity (entity, label) is created; an alias already present for the entity with
    the same case_sensitive flag is not added twice."""
    entries = []
    seen = set()
    created = set()
    for entity, label, aliases, cs in spec:
        key = (entity, label)
        names = ([] if key in created else [entity]) + list(aliases)
        created.add(key)
        for alias in names:
            entry = (entity, label, alias, cs)
            if entry not in seen:
                seen.add(entry)
                entries.append(entry)
    return entries


def build_lexicon(spec):
    lex = lexiscan.Lexicon()
    for entity, label, aliases, cs in spec:
        lex.add(entity, list(aliases), label=label, case_sensitive=cs)
    return lex


def build_matcher(spec, opts):
    return lexiscan.Matcher(build_lexicon(spec), **opts)


def match_rows(matches):
    return [(m.start, m.end, m.entity, m.label, m.alias) for m in matches]


def _show(text):
    return " ".join(c if c.isprintable() and c != " " else f"U+{ord(c):04X}" for c in text)


def _explain(spec, text, opts, got, want):
    lines = [
        "lexiscan and the reference disagree",
        f"  lexicon (add calls): {spec!r}",
        f"  text: {text!r}",
        f"  text chars: {_show(text)}",
        f"  options: {opts!r}",
        f"  lexiscan : {got!r}",
        f"  reference: {want!r}",
    ]
    for row in sorted(set(got) ^ set(want)):
        side = "only lexiscan" if row in got else "only reference"
        lines.append(f"    {side}: {row!r} -> {text[row[0] : row[1]]!r}")
    return "\n".join(lines)


ALL_OPTIONS = [
    dict(case=case, accents=accents, whole_words=ww, overlapping=ov)
    for case in ("insensitive", "sensitive")
    for accents in ("fold", "keep")
    for ww in (True, False)
    for ov in (False, True)
]


def _opts_id(o):
    case = "ci" if o["case"] == "insensitive" else "cs"
    words = "words" if o["whole_words"] else "nowords"
    overlap = "overlap" if o["overlapping"] else "nooverlap"
    return f"{case}-{o['accents']}-{words}-{overlap}"


# ---------------------------------------------------------------------------------------------
# Explicit examples from docs/matching.md, with hand-written expected rows
# ---------------------------------------------------------------------------------------------

RUSSIA = [("Russia", None, [], False), ("NATO", "ORG", [], False)]
NY = [("New York", "LOC", [], False), ("New York Times", "ORG", [], False)]
WASHINGTON = [
    ("George Washington", "PER", ["Washington"], False),
    ("Washington", "LOC", ["WASHINGTON"], False),
    ("Washington", "LOC", ["Washington", "Wash."], True),
]

# (id, lexicon spec, text, matcher options, expected rows (start, end, entity, label, alias))
EXAMPLES = [
    (
        "russia-boundaries",
        RUSSIA,
        "Russia, Russian, Russia\u2019s, NATO-Russia, (Russia) NATO\u2013Russia",
        {},
        [
            (0, 6, "Russia", None, "Russia"),
            (17, 23, "Russia", None, "Russia"),
            (27, 31, "NATO", "ORG", "NATO"),
            (32, 38, "Russia", None, "Russia"),
            (41, 47, "Russia", None, "Russia"),
            (49, 53, "NATO", "ORG", "NATO"),
            (54, 60, "Russia", None, "Russia"),
        ],
    ),
    (
        "russia-no-whole-words",
        [("Russia", None, [], False)],
        "Russian",
        {"whole_words": False},
        [(0, 6, "Russia", None, "Russia")],
    ),
    (
        "russia-soft-hyphen-inside",
        [("Russia", None, [], False)],
        "Rus\u00adsia!",
        {},
        [(0, 7, "Russia", None, "Russia")],
    ),
    (
        "us-before-comma",
        [("United States", "GPE", ["U.S."], False)],
        "The U.S., and the United States.",
        {},
        [
            (4, 8, "United States", "GPE", "U.S."),
            (18, 31, "United States", "GPE", "United States"),
        ],
    ),
    (
        "secretary-general",
        [("Secretary-General", None, [], False)],
        "Secretary General; Secretary-General; Secretary \u2013 General; Secretary\u2010General",
        {},
        [
            (0, 17, "Secretary-General", None, "Secretary-General"),
            (19, 36, "Secretary-General", None, "Secretary-General"),
            (59, 76, "Secretary-General", None, "Secretary-General"),
        ],
    ),
    (
        "alexander-fomin-line-break",
        [("Alexander Fomin", "PER", [], False)],
        "Mr Alexander\nFomin and Alexander \u00a0 Fomin.",
        {},
        [
            (3, 18, "Alexander Fomin", "PER", "Alexander Fomin"),
            (23, 40, "Alexander Fomin", "PER", "Alexander Fomin"),
        ],
    ),
    (
        "paragraph-breaks-are-never-crossed",
        [("coach andy", None, [], False)],
        "new coach\n\nAndy Roddick; coach\r\n\r\nandy; coach\u2029andy; "
        "coach \n \xa0\nandy; coach\r\nandy",
        {},
        [(68, 79, "coach andy", None, "coach andy")],
    ),
    (
        "apostrophes-inside-words-endings-and-elisions",
        [
            ("Бар", None, [], False),
            ("Львів", None, [], False),
            ("Brien", None, [], False),
            ("Ukraine", None, [], False),
            ("Europe", None, [], False),
            ("Ucraina", None, [], False),
            ("Russia", None, [], False),
        ],
        "бар’єр Львів'яни O'Brien l’Ukraine d’Europe dell’Ucraina Russia’s Russia' Brien",
        {},
        [
            (27, 34, "Ukraine", None, "Ukraine"),
            (37, 43, "Europe", None, "Europe"),
            (49, 56, "Ucraina", None, "Ucraina"),
            (57, 63, "Russia", None, "Russia"),
            (66, 72, "Russia", None, "Russia"),
            (74, 79, "Brien", None, "Brien"),
        ],
    ),
    (
        "alexander-fomin-u001c-is-not-whitespace",
        [("Alexander Fomin", "PER", [], False)],
        "Alexander\x1cFomin",
        {},
        [],
    ),
    (
        "emile-fold",
        [("\u00c9mile", None, [], False)],
        "\u00c9MILE met \u00e9mile and Emile",
        {},
        [
            (0, 5, "\u00c9mile", None, "\u00c9mile"),
            (10, 15, "\u00c9mile", None, "\u00c9mile"),
            (20, 25, "\u00c9mile", None, "\u00c9mile"),
        ],
    ),
    (
        "emile-keep",
        [("\u00c9mile", None, [], False)],
        "\u00c9MILE met \u00e9mile and Emile and E\u0301MILE",
        {"accents": "keep"},
        [
            (0, 5, "\u00c9mile", None, "\u00c9mile"),
            (10, 15, "\u00c9mile", None, "\u00c9mile"),
            (30, 36, "\u00c9mile", None, "\u00c9mile"),
        ],
    ),
    (
        "jose-combining-accent-fold",
        [("Jos\u00e9", "PER", [], False)],
        "Jose\u0301 Jose",
        {},
        [
            (0, 5, "Jos\u00e9", "PER", "Jos\u00e9"),
            (6, 10, "Jos\u00e9", "PER", "Jos\u00e9"),
        ],
    ),
    (
        "jose-combining-accent-keep",
        [("Jos\u00e9", "PER", [], False)],
        "Jose\u0301 Jose",
        {"accents": "keep"},
        [(0, 5, "Jos\u00e9", "PER", "Jos\u00e9")],
    ),
    (
        # §2.5: a removed mark belongs to the last character before it that produced output;
        # ignorables in between do not count. Ignorables with no mark after them stay outside.
        "removed-mark-after-ignorable-extends-end",
        [("A", None, [], False)],
        "A\u00ad\u0301 A\u00ad A\u0301\u200b\u0301\u2060 A",
        {},
        [
            (0, 3, "A", None, "A"),
            (4, 5, "A", None, "A"),
            (7, 11, "A", None, "A"),
            (13, 14, "A", None, "A"),
        ],
    ),
    (
        "jose-unaccented-alias-keep-rejected-by-mark",
        [("Jose", "PER", [], False)],
        "Jose\u0301 Jos\u00e9 Jose",
        {"accents": "keep"},
        [(11, 15, "Jose", "PER", "Jose")],
    ),
    (
        "strasse",
        [("Stra\u00dfe", None, [], False)],
        "STRASSE Strasse Stra\u00dfe STRA\u1e9eE",
        {},
        [
            (0, 7, "Stra\u00dfe", None, "Stra\u00dfe"),
            (8, 15, "Stra\u00dfe", None, "Stra\u00dfe"),
            (16, 22, "Stra\u00dfe", None, "Stra\u00dfe"),
            (23, 29, "Stra\u00dfe", None, "Stra\u00dfe"),
        ],
    ),
    (
        "strasse-case-sensitive",
        [("Stra\u00dfe", None, [], True)],
        "STRASSE Strasse Stra\u00dfe STRA\u1e9eE",
        {},
        [(16, 22, "Stra\u00dfe", None, "Stra\u00dfe")],
    ),
    (
        "no-match-inside-eszett",
        [("s", None, [], False)],
        "\u00df s",
        {"whole_words": False},
        [(2, 3, "s", None, "s")],
    ),
    (
        "moskva",
        [("\u041c\u043e\u0441\u043a\u0432\u0430", "LOC", [], False)],
        "\u041c\u041e\u0421\u041a\u0412\u0410 \u0438 \u041c\u043e\u0441\u043a\u0432\u0430, "
        "\u043c\u043e\u0441\u043a\u0432\u043e\u0439",
        {},
        [
            (
                0,
                6,
                "\u041c\u043e\u0441\u043a\u0432\u0430",
                "LOC",
                "\u041c\u043e\u0441\u043a\u0432\u0430",
            ),
            (
                9,
                15,
                "\u041c\u043e\u0441\u043a\u0432\u0430",
                "LOC",
                "\u041c\u043e\u0441\u043a\u0432\u0430",
            ),
        ],
    ),
    (
        "odysseus-fold",
        [("\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2", "PER", [], False)],
        "\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3 \u03ba\u03b1\u03b9 "
        "\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2",
        {},
        [
            (
                0,
                8,
                "\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2",
                "PER",
                "\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2",
            ),
            (
                13,
                21,
                "\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2",
                "PER",
                "\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2",
            ),
        ],
    ),
    (
        "odysseus-keep",
        [("\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2", "PER", [], False)],
        "\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3 \u03ba\u03b1\u03b9 "
        "\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2",
        {"accents": "keep"},
        [
            (
                13,
                21,
                "\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2",
                "PER",
                "\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2",
            ),
        ],
    ),
    (
        "detente-fold",
        [("d\u00e9tente", None, [], False)],
        "d\u00e9tente and detente and DETENTE",
        {},
        [
            (0, 7, "d\u00e9tente", None, "d\u00e9tente"),
            (12, 19, "d\u00e9tente", None, "d\u00e9tente"),
            (24, 31, "d\u00e9tente", None, "d\u00e9tente"),
        ],
    ),
    (
        "detente-keep",
        [("d\u00e9tente", None, [], False)],
        "d\u00e9tente and detente and DETENTE",
        {"accents": "keep"},
        [(0, 7, "d\u00e9tente", None, "d\u00e9tente")],
    ),
    (
        "detente-unaccented-alias-keep",
        [("detente", None, [], False)],
        "d\u00e9tente and detente and DETENTE",
        {"accents": "keep"},
        [
            (12, 19, "detente", None, "detente"),
            (24, 31, "detente", None, "detente"),
        ],
    ),
    (
        "case-sensitive-US",
        [("US", "GPE", [], True)],
        "us and US",
        {},
        [(7, 9, "US", "GPE", "US")],
    ),
    (
        "matcher-case-sensitive",
        [("Paris", "LOC", [], False)],
        "paris Paris PARIS",
        {"case": "sensitive"},
        [(6, 11, "Paris", "LOC", "Paris")],
    ),
    (
        "leftmost-longest-longer-fails-boundary",
        NY,
        "New York Timesless",
        {},
        [(0, 8, "New York", "LOC", "New York")],
    ),
    (
        "leftmost-longest-longer-wins",
        NY,
        "the New York Times!",
        {},
        [(4, 18, "New York Times", "ORG", "New York Times")],
    ),
    (
        "overlapping-nested",
        NY,
        "the New York Times!",
        {"overlapping": True},
        [
            (4, 18, "New York Times", "ORG", "New York Times"),
            (4, 12, "New York", "LOC", "New York"),
        ],
    ),
    (
        "ambiguous-alias-two-rows",
        WASHINGTON,
        "Washington said",
        {},
        [
            (0, 10, "George Washington", "PER", "Washington"),
            (0, 10, "Washington", "LOC", "Washington"),
        ],
    ),
    (
        "ambiguous-alias-first-alias-kept",
        WASHINGTON,
        "WASHINGTON (Wash.) and George Washington",
        {},
        [
            (0, 10, "George Washington", "PER", "Washington"),
            (0, 10, "Washington", "LOC", "Washington"),
            (12, 17, "Washington", "LOC", "Wash."),
            (23, 40, "George Washington", "PER", "George Washington"),
        ],
    ),
    (
        "ambiguous-alias-overlapping",
        WASHINGTON,
        "George Washington",
        {"overlapping": True},
        [
            (0, 17, "George Washington", "PER", "George Washington"),
            (7, 17, "George Washington", "PER", "Washington"),
            (7, 17, "Washington", "LOC", "Washington"),
        ],
    ),
]


@pytest.mark.parametrize(
    "spec, text, opts, expected", [pytest.param(*e[1:], id=e[0]) for e in EXAMPLES]
)
def test_example_reference(spec, text, opts, expected):
    got = reference_find(entries_from_spec(spec), text, **opts)
    assert got == expected
    for start, end, *_ in got:
        assert 0 <= start < end <= len(text)


@needs_lexiscan
@pytest.mark.parametrize(
    "spec, text, opts, expected", [pytest.param(*e[1:], id=e[0]) for e in EXAMPLES]
)
def test_example_lexiscan(spec, text, opts, expected):
    got = match_rows(build_matcher(spec, opts).find(text))
    want = reference_find(entries_from_spec(spec), text, **opts)
    assert want == expected  # the reference itself is checked by test_example_reference
    assert got == expected, _explain(spec, text, opts, got, expected)


@pytest.mark.parametrize("alias", [" ", "\u00ad", " \u200b\t", "\u2060\ufeff"])
def test_empty_alias_raises_reference(alias):
    with pytest.raises(ValueError):
        reference_find([("X", None, alias, False)], "some text")


@needs_lexiscan
@pytest.mark.parametrize("alias", [" ", "\u00ad", " \u200b\t", "\u2060\ufeff"])
def test_empty_alias_raises_lexiscan(alias):
    # The contract says the empty alias raises ValueError; accept it from add() or Matcher().
    with pytest.raises(ValueError):
        lex = lexiscan.Lexicon()
        lex.add("X", [alias])
        lexiscan.Matcher(lex).find("some text")


def test_reference_fold_examples():
    """A few direct checks of the reference's folding (§2)."""
    assert fold_alias("  Secretary\u2013General ", True, True) == "secretary general"
    assert fold_alias("NATO \u2013 Russia", True, True) == "nato - russia"
    assert fold_alias("Stra\u00dfe", True, True) == "strasse"
    assert fold_alias("Stra\u00dfe", False, True) == "Stra\u00dfe"
    assert fold_alias("\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3", True, True) == (
        "\u03bf\u03b4\u03c5\u03c3\u03c3\u03b5\u03c5\u03c3"
    )
    assert fold_alias("Jos\u00e9", True, False) == "jose\u0301"
    assert fold_alias("Jos\u00e9", True, True) == "jose"
    assert fold_alias("\u00f8\u0142\u00e6", True, True) == "\u00f8\u0142\u00e6"
    assert fold_alias("O\u2019Brien \u201cx\u201d", False, True) == 'O\'Brien "x"'
    assert fold_alias("a \u00ad\u00a0\n b", True, True) == "a b"
    assert fold_alias("-ism", True, True) == "-ism"
    assert fold_alias("x\u2212y", True, True) == "x y"


# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------


def _assigned(lo, hi):
    return [
        chr(c) for c in range(lo, hi + 1) if unicodedata.category(chr(c)) not in ("Cn", "Cs", "Co")
    ]


# Only characters assigned long ago, so that Rust's Unicode tables and Python 3.11's
# unicodedata (14.0) agree.
LATIN = _assigned(0x41, 0x5A) + _assigned(0x61, 0x7A)
LATIN1 = _assigned(0xC0, 0xFF)
LATIN_EXT_A = _assigned(0x100, 0x17F)
GREEK = [c for c in _assigned(0x370, 0x3FF) if unicodedata.category(c)[0] == "L"]
CYRILLIC = _assigned(0x400, 0x45F)
CJK = _assigned(0x4E00, 0x4E3F) + list("\u5317\u4eac\u6771\u4e2d\u56fd\u65e5\u672c")
EMOJI = _assigned(0x1F600, 0x1F64F) + [
    "\U0001f44d\U0001f3fd",
    "\u2764\ufe0f",
    "\U0001f469\u200d\U0001f4bb",
    "\U0001f1eb\U0001f1f7",
]
DIGITS = list("0123456789")
COMBINING = [
    "\u0301",
    "\u0308",
    "\u0300",
    "\u0327",
    "\u030c",
    "\u0345",
    "\u0344",
    "\u20d7",
    "\u1dc0",
    "\ufe20",
    "\u0483",
]
PUNCT = (
    list("!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~") + _assigned(0xA1, 0xBF) + _assigned(0x2010, 0x205E)
)
SPACES = [
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "\u00a0",
    "\u2009",
    "\u202f",
    "\u3000",
    "\u2028",
    "\u0085",
    " \u00ad ",
    "\u200b",
    "\x1c",
    "\u1680",
    "\n\n",
    "\r\n\r\n",
    "\n \n",
    "\r\r",
    "\n\u200b\n",
    "\u2029",
]
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"]
IGNORABLES = ["\u00ad", "\u200b", "\u2060", "\ufeff"]
QUOTES = [
    "'",
    "\u2018",
    "\u2019",
    "\u201b",
    "\u02bc",
    "\u2032",
    '"',
    "\u201c",
    "\u201d",
    "\u201e",
    "\u2033",
]

LETTERS = LATIN * 3 + LATIN1 + LATIN_EXT_A + GREEK + CYRILLIC
FILLER_ALPHABET = sorted(
    set(
        LETTERS
        + CJK
        + DIGITS
        + PUNCT
        + COMBINING
        + [" ", "\n", "\t", "\u00a0", "\x1c", "\x1f", "\r", "\u2029", "\u2028"]
        + IGNORABLES
        + ["\u200d", "\ufe0f"]
        + _assigned(0x1F600, 0x1F60F)
    )
)

WORD_POOL = [
    "Russia",
    "NATO",
    "New",
    "York",
    "Times",
    "Paris",
    "\u00c9mile",
    "Jos\u00e9",
    "d\u00e9tente",
    "Stra\u00dfe",
    "STRASSE",
    "Zo\u00eb",
    "\u0141\u00f3d\u017a",
    "\u00d8resund",
    "\u00c6r\u00f8",
    "na\u00efve",
    "caf\u00e9",
    "\u00c5ngstr\u00f6m",
    "\u0130stanbul",
    "\u0153uvre",
    "Secretary",
    "General",
    "Alexander",
    "Fomin",
    "Washington",
    "\u041c\u043e\u0441\u043a\u0432\u0430",
    "\u0420\u043e\u0441\u0441\u0438\u044f",
    "\u0401\u043b\u043a\u0430",
    "\u041a\u0438\u0457\u0432",
    "\u039f\u03b4\u03c5\u03c3\u03c3\u03b5\u03cd\u03c2",
    "\u0391\u03b8\u03ae\u03bd\u03b1",
    "\u03c3\u03bf\u03c6\u03af\u03b1",
    "\u03a3\u039f\u03a6\u039f\u03a3",
    "\u5317\u4eac",
    "\u6771\u4eac",
    "\u4e2d\u56fd",
    "2024",
    "G7",
    "x",
]
PUNCT_ALIASES = [
    "U.S.",
    "U.K.",
    "(Russia)",
    "AT&T",
    "C++",
    "O'Brien",
    "Ben-Gurion",
    "e.g.",
    "-ism",
    '"Quote"',
    "l\u2019Ukraine",
    "\u0431\u0430\u0440\u2019\u0454\u0440",
    "\u041b\u044c\u0432\u0456\u0432'\u044f\u043d\u0438",
    "Russians'",
    "St. Louis",
    "#hashtag",
    "50%",
    "Dr.",
]

words = st.one_of(
    st.sampled_from(WORD_POOL),
    st.text(alphabet=st.sampled_from(LETTERS), min_size=1, max_size=5),
    st.builds(
        lambda a, m, b: a + m + b,
        st.text(alphabet=st.sampled_from(LETTERS), min_size=1, max_size=3),
        st.sampled_from(COMBINING),
        st.text(alphabet=st.sampled_from(LETTERS), max_size=3),
    ),
)


def _alias_ok(alias):
    # Every alias must be non-empty after the most aggressive folding (the contract raises
    # ValueError otherwise, which is tested separately).
    try:
        for cf in (True, False):
            for af in (True, False):
                fold_alias(alias, cf, af)
    except ValueError:
        return False
    return True


aliases = st.one_of(
    words,
    st.builds(
        lambda ws, sep: sep.join(ws),
        st.lists(words, min_size=2, max_size=3),
        st.sampled_from([" ", " ", "-", "  ", "", ". "]),
    ),
    st.sampled_from(PUNCT_ALIASES),
    st.builds(
        lambda pre, w, post: pre + w + post,
        st.sampled_from(["(", '"', "'", "-", "#", "", "."]),
        words,
        st.sampled_from([".", ")", "'s", '"', "!", "", "-"]),
    ),
).filter(_alias_ok)

LABELS = st.sampled_from([None, None, "PER", "LOC", "ORG"])


@st.composite
def lexicon_specs(draw):
    """A list of Lexicon.add calls: (entity, label, aliases, case_sensitive)."""
    spec = []
    known = []  # every alias string used so far, canonical names included
    n_entities = draw(st.integers(1, 6))
    for _ in range(n_entities):
        if known and draw(st.integers(0, 5)) == 0:
            name = draw(st.sampled_from(known))  # same name, maybe another label
        else:
            name = draw(aliases)
        label = draw(LABELS)
        cs = draw(st.integers(0, 3)) == 0
        extra = []
        known.append(name)
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.integers(0, 6))
            if kind == 6:  # a prefix entry (`Russ*`) cut from a known alias
                base = draw(st.sampled_from(known))
                alias = base[: draw(st.integers(1, len(base)))] + "*"
            elif kind <= 1:
                alias = draw(aliases)
            elif kind == 2:  # an existing alias extended: prefixes of each other
                base = draw(st.sampled_from(known))
                alias = base + draw(st.sampled_from([" ", "-", " ", ""])) + draw(words)
            elif kind == 3:  # a prefix of an existing multi-word alias
                base = draw(st.sampled_from(known))
                parts = base.split(" ")
                alias = " ".join(parts[: max(1, len(parts) - 1)])
            else:  # the same alias under two entities
                alias = draw(st.sampled_from(known))
            if not _alias_ok(alias):
                continue
            extra.append(alias)
            known.append(alias)
        spec.append((name, label, extra, cs))
    # Occasionally merge more aliases into an existing entity, with either case flag.
    for _ in range(draw(st.integers(0, 2))):
        entity, label, _, _ = draw(st.sampled_from(spec))
        more = draw(st.lists(st.one_of(aliases, st.sampled_from(known)), max_size=2))
        spec.append((entity, label, more, draw(st.booleans())))
    return spec


def _strip_accents(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not 0x300 <= ord(c) <= 0x36F)


PRECOMPOSE = {
    "a": "\u00e1\u00e0\u00e4\u00e2\u00e5\u0101\u0103",
    "e": "\u00e9\u00e8\u00eb\u00ea\u0113\u011b",
    "i": "\u00ed\u00ef\u012b\u0130",
    "o": "\u00f3\u00f6\u00f4\u00f8\u014d\u0151",
    "u": "\u00fa\u00fc\u016b\u016f",
    "c": "\u00e7\u010d",
    "s": "\u015b\u0161\u00df",
    "n": "\u00f1\u0148\u0149",
    "A": "\u00c1\u00c4\u00c5",
    "E": "\u00c9\u00c8",
    "S": "\u015a\u0160\u1e9e",
    "\u03b5": "\u03ad",
    "\u03c5": "\u03cd\u03cb\u03b0",
    "\u03c3": "\u03c2",
    "\u03a3": "\u03c3",
    "\u0435": "\u0451",
    "\u0438": "\u0439",
    "\u0456": "\u0457",
}


@st.composite
def mutated(draw, alias):
    """The alias as it might appear in running text."""
    s = alias
    case_op = draw(st.integers(0, 6))
    if case_op == 1:
        s = s.upper()
    elif case_op == 2:
        s = s.lower()
    elif case_op == 3:
        s = s.swapcase()
    elif case_op == 4:
        flips = draw(st.lists(st.booleans(), min_size=len(s), max_size=len(s)))
        s = "".join(c.swapcase() if f else c for c, f in zip(s, flips))
    accent_op = draw(st.integers(0, 6))
    if accent_op == 1:
        s = _strip_accents(s)
    elif accent_op == 2:
        s = unicodedata.normalize("NFD", s)
    elif accent_op == 3:
        s = unicodedata.normalize("NFC", s)
    elif accent_op == 4 and s:
        i = draw(st.integers(1, len(s)))
        s = s[:i] + draw(st.sampled_from(COMBINING)) + s[i:]
    elif accent_op == 5:
        swaps = [i for i, c in enumerate(s) if c in PRECOMPOSE]
        if swaps:
            i = draw(st.sampled_from(swaps))
            s = s[:i] + draw(st.sampled_from(PRECOMPOSE[s[i]])) + s[i + 1 :]
    if " " in s and draw(st.booleans()):
        s = "".join(draw(st.sampled_from(SPACES + DASHES[:3])) if c == " " else c for c in s)
    if "-" in s and draw(st.booleans()):
        s = "".join(draw(st.sampled_from(DASHES + [" "])) if c == "-" else c for c in s)
    if ("'" in s or '"' in s) and draw(st.booleans()):
        s = s.replace("'", draw(st.sampled_from(QUOTES[:6])))
        s = s.replace('"', draw(st.sampled_from(QUOTES[6:])))
    if s and draw(st.integers(0, 5)) == 0:
        i = draw(st.integers(0, len(s)))
        s = s[:i] + draw(st.sampled_from(IGNORABLES)) + s[i:]
    return s


FILLER = st.one_of(
    st.text(alphabet=st.sampled_from(FILLER_ALPHABET), max_size=6),
    st.sampled_from(EMOJI),
    st.sampled_from(WORD_POOL),
    st.sampled_from(DIGITS + ["1999", "3.14", "42nd"]),
    st.text(alphabet=st.sampled_from(CJK), min_size=1, max_size=4),
)
SEPARATORS = st.sampled_from(
    SPACES * 2
    + DASHES
    + QUOTES
    + IGNORABLES
    + ["", "", "", ", ", ". ", "(", ")", "\u2019s ", "s", "n", "\u0301", "!", ":", "/"]
    # apostrophes: English endings after a word, elided words before one (docs/matching.md §4)
    + ["'ll ", "\u2019re ", "'t ", "\u2019d ", "'ve ", "\u02bcm ", "' ", "'S "]
    + [" l\u2019", " d'", " qu'", " dell\u2019", " sull'", " L'", " o'", " x\u2019"]
)


@st.composite
def texts_for(draw, spec):
    pool = sorted({a for entity, _, more, _ in spec for a in [entity] + list(more)})
    pieces = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 4))
        if kind <= 2:
            pieces.append(draw(mutated(draw(st.sampled_from(pool)))))
        else:
            pieces.append(draw(FILLER))
        pieces.append(draw(SEPARATORS))
    return "".join(pieces)


@st.composite
def scenarios(draw):
    spec = draw(lexicon_specs())
    return spec, draw(texts_for(spec))


@st.composite
def corpus_scenarios(draw):
    spec = draw(lexicon_specs())
    docs = draw(st.lists(texts_for(spec), max_size=5))
    return spec, docs


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@needs_lexiscan
@pytest.mark.parametrize("opts", ALL_OPTIONS, ids=_opts_id)
@SETTINGS
@given(scenario=scenarios())
def test_find_equals_reference(opts, scenario):
    spec, text = scenario
    got = match_rows(build_matcher(spec, opts).find(text))
    want = reference_find(entries_from_spec(spec), text, **opts)
    assert got == want, _explain(spec, text, opts, got, want)


ASCII_PADDING = " and then plain ASCII words, a line of them; " * 3


@needs_lexiscan
@pytest.mark.parametrize("opts", [o for o in ALL_OPTIONS if not o["overlapping"]], ids=_opts_id)
@SETTINGS
@given(scenario=scenarios())
def test_find_equals_reference_in_mostly_ascii_text(opts, scenario):
    """The generated text twice, among plain ASCII: multi-byte characters far apart (fewer
    than one in 16 bytes), whose code-point offsets come from the fold's table of them rather
    than from a walk over the text."""
    spec, text = scenario
    long_text = ASCII_PADDING + text + ASCII_PADDING + text + ASCII_PADDING
    got = match_rows(build_matcher(spec, opts).find(long_text))
    want = reference_find(entries_from_spec(spec), long_text, **opts)
    assert got == want, _explain(spec, long_text, opts, got, want)


@needs_lexiscan
@pytest.mark.parametrize("opts", ALL_OPTIONS, ids=_opts_id)
@SETTINGS
@given(scenario=scenarios())
def test_offset_law(opts, scenario):
    spec, text = scenario
    matches = build_matcher(spec, opts).find(text)
    prev = None
    last_end = None
    for m in matches:
        assert isinstance(m.start, int) and isinstance(m.end, int)
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        key = (m.start, -m.end)
        if prev is not None:
            assert key >= prev, "matches out of order"
        if not opts["overlapping"] and prev is not None and key != prev:
            assert m.start >= last_end, "overlapping matches with overlapping=False"
        prev = key
        last_end = m.end


def _cell(v):
    if v is None:
        return None
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError, ImportError):
        pass
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


@needs_lexiscan
@pytest.mark.parametrize("opts", [o for o in ALL_OPTIONS if o["accents"] == "fold"], ids=_opts_id)
@SETTINGS
@given(scenario=corpus_scenarios())
def test_scan_equals_find(opts, scenario):
    pytest.importorskip("pandas")
    spec, docs = scenario
    matcher = build_matcher(spec, opts)
    df = matcher.scan(docs).to_pandas()
    assert list(df.columns[:7]) == ["doc", "entity", "label", "alias", "start", "end", "text"]
    got = [
        tuple(_cell(v) for v in row)
        for row in df[["doc", "entity", "label", "alias", "start", "end", "text"]].itertuples(
            index=False, name=None
        )
    ]
    want = [
        (i, m.entity, m.label, m.alias, m.start, m.end, m.text)
        for i, doc in enumerate(docs)
        for m in matcher.find(doc)
    ]
    assert got == want
