"""lexiscan on Spark: scan a Spark DataFrame with `mapInArrow` (Arrow batches in and out, no
Python object per row or match), and run every analysis of `ScanResult` as partials per
partition merged on the driver, with the single-process answer.

The matcher is broadcast once (`SparkContext.broadcast`): each executor's Python worker
unpickles it once (its spec; the automaton is rebuilt once per process and cached by
fingerprint). Only the matches, or each analysis's partial (`lexiscan._partials` says what
each ships), leave the executors; `SparkAnalyses.compute` runs several analyses on one read
and one scan of each partition. Needs ``pip install lexiscan[spark]`` and a Java runtime.

Spark moves each partition to Python in Arrow batches of at most 10,000 rows by default, which
for long documents means batches of a hundred megabytes, slow to build and move; a session
with ``spark.sql.execution.arrow.maxBytesPerBatch`` set (16 MB, say) moves them faster
(docs/scale-out.md has the measurements). The session is the user's, so this module does not
change its settings.

The examples below need a Spark session; tests/test_scaleout.py runs the same calls.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from lexiscan import _partials
from lexiscan._matcher import Matcher
from lexiscan._optional import require
from lexiscan._result import ScanResult

if TYPE_CHECKING:
    from lexiscan._insights import Audit

__all__ = ["SparkAnalyses", "analyses", "scan"]

# Spark SQL types of the match columns (the doc column takes the key column's type).
_MATCH_TYPES = [("entity", "string"), ("label", "string"), ("alias", "string"),
                ("start", "bigint"), ("end", "bigint"), ("text", "string")]  # fmt: skip


def _require_spark() -> None:
    require("pyspark", "lexiscan.spark", "spark")
    require("pyarrow", "lexiscan.spark", "spark")


def _check(matcher: Matcher, df: Any, columns: dict[str, str | None]) -> None:
    if not isinstance(matcher, Matcher):
        raise TypeError(f"scan needs a lexiscan.Matcher, not {type(matcher).__name__}")
    if not hasattr(df, "mapInArrow"):
        raise TypeError(f"scan needs a Spark DataFrame, not {type(df).__name__}")
    for what, name in columns.items():
        if name is not None and name not in df.columns:
            raise KeyError(f"{what}: no column {name!r} in the DataFrame")


def _schema(df: Any, key: str, typos: bool) -> str:
    key_type = df.schema[key].dataType.simpleString()
    fields = [("doc", key_type), *_MATCH_TYPES] + ([("edits", "bigint")] if typos else [])
    return ", ".join(f"`{name}` {kind}" for name, kind in fields)


def _scan_batch(matcher: Matcher, batch: Any, text: str, key: str, n_threads: int) -> Any:
    """One Arrow record batch scanned: a table of matches whose doc is the row's key."""
    import pyarrow as pa

    # keep_text=False: the matches carry their own text; the documents need not be kept.
    result = matcher.scan(batch.column(text), n_threads=n_threads, keep_text=False)
    table = result.to_arrow()
    doc = batch.column(key).take(table.column("doc"))
    table = table.set_column(0, pa.field("doc", doc.type), [doc])
    strings = [i for i, f in enumerate(table.schema) if pa.types.is_large_string(f.type)]
    for i in strings:  # Spark reads plain (32-bit offset) strings unless told otherwise
        table = table.set_column(i, table.schema.field(i).name, table.column(i).cast(pa.string()))
    return table


def _matches_function(broadcast: Any, text: str, key: str, n_threads: int) -> Any:
    def matches(batches: Iterator[Any]) -> Iterator[Any]:
        matcher = broadcast.value  # unpickled once per worker process, rebuilt once
        for batch in batches:
            yield from _scan_batch(matcher, batch, text, key, n_threads).to_batches()

    return matches


def scan(
    matcher: Matcher, df: Any, text: str = "text", key: str = "doc", n_threads: int = 1
) -> Any:
    """The matches of the `text` column of a Spark DataFrame, as a Spark DataFrame: doc (the
    `key` column), entity, label, alias, start, end, text (and edits for a matcher with
    ``max_edits``). Lazy, like any Spark DataFrame.

    >>> import lexiscan, lexiscan.spark                             # doctest: +SKIP
    >>> from pyspark.sql import SparkSession                        # doctest: +SKIP
    >>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
    >>> docs = spark.createDataFrame([("a", "NATO met Kyiv")], "doc string, text string")
    ... # doctest: +SKIP
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))        # doctest: +SKIP
    >>> lexiscan.spark.scan(m, docs).select("doc", "text").collect()  # doctest: +SKIP
    [Row(doc='a', text='NATO')]
    """
    _require_spark()
    _check(matcher, df, {"text": text, "key": key})
    typos = bool(matcher._native.options()["max_edits"])
    broadcast = df.sparkSession.sparkContext.broadcast(matcher)
    function = _matches_function(broadcast, text, key, n_threads)
    return df.select(key, text).mapInArrow(function, _schema(df, key, typos))


