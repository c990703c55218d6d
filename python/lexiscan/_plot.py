"""Pictures of a scan in one call, as pandas users expect from ``.plot``: ``result.plot``.

Each method draws one figure from an analysis that `ScanResult` already computes (counts,
co-occurrence, frequency) and returns the matplotlib Axes, so that a notebook cell is one line
and the Axes can still be titled or saved. matplotlib and networkx come with the ``notebook``
extra; without them the call says so in one line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from lexiscan._display import PALETTE as _COLOURS  # the label colours of `highlight`
from lexiscan._optional import require


class _Analysed(Protocol):
    """What the plots read of a scan: a `ScanResult`, named by shape so that this module (which
    `ScanResult` imports) does not import it back."""

    @property
    def _entities(self) -> list[tuple[str, str | None]]: ...
    def counts(self, by: str = ..., presence: bool = ..., sparse: bool = ...) -> Any: ...
    def cooccurrence(
        self, window: str | int = ..., as_: str = ..., by: str = ...
    ) -> pd.DataFrame: ...
    def frequency(self, by: str = ..., groups: Any = ...) -> pd.DataFrame: ...


def _pyplot() -> Any:
    return require("matplotlib.pyplot", "result.plot", "notebook")


def _axes(ax: Any, width: float, height: float) -> Any:
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots(figsize=(width, height), layout="constrained")
    return ax


def _short(text: Any, limit: int = 28) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ScanPlots:
    """``result.plot``: the counts heatmap, the co-occurrence network and frequency bars.

    >>> import lexiscan
    >>> lex = lexiscan.Lexicon().add("NATO", label="ORG").add("Kyiv", label="GPE")
    >>> result = lexiscan.Matcher(lex).scan(["NATO in Kyiv", "NATO"])
    >>> result.plot.counts().get_title()
    'Mentions per document'
    """

    def __init__(self, result: _Analysed) -> None:
        self._result = result

    def _names(self, labels: str | Sequence[str] | None) -> list[str]:
        """The counts' column names of the entities with one of `labels` (all when None)."""
        columns = list(self._result.counts().columns)
        if labels is None:
            return columns
        wanted = {labels} if isinstance(labels, str) else set(labels)
        return [
            name for name, (_, label) in zip(columns, self._result._entities) if label in wanted
        ]

    def _label_of(self) -> dict[str, str | None]:
        columns = self._result.counts().columns
        return {name: label for name, (_, label) in zip(columns, self._result._entities)}

    def counts(
        self,
        labels: str | Sequence[str] | None = None,
        top: int | None = 20,
        doc_names: Mapping[Any, Any] | pd.Series | None = None,
        max_docs: int = 40,
        ax: Any = None,
    ) -> Any:
        """A heatmap of mentions: one row per entity, one column per document (as the demo's
        tables), each cell with its number written in.

        `labels` keeps the entities of those labels ("PERSON" or a list); `top` the most
        mentioned of them (None: every entity mentioned); `doc_names` maps document keys to
        the names shown (an outlet Series, say); only the first `max_docs` documents are drawn.

        >>> import lexiscan
        >>> lex = lexiscan.Lexicon().add("NATO", label="ORG").add("Kyiv", label="GPE")
        >>> ax = lexiscan.Matcher(lex).scan(["NATO in Kyiv", "NATO"]).plot.counts()
        >>> [t.get_text() for t in ax.texts]
        ['1', '1', '1', '0']
        """
        plt = _pyplot()
        table = self._result.counts()[self._names(labels)].head(max_docs).T
        table = table[table.sum(axis=1) > 0]
        table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
        if top is not None:
            table = table.head(top)
        if doc_names is not None:
            table = table.rename(columns=lambda key: doc_names.get(key, key))
        values = table.to_numpy()
        if not values.size:
            ax = _axes(ax, 4, 2)
            ax.set_axis_off()
            ax.text(0.5, 0.5, "no matches", ha="center", va="center")
            return ax
        ax = _axes(ax, 2.2 + 1.1 * max(len(table.columns), 3), 1.2 + 0.3 * max(len(table), 3))
        image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0)
        ax.set_xticks(range(len(table.columns)), [_short(c) for c in table.columns])
        ax.set_yticks(range(len(table)), [_short(n, 36) for n in table.index])
        ax.tick_params(axis="x", labelrotation=30)
        plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")
        high = values.max() if values.size else 0
        for (i, j), n in np.ndenumerate(values):
            colour = "white" if high and n > 0.6 * high else "black"
            ax.text(j, i, str(n), ha="center", va="center", fontsize=8, color=colour)
        ax.set_title("Mentions per document")
        ax.figure.colorbar(image, ax=ax, shrink=0.8, label="mentions")
        return ax

    def cooccurrence(
        self,
        window: str | int = "sentence",
        labels: str | Sequence[str] | None = None,
        top: int = 30,
        ax: Any = None,
    ) -> Any:
        """The network of entities named together: the `top` strongest links of
        `ScanResult.cooccurrence(window)` (same sentence by default), drawn on a circle with
        every name outside it, so that no two labels overlap; a line's width is its count,
        a node's colour its label, its size its mentions.

        >>> import lexiscan
        >>> lex = lexiscan.Lexicon().add("NATO").add("Russia").add("Kyiv")
        >>> res = lexiscan.Matcher(lex).scan(["NATO met Russia. Russia, Kyiv."])
        >>> ax = res.plot.cooccurrence()
        >>> sorted(t.get_text() for t in ax.texts)
        ['Kyiv', 'NATO', 'Russia']
        """
        nx = require("networkx", "result.plot.cooccurrence", "notebook")
        _pyplot()
        keep = set(self._names(labels))
        edges = self._result.cooccurrence(window, as_="edges")
        edges = edges[edges.source.isin(keep) & edges.target.isin(keep) & (edges.weight > 0)]
        edges = edges.sort_values("weight", ascending=False, kind="stable").head(top)
        mentions = self._result.counts().sum()
        label_of = self._label_of()
        palette = {
            label: _COLOURS[i % len(_COLOURS)]
            for i, label in enumerate(sorted({str(label_of[n]) for n in label_of}))
        }
        # Around the circle by label, then by mentions: a label's nodes sit together.
        nodes = sorted(
            set(edges.source) | set(edges.target),
            key=lambda n: (str(label_of[n]), -mentions[n], n),
        )
        graph = nx.Graph()
        graph.add_nodes_from(nodes)
        graph.add_weighted_edges_from(edges[["source", "target", "weight"]].itertuples(False))
        ax = _axes(ax, 9, 8)
        ax.set_axis_off()
        ax.set_aspect("equal")
        ax.set_title(f"Named in the same {window if isinstance(window, str) else 'window'}")
        if not nodes:
            ax.text(0.5, 0.5, "no co-occurrences", ha="center", va="center")
            return ax
        layout = nx.circular_layout(graph)
        heaviest = max(edges.weight.max(), 1)
        nx.draw_networkx_edges(
            graph,
            layout,
            ax=ax,
            width=[0.5 + 4.5 * graph[a][b]["weight"] / heaviest for a, b in graph.edges],
            edge_color="#7a8ca8",
            alpha=0.6,
        )
        most = max(float(mentions[nodes].max()), 1.0)
        nx.draw_networkx_nodes(
            graph,
            layout,
            ax=ax,
            node_color=[palette[str(label_of[n])] for n in nodes],
            node_size=[80 + 500 * float(mentions[n]) / most for n in nodes],
            edgecolors="#555555",
        )
        for node, (x, y) in layout.items():
            angle = math.degrees(math.atan2(y, x))
            left = x < 0
            ax.text(
                1.12 * x,
                1.12 * y,
                _short(node, 30),
                ha="right" if left else "left",
                va="center",
                rotation=angle - 180 if left else angle,
                rotation_mode="anchor",
                fontsize=9,
            )
        for label, colour in palette.items():
            if any(str(label_of[n]) == label for n in nodes):
                ax.scatter([], [], color=colour, label=label, edgecolors="#555555")
        ax.legend(loc="upper left", frameon=False, fontsize=8)
        ax.set_xlim(-1.9, 1.9)
        ax.set_ylim(-1.9, 1.9)
        return ax

    def frequency(
        self,
        groups: Any = None,
        labels: str | Sequence[str] | None = None,
        top: int = 15,
        ax: Any = None,
    ) -> Any:
        """Horizontal bars of mentions for the `top` entities: one bar per group (`groups` as
        in `ScanResult.frequency`: one value per document, or a Series by doc key), or one bar
        per entity without groups.

        >>> import lexiscan
        >>> res = lexiscan.Matcher(lexiscan.Lexicon().add("NATO")).scan(["NATO", "NATO NATO"])
        >>> [int(bar.get_width()) for bar in res.plot.frequency(groups=["a", "b"]).patches]
        [1, 2]
        """
        keep = set(self._names(labels))
        table = self._result.frequency(groups=groups)
        table = table[table.feature.isin(keep)]
        if groups is None:
            wide = table.set_index("feature")[["frequency"]]
        else:
            wide = table.pivot_table(
                index="feature", columns="group", values="frequency", fill_value=0, sort=False
            )
        order = wide.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]
        wide = wide.loc[order].iloc[::-1]  # the most mentioned at the top
        _pyplot()
        ax = _axes(ax, 8, 1.2 + 0.25 * len(wide) * max(1, min(len(wide.columns), 4) / 2))
        wide.plot.barh(ax=ax, width=0.8, legend=groups is not None)
        ax.set_xlabel("mentions")
        ax.set_ylabel("")
        ax.set_title("Mentions" if groups is None else "Mentions per group")
        if groups is not None:
            ax.legend(title=None, fontsize=8, frameon=False, loc="lower right")
        return ax
