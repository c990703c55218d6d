"""What the command line reads and writes: corpora from files of several kinds or from
standard input, and tables in the format that the output file's name says.

Kept apart from `_cli` so that the argument parsing reads as the command's manual, and the
reading rules (one place per input kind) can be tested on their own.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

import pandas as pd

from lexiscan import _atomic
from lexiscan._corpus import read_jsonl, read_texts
from lexiscan._optional import require

JSONL_SUFFIXES = (".jsonl", ".ndjson")
TABLE_SUFFIXES = (".csv", ".tsv", ".parquet")
_STDOUT_PIECE = 1 << 16
# Output formats by the extension of --output.
OUTPUT_FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
}


def read_corpus(
    inputs: Iterable[str],
    text: str = "text",
    id: str | None = None,
    stdin: TextIO | None = None,
) -> pd.Series:
    """The documents of every input as one Series of texts indexed by document key.

    An input is ``-`` (standard input, one document per line, keys ``<stdin>:N``), a
    directory (its ``.txt`` files, recursively), a ``.jsonl``/``.ndjson`` file (the `text`
    field of each record), a ``.csv``/``.tsv``/``.parquet`` table (its `text` column), any other
    file (one UTF-8 text), or a glob of those. Records and rows are keyed by their `id` field
    or column when given, else ``path:N`` (N counts records from 1).

    >>> import io, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "news.jsonl").write_text('{"id": "a", "body": "NATO met."}\\n', "utf-8")
    >>> read_corpus([str(folder / "news.jsonl")], text="body", id="id").to_dict()
    {'a': 'NATO met.'}
    >>> read_corpus(["-"], stdin=io.StringIO("one\\ntwo\\n")).to_dict()
    {'<stdin>:1': 'one', '<stdin>:2': 'two'}
    """
    parts = [_read_one(path, text, id, stdin) for pattern in inputs for path in _expand(pattern)]
    if not parts:
        raise ValueError("no corpus given")
    corpus = pd.concat(parts) if len(parts) > 1 else parts[0]
    corpus.index.name = "doc"
    corpus.name = "text"
    return corpus


def _expand(pattern: str) -> list[str]:
    """An input as it is, or the files its glob names (an error when it names nothing)."""
    if pattern == "-" or os.path.exists(pattern):
        return [pattern]
    matched = sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
    if not matched:
        raise FileNotFoundError(f"no such file, directory or match: {pattern}")
    return matched


def _read_one(path: str, text: str, id: str | None, stdin: TextIO | None) -> pd.Series:
    if path == "-":
        lines = (stdin or sys.stdin).read().splitlines()
        keys = [f"<stdin>:{n}" for n in range(1, len(lines) + 1)]
        return pd.Series(lines, index=pd.Index(keys, dtype=object), dtype=object)
    suffix = Path(path).suffix.lower()
    if os.path.isdir(path):
        texts = read_texts(path)
        if texts.empty:
            raise FileNotFoundError(f"no .txt files in the directory {path}")
        return texts
    if suffix in JSONL_SUFFIXES:
        frame = read_jsonl(path, text=text, id=id)
        return _keyed(frame["text"], frame["id"] if id is not None else None, path)
    if suffix in TABLE_SUFFIXES:
        return _read_table(path, suffix, text, id)
    return read_texts(path)


def _read_table(path: str, suffix: str, text: str, id: str | None) -> pd.Series:
    columns = [text] if id is None else [id, text]
    if suffix == ".parquet":
        pq = require("pyarrow.parquet", f"reading {path}", "arrow")
        names = pq.read_schema(path).names
        _check_columns(path, names, columns)
        frame = pq.read_table(path, columns=columns).to_pandas()
    else:
        sep = "\t" if suffix == ".tsv" else ","
        # Every cell as written (no "NA" -> NaN); an empty cell is a document without text.
        frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
        _check_columns(path, list(frame.columns), columns)
    return _keyed(frame[text], frame[id] if id is not None else None, path)


def _check_columns(path: str, names: list[str], wanted: list[str]) -> None:
    missing = [c for c in wanted if c not in names]
    if missing:
        raise ValueError(
            f"{path} has no column {missing[0]!r} (its columns: {', '.join(map(str, names))}); "
            "name the text with --text-column and the key with --id-column"
        )


def _keyed(texts: pd.Series, ids: pd.Series | None, path: str) -> pd.Series:
    if ids is None:
        keys = pd.Index([f"{path}:{n}" for n in range(1, len(texts) + 1)], dtype=object)
    else:
        keys = pd.Index(ids.astype(object).to_numpy(), dtype=object)
    return pd.Series(texts.astype(object).to_numpy(), index=keys, dtype=object)


def output_format(fmt: str | None, output: str | None) -> str:
    """The format asked for, else the one `output`'s extension names, else CSV.

    >>> output_format(None, "out.parquet"), output_format("jsonl", "x.csv")
    ('parquet', 'jsonl')
    """
    if fmt is not None:
        return fmt
    if output is None:
        return "csv"
    suffix = Path(output).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        known = " ".join(OUTPUT_FORMATS)
        raise ValueError(
            f"cannot tell the format of --output {output} from its extension "
            f"(known: {known}); give --format"
        )
    return OUTPUT_FORMATS[suffix]


def write_table(frame: pd.DataFrame, fmt: str, output: str | None) -> None:
    """`frame` as CSV, TSV, JSON Lines or Parquet, to `output` or standard output."""
    if fmt == "parquet":
        require("pyarrow", "--format parquet", "arrow")
        if output is None:
            raise ValueError("--format parquet needs --output FILE")
        with _atomic.atomic_path(output) as tmp:
            frame.to_parquet(tmp, index=False)
        return
    if fmt == "jsonl":
        text = frame.to_json(orient="records", lines=True, force_ascii=False)
    else:
        text = frame.to_csv(index=False, sep="\t" if fmt == "tsv" else ",")
    if output is None:
        # In pieces: one huge write that the reader abandons halfway returns without the
        # BrokenPipeError (CPython's buffered writer counts the bytes it did write), so
        # `lexiscan ... | head` would not know that nobody reads it any more.
        for at in range(0, len(text), _STDOUT_PIECE):
            sys.stdout.write(text[at : at + _STDOUT_PIECE])
    else:
        _atomic.write_text(output, text)
