"""`ScanResult.highlight` marks exactly the matches it must: a property test over the HTML.

The documented rule: matches are drawn in order of start; one that starts before the end of
the last drawn match (nested, overlapping or an ambiguous repeat) is not drawn. Every other
match is marked exactly once, over exactly its text, with its label.
"""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

import lexiscan

LEXICON = (
    lexiscan.Lexicon()
    .add("United States", ["U.S.", "US"], label="GPE")
    .add("Kyiv", label="GPE")
    .add("New York", label="GPE")
    .add("York", label="PERSON")
    .add("New", label=None)
    .add("Kyiv Post", label="ORG")
    .add("Kyiv Post", label="MEDIA")  # ambiguous: two entities share one alias
)
MATCHERS = {
    (overlapping, whole): lexiscan.Matcher(LEXICON, overlapping=overlapping, whole_words=whole)
    for overlapping, whole in ((False, True), (True, True), (True, False))
}
PIECES = ["U.S.", "US", "Kyiv", "Post", "New", "York", " ", ".", "&", "<b>", "$5", "é", "\n", "x"]

_MARK = re.compile(r"<mark [^>]*>(.*?)<span [^>]*>(.*?)</span></mark>", re.S)


def marks(page: str) -> list[tuple[int, int, str, str]]:
    """(start, end, text, label) of each mark, offsets in the unescaped text."""
    body = re.fullmatch(r"<div [^>]*>(.*)</div>", page, re.S)
    assert body is not None
    found, at, cursor = [], 0, 0
    for mark in _MARK.finditer(body.group(1)):
        at += len(html.unescape(body.group(1)[cursor : mark.start()]))
        text = html.unescape(mark.group(1))
        found.append((at, at + len(text), text, html.unescape(mark.group(2))))
        at += len(text)
        cursor = mark.end()
    assert "<mark" not in body.group(1)[cursor:]
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.sampled_from(sorted(MATCHERS)))
def test_every_match_is_marked_once_by_the_documented_rule(
    pieces: list[str], options: tuple[bool, bool]
) -> None:
    text = "".join(pieces)
    matcher = MATCHERS[options]
    result = matcher.scan([text])
    expected, last_end = [], -1
    for m in sorted(matcher.find(text), key=lambda m: (m.start, -m.end)):
        if m.start >= last_end:
            expected.append((m.start, m.end, text[m.start : m.end], m.label or ""))
            last_end = m.end
    got = marks(result.highlight(0).html)
    assert got == expected
    # the text around the marks is the document itself, unchanged
    page = result.highlight(0).html
    plain = html.unescape(re.sub(r"<span [^>]*>.*?</span>|<[^>]+>", "", page))
    assert plain == text


def test_adjacent_matches_get_a_mark_each() -> None:
    page = MATCHERS[False, True].scan(["U.S.Kyiv"]).highlight(0).html
    assert [m[2] for m in marks(page)] == ["U.S.", "Kyiv"]
