"""Resumable scans: a Parquet dataset of parts and a manifest that says how far the scan got.

`Matcher.scan_to_parquet(docs, folder, resume=True)` writes each batch's matches as one part
(``part-00000.parquet``, ...) and after each part commits ``_lexiscan_manifest.json``: the
documents done, the rows written, the parts, the matcher's fingerprint and options, and a
``complete`` flag set only when the stream has ended. Parts and manifest are written
atomically (`lexiscan._atomic`) and a part is renamed into place before the manifest that
lists it, so whatever kills the run, the manifest describes finished parts only; a part that
no manifest lists is debris of a killed run and is removed when the run resumes. Running the
same call again skips the documents done; a different matcher or options is refused.

`read_scan` reads the parts the manifest lists and refuses an unfinished run unless asked for
its partial rows. The names start with ``_`` and ``.`` where they are not parts, so
``pyarrow.dataset`` and ``pandas.read_parquet(folder)`` read the parts too (without the check).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from lexiscan import _atomic
from lexiscan._optional import require


class Scanner(Protocol):
    """What a resumable scan needs of `lexiscan.Matcher` (named here, not imported: the
    matcher calls this module, so importing it back would make a cycle)."""

    _native: Any

    @property
    def fingerprint(self) -> str: ...

    def scan(self, docs: Any) -> Any: ...

    def _scan_parts(
        self,
        docs: Any,
        n_threads: int | None,
        batch_size: int | None,
        progress: bool | None,
        keep_text: bool | None,
        start: int | None = None,
    ) -> Iterator[Any]: ...


PathLike = str | os.PathLike[str]

MANIFEST = "_lexiscan_manifest.json"
_FORMAT = "lexiscan-scan-dataset"
_VERSION = 1
_PART = re.compile(r"part-(\d{5,})\.parquet")


class IncompleteScanError(RuntimeError):
    """A resumable scan's dataset was read before its run finished.

    >>> issubclass(IncompleteScanError, RuntimeError)
    True
    """


def _options(matcher: Scanner) -> dict[str, Any]:
    case, accents, whole_words, overlapping, max_edits, min_chars = matcher._native.options()
    return {
        "case": case,
        "accents": accents,
        "whole_words": whole_words,
        "overlapping": overlapping,
        "max_edits": max_edits,
        "typo_min_chars": min_chars,
    }


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{folder} is not a resumable lexiscan scan (it has no {MANIFEST})"
        ) from None
    except ValueError as err:
        raise ValueError(f"{path} is damaged: {err}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        raise ValueError(f"{path} is not a lexiscan scan manifest")
    if manifest.get("version") != _VERSION:
        raise ValueError(
            f"{path} has version {manifest.get('version')!r}; this lexiscan reads {_VERSION}"
        )
    return manifest


def _commit(folder: Path, manifest: dict[str, Any]) -> None:
    _atomic.write_text(folder / MANIFEST, json.dumps(manifest, indent=1) + "\n")


def _start(matcher: Scanner, folder: Path) -> dict[str, Any]:
    """The manifest to continue from: the folder's, checked against this run, or a new one."""
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(
            f"{folder} is a file; a resumable scan writes a folder (resume=False writes a file)"
        )
    fresh = {
        "format": _FORMAT,
        "version": _VERSION,
        "fingerprint": matcher.fingerprint,
        "options": _options(matcher),
        "complete": False,
        "documents": 0,
        "rows": 0,
        "parts": [],
    }
    if not (folder / MANIFEST).exists():
        if folder.is_dir() and any(not e.name.startswith(".") for e in os.scandir(folder)):
            raise FileExistsError(
                f"{folder} holds files but no {MANIFEST}: not a lexiscan scan to resume; "
                "name a new or empty folder"
            )
        folder.mkdir(parents=True, exist_ok=True)
        _commit(folder, fresh)
        return fresh
    manifest = _read_manifest(folder)
    if manifest["fingerprint"] != matcher.fingerprint:
        raise ValueError(
            f"{folder} was written by a different matcher (fingerprint "
            f"{manifest['fingerprint'][:12]}…, this one {matcher.fingerprint[:12]}…); "
            "resume with the same lexicon and options, or write to a new folder"
        )
    if manifest["options"] != fresh["options"]:
        raise ValueError(
            f"{folder} was written with options {manifest['options']}, not "
            f"{fresh['options']}; resume with the same options, or write to a new folder"
        )
    _remove_debris(folder, manifest)
    return manifest


