"""Corpora from files: text files and JSON Lines, read and decoded in Rust, in parallel."""

from __future__ import annotations

import glob
import os
from pathlib import Path

import pandas as pd

from lexiscan import _lexiscan

PathLike = str | os.PathLike[str]


def text_files(*patterns: PathLike) -> list[Path]:
    """The `.txt` files named by paths, directories (searched recursively) or glob patterns."""
    files: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.txt")))
        elif path.is_file():
            files.append(path)
        else:
            matched = sorted(Path(p) for p in glob.glob(os.fspath(pattern), recursive=True))
            matched = [p for p in matched if p.is_file()]
            if not matched:
                raise FileNotFoundError(f"no such file, directory or match: {pattern}")
            files.extend(matched)
    return files


def read_texts(*patterns: PathLike) -> pd.Series:
    """Text files (UTF-8) as a Series of texts indexed by path, ready for `Matcher.scan`.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("NATO met.", encoding="utf-8")
    >>> read_texts(folder).tolist()
    ['NATO met.']
    """
    files = text_files(*patterns)
    texts = _lexiscan.read_texts([os.fspath(f) for f in files])
    return pd.Series(texts, index=pd.Index([os.fspath(f) for f in files], name="doc"), name="text")


def read_jsonl(
    path: PathLike, text: str = "text", id: str | None = None, group: str | None = None
) -> pd.DataFrame:
    """A JSON Lines file as a DataFrame: ``text`` (None where null), and ``id`` / ``group``
    columns when those fields are named. Every bad line is reported with its number.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "news.jsonl"
    >>> _ = path.write_text('{"id": 1, "body": "NATO met.", "outlet": "AJ"}\\n', "utf-8")
    >>> read_jsonl(path, text="body", id="id", group="outlet").values.tolist()
    [['1', 'NATO met.', 'AJ']]
    """
    if not Path(path).is_file():
        raise FileNotFoundError(f"no such file: {path}")
    texts, ids, groups = _lexiscan.read_jsonl(os.fspath(path), text, id, group)
    columns: dict[str, list[str | None]] = {}
    if id is not None:
        columns["id"] = ids
    columns["text"] = texts
    if group is not None:
        columns["group"] = groups
    return pd.DataFrame(columns, dtype=object)