class _Request(NamedTuple):
    """One analysis asked of a Spark job: its name, its arguments but `groups`, and where its
    groups come from (a column of the DataFrame, a Series by document key, or none)."""

    name: str
    kwargs: dict[str, Any]
    group_column: str | None
    group_series: pd.Series | None


def _scan_partition(
    matcher: Matcher, batches: Iterator[Any], text: str, key: str, columns: list[str]
) -> tuple[ScanResult, pd.Index, dict[str, list[Any]]] | None:
    """A partition's record batches scanned one by one as they arrive (so reading the next
    overlaps scanning this one), joined into one result; with the keys and the values of
    `columns`. None for a partition without rows."""
    pieces: list[ScanResult] = []
    keys: list[pd.Index] = []
    values: dict[str, list[Any]] = {c: [] for c in columns}
    for batch in batches:
        batch_keys = pd.Index(batch.column(key).to_pandas())
        texts = batch.column(text).to_pandas()  # Arrow-backed strings stay in Arrow memory
        texts.index = batch_keys
        pieces.append(matcher.scan(texts, n_threads=1))
        keys.append(batch_keys)
        for column in columns:
            values[column].extend(batch.column(column).to_pylist())
    if not pieces:
        return None
    piece = pieces[0] if len(pieces) == 1 else ScanResult.concat(pieces)
    return piece, keys[0].append(keys[1:]), values


def _partials_function(broadcast: Any, text: str, key: str, requests: list[_Request]) -> Any:
    def partials(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from pyspark import TaskContext

        columns = list(dict.fromkeys(r.group_column for r in requests if r.group_column))
        scanned = _scan_partition(broadcast.value, batches, text, key, columns)
        if scanned is None:
            return
        piece, keys, values = scanned
        found = []
        for request in requests:
            kwargs = dict(request.kwargs)
            if request.group_column is not None:
                kwargs["groups"] = values[request.group_column]
            elif request.group_series is not None:
                kwargs["groups"] = request.group_series.reindex(keys).tolist()
            found.append(_partials.partial(piece, request.name, kwargs))
        context = TaskContext.get()
        partition = context.partitionId() if context else 0
        yield pa.RecordBatch.from_arrays(
            [
                pa.array([partition] * len(found), pa.int32()),
                pa.array(range(len(found)), pa.int32()),
                pa.array(
                    [pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL) for p in found],
                    pa.binary(),
                ),
            ],
            names=["partition", "request", "partial"],
        )

    return partials


