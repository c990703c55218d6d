"""Lexicons, matchers and results travel between processes (pickle and cloudpickle, process
pools, joblib), and results of separate scans join and merge into those of one scan."""

from __future__ import annotations

import os
import pickle
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lexiscan
from lexiscan import _partials

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from analyses import (  # noqa: E402
    CALLS,
    assert_all_same,
    assert_same,
    description_calls,
    generated_corpus,
    kwic_calls,
    run_all,
)

cloudpickle = pytest.importorskip("cloudpickle")
PICKLERS = [pytest.param(pickle, id="pickle"), pytest.param(cloudpickle, id="cloudpickle")]
ALL_CALLS = CALLS + kwic_calls("NATO") + description_calls("TITLE")


@pytest.fixture(scope="module")
def matcher() -> lexiscan.Matcher:
    return lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    seeds = lexiscan.datasets.seeds()[["doc", "outlet", "text"]]
    return pd.concat(
        [seeds.assign(doc=seeds["doc"] + f"-{i}") for i in range(3)], ignore_index=True
    )


def round_trip(module: Any, value: Any) -> Any:
    return module.loads(module.dumps(value))


@pytest.mark.parametrize("module", PICKLERS)
def test_lexicon_and_matcher_round_trip(module: Any, matcher: lexiscan.Matcher) -> None:
    lexicon = lexiscan.datasets.seeds_lexicon()
    assert round_trip(module, lexicon) == lexicon
    back = round_trip(module, matcher)
    assert back.fingerprint == matcher.fingerprint
    text = lexiscan.datasets.seeds()["text"][0]
    assert [m.astuple() for m in back.find(text)] == [m.astuple() for m in matcher.find(text)]
    scan = round_trip(module, matcher.scan)
    assert scan(["NATO and Kyiv"]).to_pandas().equals(matcher.scan(["NATO and Kyiv"]).to_pandas())


def test_everything_reduces_to_module_level_functions(matcher: lexiscan.Matcher) -> None:
    lexicon = lexiscan.datasets.seeds_lexicon()
    for value in (lexicon, matcher, matcher.scan(["NATO"])):
        rebuild, _ = value.__reduce__()
        assert "." not in rebuild.__qualname__  # importable by name, never copied by value
    # cloudpickle then writes no more than pickle (a function copied by value would add KBs)
    for value in (lexicon, matcher):
        assert len(cloudpickle.dumps(value)) <= len(pickle.dumps(value)) + 64


@pytest.mark.parametrize("module", PICKLERS)
@pytest.mark.parametrize("keep_text", [True, False])
def test_result_round_trip(
    module: Any, keep_text: bool, matcher: lexiscan.Matcher, corpus: pd.DataFrame
) -> None:
    docs = corpus.set_index("doc")["text"]
    result = matcher.scan(iter(docs.tolist()), keep_text=keep_text)
    back = round_trip(module, result)
    assert back.n_docs == result.n_docs
    pd.testing.assert_frame_equal(back.to_pandas(), result.to_pandas())
    pd.testing.assert_frame_equal(back.counts(), result.counts())
    if keep_text:
        assert_same(back.kwic("NATO"), result.kwic("NATO"))
        assert_same(back.figures(), result.figures())
    else:
        with pytest.raises(ValueError, match="keep_text"):
            back.kwic("NATO")


@pytest.mark.parametrize("module", PICKLERS)
def test_keyed_result_with_typos_round_trips(module: Any) -> None:
    typos = lexiscan.Matcher(lexiscan.Lexicon().add("Sergei Lavrov", ["Lavrov"]), max_edits=1)
    result = typos.scan(pd.Series(["Sergei Lavrow met Lavrov", None, ""], index=["a", "b", "c"]))
    back = round_trip(module, result)
    pd.testing.assert_frame_equal(back.to_pandas(), result.to_pandas())
    assert back.to_pandas()["edits"].tolist() == [1, 0]


def test_pickled_result_is_compact(matcher: lexiscan.Matcher, corpus: pd.DataFrame) -> None:
    docs = corpus["text"].tolist()
    with_texts = len(pickle.dumps(matcher.scan(docs)))
    without = len(pickle.dumps(matcher.scan(iter(docs), keep_text=False)))
    text_bytes = sum(len(t.encode()) for t in docs)
    assert with_texts - without >= text_bytes  # the documents travel only when kept
    # a match pickles as it is stored: a start and a form code, ~12 bytes (50 in full columns)
    assert without < len(pickle.dumps(matcher)) + 20 * len(matcher.scan(docs))


def test_damaged_columns_are_refused(matcher: lexiscan.Matcher) -> None:
    result = matcher.scan(["NATO NATO", "Kyiv"])
    rebuild, (owner, keys, state) = result.__reduce__()
    with pytest.raises(ValueError, match="unequal lengths"):
        rebuild(owner, keys, {**state, "codes": state["codes"][:4]})
    with pytest.raises(ValueError, match="form code past"):
        rebuild(owner, keys, {**state, "codes": bytes([9, 0, 0, 0]) + state["codes"][4:]})
    with pytest.raises(ValueError, match="forms' columns"):
        rebuild(owner, keys, {**state, "entity": state["entity"][:4]})
    with pytest.raises(ValueError, match="documents"):
        rebuild(owner, keys, {**state, "n_docs": 1, "texts": ["NATO NATO"]})
    old = old_state(result)
    with pytest.raises(ValueError, match="unequal lengths"):
        rebuild(owner, keys, {**old, "entity": old["entity"][:4]})
    with pytest.raises(ValueError, match="newer lexiscan"):
        rebuild(owner, keys, {**state, "format": 3})


