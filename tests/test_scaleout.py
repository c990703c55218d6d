"""The Dask and Spark recipes of docs/scale-out.md give the single-process matches."""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

import lexiscan

COLUMNS = ["doc", "entity", "label", "alias", "start", "end", "text"]


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    seeds = lexiscan.datasets.seeds()[["doc", "text"]]
    copies = [seeds.assign(doc=seeds["doc"] + f"-{i}") for i in range(4)]
    return pd.concat(copies, ignore_index=True)


@pytest.fixture(scope="module")
def expected(corpus: pd.DataFrame) -> pd.DataFrame:
    matcher = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())
    return normalised(matcher.scan(corpus.set_index("doc")["text"]).to_pandas())


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[COLUMNS].astype({c: object for c in COLUMNS if c not in ("start", "end")})
    frame = frame.astype({"start": "int64", "end": "int64"})
    ordered = frame.sort_values(["doc", "start", "end", "entity"], kind="stable")
    return ordered.reset_index(drop=True)


def scan_partition(part: pd.DataFrame, matcher: lexiscan.Matcher) -> pd.DataFrame:
    return matcher.scan(part.set_index("doc")["text"], n_threads=1).to_pandas()


def test_dask_local_cluster(corpus: pd.DataFrame, expected: pd.DataFrame) -> None:
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    matcher = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        ddf = dd.from_pandas(corpus, npartitions=4)
        meta = scan_partition(corpus.head(0), matcher)
        got = ddf.map_partitions(scan_partition, matcher, meta=meta).compute()
    pd.testing.assert_frame_equal(normalised(got), expected)


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_spark_local(corpus: pd.DataFrame, expected: pd.DataFrame) -> None:
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    try:
        matcher = spark.sparkContext.broadcast(lexiscan.Matcher(lexiscan.datasets.seeds_lexicon()))
        docs = spark.createDataFrame(corpus.astype(object)).repartition(3)
        schema = (
            "doc string, entity string, label string, alias string, "
            "start long, end long, text string"
        )

        def scan_batches(batches):  # type: ignore[no-untyped-def]
            m = matcher.value
            for batch in batches:
                yield m.scan(batch.set_index("doc")["text"], n_threads=1).to_pandas()

        got = docs.mapInPandas(scan_batches, schema=schema).toPandas()
    finally:
        spark.stop()
    pd.testing.assert_frame_equal(normalised(got), expected)
