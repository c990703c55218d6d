"""The Python face: inputs, keys, missing values, errors, result shape."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lexiscan


@pytest.fixture
def matcher() -> lexiscan.Matcher:
    lex = lexiscan.Lexicon()
    lex.add("Jens Stoltenberg", ["Stoltenberg", "NATO Secretary General"], label="PERSON")
    lex.add("United States", ["United States", "U.S.", "America"], label="GPE")
    lex.add("United States", ["US"], label="GPE", case_sensitive=True)
    lex.add("Kyiv", ["Kiev"], label="GPE")
    return lexiscan.Matcher(lex)


def rows(result: lexiscan.ScanResult) -> list[tuple]:
    return list(result.to_pandas().itertuples(index=False, name=None))


def test_contract_example(matcher: lexiscan.Matcher) -> None:
    text = "NATO Secretary-General Jens\nStoltenberg told us the US and the U.S. agree."
    found = matcher.find(text)
    assert [(m.entity, m.alias, m.text) for m in found] == [
        ("Jens Stoltenberg", "NATO Secretary General", "NATO Secretary-General"),
        ("Jens Stoltenberg", "Jens Stoltenberg", "Jens\nStoltenberg"),
        ("United States", "US", "US"),
        ("United States", "U.S.", "U.S."),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.label in {"PERSON", "GPE"}


def test_columns_and_order(matcher: lexiscan.Matcher) -> None:
    df = matcher.scan(["Kiev and Kyiv", "", "Stoltenberg in America"]).to_pandas()
    assert list(df.columns) == ["doc", "entity", "label", "alias", "start", "end", "text"]
    assert df["doc"].tolist() == [0, 0, 2, 2]
    assert df["text"].tolist() == ["Kiev", "Kyiv", "Stoltenberg", "America"]
    assert df["start"].dtype == np.int64


def test_empty_result_has_the_same_dtypes(matcher: lexiscan.Matcher) -> None:
    full = matcher.scan(["Kyiv"]).to_pandas()
    empty = matcher.scan(["nothing here"]).to_pandas()
    assert empty.empty
    assert full.dtypes.drop("label").tolist() == empty.dtypes.drop("label").tolist()


def test_series_index_labels_are_doc_keys(matcher: lexiscan.Matcher) -> None:
    docs = pd.Series(["Kiev", None, np.nan, pd.NA, "Kyiv"], index=["a", "b", "c", "d", "e"])
    df = matcher.scan(docs).to_pandas()
    assert df["doc"].tolist() == ["a", "e"]


def test_mapping_and_generator_inputs(matcher: lexiscan.Matcher) -> None:
    as_dict = matcher.scan({"x": "Kyiv", "y": "Kiev"}).to_pandas()
    assert as_dict["doc"].tolist() == ["x", "y"]
    gen = matcher.scan(t for t in ["Kyiv", "no", "Kiev"])
    assert gen.n_docs == 3
    assert gen.to_pandas()["doc"].tolist() == [0, 2]


# 18 documents: 4, 5 and 7 leave a partial last batch (2, 3 and 4 documents)
@pytest.mark.parametrize("batch_size", [1, 2, 3, 4, 5, 7, 17, 1000])
def test_batches_do_not_change_the_result(matcher: lexiscan.Matcher, batch_size: int) -> None:
    docs = ["Kyiv", "no", "Kiev Kyiv", "", "U.S. US us", "America"] * 3
    whole = rows(matcher.scan(docs, n_threads=1))
    assert rows(matcher.scan(docs, batch_size=batch_size, n_threads=2)) == whole
    assert rows(matcher.scan(iter(docs), batch_size=batch_size)) == whole


class _CountingNative:
    """A matcher's native object that records the size of each batch it is asked to scan."""

    def __init__(self, native: object, batches: list[int]) -> None:
        self._native, self._batches = native, batches

    def scan(self, docs: list, *args: object) -> object:
        self._batches.append(len(docs))
        return self._native.scan(docs, *args)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self._native, name)


