"""What `lexiscan.spark` runs on the executors, inside `mapInArrow`: each piece of the corpus
(`lexiscan._spark_sources`) scanned batch by batch, and either its matches sent back as Arrow
batches in the schema `lexiscan.spark.scan` declares, or one pickled partial per requested
analysis (`lexiscan._partials`) sent back as a binary row, with the piece's order number so
the driver merges them in the documents' order.

The functions here are closures over a broadcast matcher; Spark pickles them with cloudpickle
and each Python worker unpickles the matcher once.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any, NamedTuple

import pandas as pd

from lexiscan import _partials
from lexiscan._matcher import Matcher
from lexiscan._parquet_units import is_string_view
from lexiscan._result import ScanResult
from lexiscan._spark_sources import POSITION, Pieces


def plain_strings(column: Any) -> Any:
    """Strings as Spark reads them from Arrow: plain (32-bit offsets), not dictionaries."""
    import pyarrow as pa

    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    kind = column.type
    if pa.types.is_large_string(kind) or is_string_view(kind):
        column = column.cast(pa.string())
    return column


def scan_batch(matcher: Matcher, batch: Any, text: str, key: str, n_threads: int) -> Any:
    """One Arrow record batch scanned: a table of matches whose doc is the row's key."""
    import pyarrow as pa

    # keep_text=False: the matches carry their own text; the documents need not be kept.
    result = matcher.scan(batch.column(text), n_threads=n_threads, keep_text=False)
    table = result.to_arrow()
    doc = batch.column(key).take(table.column("doc"))
    # Whole columns only: a Python list around a column (`set_column(i, name, [column])`)
    # makes pyarrow convert it value by value, ~0.7 us a match.
    columns = [plain_strings(doc), *(plain_strings(column) for column in table.columns[1:])]
    return pa.Table.from_arrays(columns, names=table.column_names)


def matches_function(broadcast: Any, pieces: Pieces, text: str, key: str, n_threads: int) -> Any:
    def matches(batches: Iterator[Any]) -> Iterator[Any]:
        matcher = broadcast.value  # unpickled once per worker process, rebuilt once
        for _, documents in pieces(batches):
            for batch in documents:
                yield from scan_batch(matcher, batch, text, key, n_threads).to_batches()

    return matches


class Request(NamedTuple):
    """One analysis asked of a Spark job: its name, its arguments but `groups`, and where its
    groups come from (a column of the documents, a Series by document key, or none)."""

    name: str
    kwargs: dict[str, Any]
    group_column: str | None
    group_series: pd.Series | None


def scan_keyed(matcher: Matcher, batch: Any, text: str, key: str) -> ScanResult:
    """One record batch of documents scanned, its result keyed by the batch's keys."""
    # Positions (documents read without a key) are unnamed, as one process numbers them.
    name = None if key == POSITION else key
    keys = pd.Index(batch.column(key).to_pandas()).rename(name)
    texts = batch.column(text).to_pandas()  # Arrow-backed strings stay in Arrow memory
    texts.index = keys
    return matcher.scan(texts, n_threads=1)


def batch_partials(
    matcher: Matcher, batch: Any, text: str, key: str, requests: list[Request]
) -> list[Any]:
    """The partial of every request for one record batch of documents."""
    piece = scan_keyed(matcher, batch, text, key)
    groups = [_groups_of_batch(r, batch, piece._keys) for r in requests]
    return _partials.partials_of(piece, [(r.name, r.kwargs) for r in requests], groups)


def _groups_of_batch(request: Request, batch: Any, keys: pd.Index) -> list[Any] | None:
    """A request's group value per document of the batch (None: the analysis is ungrouped)."""
    if request.group_column is not None:
        return batch.column(request.group_column).to_pylist()  # type: ignore[no-any-return]
    if request.group_series is not None:
        return request.group_series.reindex(keys).tolist()  # type: ignore[no-any-return]
    return None


def partials_function(
    broadcast: Any, pieces: Pieces, text: str, key: str, requests: list[Request]
) -> Any:
    """The function that sends back each piece's partials: its record batches are scanned
    one by one as they arrive (so reading the next overlaps scanning this one) and each
    batch's partials merged into the piece's at once, so a task holds one batch's texts and
    matches, not the piece's."""

    def partials(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        names = [r.name for r in requests]
        for order, documents in pieces(batches):
            found: list[Any] | None = None
            for batch in documents:
                if batch.num_rows == 0:
                    continue
                mine = batch_partials(broadcast.value, batch, text, key, requests)
                found = mine if found is None else _partials.merge_each(names, found, mine)
            if found is None:  # a piece without documents
                continue
            yield pa.RecordBatch.from_arrays(
                [
                    pa.array([order] * len(found), pa.int64()),
                    pa.array(range(len(found)), pa.int32()),
                    pa.array(
                        [pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL) for p in found],
                        pa.binary(),
                    ),
                ],
                names=["piece", "request", "partial"],
            )

    return partials