def old_state(result: lexiscan.ScanResult) -> dict[str, Any]:
    """What builds before the compact result pickled (format 1, no "format" key): full columns."""
    native = result._native
    state: dict[str, Any] = {
        name: bytes(native.column(name))
        for name in ("doc", "entity", "alias", "start", "end", "edits")
    }
    surface_offsets, surface_data, _ = native.text_columns(result._matcher)[3]
    state["surface_data"] = surface_data.decode("utf-8")
    state["surface_offsets"] = surface_offsets
    state["n_docs"] = result.n_docs
    state["texts"] = lexiscan._lexiscan.result_texts(native)
    return state


@pytest.mark.parametrize("keep_text", [True, False])
def test_results_pickled_by_older_builds_load(
    keep_text: bool, matcher: lexiscan.Matcher, corpus: pd.DataFrame
) -> None:
    typos = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon(), max_edits=1)
    for m in (matcher, typos):
        result = m.scan(corpus.set_index("doc")["text"], keep_text=keep_text)
        rebuild, (owner, keys, _) = result.__reduce__()
        back = rebuild(owner, keys, old_state(result))
        pd.testing.assert_frame_equal(back.to_pandas(), result.to_pandas())
        pd.testing.assert_frame_equal(back.counts(), result.counts())


def scan_piece(matcher: lexiscan.Matcher, docs: pd.Series) -> lexiscan.ScanResult:
    return matcher.scan(docs, n_threads=1)


def test_results_come_back_from_process_pools(
    matcher: lexiscan.Matcher, corpus: pd.DataFrame
) -> None:
    joblib = pytest.importorskip("joblib")
    docs = corpus.set_index("doc")["text"]
    pieces = [docs.iloc[i::3] for i in range(3)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        from_pool = list(pool.map(scan_piece, [matcher] * 3, pieces))
    from_loky = joblib.Parallel(n_jobs=2, backend="loky")(
        joblib.delayed(matcher.scan)(piece, n_threads=1) for piece in pieces
    )
    expected = run_all(lambda n, kw: getattr(matcher.scan(pd.concat(pieces)), n)(**kw),
                       ALL_CALLS, corpus.set_index("doc")["outlet"])  # fmt: skip
    for results in (from_pool, from_loky):
        joined = lexiscan.ScanResult.concat(results)
        got = run_all(lambda n, kw, j=joined: getattr(j, n)(**kw), ALL_CALLS,
                      corpus.set_index("doc")["outlet"])  # fmt: skip
        assert_all_same(got, expected)


def test_concat_refuses_a_key_in_two_results(matcher: lexiscan.Matcher) -> None:
    a = matcher.scan(pd.Series(["NATO"], index=["x"]))
    b = matcher.scan(pd.Series(["Kyiv", "NATO"], index=["y", "x"]))
    with pytest.raises(ValueError, match="'x'"):
        lexiscan.ScanResult.concat([a, b])
    with pytest.raises(ValueError, match="mix"):
        lexiscan.ScanResult.concat([a, matcher.scan(["NATO"])])
    with pytest.raises(ValueError, match="fingerprints"):
        lexiscan.ScanResult.concat([a, lexiscan.Matcher(lexiscan.Lexicon().add("X")).scan([])])
    with pytest.raises(ValueError, match="at least one"):
        lexiscan.ScanResult.concat([])


def test_concat_of_positional_results_renumbers(matcher: lexiscan.Matcher) -> None:
    texts = ["NATO", None, "Kyiv and NATO", "", "Russia"]
    joined = lexiscan.ScanResult.concat([matcher.scan(texts[:2]), matcher.scan(texts[2:])])
    pd.testing.assert_frame_equal(joined.to_pandas(), matcher.scan(texts).to_pandas())
    assert joined.highlight(2).html == matcher.scan(texts).highlight(2).html


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    n_docs=st.integers(1, 60),
    cuts=st.lists(st.floats(0, 1), max_size=4),
)
def test_pieces_merge_into_one_scan(seed: int, n_docs: int, cuts: list[float]) -> None:
    """On a random corpus cut at random places, every analysis of the concatenated results
    and of the merged partials equals the analysis of one scan of all the documents."""
    lexicon = lexiscan.datasets.seeds_lexicon()
    matcher = lexiscan.Matcher(lexicon)
    corpus = generated_corpus(lexicon, n_docs, seed)
    docs = corpus.set_index("doc")["text"]
    groups = corpus.set_index("doc")["outlet"]
    bounds = sorted({0, n_docs, *(int(c * n_docs) for c in cuts)})
    pieces = [matcher.scan(docs.iloc[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    whole = matcher.scan(docs)
    expected = run_all(lambda n, kw: getattr(whole, n)(**kw), ALL_CALLS, groups)
    joined = lexiscan.ScanResult.concat(pieces)
    assert_all_same(run_all(lambda n, kw: getattr(joined, n)(**kw), ALL_CALLS, groups), expected)

    def merged(name: str, kwargs: dict[str, Any]) -> Any:
        partials = []
        for piece in pieces:
            piece_kwargs = dict(kwargs)
            if kwargs.get("groups") is not None:
                piece_kwargs["groups"] = kwargs["groups"].reindex(piece._keys).tolist()
            partials.append(_partials.partial(piece, name, piece_kwargs))
        return _partials.finish(name, _partials.merge_all(name, partials), matcher, kwargs)

    assert_all_same(run_all(merged, ALL_CALLS, groups), expected)
