"""`pytest --slow` runs the property tests with many more examples (profile lexiscan-slow).

The shared Dask cluster and Spark session (`dask_client`, `spark`) are fixtures of the root
`conftest.py`, which the doctests of `python/lexiscan` share with these tests.
"""

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
