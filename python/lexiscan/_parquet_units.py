"""Parquet inputs cut into units of work for an engine's workers: each unit is one file's run
of consecutive row groups, so a worker can open it alone with `pyarrow.parquet` and read only
the columns it needs, in record batches of a few megabytes of text.

`plan` runs where the job is submitted: it expands the paths (files, folders, globs; local or
on any filesystem pyarrow or fsspec can open), reads every file's footer (a thread per file,
since remote footers are slow and reading them is waiting), checks the columns, and groups the
row groups into units of about `unit_bytes` of uncompressed text; `grouped` gathers
consecutive units into fewer tasks where an engine's cost per task calls for it. `read_unit`
runs on the workers. The documents' order is the files' order (each path argument in turn,
the files of a folder or glob sorted) and then the rows' order in each file; `Unit.first_row`
is the position of a unit's first document in that order, so documents without a key column
are numbered as one process reading the same files in the same order would number them.

This module knows nothing of Spark (`lexiscan.spark` schedules the units).
"""

from __future__ import annotations

import fnmatch
import importlib
import math
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, NamedTuple

_GLOB = "*?["

# Record batches of about this much text: a row group read whole is a pass through memory
# that the scan then repeats, while batches that stay in the caches cost less CPU to read and
# to scan (docs/scale-out.md has the measurement).
BATCH_TEXT_BYTES = 16 << 20

# A path (file, folder or glob; local or a URI) or several.
Paths = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


class Unit(NamedTuple):
    """Row groups `first_row_group` up to (not including) `end_row_group` of one file; its
    documents are `first_row` .. `first_row + n_rows` in the order of all the inputs."""

    number: int
    path: str
    first_row_group: int
    end_row_group: int
    first_row: int
    n_rows: int
    text_bytes: int


@dataclass(frozen=True)
class ParquetPlan:
    """What `plan` found: the filesystem the paths live on (picklable: it travels to the
    workers), the units in document order, the Arrow type of every column that all files
    have, and the text and key columns."""

    filesystem: Any
    units: list[Unit]
    columns: dict[str, Any]
    text: str
    key: str | None

    @property
    def n_files(self) -> int:
        return len({unit.path for unit in self.units})

    @property
    def n_rows(self) -> int:
        return sum(unit.n_rows for unit in self.units)

    def read(self, unit: Unit, columns: Sequence[str], positions: str | None = None) -> Any:
        """The documents of `unit` (see `read_unit`)."""
        return read_unit(self.filesystem, unit, columns, positions)


def _arrow_filesystem(filesystem: Any) -> Any:
    """A pyarrow FileSystem for `filesystem` (a pyarrow or an fsspec filesystem)."""
    import pyarrow.fs as pafs

    if isinstance(filesystem, pafs.FileSystem):
        return filesystem
    if hasattr(filesystem, "ls") and hasattr(filesystem, "open"):  # fsspec's interface
        return pafs.PyFileSystem(pafs.FSSpecHandler(filesystem))
    raise TypeError(
        f"filesystem must be a pyarrow.fs.FileSystem or an fsspec filesystem, "
        f"not {type(filesystem).__name__}"
    )


def _filesystem_of(path: str) -> tuple[Any, str]:
    """The filesystem a path or URI names, and the path in that filesystem's terms."""
    import pyarrow as pa
    import pyarrow.fs as pafs

    if "://" not in path or path.startswith("file://"):
        local = path.removeprefix("file://")
        return pafs.LocalFileSystem(), os.path.abspath(os.path.expanduser(local))
    try:
        return pafs.FileSystem.from_uri(path)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError):
        scheme = path.split("://")[0]
        try:
            fsspec = importlib.import_module("fsspec")  # untyped: no stubs to check against
        except ImportError:
            raise ImportError(
                f"pyarrow cannot open {scheme}:// paths; with fsspec it may: pip install fsspec "
                "(and the package of its filesystem), or pass filesystem="
            ) from None
        fs, inner = fsspec.core.url_to_fs(path)
        return _arrow_filesystem(fs), inner


def _hidden(name: str) -> bool:
    # What Spark and pyarrow skip in a dataset's folders: _SUCCESS, _metadata, .crc files.
    return name.startswith(("_", "."))


def _files_under(filesystem: Any, folder: str) -> list[str]:
    import pyarrow.fs as pafs

    found = filesystem.get_file_info(pafs.FileSelector(folder, recursive=True))
    prefix = folder.rstrip("/") + "/"
    return sorted(
        info.path
        for info in found
        if info.type == pafs.FileType.File
        and not any(_hidden(part) for part in info.path.removeprefix(prefix).split("/"))
    )


