"""A missing optional dependency is one ImportError line naming the extra that brings it.

The modules are made missing by putting None in sys.modules, which makes their import fail
just as it does where they are not installed.
"""

from __future__ import annotations

import sys

import pytest

import lexiscan


@pytest.fixture
def result() -> lexiscan.ScanResult:
    matcher = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv", ["Kiev"], label="GPE"))
    return matcher.scan(["Kiev, now Kyiv", "nothing"])


def test_to_arrow_without_pyarrow(monkeypatch: pytest.MonkeyPatch, result) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError) as err:
        result.to_arrow()
    assert str(err.value) == "to_arrow needs pyarrow: pip install 'lexiscan[arrow]'"


def test_sparse_counts_without_scipy(monkeypatch: pytest.MonkeyPatch, result) -> None:
    monkeypatch.setitem(sys.modules, "scipy.sparse", None)
    with pytest.raises(ImportError) as err:
        result.counts(sparse=True)
    assert str(err.value) == "counts(sparse=True) needs scipy: pip install 'lexiscan[sparse]'"
    assert result.counts().to_numpy().tolist() == [[2], [0]]  # the dense table needs nothing


def test_scan_to_parquet_without_pyarrow(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    matcher = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv"))
    with pytest.raises(ImportError, match=r"scan_to_parquet needs pyarrow: .*lexiscan\[arrow\]"):
        matcher.scan_to_parquet(["Kyiv"], tmp_path / "out.parquet")


def test_plots_without_matplotlib(monkeypatch: pytest.MonkeyPatch, result) -> None:
    for module in ("matplotlib", "matplotlib.pyplot"):
        monkeypatch.setitem(sys.modules, module, None)
    for draw in (result.plot.counts, result.plot.cooccurrence, result.plot.frequency):
        with pytest.raises(ImportError) as err:
            draw()
        assert str(err.value).endswith("needs matplotlib: pip install 'lexiscan[notebook]'")


def test_network_plot_without_networkx(monkeypatch: pytest.MonkeyPatch, result) -> None:
    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(ImportError, match=r"needs networkx: pip install 'lexiscan\[notebook\]'"):
        result.plot.cooccurrence()


def test_dask_and_spark_without_their_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    import lexiscan.dask
    import lexiscan.spark

    matcher = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv"))
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)
    with pytest.raises(ImportError) as err:
        lexiscan.dask.scan(matcher, None)
    assert str(err.value) == "lexiscan.dask needs dask: pip install 'lexiscan[dask]'"
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(ImportError) as err:
        lexiscan.spark.scan(matcher, None)
    assert str(err.value) == "lexiscan.spark needs pyspark: pip install 'lexiscan[spark]'"
    for needs_spark in (lexiscan.spark.scan_parquet, lexiscan.spark.analyses_parquet):
        with pytest.raises(ImportError, match=r"pip install 'lexiscan\[spark\]'"):
            needs_spark(matcher, None, "corpus/")
