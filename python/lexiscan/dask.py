"""lexiscan on Dask: scan a dask DataFrame partition by partition, and run every analysis of
`ScanResult` as partials per partition merged in a tree, with the single-process answer.

Each partition is scanned where it lives (the matcher travels as its spec and is rebuilt
once per worker process); only the matches (`matches()`, `to_parquet`) or each analysis's
counts (`lexiscan._partials` says what each ships) leave the workers. Needs
``pip install lexiscan[dask]``.

>>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
>>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv", ["Kiev"]))
>>> docs = pd.DataFrame({"text": ["NATO in Kiev", "Kyiv", "NATO"]}, index=["a", "b", "c"])
>>> res = lexiscan.dask.scan(m, dd.from_pandas(docs, npartitions=2))
>>> res.counts()
   NATO  Kyiv
a     1     1
b     0     1
c     1     0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from lexiscan import _partials
from lexiscan._matcher import Matcher
from lexiscan._optional import require
from lexiscan._result import ScanResult

if TYPE_CHECKING:
    from lexiscan._insights import Audit

__all__ = ["DaskScanResult", "scan"]


def _require_dask() -> Any:
    require("dask.dataframe", "lexiscan.dask", "dask")
    return require("dask", "lexiscan.dask", "dask")


def _documents(part: Any, text: str, key: str | None) -> pd.Series:
    """A partition as a Series of texts indexed by document key."""
    if isinstance(part, pd.Series):
        return part
    texts = part[text]
    if key is not None:
        # set_axis keeps the column's array (Arrow strings stay Arrow, read in place by the
        # scan); to_numpy() would make a Python object of every document.
        texts = texts.set_axis(pd.Index(part[key]))
    return texts


def scan_partition(
    part: Any, matcher: Matcher, text: str = "text", key: str | None = None, n_threads: int = 1
) -> ScanResult:
    """The ScanResult of one partition (a pandas DataFrame or Series), keyed by document."""
    return matcher.scan(_documents(part, text, key), n_threads=n_threads)


def matches_of_partition(
    part: Any, matcher: Matcher, text: str = "text", key: str | None = None, n_threads: int = 1
) -> pd.DataFrame:
    """`to_pandas()` of one partition's scan (what `DaskScanResult.matches` maps)."""
    return scan_partition(part, matcher, text, key, n_threads).to_pandas()


def partials_of_piece(
    piece: ScanResult, groups: list[Any], requests: list[tuple[str, dict[str, Any]]]
) -> list[Any]:
    """The partial of every requested analysis (name, arguments but `groups`) for one scanned
    partition; `groups` holds, per request, a pandas Series of group values by document key,
    or None."""
    of_documents = [None if g is None else g.reindex(piece._keys).tolist() for g in groups]
    return _partials.partials_of(piece, requests, of_documents)


def partials_of_partition(
    part: Any,
    matcher: Matcher,
    text: str,
    key: str | None,
    n_threads: int,
    groups: list[Any],
    requests: list[tuple[str, dict[str, Any]]],
) -> list[Any]:
    """One partition scanned and its partials taken in one task, so its `ScanResult` (its
    matches and its texts) never becomes a task's output: it is never stored, spilled or
    moved to another worker, only its small partials are. A group given as a column name is
    read from the partition here."""
    groups = [_groups_of_partition(part, g, key) if isinstance(g, str) else g for g in groups]
    return partials_of_piece(scan_partition(part, matcher, text, key, n_threads), groups, requests)


def merge_partial_lists(names: list[str], a: list[Any], b: list[Any]) -> list[Any]:
    """Two consecutive partitions' partials merged, analysis by analysis."""
    return _partials.merge_each(names, a, b)


