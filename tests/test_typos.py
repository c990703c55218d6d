"""Typo-tolerant matching (`Matcher(max_edits=...)`, docs/matching.md §7): against the plain
Python reference (`reference_find_with_typos`), on the seed corpus, and its bad options."""

import os
import pickle
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference import reference_find_with_typos  # noqa: E402
from test_properties import (  # noqa: E402
    ALL_OPTIONS,
    FILLER,
    SEPARATORS,
    SETTINGS,
    _explain,
    _opts_id,
    build_lexicon,
    entries_from_spec,
    lexicon_specs,
    mutated,
)

import lexiscan  # noqa: E402


@st.composite
def misspelt(draw, alias):
    """`alias` with up to two characters deleted, inserted or replaced."""
    chars = list(alias)
    for _ in range(draw(st.integers(1, 2))):
        i = draw(st.integers(0, len(chars)))
        kind = draw(st.sampled_from(["delete", "insert", "replace"]))
        letter = draw(st.sampled_from("aeiouxzé"))
        if kind == "insert" or not chars:
            chars.insert(i, letter)
        elif i < len(chars):
            chars[i] = letter if kind == "replace" else ""
    return "".join(chars)


@st.composite
def typo_scenarios(draw):
    spec = draw(lexicon_specs())
    pool = sorted({a for entity, _, more, _ in spec for a in [entity] + list(more)})
    pieces = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 5))
        alias = draw(mutated(draw(st.sampled_from(pool))))
        if kind <= 2:
            pieces.append(draw(misspelt(alias)))
        elif kind == 3:
            pieces.append(alias)
        else:
            pieces.append(draw(FILLER))
        pieces.append(draw(SEPARATORS))
    return spec, "".join(pieces)


def rows(matches):
    return [(m.start, m.end, m.entity, m.label, m.alias, m.edits) for m in matches]


@pytest.mark.parametrize("opts", ALL_OPTIONS, ids=_opts_id)
@pytest.mark.parametrize("max_edits,min_chars", [(1, 3), (2, 5)])
@SETTINGS
@given(scenario=typo_scenarios())
def test_typos_equal_reference(opts, max_edits, min_chars, scenario):
    spec, text = scenario
    typo_opts = dict(opts, max_edits=max_edits, typo_min_chars=min_chars)
    matcher = lexiscan.Matcher(build_lexicon(spec), **typo_opts)
    got = rows(matcher.find(text))
    want = reference_find_with_typos(entries_from_spec(spec), text, **typo_opts)
    assert got == want, _explain(spec, text, typo_opts, got, want)
    # Exact matches are never lost to typo matches, and text[start:end] is the match.
    exact = lexiscan.Matcher(build_lexicon(spec), **opts).find(text)
    assert [r[:5] for r in rows(exact)] == [r[:5] for r in got if r[5] == 0]
    assert all(m.text == text[m.start : m.end] for m in matcher.find(text))


@SETTINGS
@given(scenario=typo_scenarios())
def test_scan_carries_edits(scenario):
    spec, text = scenario
    matcher = lexiscan.Matcher(build_lexicon(spec), max_edits=1, typo_min_chars=3)
    frame = matcher.scan([text, text]).to_pandas()
    found = rows(matcher.find(text))
    assert frame["edits"].tolist() == [r[5] for r in found] * 2
    assert list(frame.columns) == lexiscan.Matcher(build_lexicon(spec)).scan(
        []
    ).to_pandas().columns.tolist() + ["edits"]


def test_seed_corpus_finds_the_misspelt_fomin():
    matcher = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon(), max_edits=1)
    docs = lexiscan.datasets.seeds()["text"]
    typo = matcher.scan(docs).to_pandas()
    exact = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon()).scan(docs).to_pandas()
    typos = typo[typo["edits"] > 0]
    # The misspelt Fomin; "Russian" is no typo of Russia (a longer form), but a changed
    # ending is one ("exercised" for the keyword "exercises", as "Lavrow" for Lavrov).
    assert sorted(typos[["entity", "text", "edits"]].values.tolist()) == [
        ["Alexander Fomin", "Alexander formin", 1],
        ["military exercises", "exercised", 1],
    ]
    # Every exact match is still there, unchanged; typo rows are extra rows.
    columns = ["doc", "entity", "start", "end", "text"]
    kept = typo[typo["edits"] == 0][columns].reset_index(drop=True)
    assert kept.equals(exact[columns].reset_index(drop=True))


def test_off_by_default_and_kept_by_pickle():
    lex = lexiscan.Lexicon().add("Sergei Lavrov", ["Lavrov"])
    assert lexiscan.Matcher(lex).find("Sergei Lavrow") == []
    assert "edits" not in lexiscan.Matcher(lex).scan(["Lavrov"]).to_pandas().columns
    typos = lexiscan.Matcher(lex, max_edits=1)
    again = pickle.loads(pickle.dumps(typos))
    assert [(m.text, m.edits) for m in again.find("Sergei Lavrow")] == [("Sergei Lavrow", 1)]
    assert "max_edits=1" in repr(again)
    short = lexiscan.Matcher(lex, max_edits=1, typo_min_chars=20)
    assert short.find("Sergei Lavrow") == []


def test_a_dataframe_is_refused_with_the_column_to_pass():
    with pytest.raises(TypeError, match=r"scan\(frame\['text'\]\)"):
        lexiscan.Matcher(lexiscan.Lexicon().add("NATO")).scan(lexiscan.datasets.seeds())


@pytest.mark.parametrize(
    "kwargs,error,message",
    [
        ({"max_edits": 3}, ValueError, "max_edits='3'"),
        ({"max_edits": -1}, ValueError, "max_edits='-1'"),
        ({"max_edits": "1"}, TypeError, "max_edits must be int"),
        ({"max_edits": True}, TypeError, "max_edits must be int"),
        ({"max_edits": 1, "typo_min_chars": 0}, ValueError, "typo_min_chars='0'"),
        ({"max_edits": 1, "typo_min_chars": 256}, ValueError, "typo_min_chars='256'"),
    ],
)
def test_bad_typo_options_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        lexiscan.Matcher(lexiscan.Lexicon().add("Lavrov"), **kwargs)