def test_batches_sent_to_rust(matcher: lexiscan.Matcher, monkeypatch: pytest.MonkeyPatch) -> None:
    import tqdm.auto

    batches: list[int] = []
    matcher._native = _CountingNative(matcher._native, batches)  # type: ignore[assignment]
    docs = ["Kyiv", "no"] * 12_500
    # A collection without a bar: one call, so no core waits on Python between batches.
    assert len(matcher.scan(docs)) == 12_500
    assert batches == [25_000]
    # An iterator, and an explicit batch size, go in batches.
    batches.clear()
    assert matcher.scan(iter(docs)).n_docs == 25_000
    assert batches == [10_000, 10_000, 5_000]
    batches.clear()
    assert len(matcher.scan(docs, batch_size=20_000)) == 12_500
    assert batches == [20_000, 5_000]
    # A bar moves batch by batch, and counts every document.
    updates: list[int] = []

    class Bar:
        def __init__(self, total: int, **_: object) -> None:
            self.total = total

        def update(self, n: int) -> None:
            updates.append(n)

        def close(self) -> None:
            pass

    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    batches.clear()
    assert len(matcher.scan(docs, progress=True)) == 12_500
    assert batches == updates == [10_000, 10_000, 5_000]


def test_scan_equals_find_per_document(matcher: lexiscan.Matcher) -> None:
    docs = ["Kiev—Kyiv", "STOLTENBERG", "the U.S.’s Ünïcode 😀 Kyiv"]
    expected = [
        (i, m.entity, m.label, m.alias, m.start, m.end, m.text)
        for i, d in enumerate(docs)
        for m in matcher.find(d)
    ]
    assert rows(matcher.scan(docs)) == expected


def test_non_string_document_is_named(matcher: lexiscan.Matcher) -> None:
    with pytest.raises(TypeError, match="document 2 is int"):
        matcher.scan(["a", "b", 3])
    with pytest.raises(TypeError, match="document 12 is bytes"):
        matcher.scan(["a"] * 12 + [b"x"], batch_size=5)
    with pytest.raises(TypeError, match="single str"):
        matcher.scan("Kyiv")


def test_lone_surrogate_is_a_value_error(matcher: lexiscan.Matcher) -> None:
    with pytest.raises(ValueError, match="document 1 .*surrogate"):
        matcher.scan(["fine", "bad \ud800 text"])
    with pytest.raises(ValueError, match="surrogate"):
        matcher.find("\udfff")


def test_missing_text_in_find_is_no_match(matcher: lexiscan.Matcher) -> None:
    assert matcher.find(None) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("alias", ["", "   ", "\n\t", "\u00a0", "\u00ad"])
def test_empty_alias_is_refused_and_nothing_is_added(alias: str) -> None:
    lex = lexiscan.Lexicon().add("NATO", label="ORG")
    with pytest.raises(ValueError, match="empty"):
        lex.add("NATO", ["alliance", alias], label="ORG")
    assert lex.aliases_of("NATO") == ["NATO"]