def _sizeof_result(result: ScanResult) -> int:
    # Dask's default for an unknown object is sys.getsizeof (tens of bytes), which tells the
    # scheduler that a persisted partition's result is free to move; ~12 bytes a match (the
    # compact layout: a start and a form code, documents as runs) plus the keys is a floor
    # (the kept texts come on top).
    keys = 0 if result._keys is None else int(result._keys.memory_usage(deep=False))
    return 12 * len(result) + keys


try:
    from dask.sizeof import sizeof as _dask_sizeof
except ImportError:  # lexiscan.dask's calls say what to install
    pass
else:
    _dask_sizeof.register(ScanResult)(_sizeof_result)


def _groups_of_partition(part: Any, column: str, key: str | None) -> pd.Series:
    keys = pd.Index(part[key]) if key is not None else part.index
    return pd.Series(part[column].to_numpy(), index=keys)


class DaskScanResult:
    """The scan of a dask DataFrame or Series: one ScanResult per partition, computed on the
    workers when an analysis asks for it (or kept there by `persist`).

    Analyses have the names and arguments of `ScanResult`'s and return the same pandas
    objects. `groups` is a column of the scanned DataFrame (its name) or a pandas Series of
    group values indexed by document key.

    >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
    >>> docs = dd.from_pandas(pd.Series(["NATO", "no", "NATO NATO"]), npartitions=2)
    >>> res = lexiscan.dask.scan(m, docs)
    >>> res
    <DaskScanResult: 2 partitions>
    >>> res.frequency()[["feature", "frequency"]]
      feature  frequency
    0    NATO          3
    """

    def __init__(
        self, matcher: Matcher, data: Any, text: str, key: str | None, n_threads: int
    ) -> None:
        dask = _require_dask()
        self._matcher = matcher
        self._data = data
        self._text = text
        self._key = key
        self._n_threads = n_threads
        self._persisted = False
        # The matcher as one key of the graph: each worker fetches it once and every task
        # there shares it, instead of a copy of its pickle inside every task.
        self._shared_matcher = dask.delayed(matcher, pure=True)
        scan_task = dask.delayed(scan_partition, pure=True)
        self._partitions = data.to_delayed()
        self._pieces = [
            scan_task(part, self._shared_matcher, text, key, n_threads) for part in self._partitions
        ]

    @property
    def npartitions(self) -> int:
        """How many partitions the scanned collection has: one ScanResult, one task each.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> docs = dd.from_pandas(pd.Series(["NATO", "no", "NATO"]), npartitions=3)
        >>> lexiscan.dask.scan(lexiscan.Matcher(lexiscan.Lexicon().add("NATO")), docs).npartitions
        3
        """
        return len(self._pieces)

    def persist(self) -> DaskScanResult:
        """Scan every partition now and keep the results on the workers, so later analyses
        do not scan again.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
        >>> docs = dd.from_pandas(pd.Series(["NATO", "no"], name="text"), npartitions=2)
        >>> lexiscan.dask.scan(m, docs).persist().frequency()["frequency"].tolist()
        [1]
        """
        dask = _require_dask()
        self._pieces = list(dask.persist(*self._pieces))
        self._persisted = True
        return self

    def matches(self) -> Any:
        """The matches as a dask DataFrame (columns and dtypes of `ScanResult.to_pandas`).

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO", label="ORG"))
        >>> docs = dd.from_pandas(pd.DataFrame({"text": ["NATO", "no NATO"]}), npartitions=2)
        >>> lexiscan.dask.scan(m, docs).matches().compute()[["doc", "start", "text"]]
           doc  start  text
        0    0      0  NATO
        0    1      3  NATO
        """
        args = (self._text, self._key, self._n_threads)
        meta = matches_of_partition(self._data._meta, self._matcher, *args)
        return self._data.map_partitions(
            matches_of_partition, self._shared_matcher, *args, meta=meta
        )

    def to_parquet(self, path: str, **kwargs: Any) -> None:
        """Write the matches as a Parquet dataset, one file per partition, on the workers.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask, tempfile
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
        >>> docs = dd.from_pandas(pd.DataFrame({"text": ["NATO", "NATO NATO"]}), npartitions=2)
        >>> path = tempfile.mkdtemp()
        >>> lexiscan.dask.scan(m, docs).to_parquet(path)
        >>> len(pd.read_parquet(path))
        3
        """
        self.matches().to_parquet(path, write_index=False, **kwargs)

    def _groups(self, groups: Any, by_name: bool = False) -> list[Any]:
        """The groups argument of each partition's partial (delayed where it is data; a column
        name stays a name with `by_name`, for a task that holds the partition)."""
        dask = _require_dask()
        if groups is None:
            return [None] * self.npartitions
        if isinstance(groups, str):
            import dask.dataframe as dd

            if not isinstance(self._data, dd.DataFrame):
                raise TypeError("groups as a column name needs a scanned DataFrame")
            if groups not in self._data.columns:
                raise KeyError(f"groups: no column {groups!r} in the scanned DataFrame")
            if by_name:
                return [groups] * self.npartitions
            group_task = dask.delayed(_groups_of_partition, pure=True)
            return [group_task(part, groups, self._key) for part in self._partitions]
        if isinstance(groups, pd.Series):
            shared = dask.delayed(groups, pure=True)
            return [shared] * self.npartitions
        raise TypeError(
            "groups must be a column name of the scanned DataFrame or a pandas Series indexed "
            f"by document key, not {type(groups).__name__}"
        )

    def _merged(self, found: list[tuple[str, dict[str, Any]]]) -> Any:
        """The delayed merged partials of several analyses: one task per partition takes every
        analysis's partial (scanning the partition first unless `persist` did), then a tree in
        which neighbours merge, so document order is kept."""
        dask = _require_dask()
        by_name = not self._persisted  # then the partition's own task reads its groups
        by_request = [self._groups(kwargs.get("groups"), by_name) for _, kwargs in found]
        groups = [list(of_partition) for of_partition in zip(*by_request)]
        requests = [(name, {k: v for k, v in kw.items() if k != "groups"}) for name, kw in found]
        if self._persisted:
            partials_task = dask.delayed(partials_of_piece, pure=True)
            level = [
                partials_task(piece, group, requests) for piece, group in zip(self._pieces, groups)
            ]
        else:
            partials_task = dask.delayed(partials_of_partition, pure=True)
            args = (self._shared_matcher, self._text, self._key, self._n_threads)
            level = [
                partials_task(part, *args, group, requests)
                for part, group in zip(self._partitions, groups)
            ]
        names = [name for name, _ in found]
        merge_task = dask.delayed(merge_partial_lists, pure=True)
        while len(level) > 1:
            pairs = [merge_task(names, a, b) for a, b in zip(level[::2], level[1::2])]
            level = pairs + ([level[-1]] if len(level) % 2 else [])
        return level[0]

    def compute(self, *analyses: Any) -> list[Any]:
        """Several analyses in one Dask computation, so each partition is scanned once for all
        of them (without `persist`): each analysis is a name or a (name, dict of arguments)
        pair, and the answers come back in order, as the methods of the same names give them.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv"))
        >>> docs = dd.from_pandas(pd.Series(["NATO, Kyiv", "Kyiv"]), npartitions=2)
        >>> counts, edges = lexiscan.dask.scan(m, docs).compute(
        ...     "counts", ("cooccurrence", {"as_": "edges"}))
        >>> counts["Kyiv"].tolist(), edges["weight"].tolist()
        ([1, 1], [1])
        """
        dask = _require_dask()
        found = _partials.requests(analyses)
        for name, kwargs in found:
            _partials.check(name, self._matcher, kwargs)
        (merged,) = dask.compute(self._merged(found))
        return [
            _partials.finish(name, partial, self._matcher, kwargs)
            for (name, kwargs), partial in zip(found, merged)
        ]

    def _analyse(self, name: str, **kwargs: Any) -> Any:
        return self.compute((name, kwargs))[0]

    def counts(self, by: str = "entity", presence: bool = False, sparse: bool = False) -> Any:
        """`ScanResult.counts` of the whole corpus (rows in the documents' order).

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv", ["Kiev"]))
        >>> docs = dd.from_pandas(pd.Series(["NATO in Kiev, Kyiv", "Kyiv"]), npartitions=2)
        >>> lexiscan.dask.scan(m, docs).counts(presence=True)
           NATO  Kyiv
        0     1     1
        1     0     1
        """
        return self._analyse("counts", by=by, presence=presence, sparse=sparse)

    def frequency(self, by: str = "entity", groups: Any = None) -> pd.DataFrame:
        """`ScanResult.frequency` of the whole corpus.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
        >>> frame = pd.DataFrame({"text": ["NATO", "NATO NATO"], "outlet": ["A", "B"]})
        >>> res = lexiscan.dask.scan(m, dd.from_pandas(frame, npartitions=2))
        >>> res.frequency(groups="outlet")[["feature", "frequency", "group"]]
          feature  frequency group
        0    NATO          1     A
        1    NATO          2     B
        """
        return self._analyse("frequency", by=by, groups=groups)

    def cooccurrence(
        self, window: str | int = "document", as_: str = "frame", by: str = "entity"
    ) -> pd.DataFrame:
        """`ScanResult.cooccurrence` of the whole corpus.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv"))
        >>> docs = dd.from_pandas(pd.Series(["NATO, Kyiv", "Kyiv NATO"]), npartitions=2)
        >>> lexiscan.dask.scan(m, docs).cooccurrence(as_="edges")
          source target  weight
        0   NATO   Kyiv       2
        """
        return self._analyse("cooccurrence", window=window, as_=as_, by=by)

    def kwic(self, pattern: str, window: int = 5, unit: str = "words") -> pd.DataFrame:
        """`ScanResult.kwic` of the whole corpus, in document order.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
        >>> docs = dd.from_pandas(pd.Series(["a NATO b", "c NATO"]), npartitions=2)
        >>> lexiscan.dask.scan(m, docs).kwic("NATO")[["docname", "pre", "post"]].values.tolist()
        [[0, 'a', 'b'], [1, 'c', '']]
        """
        return self._analyse("kwic", pattern=pattern, window=window, unit=unit)

    def compare(self, groups: Any, by: str = "entity") -> pd.DataFrame:
        """`ScanResult.compare` of the whole corpus (keyness from the merged counts).

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Russia"))
        >>> frame = pd.DataFrame({"text": ["NATO NATO Russia", "Russia Russia NATO"],
        ...                       "outlet": ["A", "B"]})
        >>> res = lexiscan.dask.scan(m, dd.from_pandas(frame, npartitions=2))
        >>> res.compare("outlet")[["group", "feature", "n_target"]].head(2)
          group feature  n_target
        0     A    NATO         2
        1     A  Russia         1
        """
        return self._analyse("compare", groups=groups, by=by)

    def figures(self, groups: Any = None) -> pd.DataFrame:
        """`ScanResult.figures` of the whole corpus, in document order.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Ukraine"))
        >>> docs = dd.from_pandas(pd.Series(["100,000 troops near Ukraine."]), npartitions=1)
        >>> lexiscan.dask.scan(m, docs).figures()[["figure", "unit"]]
            figure    unit
        0  100,000  troops
        """
        return self._analyse("figures", groups=groups)

    def disagreements(
        self, groups: Any, max_ratio: float = 1.5, hedges: bool = True
    ) -> pd.DataFrame:
        """`ScanResult.disagreements` of the whole corpus: topics are formed on the merged
        figures, so figures of different partitions can disagree.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Donbas"))
        >>> frame = pd.DataFrame({"text": ["In Donbas, 14,000 people were killed.",
        ...                                "Donbas: 13,000 people were killed."],
        ...                       "outlet": ["A", "B"]})
        >>> res = lexiscan.dask.scan(m, dd.from_pandas(frame, npartitions=2))
        >>> res.disagreements("outlet")[["group", "value", "kind"]]
          group    value   kind
        0     A  14000.0  value
        1     B  13000.0  value
        """
        return self._analyse("disagreements", groups=groups, max_ratio=max_ratio, hedges=hedges)

    def descriptions(
        self, label: str = "TITLE", window: int = 3, groups: Any = None
    ) -> pd.DataFrame:
        """`ScanResult.descriptions` of the whole corpus, in document order.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> lex = (lexiscan.Lexicon().add("Wendy Sherman", label="PERSON")
        ...        .add("Deputy Secretary", label="TITLE"))
        >>> docs = dd.from_pandas(pd.Series(["Deputy Secretary Wendy Sherman"]), npartitions=1)
        >>> res = lexiscan.dask.scan(lexiscan.Matcher(lex), docs)
        >>> res.descriptions()[["entity", "description"]]
                  entity       description
        0  Wendy Sherman  Deputy Secretary
        """
        return self._analyse("descriptions", label=label, window=window, groups=groups)

    def audit(self, groups: Any = None, min_chars: int = 5, max_edits: int = 1) -> Audit:
        """`ScanResult.audit` of the whole corpus: aliases used summed, entities never matched
        in any partition, near misses in document order.

        >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
        >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Alexander Fomin", ["Fomin"]))
        >>> docs = dd.from_pandas(pd.Series(["Fomin spoke.", "Alexander formin."]), npartitions=2)
        >>> lexiscan.dask.scan(m, docs).audit().near_misses[["doc", "word", "alias_word"]]
           doc    word alias_word
        0    1  formin      fomin
        """
        return self._analyse("audit", groups=groups, min_chars=min_chars, max_edits=max_edits)

    def __repr__(self) -> str:
        return f"<DaskScanResult: {self.npartitions} partitions>"


