"""Documents searched without their folded copy (``src/matcher/unfolded/``) against the
plain Python reference (tests/reference.py).

A lexicon with a hundred-odd aliases gets the lockstep table, and with ASCII aliases without
``-`` also the table over original bytes: ASCII documents, and those whose only other
characters are typographic quotes, dashes and symbols, are then matched unfolded. The texts
here are made of those, full of whitespace runs, line breaks (``\\r\\n``, paragraphs) inside
multi-word aliases, hyphens and dashes between words or not, case mixtures, possessives,
elisions and quotes; a few carry a character that must be folded (``é``, a no-break space),
so batches mix both searches.
"""

import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import reference_find  # noqa: E402

lexiscan = pytest.importorskip("lexiscan")

SETTINGS = settings(
    max_examples=int(os.environ.get("LEXISCAN_UNFOLDED_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Enough aliases, with varied first and rare bytes, that the automaton gets no prefilter and
# the search is the lockstep table (as with the 100 countries of the benches).
FILLER = [chr(97 + i % 26) + chr(97 + i // 26) + "qton" for i in range(130)]

WORDS = ["new", "york", "city", "o", "brien", "a", "b", "people", "s", "l", "7", "ukraine"]
ALIAS_JOINS = [" ", " ", " ", "'", "' ", "'s ", ".", " (", ") ", '"', ""]
TEXT_WORDS = WORDS + ["New", "NEW", "York", "YORK", "City", "O", "Brien", "BRIEN", "x", "Q"]
TEXT_JOINS = [
    " ", " ", " ", "  ", " \t ", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\n\r", " \n \n",
    "\x0b", "\x0c", "-", "--", " - ", "- ", "\u2013", "\u2014", "\u2015", "\u2011", "\u2019",
    "\u2018", "\u201c", "\u201d", "\u2032", "'", '"', "'s ", "\u2019s ", "\u2019 ", "\u2026",
    "\u2022", "\u20ac", ".", ", ", ";", "!", "(", ")", "",
]  # fmt: skip
MUST_FOLD = ["\u00e9", "\u00a0", "\u2009", "\u00ad", "\u0416", "\u2212"]


@st.composite
def aliases(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
    joins = draw(st.lists(st.sampled_from(ALIAS_JOINS), min_size=3, max_size=3))
    alias = words[0] + "".join(j + w for j, w in zip(joins, words[1:]))
    return alias + ("*" if draw(st.integers(0, 9)) == 0 else "")


@st.composite
def texts(draw):
    parts = draw(
        st.lists(st.tuples(st.sampled_from(TEXT_JOINS), st.sampled_from(TEXT_WORDS)), max_size=40)
    )
    text = "".join(j + w for j, w in parts)
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(MUST_FOLD)) + text[at:]
    return text


def entries_and_matcher(alias_list, case_sensitive, options):
    entries = [(f"F{i}", None, alias, False) for i, alias in enumerate(FILLER)]
    entries += [(f"E{i}", None, alias, case_sensitive) for i, alias in enumerate(alias_list)]
    lexicon = lexiscan.Lexicon()
    for entity, _label, alias, sensitive in entries:
        lexicon.add(entity, [alias], case_sensitive=sensitive)
    # `add` puts each entity's name first: list it as the reference expects.
    expanded = []
    for entity, label, alias, sensitive in entries:
        expanded.append((entity, label, entity, sensitive))
        expanded.append((entity, label, alias, sensitive))
    return expanded, lexiscan.Matcher(lexicon, **options)


def rows(matches):
    return [(m.start, m.end, m.entity, m.alias) for m in matches]


@SETTINGS
@given(
    alias_list=st.lists(aliases(), min_size=1, max_size=6),
    batch=st.lists(texts(), min_size=1, max_size=6),
    case_sensitive=st.booleans(),
    whole_words=st.booleans(),
    case=st.sampled_from(["insensitive", "sensitive"]),
)
def test_unfolded_documents_match_as_the_reference(
    alias_list, batch, case_sensitive, whole_words, case
):
    options = {"whole_words": whole_words, "case": case}
    entries, matcher = entries_and_matcher(alias_list, case_sensitive, options)
    result = matcher.scan(batch, n_threads=1)
    frame = result.to_pandas()
    for doc, text in enumerate(batch):
        want = [
            (start, end, entity, alias)
            for start, end, entity, _label, alias in reference_find(entries, text, **options)
        ]
        assert rows(matcher.find(text)) == want, (text, alias_list, options)
        in_frame = frame[frame["doc"] == doc]
        got = [
            (int(start), int(end), str(entity), str(alias))
            for start, end, entity, alias in zip(
                in_frame["start"], in_frame["end"], in_frame["entity"], in_frame["alias"]
            )
        ]
        assert got == want, (text, alias_list, options)


def test_unfolded_examples():
    entries, matcher = entries_and_matcher(["New York", "O'Brien", "Brien"], False, {})
    cases = {
        "new\n\nyork": [],
        "NEW \r\n  York": ["NEW \r\n  York"],
        "new-york new\u2013York new - york": ["new-york", "new\u2013York"],
        "Russia\u2019s O\u2019Brien": ["O\u2019Brien"],
        "x\u2019Brien d\u2019Brien \u2026Brien\u2026": ["Brien", "Brien"],
    }
    for text, want in cases.items():
        got = [text[m.start : m.end] for m in matcher.find(text)]
        assert got == want, text
        ref = [text[s:e] for s, e, *_ in reference_find(entries, text)]
        assert ref == want, text
