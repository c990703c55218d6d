"""lexiscan.dask and lexiscan.spark on real engines (a two-process Dask LocalCluster and Spark
local[2], shared by the session): matches and every analysis equal to one process, on the
seed corpus and on generated documents, in the argument and the closure style, and after a
Dask worker dies in the middle of a job."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lexiscan

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from analyses import (  # noqa: E402
    CALLS,
    ONE_EACH,
    assert_all_same,
    compute_all,
    description_calls,
    generated_corpus,
    kwic_calls,
    run_all,
)

COLUMNS = ["doc", "entity", "label", "alias", "start", "end", "text"]
ALL_CALLS = CALLS + kwic_calls("NATO") + description_calls("TITLE")


@pytest.fixture(scope="module")
def matcher() -> lexiscan.Matcher:
    return lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())


@pytest.fixture(scope="module")
def seeds() -> pd.DataFrame:
    seeds = lexiscan.datasets.seeds()[["doc", "outlet", "text"]]
    copies = [seeds.assign(doc=seeds["doc"] + f"-{i}") for i in range(4)]
    return pd.concat(copies, ignore_index=True)


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    return generated_corpus(lexiscan.datasets.seeds_lexicon(), 3000, seed=19)


def calls_for(corpus_name: str) -> list[tuple[str, dict[str, Any]]]:
    return ALL_CALLS if corpus_name == "seeds" else ONE_EACH


def analysed(result: Any, corpus_name: str, groups: Any) -> dict[str, Any]:
    """The seed corpus's calls method by method; the generated corpus's all in one
    `compute` (one Dask graph, one Spark job: each partition scanned once for all)."""
    if corpus_name == "seeds":
        return run_all(lambda name, kw: getattr(result, name)(**kw), ALL_CALLS, groups)
    return compute_all(result, ONE_EACH, groups)


def single_process(
    matcher: lexiscan.Matcher, corpus: pd.DataFrame, calls: list[tuple[str, dict[str, Any]]]
) -> dict[str, Any]:
    whole = matcher.scan(corpus.set_index("doc")["text"])
    groups = corpus.set_index("doc")["outlet"]
    return run_all(lambda name, kw: getattr(whole, name)(**kw), calls, groups)


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[COLUMNS].astype({c: object for c in COLUMNS if c not in ("start", "end")})
    return frame.astype({"start": "int64", "end": "int64"}).reset_index(drop=True)


# Dask ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("corpus_name", ["seeds", "generated"])
def test_dask_every_analysis_equals_one_process(
    dask_client: Any, matcher: lexiscan.Matcher, corpus_name: str, request: Any
) -> None:
    import dask.dataframe as dd

    import lexiscan.dask

    corpus = request.getfixturevalue(corpus_name)
    frame = dd.from_pandas(corpus, npartitions=5)
    result = lexiscan.dask.scan(matcher, frame, key="doc")
    if corpus_name == "seeds":
        result = result.persist()
    calls = calls_for(corpus_name)
    got = analysed(result, corpus_name, "outlet")
    # One process on the data as Dask holds it (Dask turns text columns into Arrow strings).
    assert_all_same(got, single_process(matcher, frame.compute(), calls))


@pytest.mark.parametrize("fan_in", [2, 3])
def test_dask_merge_tree_keeps_document_order(
    dask_client: Any,
    matcher: lexiscan.Matcher,
    generated: pd.DataFrame,
    fan_in: int,
    monkeypatch: Any,
) -> None:
    """More partitions than one merge takes: the partials go through merge tasks (levels with
    a leftover partition at the end) before the client merges the last ones."""
    import dask.dataframe as dd

    import lexiscan.dask

    monkeypatch.setattr(lexiscan.dask, "MERGE_FAN_IN", fan_in)
    frame = dd.from_pandas(generated, npartitions=7)
    result = lexiscan.dask.scan(matcher, frame, key="doc")
    by_series = frame.compute().set_index("doc")["outlet"]
    got = compute_all(result, ONE_EACH, by_series)
    assert_all_same(got, single_process(matcher, frame.compute(), ONE_EACH))


def test_dask_matches_have_their_meta(
    dask_client: Any, matcher: lexiscan.Matcher, seeds: pd.DataFrame, tmp_path: Any
) -> None:
    import dask.dataframe as dd

    import lexiscan.dask

    texts = dd.from_pandas(seeds.set_index("doc")["text"], npartitions=3)
    result = lexiscan.dask.scan(matcher, texts)
    matches = result.matches()
    computed = matches.compute()
    pd.testing.assert_series_equal(matches._meta.dtypes, computed.dtypes)
    local = texts.compute()  # from_pandas sorted it by key
    expected = matcher.scan(local).to_pandas()
    pd.testing.assert_frame_equal(normalised(computed), normalised(expected))
    result.to_parquet(str(tmp_path / "matches"))
    back = pd.read_parquet(tmp_path / "matches")
    assert len(back) == len(expected)
    by_series = pd.Series(seeds["outlet"].to_numpy(), index=seeds["doc"])
    pd.testing.assert_frame_equal(result.compare(by_series), matcher.scan(local).compare(by_series))


def scan_partition(part: pd.DataFrame, matcher: lexiscan.Matcher) -> pd.DataFrame:
    return matcher.scan(part.set_index("doc")["text"], n_threads=1).to_pandas()


def test_dask_argument_and_closure_styles(
    dask_client: Any, matcher: lexiscan.Matcher, seeds: pd.DataFrame
) -> None:
    import dask
    import dask.dataframe as dd

    frame = dd.from_pandas(seeds[["doc", "text"]], npartitions=4)
    meta = scan_partition(seeds.head(0), matcher)
    expected = normalised(matcher.scan(seeds.set_index("doc")["text"]).to_pandas())
    as_argument = frame.map_partitions(scan_partition, matcher, meta=meta).compute()

    def in_closure(part: pd.DataFrame) -> pd.DataFrame:  # captures the matcher: cloudpickle
        return matcher.scan(part.set_index("doc")["text"], n_threads=1).to_pandas()

    as_closure = frame.map_partitions(in_closure, meta=meta).compute()
    pieces = [dask.delayed(matcher.scan)(part["text"]) for part in frame.to_delayed()]
    joined = lexiscan.ScanResult.concat(dask.compute(*pieces))
    for got in (as_argument, as_closure):
        pd.testing.assert_frame_equal(normalised(got), expected)
    assert len(joined) == len(expected)


def die_once(part: pd.DataFrame, marker: str) -> pd.DataFrame:
    """Kill this worker process the first time any task gets here (the scheduler then gives
    the task to a live worker)."""
    if len(part) and not os.path.exists(marker):
        with open(marker, "w"):
            pass
        os._exit(1)
    return part


def test_dask_survives_a_killed_worker(
    dask_client: Any, matcher: lexiscan.Matcher, seeds: pd.DataFrame, tmp_path: Any
) -> None:
    import dask.dataframe as dd

    import lexiscan.dask

    marker = str(tmp_path / "died")
    frame = dd.from_pandas(seeds, npartitions=4)
    fragile = frame.map_partitions(die_once, marker, meta=frame._meta)
    result = lexiscan.dask.scan(matcher, fragile, key="doc")
    calls = [("counts", {}), ("cooccurrence", {"window": "sentence"}), ("audit", {})]
    got = run_all(lambda name, kw: getattr(result, name)(**kw), calls, None)
    assert os.path.exists(marker)  # a worker did die
    whole = matcher.scan(seeds.set_index("doc")["text"])
    assert_all_same(got, run_all(lambda name, kw: getattr(whole, name)(**kw), calls, None))


def test_dask_sizes_a_scan_result(matcher: lexiscan.Matcher, seeds: pd.DataFrame) -> None:
    """Dask's scheduler weighs moving a persisted partition's result by its sizeof; the
    default (sys.getsizeof) says a few dozen bytes whatever the result holds."""
    sizeof = pytest.importorskip("dask.sizeof").sizeof
    import lexiscan.dask  # noqa: F401  (registers the size)

    result = matcher.scan(seeds.set_index("doc")["text"])
    assert len(result) > 100
    assert sizeof(result) >= 12 * len(result)


def test_dask_refuses_bad_arguments(matcher: lexiscan.Matcher, seeds: pd.DataFrame) -> None:
    dd = pytest.importorskip("dask.dataframe")
    import lexiscan.dask

    frame = dd.from_pandas(seeds, npartitions=2)
    with pytest.raises(KeyError, match="body"):
        lexiscan.dask.scan(matcher, frame, text="body")
    with pytest.raises(TypeError, match="dask DataFrame"):
        lexiscan.dask.scan(matcher, seeds)
    with pytest.raises(ValueError, match="key="):
        lexiscan.dask.scan(matcher, frame.clear_divisions())
    result = lexiscan.dask.scan(matcher, frame, key="doc")
    with pytest.raises(ValueError, match="window"):
        result.cooccurrence(window="paragraph")
    with pytest.raises(KeyError, match="region"):
        result.frequency(groups="region")
    with pytest.raises(TypeError, match="column name"):
        result.compare(["a", "b"])
    with pytest.raises(ValueError, match="at least one"):
        result.compute()
    with pytest.raises(TypeError, match="name, dict"):
        result.compute(("counts", "entity"))
    with pytest.raises(ValueError, match="no analysis 'count'"):
        result.compute("counts", "count")


# Spark ---------------------------------------------------------------------------------------


def test_spark_scan_equals_one_process(
    spark: Any, matcher: lexiscan.Matcher, seeds: pd.DataFrame
) -> None:
    import lexiscan.spark

    got = lexiscan.spark.scan(matcher, spark.createDataFrame(seeds)).toPandas()
    expected = matcher.scan(seeds.set_index("doc")["text"]).to_pandas()
    pd.testing.assert_frame_equal(normalised(got), normalised(expected))


@pytest.mark.parametrize("corpus_name", ["seeds", "generated"])
def test_spark_every_analysis_equals_one_process(
    spark: Any, matcher: lexiscan.Matcher, corpus_name: str, request: Any
) -> None:
    import lexiscan.spark

    corpus = request.getfixturevalue(corpus_name)
    # Partitions of createDataFrame keep the rows' order, as one process reads them.
    frame = spark.createDataFrame(corpus, "doc string, outlet string, text string")
    result = lexiscan.spark.analyses(matcher, frame)
    calls = calls_for(corpus_name)
    got = analysed(result, corpus_name, "outlet")
    assert_all_same(got, single_process(matcher, corpus, calls))


def test_spark_closure_captures_the_matcher(
    spark: Any, matcher: lexiscan.Matcher, seeds: pd.DataFrame
) -> None:
    schema = (
        "doc string, entity string, label string, alias string, start long, end long, text string"
    )

    def scan_batches(batches):  # type: ignore[no-untyped-def]
        for batch in batches:
            yield matcher.scan(batch.set_index("doc")["text"], n_threads=1).to_pandas()

    frame = spark.createDataFrame(seeds[["doc", "text"]])
    got = frame.mapInPandas(scan_batches, schema=schema).toPandas()
    expected = matcher.scan(seeds.set_index("doc")["text"]).to_pandas()
    pd.testing.assert_frame_equal(normalised(got), normalised(expected))


def test_spark_scan_keeps_key_types_and_edits(spark: Any) -> None:
    import lexiscan.spark

    typos = lexiscan.Matcher(lexiscan.Lexicon().add("Sergei Lavrov", ["Lavrov"]), max_edits=1)
    docs = pd.DataFrame({"id": [7, 8, 9], "body": ["Sergei Lavrow met Lavrov", None, "Lavrov"]})
    frame = spark.createDataFrame(docs, "id long, body string")
    matches = lexiscan.spark.scan(typos, frame, text="body", key="id")
    assert dict(matches.dtypes)["doc"] == "bigint"
    got = matches.toPandas()
    expected = typos.scan(docs.set_index("id")["body"]).to_pandas()
    assert got["doc"].tolist() == expected["doc"].tolist() == [7, 7, 9]
    assert got["edits"].tolist() == expected["edits"].tolist() == [1, 0, 0]
    with pytest.raises(KeyError, match="text"):
        lexiscan.spark.scan(typos, frame)


# Spark over Parquet files read by the Python workers -------------------------------------------


def write_parquet(corpus: pd.DataFrame, folder: Any, files: int, rows_per_group: int) -> list[str]:
    """`corpus` as `files` Parquet files of several row groups each (one in a subfolder),
    beside a _SUCCESS marker as Spark writes; the files in the order a folder is read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    (folder / "sub").mkdir(parents=True)
    (folder / "_SUCCESS").write_text("")
    per_file = -(-len(corpus) // files)
    paths = []
    for i in range(files):
        part = corpus.iloc[i * per_file : (i + 1) * per_file]
        path = folder / ("sub" if i == files - 1 else "") / f"part-{i}.parquet"
        table = pa.Table.from_pandas(part, preserve_index=False)
        pq.write_table(table, path, row_group_size=rows_per_group)
        paths.append(str(path))
    return paths


def test_spark_parquet_equals_one_process(
    spark: Any, matcher: lexiscan.Matcher, seeds: pd.DataFrame, tmp_path: Any
) -> None:
    import pyarrow.parquet as pq

    import lexiscan.spark
    from lexiscan._parquet_units import expand, plan

    files = write_parquet(seeds, tmp_path, files=3, rows_per_group=2)
    assert expand(tmp_path)[1] == expand(str(tmp_path / "*"))[1] == files  # no _SUCCESS
    one_process = pq.read_table(files).to_pandas()  # the files in document order
    units = plan(str(tmp_path), "text", "doc", unit_bytes=40_000).units
    assert len(units) > 3 and max(u.end_row_group - u.first_row_group for u in units) > 1

    got = lexiscan.spark.scan_parquet(matcher, spark, tmp_path, unit_bytes=40_000).toPandas()
    expected = matcher.scan(one_process.set_index("doc")["text"]).to_pandas()
    order = ["doc", "start", "end"]
    pd.testing.assert_frame_equal(
        normalised(got).sort_values(order, ignore_index=True),
        normalised(expected).sort_values(order, ignore_index=True),
    )

    result = lexiscan.spark.analyses_parquet(matcher, spark, str(tmp_path), unit_bytes=40_000)
    planned = re.search(r"in (\d+) units \((\d+) tasks\)", repr(result))
    assert planned and int(planned[2]) < int(planned[1])  # tasks of several units each
    got_all = compute_all(result, ALL_CALLS, "outlet")  # one Spark job for every analysis
    assert_all_same(got_all, single_process(matcher, one_process, ALL_CALLS))
    by_series = one_process.set_index("doc")["outlet"]  # groups as a Series by key
    whole = matcher.scan(one_process.set_index("doc")["text"])
    pd.testing.assert_frame_equal(result.compare(by_series), whole.compare(by_series))


def test_spark_parquet_numbers_documents_without_a_key(
    spark: Any, seeds: pd.DataFrame, tmp_path: Any
) -> None:
    import pyarrow.parquet as pq

    import lexiscan.spark

    typos = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon(), max_edits=1)
    files = write_parquet(seeds[["text", "outlet"]], tmp_path, files=2, rows_per_group=11)
    paths = [files[1], str(tmp_path / "part-0.parquet")]  # a list of paths keeps its order
    texts = pq.read_table(paths).column("text")
    matches = lexiscan.spark.scan_parquet(typos, spark, paths, key=None, unit_bytes=3000)
    assert dict(matches.dtypes)["doc"] == "bigint"
    got = matches.toPandas().sort_values(["doc", "start"], ignore_index=True)
    expected = typos.scan(texts).to_pandas()
    assert got["doc"].tolist() == expected["doc"].tolist()
    assert got["edits"].tolist() == expected["edits"].tolist()
    result = lexiscan.spark.analyses_parquet(typos, spark, paths, key=None, unit_bytes=3000)
    counts, audit = result.compute("counts", ("audit", {"groups": "outlet"}))
    whole = typos.scan(texts)
    pd.testing.assert_frame_equal(counts, whole.counts())
    groups = pq.read_table(paths).column("outlet").to_pylist()
    assert_all_same({"audit": audit}, {"audit": whole.audit(groups)})


