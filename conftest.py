"""The engines the suite shares: one Dask cluster and one Spark session for the whole run
(each costs seconds to start), for the tests in `tests/` and the doctests of
`lexiscan.dask` / `lexiscan.spark` alike. Here, at the root, so both trees see one fixture.

The doctests of `lexiscan.spark` find `spark` (the session, as a user has one) and, for the
methods of `SparkAnalyses`, `res` (the class example's object) in their namespace; the
doctests of `lexiscan.dask` run on the shared cluster's client. Neither engine starts unless
such a doctest, or a test that asks for it, runs; without pyspark or a Java runtime the Spark
doctests are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from _pytest.doctest import DoctestItem


@pytest.fixture(scope="session")
def dask_client():  # type: ignore[no-untyped-def]
    """A Dask LocalCluster of two worker processes with one thread each, and its client."""
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("dask.dataframe")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="session")
def spark():  # type: ignore[no-untyped-def]
    """A Spark session on two local cores (needs pyspark and a Java runtime)."""
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime")
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spark_analyses_example(spark: Any) -> Any:
    """The `SparkAnalyses` that `lexiscan.spark.SparkAnalyses`'s docstring builds."""
    import lexiscan
    import lexiscan.spark

    m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv", ["Kiev"]))
    docs = spark.createDataFrame(
        [("a", "A", "NATO met in Kiev. 2,000 troops near Kyiv."),
         ("b", "B", "NATO: 3,000 troops near Kyiv.")],
        "doc string, outlet string, text string",
    )  # fmt: skip
    return lexiscan.spark.analyses(m, docs)


@pytest.fixture(autouse=True)
def _engine_doctests(
    request: pytest.FixtureRequest, doctest_namespace: dict[str, Any]
) -> Iterator[None]:
    """Give the engines' doctests their session (looked up only for those doctests); the
    names leave the shared namespace after each, so no other doctest leans on them."""
    item = request.node
    name = item.dtest.name if isinstance(item, DoctestItem) and item.dtest else ""
    module = ".".join(name.split(".")[:2])  # the module doc's name is the module's
    given = {}
    if module == "lexiscan.spark":
        given["spark"] = request.getfixturevalue("spark")
        if name.startswith("lexiscan.spark.SparkAnalyses."):
            given["res"] = request.getfixturevalue("spark_analyses_example")
    elif module == "lexiscan.dask":
        request.getfixturevalue("dask_client")
    doctest_namespace.update(given)
    yield
    for key in given:
        del doctest_namespace[key]
