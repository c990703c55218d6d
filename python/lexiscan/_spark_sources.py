"""Where `lexiscan.spark` gets its documents: a Spark DataFrame (Spark reads the data and moves
the text columns to the Python workers) or Parquet work units (Spark moves only the units'
file names and row-group ranges; each Python worker reads its unit with `pyarrow.parquet`).

Both sources give the same thing to the functions that `mapInArrow` runs: the Spark DataFrame
to map over, and a function that turns the Arrow batches one task receives into pieces of the
corpus, each an order number (pieces merge in that order, which is the documents' order) and
the Arrow record batches of its documents (the text, key and group columns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from lexiscan._parquet_units import ParquetPlan, Unit, grouped, is_string_view, read_unit

# The key column of documents read from Parquet without a key: their positions.
POSITION = "__lexiscan_position__"

Pieces = Callable[[Iterator[Any]], Iterator[tuple[int, Iterator[Any]]]]


def spark_type(kind: Any) -> str:
    """The Spark SQL type (as a DDL string) of the values of an Arrow type."""
    import pyarrow as pa
    from pyspark.sql.pandas.types import from_arrow_type

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_large_string(kind) or is_string_view(kind):
        kind = pa.string()
    return str(from_arrow_type(kind).simpleString())


def whole_partition(batches: Iterator[Any]) -> Iterator[tuple[int, Iterator[Any]]]:
    """A DataFrame's partition is one piece, ordered by the partition's number."""
    from pyspark import TaskContext

    context = TaskContext.get()
    yield (context.partitionId() if context else 0, batches)


class FrameDocuments:
    """The documents of a Spark DataFrame: its `text` column keyed by its `key` column."""

    def __init__(self, df: Any, text: str, key: str) -> None:
        self.df = df
        self.text = text
        self.key = key

    @property
    def spark(self) -> Any:
        return self.df.sparkSession

    @property
    def key_type(self) -> str:
        return str(self.df.schema[self.key].dataType.simpleString())

    def has_column(self, name: str) -> bool:
        return name in self.df.columns

    def frame(self, columns: Sequence[str]) -> Any:
        return self.df.select(*dict.fromkeys(columns))

    def pieces(self, columns: Sequence[str]) -> Pieces:
        return whole_partition

    def __repr__(self) -> str:
        return f"{self.text!r} keyed by {self.key!r}"


class UnitReader:
    """The pieces of a task over Parquet units: the task's units (`tasks[i]` for each task
    number `i` it receives, the `id` column of `spark.range`), each a piece read by this
    worker in the documents' order, with only `columns` (and the documents' positions as
    `positions`)."""

    def __init__(
        self,
        filesystem: Any,
        tasks: list[list[Unit]],
        columns: Sequence[str],
        positions: str | None,
    ) -> None:
        self.filesystem = filesystem
        self.tasks = tasks
        self.columns = list(columns)
        self.positions = positions

    def __call__(self, batches: Iterator[Any]) -> Iterator[tuple[int, Iterator[Any]]]:
        for batch in batches:
            for task in batch.column("id").to_pylist():
                for unit in self.tasks[task]:
                    documents = read_unit(self.filesystem, unit, self.columns, self.positions)
                    yield unit.number, documents


class ParquetDocuments:
    """The documents of Parquet files, planned into units (`lexiscan._parquet_units`) and the
    units grouped into `n_tasks` tasks of consecutive units and about equal text: a Spark
    DataFrame of one task number per partition, so the tasks spread over the executors as
    they free up. Each unit stays a piece of its own (merged in the units' order)."""

    def __init__(self, spark: Any, plan: ParquetPlan, n_tasks: int) -> None:
        self.spark = spark
        self.plan = plan
        self.text = plan.text
        self.key = plan.key if plan.key is not None else POSITION
        self.tasks = grouped(plan.units, max(1, min(n_tasks, len(plan.units))))

    @property
    def key_type(self) -> str:
        return "bigint" if self.plan.key is None else spark_type(self.plan.columns[self.key])

    def has_column(self, name: str) -> bool:
        return name in self.plan.columns

    def frame(self, columns: Sequence[str]) -> Any:
        # Task numbers, one per partition, made in the JVM: no Python runs to make the rows
        # (an RDD of tuples made by `parallelize` costs a second Python task per unit). The
        # units themselves travel with the function (`UnitReader`).
        n = len(self.tasks)
        return self.spark.range(0, n, 1, max(1, n))

    def pieces(self, columns: Sequence[str]) -> Pieces:
        read = [c for c in dict.fromkeys(columns) if c != POSITION]
        positions = POSITION if self.plan.key is None else None
        return UnitReader(self.plan.filesystem, self.tasks, read, positions)

    def __repr__(self) -> str:
        key = "by position" if self.plan.key is None else f"by {self.key!r}"
        return (
            f"{self.text!r} of {self.plan.n_files} Parquet files in {len(self.plan.units)} "
            f"units ({len(self.tasks)} tasks), keyed {key}"
        )