def test_spark_parquet_refuses_bad_input(
    spark: Any, matcher: lexiscan.Matcher, tmp_path: Any
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    import lexiscan.spark

    def scan(paths: Any, **kwargs: Any) -> Any:
        return lexiscan.spark.scan_parquet(matcher, spark, paths, **kwargs)

    pq.write_table(pa.table({"doc": ["a"], "text": ["NATO"]}), tmp_path / "good.parquet")
    pq.write_table(pa.table({"doc": [1], "text": ["NATO"]}), tmp_path / "int-key.parquet")
    pq.write_table(pa.table({"doc": ["b"], "text": [7]}), tmp_path / "numbers.parquet")
    pq.write_table(pa.table({"doc": ["c"], "body": ["x"]}), tmp_path / "body.parquet")
    (tmp_path / "notes.parquet").write_text("not Parquet")
    (tmp_path / "empty").mkdir()
    good = str(tmp_path / "good.parquet")
    with pytest.raises(FileNotFoundError, match="no such file or folder: .*missing"):
        scan(str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="no Parquet files in .*empty"):
        scan(tmp_path / "empty")
    with pytest.raises(FileNotFoundError, match="no Parquet files in .*nothing-"):
        scan(str(tmp_path / "nothing-*.parquet"))
    with pytest.raises(ValueError, match="notes.parquet is not a readable Parquet file"):
        scan([good, str(tmp_path / "notes.parquet")])
    with pytest.raises(KeyError, match="text: no column 'text' in .*body.parquet"):
        scan([good, str(tmp_path / "body.parquet")])
    with pytest.raises(KeyError, match="key: no column 'id' .*key=None"):
        scan(good, key="id")
    with pytest.raises(TypeError, match="text: column 'text' of .*numbers.parquet holds int64"):
        scan(str(tmp_path / "numbers.parquet"))
    with pytest.raises(TypeError, match="key: column 'doc' is string in .*good.* but int64"):
        scan([good, str(tmp_path / "int-key.parquet")])
    with pytest.raises(ValueError, match="named twice"):
        scan([good, good])
    with pytest.raises(ValueError, match="unit_bytes=0"):
        scan(good, unit_bytes=0)
    with pytest.raises(TypeError, match="Matcher"):
        lexiscan.spark.scan_parquet("NATO", spark, good)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="SparkSession"):
        lexiscan.spark.scan_parquet(matcher, spark.sparkContext, good)
    result = lexiscan.spark.analyses_parquet(matcher, spark, good)
    with pytest.raises(KeyError, match="groups: no column 'outlet'"):
        result.frequency(groups="outlet")
    matches = scan([str(tmp_path / "g*.parquet"), str(tmp_path / "int-key.parquet")], key=None)
    assert sorted(matches.toPandas()["doc"].tolist()) == [0, 1]
    # Keys keep their type; large and dictionary strings reach Spark as its strings.
    assert scan(str(tmp_path / "int-key.parquet")).toPandas()["doc"].tolist() == [1]
    large = pa.array(["NATO and NATO"], pa.large_string())
    table = pa.table({"doc": pa.array(["d"]).dictionary_encode(), "text": large})
    pq.write_table(table, tmp_path / "kinds.parquet", store_schema=True)
    matches = scan(str(tmp_path / "kinds.parquet"))
    assert dict(matches.dtypes)["doc"] == "string"
    assert matches.toPandas()[["doc", "start"]].values.tolist() == [["d", 0], ["d", 9]]