def _glob(filesystem: Any, pattern: str) -> list[str]:
    """The files matching a glob, segment by segment (``*`` never crosses a ``/``); a folder
    that matches stands for the files under it."""
    import pyarrow.fs as pafs

    parts = pattern.split("/")
    fixed = next(i for i, part in enumerate(parts) if any(c in part for c in _GLOB))
    base = "/".join(parts[:fixed]) or "/"
    deep = len(parts) - fixed > 1
    found = filesystem.get_file_info(pafs.FileSelector(base, recursive=deep))
    files = []
    for info in found:
        segments = info.path.split("/")
        if len(segments) != len(parts) or not all(
            fnmatch.fnmatchcase(s, p) for s, p in zip(segments, parts)
        ):
            continue
        if _hidden(segments[-1]) and not _hidden(parts[-1]):  # "*" skips _SUCCESS, as a folder
            continue
        if info.type == pafs.FileType.File:
            files.append(info.path)
        elif info.type == pafs.FileType.Directory:
            files.extend(_files_under(filesystem, info.path))
    return sorted(files)


def expand(paths: Paths, filesystem: Any = None) -> tuple[Any, list[str]]:
    """The filesystem and the files that `paths` name (a path or a list of paths: files,
    folders, globs), in document order; a path that names nothing raises FileNotFoundError.

    >>> import os, tempfile, pyarrow as pa, pyarrow.parquet as pq
    >>> folder = tempfile.mkdtemp()
    >>> for name in ("b.parquet", "a.parquet", "_SUCCESS"):
    ...     pq.write_table(pa.table({"text": ["x"]}), os.path.join(folder, name))
    >>> [os.path.basename(f) for f in expand(folder)[1]]
    ['a.parquet', 'b.parquet']
    """
    import pyarrow.fs as pafs

    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    names = [os.fspath(p) if isinstance(p, (str, os.PathLike)) else p for p in given]
    if not names or not all(isinstance(p, str) for p in names):
        raise TypeError("paths must be a path or a non-empty list of paths (str or os.PathLike)")
    fs = None if filesystem is None else _arrow_filesystem(filesystem)
    files: list[str] = []
    for path in names:
        here, inner = (fs, path) if fs is not None else _filesystem_of(path)
        if fs is None:
            fs = here
        elif type(here) is not type(fs):
            raise ValueError(f"{path}: every path must be on one filesystem ({fs.type_name})")
        if any(c in inner for c in _GLOB):
            found = _glob(fs, inner)
        else:
            info = fs.get_file_info(inner)
            if info.type == pafs.FileType.Directory:
                found = _files_under(fs, inner)
            elif info.type == pafs.FileType.NotFound:
                raise FileNotFoundError(f"no such file or folder: {path}")
            else:
                found = [inner]
        if not found:
            raise FileNotFoundError(f"no Parquet files in {path}")
        files.extend(found)
    seen = set()
    for file in files:
        if file in seen:
            raise ValueError(f"{file} is named twice in paths; its documents would count twice")
        seen.add(file)
    return fs, files


class _Footer(NamedTuple):
    path: str
    columns: dict[str, Any]  # name -> Arrow type
    rows: list[int]  # per row group
    text_bytes: list[int]  # per row group, the text column's uncompressed bytes


def _footer(filesystem: Any, path: str, text: str) -> _Footer:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with filesystem.open_input_file(path) as source:
            parquet = pq.ParquetFile(source)
            metadata, schema = parquet.metadata, parquet.schema_arrow
    except (pa.ArrowInvalid, OSError) as error:
        raise ValueError(f"{path} is not a readable Parquet file: {error}") from None
    columns = {field.name: field.type for field in schema}
    rows, text_bytes = [], []
    chunk = next(
        (j for j in range(metadata.num_columns) if metadata.schema.column(j).path == text), None
    )
    for i in range(metadata.num_row_groups):
        group = metadata.row_group(i)
        rows.append(group.num_rows)
        text_bytes.append(group.column(chunk).total_uncompressed_size if chunk is not None else 0)
    return _Footer(path, columns, rows, text_bytes)


def is_string_view(kind: Any) -> bool:
    """Whether an Arrow type is `string_view` (pyarrow >= 16; older ones have no such type)."""
    import pyarrow as pa

    test = getattr(pa.types, "is_string_view", None)
    return bool(test is not None and test(kind))


def _is_text(kind: Any) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or is_string_view(kind))


def _check(footers: list[_Footer], text: str, key: str | None) -> dict[str, Any]:
    """The columns that every file has, with their types; the text and key columns checked."""
    for footer in footers:
        names = ", ".join(footer.columns)
        for what, name in (("text", text), ("key", key)):
            if name is not None and name not in footer.columns:
                hint = " (key=None numbers the documents instead)" if what == "key" else ""
                raise KeyError(f"{what}: no column {name!r} in {footer.path} ({names}){hint}")
        if not _is_text(footer.columns[text]):
            raise TypeError(
                f"text: column {text!r} of {footer.path} holds {footer.columns[text]}, not strings"
            )
    first = footers[0]
    if key is not None:
        for footer in footers[1:]:
            if footer.columns[key] != first.columns[key]:
                raise TypeError(
                    f"key: column {key!r} is {first.columns[key]} in {first.path} but "
                    f"{footer.columns[key]} in {footer.path}"
                )
    return {
        name: kind
        for name, kind in first.columns.items()
        if all(name in footer.columns for footer in footers[1:])
    }


