"""lexiscan on Spark: scan a Spark DataFrame with `mapInArrow` (Arrow batches in and out, no
Python object per row or match), or Parquet files that the Python workers read themselves, and
run every analysis of `ScanResult` as partials per partition merged on the driver, with the
single-process answer.

Two entry points for the documents:

- `scan` / `analyses` take a Spark DataFrame: Spark's JVM reads the data (any source, any
  query before it) and moves the text columns to the Python workers in Arrow batches.
- `scan_parquet` / `analyses_parquet` take Parquet paths: Spark only schedules work units
  (a file and a run of its row groups), and each Python worker reads its unit with
  `pyarrow.parquet` (only the text, key and group columns, a row group at a time), so the
  texts never pass through the JVM. For a corpus that is already Parquet files this skips
  Spark's own read and its hand-off to Python, which cost more than the scan itself
  (docs/scale-out.md has the measurements).

The matcher is broadcast once (`SparkContext.broadcast`): each executor's Python worker
unpickles it once (its spec; the automaton is rebuilt once per process and cached by
fingerprint). Only the matches, or each analysis's partial (`lexiscan._partials` says what
each ships), leave the executors; `SparkAnalyses.compute` runs several analyses on one read
and one scan of each partition. Needs ``pip install lexiscan[spark]`` and a Java runtime.

Over a DataFrame, Spark moves each partition to Python in Arrow batches of at most 10,000
rows by default, which for long documents means batches of a hundred megabytes, slow to build
and move; a session
with ``spark.sql.execution.arrow.maxBytesPerBatch`` set (16 MB, say) moves them faster
(docs/scale-out.md has the measurements). The session is the user's, so this module does not
change its settings.

The examples below need a Spark session, `spark` (the suite runs them on its shared one):

>>> import lexiscan, lexiscan.spark
>>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv", ["Kiev"]))
>>> docs = spark.createDataFrame([("a", "NATO in Kiev"), ("b", "Kyiv")], "doc string, text string")
>>> lexiscan.spark.analyses(m, docs).frequency()[["feature", "frequency"]]
  feature  frequency
0    Kyiv          2
1    NATO          1
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any

import pandas as pd

from lexiscan import _partials
from lexiscan._matcher import Matcher
from lexiscan._optional import require
from lexiscan._parquet_units import Paths, plan
from lexiscan._spark_sources import FrameDocuments, ParquetDocuments
from lexiscan._spark_tasks import Request, matches_function, partials_function

if TYPE_CHECKING:
    from lexiscan._insights import Audit

__all__ = ["SparkAnalyses", "analyses", "analyses_parquet", "scan", "scan_parquet"]

# Units of ~128 MB of text: small enough that a retried task costs little and that the units
# spread evenly, large enough that a task's start-up is noise against its read and scan.
UNIT_BYTES = 128 << 20

# Spark SQL types of the match columns (the doc column takes the key column's type).
_MATCH_TYPES = [("entity", "string"), ("label", "string"), ("alias", "string"),
                ("start", "bigint"), ("end", "bigint"), ("text", "string")]  # fmt: skip

Documents = FrameDocuments | ParquetDocuments


def _require_spark() -> None:
    require("pyspark", "lexiscan.spark", "spark")
    require("pyarrow", "lexiscan.spark", "spark")


def _check_matcher(matcher: Matcher, what: str) -> None:
    if not isinstance(matcher, Matcher):
        raise TypeError(f"{what} needs a lexiscan.Matcher, not {type(matcher).__name__}")


def _check(matcher: Matcher, df: Any, columns: dict[str, str | None]) -> None:
    _check_matcher(matcher, "scan")
    if not hasattr(df, "mapInArrow"):
        raise TypeError(f"scan needs a Spark DataFrame, not {type(df).__name__}")
    for what, name in columns.items():
        if name is not None and name not in df.columns:
            raise KeyError(f"{what}: no column {name!r} in the DataFrame")


def _schema(key_type: str, typos: bool) -> str:
    fields = [("doc", key_type), *_MATCH_TYPES] + ([("edits", "bigint")] if typos else [])
    return ", ".join(f"`{name}` {kind}" for name, kind in fields)


def _matches(matcher: Matcher, documents: Documents, n_threads: int) -> Any:
    typos = bool(matcher._native.options()["max_edits"])
    broadcast = documents.spark.sparkContext.broadcast(matcher)
    columns = [documents.key, documents.text]
    function = matches_function(
        broadcast, documents.pieces(columns), documents.text, documents.key, n_threads
    )
    return documents.frame(columns).mapInArrow(function, _schema(documents.key_type, typos))


def scan(
    matcher: Matcher, df: Any, text: str = "text", key: str = "doc", n_threads: int = 1
) -> Any:
    """The matches of the `text` column of a Spark DataFrame, as a Spark DataFrame: doc (the
    `key` column), entity, label, alias, start, end, text (and edits for a matcher with
    ``max_edits``). Lazy, like any Spark DataFrame. For a corpus in Parquet files,
    `scan_parquet` is faster (the texts skip Spark's reader).

    >>> import lexiscan, lexiscan.spark
    >>> from pyspark.sql import SparkSession
    >>> spark = SparkSession.builder.master("local[2]").getOrCreate()
    >>> docs = spark.createDataFrame([("a", "NATO met Kyiv")], "doc string, text string")
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
    >>> lexiscan.spark.scan(m, docs).select("doc", "text").collect()
    [Row(doc='a', text='NATO')]
    """
    _require_spark()
    _check(matcher, df, {"text": text, "key": key})
    return _matches(matcher, FrameDocuments(df, text, key), n_threads)


def _parquet_documents(
    matcher: Matcher,
    spark: Any,
    paths: Paths,
    text: str,
    key: str | None,
    unit_bytes: int,
    filesystem: Any,
    what: str,
) -> ParquetDocuments:
    _require_spark()
    _check_matcher(matcher, what)
    if not hasattr(spark, "sparkContext"):
        raise TypeError(f"{what} needs a SparkSession, not {type(spark).__name__}")
    parallelism = spark.sparkContext.defaultParallelism
    found = plan(paths, text, key, unit_bytes, 2 * parallelism, filesystem)
    return ParquetDocuments(spark, found)


def scan_parquet(
    matcher: Matcher,
    spark: Any,
    paths: Paths,
    text: str = "text",
    key: str | None = "doc",
    n_threads: int = 1,
    *,
    unit_bytes: int = UNIT_BYTES,
    filesystem: Any = None,
) -> Any:
    """The matches of the `text` column of Parquet files, as a Spark DataFrame with the
    columns of `scan`'s, read and scanned by the Python workers: Spark schedules only work
    units (a file and a run of its row groups, about `unit_bytes` of text each and at least
    two per core of the session where the row groups allow; a row group is never split), and
    each worker opens its unit with `pyarrow.parquet`, reads the text and key columns a row
    group at a time and scans them with the broadcast matcher.

    `paths`: a path or a list of paths, each a file, a folder (its files, but those whose
    names start with ``_`` or ``.``, as Spark writes them) or a glob, local or a URI of any
    filesystem pyarrow opens (``s3://``, ``gs://``, ``hdfs://``, ...) or else fsspec (then
    ``fsspec`` and its filesystem's package must be installed); or paths in the terms of
    `filesystem`, a pyarrow or fsspec filesystem (picklable: it travels to the workers). The
    paths must be readable from the executors as they are from the driver: a local path
    only on a single machine or a filesystem mounted at the same place on every node, else
    object storage or HDFS. The driver reads every file's footer to plan the units and
    check the columns.

    `key`: the column of document keys (its type is the doc column's), or None to number the
    documents by position: the files in the order of `paths` (a folder's or a glob's files
    sorted), then the rows in each file, from 0 (bigint) — the keys that one process's
    ``matcher.scan(pyarrow.parquet.read_table(files)[text])`` gives the same files in the
    same order.

    With `spark` a SparkSession:

    >>> import os, tempfile, pyarrow as pa, pyarrow.parquet as pq, lexiscan, lexiscan.spark
    >>> folder = tempfile.mkdtemp()
    >>> pq.write_table(pa.table({"doc": ["a", "b"], "text": ["NATO met Kyiv", "none"]}),
    ...                os.path.join(folder, "part-0.parquet"))
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
    >>> matches = lexiscan.spark.scan_parquet(m, spark, folder)
    >>> matches.select("doc", "text").collect()
    [Row(doc='a', text='NATO')]
    """
    documents = _parquet_documents(
        matcher, spark, paths, text, key, unit_bytes, filesystem, "scan_parquet"
    )
    return _matches(matcher, documents, n_threads)


class SparkAnalyses:
    """Every analysis of `ScanResult` over documents on Spark (a Spark DataFrame, from
    `analyses`, or Parquet files, from `analyses_parquet`): each piece's partial (a
    partition of the DataFrame, a unit of the files) is computed on the executors (one
    `mapInArrow` job per `compute`) and merged on the driver in the documents' order.
    `groups` is a column name of the documents or a pandas Series of group values indexed by
    document key. The examples of the methods use this one (`spark` is a SparkSession):

    >>> import lexiscan, lexiscan.spark
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv", ["Kiev"]))
    >>> docs = spark.createDataFrame(
    ...     [("a", "A", "NATO met in Kiev. 2,000 troops near Kyiv."),
    ...      ("b", "B", "NATO: 3,000 troops near Kyiv.")],
    ...     "doc string, outlet string, text string")
    >>> res = lexiscan.spark.analyses(m, docs)
    >>> res
    <SparkAnalyses of 'text' keyed by 'doc'>
    """

    def __init__(self, matcher: Matcher, documents: Documents) -> None:
        self._matcher = matcher
        self._documents = documents
        self._broadcast = documents.spark.sparkContext.broadcast(matcher)

    def _request(self, name: str, kwargs: dict[str, Any]) -> Request:
        _partials.check(name, self._matcher, kwargs)
        groups = kwargs.get("groups")
        group_column = groups if isinstance(groups, str) else None
        if group_column is not None and not self._documents.has_column(group_column):
            raise KeyError(f"groups: no column {group_column!r} in the documents")
        if groups is not None and not isinstance(groups, (str, pd.Series)):
            raise TypeError(
                "groups must be a column name of the documents or a pandas Series indexed by "
                f"document key, not {type(groups).__name__}"
            )
        group_series = groups if isinstance(groups, pd.Series) else None
        piece_kwargs = {k: v for k, v in kwargs.items() if k != "groups"}
        return Request(name, piece_kwargs, group_column, group_series)

    def compute(self, *analyses: Any) -> list[Any]:
        """Several analyses in one Spark job, so each partition is read and scanned once for
        all of them: each analysis is a name or a (name, dict of arguments) pair, and the
        answers come back in order, as the methods of the same names give them.

        >>> counts, edges = res.compute("counts", ("cooccurrence", {"as_": "edges"}))
        >>> edges
          source target  weight
        0   NATO   Kyiv       2
        """
        asked = _partials.requests(analyses)
        requests = [self._request(name, kwargs) for name, kwargs in asked]
        documents = self._documents
        groups = [r.group_column for r in requests if r.group_column]
        columns = [documents.key, documents.text, *groups]
        pieces = documents.pieces(columns)
        function = partials_function(
            self._broadcast, pieces, documents.text, documents.key, requests
        )
        rows = (
            documents.frame(columns)
            .mapInArrow(function, "piece bigint, request int, partial binary")
            .collect()
        )
        answers = []
        for i, ((name, kwargs), request) in enumerate(zip(asked, requests)):
            mine = sorted((r["piece"], r["partial"]) for r in rows if r["request"] == i)
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
        """`ScanResult.counts` of the whole corpus (rows in the documents' order).

        >>> res.counts()  # doctest: +NORMALIZE_WHITESPACE
             NATO  Kyiv
        doc
        a       1     2
        b       1     1
        """
        return self._analyse("counts", by=by, presence=presence, sparse=sparse)

    def frequency(self, by: str = "entity", groups: Any = None) -> pd.DataFrame:
        """`ScanResult.frequency` of the whole corpus.

        >>> res.frequency(groups="outlet")[["feature", "frequency", "group"]]
          feature  frequency group
        0    Kyiv          2     A
        1    NATO          1     A
        2    NATO          1     B
        3    Kyiv          1     B
        """
        return self._analyse("frequency", by=by, groups=groups)

    def cooccurrence(
        self, window: str | int = "document", as_: str = "frame", by: str = "entity"
    ) -> pd.DataFrame:
        """`ScanResult.cooccurrence` of the whole corpus.

        >>> res.cooccurrence(as_="edges")
          source target  weight
        0   NATO   Kyiv       2
        """
        return self._analyse("cooccurrence", window=window, as_=as_, by=by)

    def kwic(self, pattern: str, window: int = 5, unit: str = "words") -> pd.DataFrame:
        """`ScanResult.kwic` of the whole corpus, in the documents' order.

        >>> res.kwic("Kyiv")[["docname", "keyword", "post"]]
          docname keyword                      post
        0       a    Kiev  . 2,000 troops near Kyiv
        1       a    Kyiv                         .
        2       b    Kyiv                         .
        """
        return self._analyse("kwic", pattern=pattern, window=window, unit=unit)

    def compare(self, groups: Any, by: str = "entity") -> pd.DataFrame:
        """`ScanResult.compare` of the whole corpus (keyness from the merged counts).

        >>> res.compare("outlet")[["group", "feature", "n_target"]].head(2)
          group feature  n_target
        0     A    NATO         1
        1     A    Kyiv         2
        """
        return self._analyse("compare", groups=groups, by=by)

    def figures(self, groups: Any = None) -> pd.DataFrame:
        """`ScanResult.figures` of the whole corpus, in the documents' order.

        >>> res.figures()[["doc", "figure", "unit"]]
          doc figure    unit
        0   a  2,000  troops
        1   b  3,000  troops
        """
        return self._analyse("figures", groups=groups)

    def disagreements(
        self, groups: Any, max_ratio: float = 1.5, hedges: bool = True
    ) -> pd.DataFrame:
        """`ScanResult.disagreements` of the whole corpus (topics from the merged figures).

        >>> res.disagreements("outlet")[["group", "value", "kind"]]
          group   value   kind
        0     A  2000.0  value
        1     B  3000.0  value
        """
        return self._analyse("disagreements", groups=groups, max_ratio=max_ratio, hedges=hedges)

    def descriptions(
        self, label: str = "TITLE", window: int = 3, groups: Any = None
    ) -> pd.DataFrame:
        """`ScanResult.descriptions` of the whole corpus, in the documents' order.

        >>> import lexiscan, lexiscan.spark
        >>> lex = (lexiscan.Lexicon().add("Wendy Sherman", label="PERSON")
        ...        .add("Deputy Secretary", label="TITLE"))
        >>> titles = spark.createDataFrame([("x", "Deputy Secretary Wendy Sherman")],
        ...                                "doc string, text string")
        >>> found = lexiscan.spark.analyses(lexiscan.Matcher(lex), titles)
        >>> found.descriptions()[["entity", "description"]]
                  entity       description
        0  Wendy Sherman  Deputy Secretary
        """
        return self._analyse("descriptions", label=label, window=window, groups=groups)

    def audit(self, groups: Any = None, min_chars: int = 5, max_edits: int = 1) -> Audit:
        """`ScanResult.audit` of the whole corpus: aliases used summed, entities never matched
        in any piece, near misses in the documents' order.

        >>> res.audit().aliases_used
          entity alias  count
        0   Kyiv  Kiev      1
        1   Kyiv  Kyiv      2
        2   NATO  NATO      2
        """
        return self._analyse("audit", groups=groups, min_chars=min_chars, max_edits=max_edits)

    def __repr__(self) -> str:
        return f"<SparkAnalyses of {self._documents!r}>"


def analyses(matcher: Matcher, df: Any, text: str = "text", key: str = "doc") -> SparkAnalyses:
    """The analyses of `ScanResult` over the documents of a Spark DataFrame (see
    `SparkAnalyses`); each call runs one Spark job.

    With `spark` a SparkSession:

    >>> import lexiscan, lexiscan.spark
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
    >>> docs = spark.createDataFrame([("a", "NATO met Kyiv")], "doc string, text string")
    >>> res = lexiscan.spark.analyses(m, docs)
    >>> res.counts()  # doctest: +NORMALIZE_WHITESPACE
         NATO
    doc
    a       1
    """
    _require_spark()
    _check(matcher, df, {"text": text, "key": key})
    return SparkAnalyses(matcher, FrameDocuments(df, text, key))


def analyses_parquet(
    matcher: Matcher,
    spark: Any,
    paths: Paths,
    text: str = "text",
    key: str | None = "doc",
    *,
    unit_bytes: int = UNIT_BYTES,
    filesystem: Any = None,
) -> SparkAnalyses:
    """The analyses of `ScanResult` over the documents of Parquet files (see `SparkAnalyses`),
    each Python worker reading its own units as `scan_parquet` says (the same `paths`, `key`,
    `unit_bytes` and `filesystem`); a `groups` column is read with the texts. The files are
    planned once, here; each call runs one Spark job.

    With `spark` a SparkSession:

    Two files without a key column, so the documents are numbered across them:

    >>> import os, tempfile, pyarrow as pa, pyarrow.parquet as pq, lexiscan, lexiscan.spark
    >>> folder = tempfile.mkdtemp()
    >>> for i, texts in enumerate([["NATO met Kyiv", "none"], ["Kyiv, NATO, NATO"]]):
    ...     pq.write_table(pa.table({"text": texts}), os.path.join(folder, f"{i}.parquet"))
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("NATO").add("Kyiv"))
    >>> res = lexiscan.spark.analyses_parquet(m, spark, folder, key=None)
    >>> counts, edges = res.compute("counts", ("cooccurrence", {"as_": "edges"}))
    >>> counts
       NATO  Kyiv
    0     1     1
    1     0     0
    2     2     1
    >>> edges
      source target  weight
    0   NATO   Kyiv       2
    """
    documents = _parquet_documents(
        matcher, spark, paths, text, key, unit_bytes, filesystem, "analyses_parquet"
    )
    return SparkAnalyses(matcher, documents)