def test_parquet_units_on_an_fsspec_filesystem() -> None:
    """Planning and reading through fsspec (a URI pyarrow does not know, and `filesystem=`),
    in this process: fsspec's memory filesystem is not shared with Spark's workers."""
    fsspec = pytest.importorskip("fsspec")
    import pyarrow as pa
    import pyarrow.parquet as pq

    from lexiscan._parquet_units import plan, read_unit

    memory = fsspec.filesystem("memory")
    texts = [f"NATO {i}" for i in range(10)]
    for name, part in (("b", texts[5:]), ("a", texts[:5])):
        with memory.open(f"/units-test/{name}.parquet", "wb") as out:
            pq.write_table(pa.table({"text": part}), out, row_group_size=2)
    by_uri = plan("memory://units-test", "text", None, unit_bytes=1, min_units=1)
    by_object = plan("/units-test/*.parquet", "text", None, 1, 1, filesystem=memory)
    assert [u[1:] for u in by_uri.units] == [u[1:] for u in by_object.units]
    assert [u.n_rows for u in by_uri.units] == [2, 2, 1, 2, 2, 1]
    read = [
        (position, text)
        for unit in by_object.units
        for batch in read_unit(by_object.filesystem, unit, ["text"], "position")
        for text, position in zip(
            batch.column("text").to_pylist(), batch.column("position").to_pylist()
        )
    ]
    assert read == [(i, f"NATO {i}") for i in range(10)]
    memory.rm("/units-test", recursive=True)
    with pytest.raises(TypeError, match="filesystem must be"):
        plan("x", "text", None, 1, filesystem=object())


