"""Hostile input: each case gives a correct result or a clear exception, quickly."""

from __future__ import annotations

import pytest
from reference import reference_find

import lexiscan


@pytest.fixture(scope="module")
def matcher() -> lexiscan.Matcher:
    lex = lexiscan.Lexicon().add("NATO", label="ORG").add("Kyiv", ["Kiev"], label="GPE")
    return lexiscan.Matcher(lex)


def texts(found: list[lexiscan.Match]) -> list[str]:
    return [m.text for m in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NATO\0Kyiv\0\0", ["NATO", "Kyiv"]),
        ("\ufeffNATO \ufeffKyiv\ufeff", ["NATO", "Kyiv"]),
        ("NATO" + "\u0301" * 100_000 + " Kyiv", ["NATO" + "\u0301" * 100_000, "Kyiv"]),
        ("x" * 100_000 + " NATO " + "y" * 100_000, ["NATO"]),
        ("NATO" * 50_000, []),
        ("\u0301" * 1000 + "NATO", ["NATO"]),  # the marks belong to nothing
    ],
)
def test_odd_characters_and_long_words(matcher, text: str, expected: list[str]) -> None:
    found = matcher.find(text)
    assert [text[m.start : m.end] for m in found] == [m.text for m in found]
    assert texts(found) == expected


def test_ten_million_empty_documents(matcher) -> None:
    result = matcher.scan([""] * 10_000_000, batch_size=1_000_000)
    assert len(result) == 0 and result.n_docs == 10_000_000


def test_alias_of_ten_thousand_characters() -> None:
    alias = "Ab" * 5_000
    m = lexiscan.Matcher(lexiscan.Lexicon().add(alias))
    assert texts(m.find(f"{alias.upper()} {alias}b {alias}.")) == [alias.upper(), alias]


def test_aliases_that_are_prefixes_of_one_another() -> None:
    # 2,000 aliases a, a a, a a a, ... over 20,000 words: the greedy walk must not build the
    # ~40,000,000 overlapping candidates.
    lex = lexiscan.Lexicon().add_many(
        [f"e{i}" for i in range(2000)], ["a" + " a" * i for i in range(2000)]
    )
    m = lexiscan.Matcher(lex)
    found = m.find(" ".join(["a"] * 20_000))
    assert len(found) == 10 and all(len(x.text) == 3999 for x in found)


def test_the_same_alias_under_ten_thousand_entities() -> None:
    lex = lexiscan.Lexicon().add_many(
        [f"entity {i}" for i in range(10_000)], ["Springfield"] * 10_000
    )
    found = lexiscan.Matcher(lex).find("Springfield, and springfield")
    assert len(found) == 20_000
    assert [m.entity for m in found[:3]] == ["entity 0", "entity 1", "entity 2"]


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda lex: lex.add(""), ValueError),
        (lambda lex: lex.add("\u200b"), ValueError),
        (lambda lex: lex.add(None), TypeError),
        (lambda lex: lex.add("x", label=5), TypeError),
        (lambda lex: lex.add("x", [""]), ValueError),
        (lambda lex: lex.add("x", [b"bytes"]), TypeError),
        (lambda lex: lex.add_many(["x", 1], ["a", "b"]), TypeError),
        (lambda lex: lex.add_many(["x"], ["a", "b"]), ValueError),
    ],
)
def test_bad_names_and_labels(call, error) -> None:
    lex = lexiscan.Lexicon()
    with pytest.raises(error):
        call(lex)
    assert len(lex) == 0


def test_an_empty_label_is_a_label_of_its_own() -> None:
    lex = lexiscan.Lexicon().add("x", label="").add("x")
    assert lex.entities == [("x", ""), ("x", None)]
    assert lex.labels == [""]
    found = lexiscan.Matcher(lex).scan(["a x"]).to_pandas()
    assert found["label"].tolist()[0] == ""
    assert found["label"].isna().tolist() == [False, True]


def test_combining_storm_agrees_with_the_reference() -> None:
    lex = lexiscan.Lexicon().add("e", ["ee"])
    text = "e" + "\u0301\u0308" * 500 + "e " + "E\u0301" * 300
    want = reference_find([("e", None, "e", False), ("e", None, "ee", False)], text)
    got = [(m.start, m.end, m.entity, m.label, m.alias) for m in lexiscan.Matcher(lex).find(text)]
    assert got == want


def test_prefix_entry_whose_stem_folds_to_nothing_is_refused() -> None:
    # found by fuzz/fuzz_matcher.py: "\u0327*" is a prefix entry whose stem is an accent
    lex = lexiscan.Lexicon().add("E0", ["\u0327*"])
    with pytest.raises(ValueError, match="empty once folded"):
        lexiscan.Matcher(lex)
    assert len(lexiscan.Matcher(lex, accents="keep").find("\u0327x")) == 1


def test_a_million_aliases_that_are_prefixes_of_one_another() -> None:
    # 0..999,999 as aliases: "1" is a prefix of "12", "123", ... and of 111,111 others
    numbers = [str(i) for i in range(1_000_000)]
    m = lexiscan.Matcher(lexiscan.Lexicon().add_many(numbers, numbers))
    text = "123456 99, 1234567 and 007 or 0"
    assert [x.text for x in m.find(text)] == ["123456", "99", "0"]


def test_a_one_gigabyte_document() -> None:
    filler = "lorem ipsum dolor sit amet " * 400  # ~10 KB without a match
    doc = (filler + "NATO met in Kyiv. ") * 100_000  # ~1 GB of ASCII text
    m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv"))
    result = m.scan([doc])
    assert len(result) == 200_000
    frame = result.to_pandas()
    first = frame.iloc[0]
    assert doc[first.start : first.end] == "NATO"
    assert frame["end"].iloc[-1] == len(doc) - 2


def test_a_large_document_matched_in_pieces_equals_one_search() -> None:
    # Documents of 2 MB or more are cut after punctuation that no alias contains and matched
    # on all threads; `find` searches the text in one piece, so the two must agree.
    seeds = lexiscan.datasets.seeds()
    doc = "\n\n".join(list(seeds["text"]) * 40)  # ~3 MB, non-ASCII quotes and dashes
    m = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())
    whole = [(x.start, x.end, x.entity) for x in m.find(doc)]
    frame = m.scan([doc], n_threads=2).to_pandas()
    assert list(zip(frame["start"], frame["end"], frame["entity"])) == whole
    assert len(whole) > 1000
    assert all(doc[s:e] == t for s, e, t in zip(frame["start"], frame["end"], frame["text"]))
