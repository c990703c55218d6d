"""`pytest --slow` runs the property tests with many more examples (profile lexiscan-slow)."""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        help="run the Hypothesis property tests with 3,000 examples each instead of 150",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--slow"):
        os.environ["LEXISCAN_HYPOTHESIS_PROFILE"] = "slow"


# One Dask cluster and one Spark session for the whole run: each costs seconds to start.
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
    import shutil
    import sys

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