def scan(
    matcher: Matcher, data: Any, text: str = "text", key: str | None = None, n_threads: int = 1
) -> DaskScanResult:
    """Scan a dask DataFrame (its `text` column; document keys from its `key` column, or its
    index when `key` is None) or a dask Series of texts (keys from its index). Nothing runs
    until an analysis, `matches().compute()`, `to_parquet` or `persist` asks. `n_threads` is
    per task: one, since Dask already runs a task per core. Keys should be unique.

    >>> import dask.dataframe as dd, pandas as pd, lexiscan, lexiscan.dask
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
    >>> frame = pd.DataFrame({"id": ["x", "y"], "body": ["NATO", "none"]})
    >>> res = lexiscan.dask.scan(m, dd.from_pandas(frame, npartitions=2), "body", key="id")
    >>> res.counts()["NATO"].to_dict()
    {'x': 1, 'y': 0}
    """
    _require_dask()
    if not isinstance(matcher, Matcher):
        raise TypeError(f"scan needs a lexiscan.Matcher, not {type(matcher).__name__}")
    if not hasattr(data, "to_delayed") or not hasattr(data, "map_partitions"):
        raise TypeError(f"scan needs a dask DataFrame or Series, not {type(data).__name__}")
    import dask.dataframe as dd

    if isinstance(data, dd.DataFrame):
        for what, name in (("text", text), ("key", key)):
            if name is not None and name not in data.columns:
                raise KeyError(f"{what}: no column {name!r} in the DataFrame")
    if key is None and not data.known_divisions:
        # read_parquet and friends number each partition's rows from 0: keys would repeat.
        raise ValueError(
            "the index of this dask collection is not known to be unique across partitions "
            "(its divisions are unknown); pass key= a column of document keys, or set_index"
        )
    return DaskScanResult(matcher, data, text, key, n_threads)
