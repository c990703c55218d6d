"""Every analysis agrees with a plain pandas computation from `to_pandas()`."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lexiscan

WORDS = ["NATO", "Russia", "Kyiv", "Kiev", "Fomin", "talks", "the", "and", "US", "us", "Sherman"]


def matcher() -> lexiscan.Matcher:
    lex = lexiscan.Lexicon()
    lex.add("NATO", label="ORG")
    lex.add("Russia", label="GPE")
    lex.add("Kyiv", ["Kiev"], label="GPE")
    lex.add("Alexander Fomin", ["Fomin"], label="PERSON")
    lex.add("Wendy Sherman", ["Sherman"], label="PERSON")
    lex.add("United States", ["US"], label="GPE", case_sensitive=True)
    return lexiscan.Matcher(lex)


documents = st.lists(
    st.lists(st.sampled_from(WORDS + [".", "\n"]), max_size=25).map(" ".join),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(documents, st.booleans())
def test_counts_and_frequency_match_pandas(docs: list[str], by_label: bool) -> None:
    res = matcher().scan(docs)
    by = "label" if by_label else "entity"
    df = res.to_pandas()
    expected = pd.crosstab(df["doc"], df[by]) if len(df) else pd.DataFrame()
    got = res.counts(by=by)
    assert got.shape[0] == len(docs)
    for (doc, key), n in expected.stack().items() if len(df) else []:
        assert got.loc[doc, key] == n
    assert got.to_numpy().sum() == len(df)
    sparse = res.counts(by=by, sparse=True)
    assert (sparse.matrix.toarray() == got.to_numpy()).all()
    assert (res.counts(by=by, presence=True).to_numpy() == (got.to_numpy() > 0)).all()
    freq = res.frequency(by=by).set_index("feature")
    for key, rows in df.groupby(by):
        assert freq.loc[key, "frequency"] == len(rows)
        assert freq.loc[key, "docfreq"] == rows["doc"].nunique()
        assert freq.loc[key, "share"] == pytest.approx(rows["doc"].nunique() / len(docs))
    ranks = df[by].value_counts().rank(method="min", ascending=False)
    for key, rank in ranks.items():
        assert freq.loc[key, "rank"] == rank


@settings(max_examples=60, deadline=None)
@given(documents)
def test_cooccurrence_matches_pandas(docs: list[str]) -> None:
    res = matcher().scan(docs)
    df = res.to_pandas()
    expected: dict[tuple[str, str], int] = {}
    for _, rows in df.groupby("doc"):
        for a, b in itertools.combinations(sorted(set(rows["entity"])), 2):
            expected[a, b] = expected.get((a, b), 0) + 1
    edges = res.cooccurrence(as_="edges")
    got = {tuple(sorted((s, t))): w for s, t, w in edges.itertuples(index=False)}
    assert got == expected
    frame = res.cooccurrence()
    for (a, b), n in expected.items():
        assert frame.loc[a, b] == frame.loc[b, a] == n


@settings(max_examples=40, deadline=None)
@given(documents, st.integers(0, 6))
def test_word_window_cooccurrence_matches_a_brute_force_count(docs: list[str], window: int) -> None:
    res = matcher().scan(docs)
    df = res.to_pandas()
    expected: dict[tuple[str, str], int] = {}
    for doc, rows in df.groupby("doc"):
        text = docs[doc]
        # word position: words (runs of letters) before the match start
        position = [
            len([w for w in text[:s].split() if any(c.isalnum() for c in w)]) for s in rows["start"]
        ]
        for (i, a), (j, b) in itertools.combinations(enumerate(rows["entity"]), 2):
            if a != b and abs(position[i] - position[j]) <= window:
                key = tuple(sorted((a, b)))
                expected[key] = expected.get(key, 0) + 1
    edges = res.cooccurrence(window, as_="edges")
    got = {tuple(sorted((s, t))): w for s, t, w in edges.itertuples(index=False)}
    assert got == expected


def test_sentence_cooccurrence_on_the_seed_corpus() -> None:
    docs = lexiscan.datasets.seeds().set_index("doc")["text"]
    res = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon()).scan(docs)
    by_doc = res.cooccurrence("document")
    by_sentence = res.cooccurrence("sentence")
    # Stoltenberg and NATO share 4 of the 5 articles (he is absent from the aggregator's copy)
    assert by_doc.loc["Jens Stoltenberg", "NATO"] == 4
    # a pair in one sentence is in one document: no pair shares a sentence without sharing a
    # document, and some pair is in more sentences than documents
    by_doc_aligned = by_doc.reindex(index=by_sentence.index, columns=by_sentence.columns)
    shares_sentence = by_sentence.to_numpy() > 0
    assert (by_doc_aligned.fillna(0).to_numpy()[shares_sentence] > 0).all()
    assert shares_sentence.any()
    assert (by_sentence.to_numpy() > by_doc_aligned.fillna(0).to_numpy()).any()
    assert (by_sentence.to_numpy() == by_sentence.to_numpy().T).all()
    assert (by_sentence.to_numpy().diagonal() == 0).all()
    assert by_sentence.loc["Jens Stoltenberg", "NATO"] >= 4


def test_kwic_of_the_line_broken_fomin() -> None:
    docs = lexiscan.datasets.seeds().set_index("doc")["text"]
    res = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon()).scan(docs)
    k = res.kwic("Alexander Fomin", window=3)
    assert list(k.columns) == [
        "docname",
        "from",
        "to",
        "pre",
        "keyword",
        "post",
        "pattern",
        "entity",
    ]
    assert "Alexander\nFomin" in k["keyword"].tolist()
    for row in k.itertuples():
        text = docs[row.docname]
        assert text[row._2 : row.to] == row.keyword
        assert row.pre in text[: row._2] and row.post in text[row.to :]
        assert len(row.pre.split()) <= 3 + 2  # three words (and their punctuation)
    by_alias = res.kwic("Fomin")
    assert set(by_alias["pattern"]) == {"Fomin"}


def test_compare_keyness_matches_a_hand_computation() -> None:
    docs = ["NATO NATO NATO Russia", "NATO Russia", "Russia Russia Russia Russia NATO"]
    groups = ["A", "A", "B"]
    res = matcher().scan(docs)
    out = res.compare(groups).set_index(["group", "feature"])
    # group A: NATO 4 of 6 mentions; B: NATO 1 of 5
    a, b, c, d = 4, 1, 2, 4
    n = a + b + c + d
    chi2 = n * (abs(a * d - b * c) - n / 2) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    assert out.loc[("A", "NATO"), "chi2"] == pytest.approx(chi2)
    assert out.loc[("B", "NATO"), "chi2"] == pytest.approx(-chi2)
    expected = np.array([[a, b], [c, d]], dtype=float)
    e = expected.sum(1, keepdims=True) * expected.sum(0, keepdims=True) / n
    g2 = 2 * (expected * np.log(expected / e)).sum()
    assert out.loc[("A", "NATO"), "G2"] == pytest.approx(g2)
    assert out.loc[("A", "NATO"), "p"] == pytest.approx(math.erfc(math.sqrt(chi2 / 2)))


def test_compare_by_outlet_on_the_seed_corpus() -> None:
    seeds = lexiscan.datasets.seeds()
    res = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon()).scan(seeds.set_index("doc")["text"])
    out = res.compare(seeds.set_index("doc")["outlet"])
    top = out[out["group"] == "News aggregator"].iloc[0]
    # the aggregator's Geneva report is the one about Sherman and Ryabkov
    assert top["feature"] in {"Wendy R. Sherman", "Sergei Ryabkov"} and top["chi2"] > 0


def test_highlight_marks_each_match_and_escapes() -> None:
    res = matcher().scan(["<b>NATO</b> & Kiev: $100", "US"])
    html = res.highlight(0).html
    assert html.count("<mark") == 2 and "&lt;b&gt;" in html and "&#36;100" in html
    assert res.highlight(0)._repr_html_() == html
    with pytest.raises(KeyError):
        res.highlight(7)


def test_bad_arguments() -> None:
    res = matcher().scan(["NATO"])
    with pytest.raises(ValueError, match="by="):
        res.counts(by="word")
    with pytest.raises(ValueError, match="window="):
        res.cooccurrence("paragraph")
    with pytest.raises(ValueError, match="groups has 2 values for 1 documents"):
        res.frequency(groups=["a", "b"])