def plan(
    paths: Paths,
    text: str,
    key: str | None,
    unit_bytes: int,
    min_units: int = 1,
    filesystem: Any = None,
) -> ParquetPlan:
    """Units of consecutive row groups of about `unit_bytes` of text each (smaller where that
    gives fewer than `min_units`; a row group is never split), in document order.

    >>> import os, tempfile, pyarrow as pa, pyarrow.parquet as pq
    >>> folder = tempfile.mkdtemp()
    >>> table = pa.table({"doc": ["a", "b", "c"], "text": ["NATO", "Kyiv", "NATO and Kyiv"]})
    >>> pq.write_table(table, os.path.join(folder, "part-0.parquet"), row_group_size=1)
    >>> whole = plan(folder, "text", "doc", unit_bytes=1 << 20)
    >>> [(u.first_row_group, u.end_row_group, u.first_row, u.n_rows) for u in whole.units]
    [(0, 3, 0, 3)]
    >>> each = plan(folder, "text", "doc", unit_bytes=1 << 20, min_units=3)
    >>> [(u.first_row_group, u.end_row_group, u.first_row) for u in each.units]
    [(0, 1, 0), (1, 2, 1), (2, 3, 2)]
    """
    if isinstance(unit_bytes, bool) or not isinstance(unit_bytes, int) or unit_bytes < 1:
        raise ValueError(f"unit_bytes={unit_bytes!r}: a number of bytes >= 1")
    fs, files = expand(paths, filesystem)
    with ThreadPoolExecutor(max_workers=min(16, len(files))) as pool:
        footers = list(pool.map(lambda path: _footer(fs, path, text), files))
    columns = _check(footers, text, key)
    total = sum(sum(footer.text_bytes) for footer in footers)
    target = max(1, min(unit_bytes, math.ceil(total / max(1, min_units))))
    units: list[Unit] = []
    row = 0
    for footer in footers:
        start = 0
        for end in range(1, len(footer.rows) + 1):
            size = sum(footer.text_bytes[start:end])
            last = end == len(footer.rows)
            if last or size + footer.text_bytes[end] > target:
                n_rows = sum(footer.rows[start:end])
                if n_rows:
                    units.append(Unit(len(units), footer.path, start, end, row, n_rows, size))
                row += n_rows
                start = end
    return ParquetPlan(fs, units, columns, text, key)


def grouped(units: Sequence[Unit], n_groups: int) -> list[list[Unit]]:
    """Consecutive units in at most `n_groups` groups of about equal text, in document order
    (each unit goes to the group its text's midpoint falls in; no group is empty).

    >>> sizes = [100, 100, 100, 100, 40]
    >>> units = [Unit(i, "f", i, i + 1, i, 1, size) for i, size in enumerate(sizes)]
    >>> [[u.number for u in group] for group in grouped(units, 2)]
    [[0, 1], [2, 3, 4]]
    """
    if n_groups < 1:
        raise ValueError(f"n_groups={n_groups!r}: a number of groups >= 1")
    total = sum(unit.text_bytes for unit in units)
    groups: dict[int, list[Unit]] = {}
    before = 0
    for i, unit in enumerate(units):
        if total > 0:
            middle = before + unit.text_bytes / 2
            group = min(n_groups - 1, int(middle * n_groups / total))
        else:  # no text to weigh: by count
            group = i * n_groups // len(units)
        groups.setdefault(group, []).append(unit)
        before += unit.text_bytes
    return list(groups.values())


def batch_rows(unit: Unit) -> int:
    """Rows per record batch for `unit`: about `BATCH_TEXT_BYTES` of its text."""
    if unit.text_bytes <= 0:
        return max(1, unit.n_rows)
    return max(1, unit.n_rows * BATCH_TEXT_BYTES // unit.text_bytes)


def read_unit(
    filesystem: Any, unit: Unit, columns: Sequence[str], positions: str | None = None
) -> Iterator[Any]:
    """The documents of `unit` as Arrow record batches of about `BATCH_TEXT_BYTES` of text,
    decoded as they are read (so a worker holds one batch's columns, not a row group's): only
    `columns`, and, named `positions`, each document's position in the order of all the
    inputs (int64)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    wanted = list(dict.fromkeys(columns))
    row = unit.first_row
    with filesystem.open_input_file(unit.path) as source:
        parquet = pq.ParquetFile(source)
        groups = list(range(unit.first_row_group, unit.end_row_group))
        for batch in parquet.iter_batches(
            batch_size=batch_rows(unit), row_groups=groups, columns=wanted, use_threads=False
        ):
            if positions is not None:
                numbers = pa.array(np.arange(row, row + batch.num_rows, dtype=np.int64))
                batch = pa.RecordBatch.from_arrays(
                    [*batch.columns, numbers], names=[*batch.schema.names, positions]
                )
            row += batch.num_rows
            yield batch
    if row != unit.first_row + unit.n_rows:
        raise RuntimeError(
            f"{unit.path} changed while it was being scanned: row groups "
            f"{unit.first_row_group}..{unit.end_row_group - 1} held {unit.n_rows} rows when "
            f"planned, {row - unit.first_row} now"
        )