def _remove_debris(folder: Path, manifest: dict[str, Any]) -> None:
    """Parts that no manifest lists: written by a run killed before it committed them."""
    listed = {part["file"] for part in manifest["parts"]}
    for entry in os.scandir(folder):
        if _PART.fullmatch(entry.name) and entry.name not in listed:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def scan_to_dataset(
    matcher: Scanner,
    docs: Iterable[Any] | pd.Series | Mapping[Any, Any],
    path: PathLike,
    n_threads: int | None,
    batch_size: int,
    progress: bool | None,
) -> int:
    """The body of `Matcher.scan_to_parquet(..., resume=True)`; returns the rows in all parts."""
    pq = require("pyarrow.parquet", "scan_to_parquet", "arrow")

    folder = Path(path)
    manifest = _start(matcher, folder)
    if manifest["complete"]:
        return int(manifest["rows"])
    done = int(manifest["documents"])
    parts = matcher._scan_parts(docs, n_threads, batch_size, progress, False, start=done)
    for part in parts:
        table = part.to_arrow()
        # A batch without matches needs no part, except the first: it keeps the columns.
        if table.num_rows or not manifest["parts"]:
            name = f"part-{len(manifest['parts']):05d}.parquet"
            with _atomic.atomic_path(folder / name) as tmp:
                pq.write_table(table, tmp)
            manifest["parts"].append({"file": name, "rows": table.num_rows})
        manifest["documents"] = part.n_docs
        manifest["rows"] += table.num_rows
        _commit(folder, manifest)
    if not manifest["parts"]:  # no documents at all: one empty part with the columns
        name = "part-00000.parquet"
        with _atomic.atomic_path(folder / name) as tmp:
            pq.write_table(matcher.scan([]).to_arrow(), tmp)
        manifest["parts"].append({"file": name, "rows": 0})
    manifest["complete"] = True
    _commit(folder, manifest)
    return int(manifest["rows"])


def read_scan(path: PathLike, allow_partial: bool = False) -> pd.DataFrame:
    """The matches written by `Matcher.scan_to_parquet`, as a DataFrame.

    `path` is the Parquet file of a plain run or the folder of a resumable one
    (``resume=True``). A resumable run that has not finished raises IncompleteScanError,
    unless `allow_partial=True` asks for the rows of the documents done so far.

    >>> import os, tempfile, lexiscan
    >>> folder = os.path.join(tempfile.mkdtemp(), "matches")
    >>> m = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv", ["Kiev"]))
    >>> m.scan_to_parquet(["Kiev", "none", "Kyiv"], folder, batch_size=1, resume=True)
    2
    >>> read_scan(folder)[["doc", "text"]].values.tolist()
    [[0, 'Kiev'], [2, 'Kyiv']]
    """
    pa = require("pyarrow", "read_scan", "arrow")
    pq = require("pyarrow.parquet", "read_scan", "arrow")
    where = Path(path)
    if where.is_file():
        return pd.read_parquet(where)
    manifest = _read_manifest(where)
    if not manifest["complete"] and not allow_partial:
        raise IncompleteScanError(
            f"{where}: the scan that writes it has not finished ({manifest['documents']:,} "
            f"documents and {manifest['rows']:,} rows so far); run it again with "
            "resume=True to finish it, or read_scan(..., allow_partial=True) for those rows"
        )
    tables = [pq.read_table(where / part["file"]) for part in manifest["parts"]]
    if not tables:
        return pd.DataFrame()
    return pa.concat_tables(tables, promote_options="permissive").to_pandas()