@given(
    sizes=st.lists(st.integers(0, 1000), min_size=1, max_size=30),
    n_groups=st.integers(1, 40),
)
def test_units_grouped_into_tasks_in_order_and_balanced(sizes: list[int], n_groups: int) -> None:
    from lexiscan._parquet_units import Unit, grouped

    units = [Unit(i, "f", i, i + 1, i, 1, size) for i, size in enumerate(sizes)]
    groups = grouped(units, n_groups)
    assert [u for group in groups for u in group] == units  # every unit once, in order
    assert all(groups) and len(groups) <= n_groups
    share = sum(sizes) / n_groups
    assert all(sum(u.text_bytes for u in group) <= share + max(sizes) for group in groups)


def test_parquet_units_read_in_batches_of_about_a_size(tmp_path: Any, monkeypatch: Any) -> None:
    """A row group is read in record batches of about `BATCH_TEXT_BYTES` of text, rows and
    positions in order; a file that changed since it was planned is an error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from lexiscan import _parquet_units
    from lexiscan._parquet_units import plan, read_unit

    texts = [f"NATO met Kyiv, number {i}" for i in range(40)]
    pq.write_table(pa.table({"text": texts}), tmp_path / "a.parquet", row_group_size=25)
    planned = plan(str(tmp_path), "text", None, unit_bytes=1 << 20)
    (unit,) = planned.units
    monkeypatch.setattr(_parquet_units, "BATCH_TEXT_BYTES", unit.text_bytes // 8)
    batches = list(read_unit(planned.filesystem, unit, ["text"], "position"))
    assert len(batches) >= 8 and max(b.num_rows for b in batches) < 25
    assert [t for b in batches for t in b.column("text").to_pylist()] == texts
    assert [p for b in batches for p in b.column("position").to_pylist()] == list(range(40))
    pq.write_table(pa.table({"text": texts[:30]}), tmp_path / "a.parquet", row_group_size=25)
    with pytest.raises(RuntimeError, match="changed while it was being scanned"):
        list(read_unit(planned.filesystem, unit, ["text"]))