class SparkAnalyses:
    """Every analysis of `ScanResult` over a Spark DataFrame of documents: each partition's
    partial is computed on the executors (one `mapInArrow` job per analysis) and merged on
    the driver in partition order. `groups` is a column name of the DataFrame or a pandas
    Series of group values indexed by document key."""

    def __init__(self, matcher: Matcher, df: Any, text: str, key: str) -> None:
        self._matcher = matcher
        self._df = df
        self._text = text
        self._key = key
        self._broadcast = df.sparkSession.sparkContext.broadcast(matcher)

    def _request(self, name: str, kwargs: dict[str, Any]) -> _Request:
        _partials.check(name, self._matcher, kwargs)
        groups = kwargs.get("groups")
        group_column = groups if isinstance(groups, str) else None
        if group_column is not None and group_column not in self._df.columns:
            raise KeyError(f"groups: no column {group_column!r} in the DataFrame")
        if groups is not None and not isinstance(groups, (str, pd.Series)):
            raise TypeError(
                "groups must be a column name of the DataFrame or a pandas Series indexed by "
                f"document key, not {type(groups).__name__}"
            )
        group_series = groups if isinstance(groups, pd.Series) else None
        piece_kwargs = {k: v for k, v in kwargs.items() if k != "groups"}
        return _Request(name, piece_kwargs, group_column, group_series)

    def compute(self, *analyses: Any) -> list[Any]:
        """Several analyses in one Spark job, so each partition is read and scanned once for
        all of them: each analysis is a name or a (name, dict of arguments) pair, and the
        answers come back in order, as the methods of the same names give them.

        >>> counts, edges = res.compute("counts", ("cooccurrence", {"as_": "edges"}))
        ... # doctest: +SKIP
        """
        asked = _partials.requests(analyses)
        requests = [self._request(name, kwargs) for name, kwargs in asked]
        function = _partials_function(self._broadcast, self._text, self._key, requests)
        groups = [r.group_column for r in requests if r.group_column]
        columns = [self._key, self._text, *groups]
        rows = (
            self._df.select(*dict.fromkeys(columns))
            .mapInArrow(function, "partition int, request int, partial binary")
            .collect()
        )
        answers = []
        for i, ((name, kwargs), request) in enumerate(zip(asked, requests)):
            mine = sorted((r["partition"], r["partial"]) for r in rows if r["request"] == i)
            found = [pickle.loads(partial) for _, partial in mine]
            if not found:  # no documents at all
                empty = self._matcher.scan(pd.Series([], dtype=object))
                no_groups = {**request.kwargs}
                if kwargs.get("groups") is not None:
                    no_groups["groups"] = []
                found = [_partials.partial(empty, name, no_groups)]
            merged = _partials.merge_all(name, found)
            answers.append(_partials.finish(name, merged, self._matcher, kwargs))
        return answers

    def _analyse(self, name: str, **kwargs: Any) -> Any:
        return self.compute((name, kwargs))[0]

    def counts(self, by: str = "entity", presence: bool = False, sparse: bool = False) -> Any:
        """`ScanResult.counts` of the whole DataFrame (rows in its order)."""
        return self._analyse("counts", by=by, presence=presence, sparse=sparse)

    def frequency(self, by: str = "entity", groups: Any = None) -> pd.DataFrame:
        """`ScanResult.frequency` of the whole DataFrame."""
        return self._analyse("frequency", by=by, groups=groups)

    def cooccurrence(
        self, window: str | int = "document", as_: str = "frame", by: str = "entity"
    ) -> pd.DataFrame:
        """`ScanResult.cooccurrence` of the whole DataFrame."""
        return self._analyse("cooccurrence", window=window, as_=as_, by=by)

    def kwic(self, pattern: str, window: int = 5, unit: str = "words") -> pd.DataFrame:
        """`ScanResult.kwic` of the whole DataFrame."""
        return self._analyse("kwic", pattern=pattern, window=window, unit=unit)

    def compare(self, groups: Any, by: str = "entity") -> pd.DataFrame:
        """`ScanResult.compare` of the whole DataFrame (keyness from the merged counts)."""
        return self._analyse("compare", groups=groups, by=by)

    def figures(self, groups: Any = None) -> pd.DataFrame:
        """`ScanResult.figures` of the whole DataFrame."""
        return self._analyse("figures", groups=groups)

    def disagreements(
        self, groups: Any, max_ratio: float = 1.5, hedges: bool = True
    ) -> pd.DataFrame:
        """`ScanResult.disagreements` of the whole DataFrame (topics from merged figures)."""
        return self._analyse("disagreements", groups=groups, max_ratio=max_ratio, hedges=hedges)

    def descriptions(
        self, label: str = "TITLE", window: int = 3, groups: Any = None
    ) -> pd.DataFrame:
        """`ScanResult.descriptions` of the whole DataFrame."""
        return self._analyse("descriptions", label=label, window=window, groups=groups)

    def audit(self, groups: Any = None, min_chars: int = 5, max_edits: int = 1) -> Audit:
        """`ScanResult.audit` of the whole DataFrame."""
        return self._analyse("audit", groups=groups, min_chars=min_chars, max_edits=max_edits)

    def __repr__(self) -> str:
        return f"<SparkAnalyses of {self._text!r} keyed by {self._key!r}>"


def analyses(matcher: Matcher, df: Any, text: str = "text", key: str = "doc") -> SparkAnalyses:
    """The analyses of `ScanResult` over the documents of a Spark DataFrame (see
    `SparkAnalyses`); each call runs one Spark job.

    >>> res = lexiscan.spark.analyses(m, docs)                       # doctest: +SKIP
    >>> res.counts()                                                  # doctest: +SKIP
       NATO
    a     1
    """
    _require_spark()
    _check(matcher, df, {"text": text, "key": key})
    return SparkAnalyses(matcher, df, text, key)
