"""`result.plot`: each picture renders to a PNG that is not blank, and shows the numbers of
the analysis it draws."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pandas as pd
import pytest

import lexiscan

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
pytest.importorskip("networkx")
import matplotlib.image  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(scope="module")
def seeds() -> tuple[lexiscan.ScanResult, pd.Series]:
    articles = lexiscan.datasets.seeds().set_index("doc")
    result = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon()).scan(articles["text"])
    return result, articles["outlet"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def png_pixels(ax) -> np.ndarray:
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=60)
    buffer.seek(0)
    return matplotlib.image.imread(buffer, format="png")


def assert_not_blank(ax) -> None:
    pixels = png_pixels(ax)[..., :3]
    assert pixels.std() > 0.05  # a blank or single-colour image has ~0
    assert (pixels < 0.5).mean() > 0.002  # some dark ink: text, lines


def test_counts_heatmap_writes_every_count(seeds) -> None:
    result, outlet = seeds
    ax = result.plot.counts(labels="PERSON", doc_names=outlet, top=None)
    assert_not_blank(ax)
    counts = result.counts()
    people = [n for n, (_, label) in zip(counts.columns, result._entities) if label == "PERSON"]
    shown = [t.get_text() for t in ax.get_yticklabels()]
    assert set(shown) == {p for p in people if counts[p].sum() > 0}
    assert [t.get_text() for t in ax.get_xticklabels()] == outlet.tolist()
    expected = counts[shown].T.to_numpy().ravel().tolist()
    assert [int(t.get_text()) for t in ax.texts] == expected


def test_cooccurrence_network_keeps_the_top_edges_and_its_labels_apart(seeds) -> None:
    result, _ = seeds
    ax = result.plot.cooccurrence(top=25)
    assert_not_blank(ax)
    edges = result.cooccurrence("sentence", as_="edges").sort_values("weight").tail(25)
    names = set(edges.source) | set(edges.target)
    labels = [t for t in ax.texts]
    assert {t.get_text() for t in labels} == {n[:29] + "…" if len(n) > 30 else n for n in names}
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    overlapping = [
        (a.get_text(), b.get_text())
        for (a, box_a), (b, box_b) in itertools.combinations(zip(labels, boxes), 2)
        if box_a.overlaps(box_b)
    ]
    assert overlapping == []


def test_frequency_bars_per_group(seeds) -> None:
    result, outlet = seeds
    ax = result.plot.frequency(groups=outlet, top=5)
    assert_not_blank(ax)
    table = result.frequency(groups=outlet)
    top = table.groupby("feature")["frequency"].sum().sort_values(ascending=False).head(5)
    assert [t.get_text() for t in ax.get_yticklabels()][::-1] == top.index.tolist()
    assert sum(bar.get_width() for bar in ax.patches) == top.sum()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(dict.fromkeys(outlet))


def test_plots_draw_into_a_given_axes(seeds) -> None:
    result, _ = seeds
    fig, axes = plt.subplots(1, 3)
    drawn = [
        result.plot.counts(ax=axes[0]),
        result.plot.cooccurrence(ax=axes[1]),
        result.plot.frequency(ax=axes[2]),
    ]
    assert drawn == list(axes)


def test_an_empty_result_still_draws(seeds) -> None:
    empty = lexiscan.Matcher(lexiscan.Lexicon().add("NATO")).scan(["nothing here"])
    assert [t.get_text() for t in empty.plot.cooccurrence().texts] == ["no co-occurrences"]
    assert [t.get_text() for t in empty.plot.counts().texts] == ["no matches"]
