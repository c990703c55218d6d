"""Pickling, save/load and worker processes: a matcher travels as its spec and rebuilds."""

from __future__ import annotations

import multiprocessing
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lexiscan

DOCS = ["NATO–Russia talks in Geneva", "Kiev, now Kyiv", "", "US and us", "Invading forces"]


def seeds_matcher(**options: object) -> lexiscan.Matcher:
    lex = lexiscan.Lexicon()
    lex.add("Kyiv", ["Kiev"], label="GPE")
    lex.add("NATO", label="ORG")
    lex.add("United States", ["US"], label="GPE", case_sensitive=True)
    lex.add("invasion", ["invad*"], label="TOPIC")
    return lexiscan.Matcher(lex, **options)  # type: ignore[arg-type]


def rows(matcher: lexiscan.Matcher, docs: list[str]) -> list[tuple]:
    return list(matcher.scan(docs).to_pandas().itertuples(index=False, name=None))


@pytest.mark.parametrize("options", [{}, {"overlapping": True, "accents": "keep"}])
def test_pickled_matcher_matches_the_same(options: dict) -> None:
    m = seeds_matcher(**options)
    back = pickle.loads(pickle.dumps(m))
    assert repr(back) == repr(m)
    assert rows(back, DOCS) == rows(m, DOCS)
    assert back.fingerprint == m.fingerprint


def test_second_unpickle_in_a_process_reuses_the_automaton() -> None:
    data = pickle.dumps(seeds_matcher(whole_words=False))
    first, second = pickle.loads(data), pickle.loads(data)
    assert first is second


def test_dask_token_is_the_fingerprint() -> None:
    a, b = seeds_matcher(), seeds_matcher()
    assert a.__dask_tokenize__() == b.__dask_tokenize__()
    assert seeds_matcher(overlapping=True).fingerprint != a.fingerprint


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1).filter(
    lambda s: s.strip() and s.strip("\u00ad\u200b\u2060\ufeff")
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(names, st.lists(names, max_size=3), st.none() | names, st.booleans()),
        max_size=6,
    )
)
def test_lexicon_round_trips_through_bytes_and_pickle(rows_: list) -> None:
    lex = lexiscan.Lexicon()
    for entity, aliases, label, sensitive in rows_:
        try:
            lex.add(entity, aliases, label=label, case_sensitive=sensitive)
        except ValueError:
            continue  # an alias that folds to nothing: refused, tested elsewhere
    assert lexiscan.Lexicon.from_bytes(lex.to_bytes()) == lex
    assert pickle.loads(pickle.dumps(lex)) == lex


def _scan_in_worker(args: tuple[lexiscan.Matcher, list[str]]) -> list[tuple]:
    matcher, docs = args
    return rows(matcher, docs)


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_matcher_runs_in_worker_processes(method: str) -> None:
    m = seeds_matcher()
    expected = rows(m, DOCS)  # the parent has used its thread pool before forking
    with multiprocessing.get_context(method).Pool(2) as pool:
        results = pool.map(_scan_in_worker, [(m, DOCS)] * 3)
    assert results == [expected] * 3


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "matcher.lexiscan"
    seeds_matcher().save(path)
    return path


def test_save_and_load(saved: Path) -> None:
    assert rows(lexiscan.Matcher.load(saved), DOCS) == rows(seeds_matcher(), DOCS)


def damage(data: bytes, how: str) -> bytes:
    if how == "empty":
        return b""
    if how == "truncated-header":
        return data[:10]
    if how == "truncated-data":
        return data[:-7]
    if how == "flipped-byte":
        return data[:40] + bytes([data[40] ^ 0x01]) + data[41:]
    if how == "padded":
        return data + b"\n"
    if how == "future-version":
        return data[:8] + (99).to_bytes(4, "little") + data[12:]
    if how == "foreign-png":
        return b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    if how == "foreign-text":
        return b"Jens Stoltenberg, NATO\n"
    raise AssertionError(how)


@pytest.mark.parametrize(
    "how, message",
    [
        ("empty", "not a lexiscan file"),
        ("truncated-header", "not a lexiscan file"),
        ("truncated-data", "truncated"),
        ("flipped-byte", "checksum"),
        ("padded", "truncated or padded"),
        ("future-version", "version 99"),
        ("foreign-png", "not a lexiscan file"),
        ("foreign-text", "not a lexiscan file"),
    ],
)
def test_damaged_files_raise_clear_errors(saved: Path, how: str, message: str) -> None:
    saved.write_bytes(damage(saved.read_bytes(), how))
    with pytest.raises(ValueError, match=message):
        lexiscan.Matcher.load(saved)


def test_a_lexicon_file_is_not_a_matcher(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.bin"
    path.write_bytes(lexiscan.Lexicon().add("NATO").to_bytes())
    with pytest.raises(ValueError, match="holds a lexicon, not a matcher"):
        lexiscan.Matcher.load(path)