def test_bad_lexicon_input_types() -> None:
    lex = lexiscan.Lexicon()
    with pytest.raises(TypeError, match="entity must be str"):
        lex.add(42, ["x"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="alias 7 of 'NATO' is int"):
        lex.add("NATO", ["ok", 7])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="label"):
        lex.add("NATO", label=3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Lexicon"):
        lexiscan.Matcher({"NATO": []})  # type: ignore[arg-type]
    assert len(lex) == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"case": "upper"}, "case='upper'"),
        ({"accents": "strip"}, "accents='strip'"),
        ({"whole_words": "yes"}, "whole_words must be bool"),
    ],
)
def test_bad_options(kwargs: dict, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        lexiscan.Matcher(lexiscan.Lexicon().add("x"), **kwargs)


def test_bad_thread_count(matcher: lexiscan.Matcher) -> None:
    with pytest.raises(ValueError, match="n_threads"):
        matcher.scan(["x"], n_threads=0)
    with pytest.raises(ValueError, match="n_threads='-2'"):
        matcher.scan(["x"], n_threads=-2)


def test_add_many_names_columns_of_different_lengths() -> None:
    with pytest.raises(ValueError, match="2 entities but 1 aliases"):
        lexiscan.Lexicon().add_many(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="2 entities but 1 labels"):
        lexiscan.Lexicon().add_many(["a", "b"], ["a", "b"], ["X"])
    lex = lexiscan.Lexicon()
    with pytest.raises(ValueError, match="case_sensitive"):
        lex.add_many(["a", "b"], ["a", "b"], case_sensitive=[True])
    assert len(lex) == 0


def test_matcher_options_cross_by_name() -> None:
    matcher = lexiscan.Matcher(
        lexiscan.Lexicon().add("x"), case="sensitive", accents="keep", max_edits=1
    )
    assert matcher._native.options() == {
        "case": "sensitive",
        "accents": "keep",
        "whole_words": True,
        "overlapping": False,
        "max_edits": 1,
        "typo_min_chars": 5,
    }


def test_lexicon_merges_and_lists_ambiguity() -> None:
    lex = lexiscan.Lexicon()
    lex.add("George Washington", ["Washington"], label="PERSON")
    lex.add("Washington", ["Washington D.C."], label="GPE")
    lex.add("Washington", ["D.C."], label="GPE")
    assert lex.entities == [("George Washington", "PERSON"), ("Washington", "GPE")]
    assert lex.aliases_of("Washington", label="GPE") == ["Washington", "Washington D.C.", "D.C."]
    assert lex.ambiguous() == {
        "Washington": [("George Washington", "PERSON"), ("Washington", "GPE")]
    }
    df = lexiscan.Matcher(lex).scan(["Washington said"]).to_pandas()
    assert df[["entity", "label"]].values.tolist() == [
        ["George Washington", "PERSON"],
        ["Washington", "GPE"],
    ]


def test_from_dict_round_trips_through_to_dict() -> None:
    data = {
        "PERSON": {"Jens Stoltenberg": ["Jens Stoltenberg", "Stoltenberg"]},
        "GPE": {
            "United States": ["United States", "U.S.", {"alias": "US", "case_sensitive": True}]
        },
    }
    lex = lexiscan.Lexicon.from_dict(data)
    assert lex.to_dict() == data
    assert lexiscan.Lexicon.from_dict(lex.to_dict()).to_dict() == data
    with pytest.raises(ValueError, match="needs the key 'alias'"):
        lexiscan.Lexicon.from_dict({"GPE": {"US": [{"name": "US"}]}})


def test_matcher_keeps_a_snapshot_of_the_lexicon() -> None:
    lex = lexiscan.Lexicon().add("NATO")
    m = lexiscan.Matcher(lex)
    lex.add("Russia")
    assert [x.text for x in m.find("NATO and Russia")] == ["NATO"]
    assert len(m.lexicon) == 1


def test_match_objects_compare_and_print() -> None:
    m = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv", label="GPE"))
    a, b = m.find("Kyiv"), m.find("Kyiv")
    assert a == b and hash(a[0]) == hash(b[0])
    assert repr(a[0]) == (
        "Match(entity='Kyiv', label='GPE', alias='Kyiv', start=0, end=4, text='Kyiv')"
    )


def test_notebook_views() -> None:
    lex = lexiscan.datasets.seeds_lexicon()
    html = lex._repr_html_()
    assert (
        f"{len(lex):,} entities" in html and "Jens Stoltenberg" in html and "more entities" in html
    )
    res = lexiscan.Matcher(lex).scan(lexiscan.datasets.seeds()["text"])
    html = res._repr_html_()
    assert f"{len(res):,} matches in 5 documents" in html and "<table" in html
    assert "NATO" in html.split("most mentioned:")[1].split("</p>")[0]


def test_arrow_table_and_stream_interface(matcher: lexiscan.Matcher) -> None:
    pa = pytest.importorskip("pyarrow")
    docs = pd.Series(["Kiev—Kyiv", None, "ÜS U.S. Stoltenberg"], index=["a", "b", "c"])
    res = matcher.scan(docs)
    table = pa.table(res)  # through __arrow_c_stream__
    assert table.column_names == ["doc", "entity", "label", "alias", "start", "end", "text"]
    frame = res.to_pandas()
    assert table.column("text").to_pylist() == frame["text"].tolist()
    assert table.column("doc").to_pylist() == frame["doc"].tolist()
    assert table.column("entity").to_pylist() == frame["entity"].tolist()


@pytest.mark.parametrize("arrow_strings", [True, False], ids=["arrow", "object"])
def test_frame_columns_are_the_matches_and_the_users_to_change(
    matcher: lexiscan.Matcher, monkeypatch, arrow_strings: bool
) -> None:
    if arrow_strings and not lexiscan._result._ARROW_STRINGS:
        pytest.skip("Arrow-backed text columns need pandas 3 and pyarrow")
    monkeypatch.setattr(lexiscan._result, "_ARROW_STRINGS", arrow_strings)
    docs = ["Kiev—Kyiv and NATO", None, "US us Stoltenberg"] * 3
    matcher = lexiscan.Matcher(matcher.lexicon.add("NATO"))  # an entity without a label
    res = matcher.scan(docs)
    want = [
        (i, m.entity, m.label, m.alias, m.start, m.end, m.text)
        for i, doc in enumerate(docs)
        for m in matcher.find(doc or "")
    ]
    frame = res.to_pandas()
    got = [
        tuple(None if isinstance(v, float) and np.isnan(v) else v for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]
    assert got == want
    # the frame owns its columns: assigning works and leaves the result and later frames alone
    frame.loc[0, "start"] = 99
    frame["end"] += 1
    frame.loc[0, "entity"] = "changed"
    again = res.to_pandas()
    assert again["start"].tolist() == [m[4] for m in want]
    assert again["end"].tolist() == [m[5] for m in want]
    assert again.loc[0, "entity"] == want[0][1]


def test_text_columns_of_a_foreign_matcher_are_refused(matcher: lexiscan.Matcher) -> None:
    res = matcher.scan(["Kyiv"])
    other = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
    with pytest.raises(ValueError, match="do not come from this matcher"):
        res._native.text_columns(other._native)


def test_match_notebook_view_escapes() -> None:
    m = lexiscan.Matcher(lexiscan.Lexicon().add("A&B", label="<ORG>"))
    html = m.find("A&B $5")[0]._repr_html_()
    assert "A&amp;B</mark>" in html and "&lt;ORG&gt;" in html and "0–3" in html


@pytest.mark.parametrize("as_series", [False, True])
def test_scan_to_parquet_equals_scan(matcher: lexiscan.Matcher, tmp_path, as_series: bool) -> None:
    pytest.importorskip("pyarrow")
    texts = ["Kiev—Kyiv", "", "US and us", "Stoltenberg in America", None] * 7
    docs = pd.Series(texts, index=[f"d{i}" for i in range(len(texts))]) if as_series else texts
    path = tmp_path / "matches.parquet"
    n = matcher.scan_to_parquet(docs if as_series else iter(docs), path, batch_size=3)
    expected = matcher.scan(docs).to_pandas()
    got = pd.read_parquet(path)
    assert n == len(expected) == len(got)
    assert got.astype(object).values.tolist() == expected.astype(object).values.tolist()


@pytest.mark.parametrize(
    "make",
    [
        lambda pa, d: pa.array(d),
        lambda pa, d: pa.array(d, type=pa.large_string()),
        lambda pa, d: pa.array(d, type=pa.string_view()),
        lambda pa, d: pa.array(d).dictionary_encode(),
        lambda pa, d: pa.chunked_array([d[:3], d[3:]]),
    ],
    ids=["utf8", "large_utf8", "utf8_view", "dictionary", "chunked"],
)
def test_arrow_documents_are_read_in_place(matcher: lexiscan.Matcher, make) -> None:
    pa = pytest.importorskip("pyarrow")
    docs = ["Kiev—Kyiv", None, "the U.S.’s Ünïcode 😀 Kyiv", "", "Stoltenberg", None, "US us"]
    expected = rows(matcher.scan(docs))
    result = matcher.scan(make(pa, docs))
    assert result.n_docs == len(docs)
    assert rows(result) == expected
    assert result.kwic("Kyiv")["keyword"].tolist() == ["Kiev", "Kyiv", "Kyiv"]


def test_arrow_dictionary_of_only_nulls_is_documents_that_are_missing(
    matcher: lexiscan.Matcher,
) -> None:
    # An all-null dictionary array has an empty dictionary: no text to read, no panic.
    pa = pytest.importorskip("pyarrow")
    docs = pa.array([None, None, None], type=pa.string()).dictionary_encode()
    result = matcher.scan(docs)
    assert result.n_docs == 3
    assert len(result.to_pandas()) == 0
    mixed = pa.chunked_array([docs, pa.array(["Kyiv"]).dictionary_encode()])
    assert matcher.scan(mixed).to_pandas()["doc"].tolist() == [3]


def test_arrow_backed_pandas_series_keeps_its_index(matcher: lexiscan.Matcher) -> None:
    pytest.importorskip("pyarrow")
    docs = pd.Series(["Kiev", None, "Kyiv"], index=["x", "y", "z"], dtype="string[pyarrow]")
    assert matcher.scan(docs).to_pandas()["doc"].tolist() == ["x", "z"]


def test_arrow_documents_must_be_strings(matcher: lexiscan.Matcher) -> None:
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(TypeError, match="Arrow documents must be strings.*Int64"):
        matcher.scan(pa.array([1, 2]))


def test_corpus_files(tmp_path, matcher: lexiscan.Matcher) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_bytes("\ufeffKiev and Kyiv".encode())
    (tmp_path / "a" / "two.txt").write_text("nothing", "utf-8")
    texts = lexiscan.read_texts(tmp_path / "a")
    assert texts.tolist() == ["Kiev and Kyiv", "nothing"]
    assert matcher.scan(texts).to_pandas()["doc"].str.endswith("one.txt").all()
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9")
    with pytest.raises(ValueError, match=r"latin1.txt: not UTF-8 \(bad byte at offset 3\)"):
        lexiscan.read_texts(tmp_path / "latin1.txt")
    with pytest.raises(FileNotFoundError, match="nope"):
        lexiscan.read_texts(tmp_path / "nope*.txt")


def test_unreadable_files_raise_os_errors_naming_the_path(tmp_path) -> None:
    from lexiscan import _lexiscan

    missing = str(tmp_path / "gone.txt")
    with pytest.raises(FileNotFoundError, match="gone.txt"):
        _lexiscan.read_texts([missing])
    with pytest.raises(FileNotFoundError, match="gone.txt"):
        _lexiscan.read_jsonl(missing, "text")
    # A directory is there but is no file: an OSError that is neither of the two above.
    with pytest.raises(OSError, match=str(tmp_path.name)) as raised:
        _lexiscan.read_texts([str(tmp_path)])
    assert not isinstance(raised.value, (FileNotFoundError, PermissionError))


def test_jsonl_corpus(tmp_path) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(
        '{"id": 1, "body": "NATO met.", "outlet": "AJ"}\n\n{"id": "b", "body": null}\n', "utf-8"
    )
    frame = lexiscan.read_jsonl(path, text="body", id="id", group="outlet")
    assert frame.values.tolist() == [["1", "NATO met.", "AJ"], ["b", None, None]]
    path.write_text('{"body": "ok"}\n{"body": 3}\nnot json\n', "utf-8")
    with pytest.raises(ValueError, match=r"2 bad lines: line 2: .*not text.*line 3: not JSON"):
        lexiscan.read_jsonl(path, text="body")


def test_polars_series_in_and_dataframe_out(matcher: lexiscan.Matcher) -> None:
    pl = pytest.importorskip("polars")
    docs = ["Kiev—Kyiv", None, "KYIV ü Kiev"]
    result = matcher.scan(pl.Series(docs))  # string_view, through __arrow_c_stream__
    assert rows(result) == rows(matcher.scan(docs))
    frame = pl.DataFrame(result)
    assert frame.columns == ["doc", "entity", "label", "alias", "start", "end", "text"]
    assert frame["text"].to_list() == ["Kiev", "Kyiv", "KYIV", "Kiev"]


def test_a_stream_does_not_keep_its_documents_unless_asked(matcher: lexiscan.Matcher) -> None:
    streamed = matcher.scan((d for d in ["Kiev and Kyiv", "Kyiv"]), batch_size=1)
    assert len(streamed) == 3 and streamed.counts().to_numpy().sum() == 3  # no text needed
    with pytest.raises(ValueError, match="keep_text=True"):
        streamed.kwic("Kyiv")
    with pytest.raises(ValueError, match="keep_text=True"):
        streamed.cooccurrence("sentence")
    kept = matcher.scan((d for d in ["Kiev and Kyiv", "Kyiv"]), batch_size=1, keep_text=True)
    assert kept.kwic("Kyiv")["post"].tolist() == ["and Kyiv", "", ""]


def test_the_types_users_receive_are_exported() -> None:
    res = lexiscan.Matcher(lexiscan.Lexicon().add("NATO", label="ORG")).scan(["NATO <b>"])
    assert isinstance(res.audit(), lexiscan.Audit)
    assert isinstance(res.highlight(0), lexiscan.Highlighted)
    pytest.importorskip("scipy")
    assert isinstance(res.counts(sparse=True), lexiscan.SparseCounts)
    assert {"Audit", "Highlighted", "SparseCounts"} <= set(lexiscan.__all__)


def test_highlight_draws_the_first_of_overlapping_matches() -> None:
    lex = lexiscan.Lexicon().add("New York", label="GPE").add("York University", label="ORG")
    res = lexiscan.Matcher(lex, overlapping=True).scan(["New York University & $"])
    html = res.highlight(0).html
    assert html.count("<mark") == 1 and "New York<span" in html
    assert html.endswith(" University &amp; &#36;</div>")
