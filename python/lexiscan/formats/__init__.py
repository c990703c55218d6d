"""Lexicon files and frames: every format is read as rows and written from entities.

The readers (`_yaml`, `_tables`, `_liwc`) turn a file into the rows of `_rows`, which `build`
replays into a lexicon; the writers take `entity_aliases` of a lexicon. This package knows
nothing of `Lexicon` itself: `Lexicon.read`, `write`, `from_frame`, `to_frame` and
`from_dict` hand it an empty lexicon to fill, or their entities and aliases to write.

>>> import lexiscan
>>> from lexiscan import formats
>>> lex = formats.from_dict({"GPE": {"Kyiv": ["Kiev"]}}, lexiscan.Lexicon())
>>> formats.entity_aliases(lex.entities, [("Kyiv", 0, False), ("Kiev", 0, False)])
[('Kyiv', 'GPE', [('Kyiv', False), ('Kiev', False)])]
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, Union

from lexiscan import _atomic
from lexiscan._dtypes import TEXT_DTYPE
from lexiscan.formats import _liwc, _tables, _yaml
from lexiscan.formats._rows import (
    FRAME_COLUMNS,
    Buildable,
    EntityAliases,
    LexiconFormatError,
    Problems,
    Row,
    build,
    cells_row,
    entity_aliases,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "LexiconFormatError",
    "entity_aliases",
    "format_of",
    "from_dict",
    "from_frame",
    "read",
    "to_frame",
    "write",
]

PathLike = Union[str, "os.PathLike[str]"]
L = TypeVar("L", bound=Buildable)

FORMATS = ("yaml", "json", "csv", "tsv", "spacy", "liwc")
EXTENSIONS = {
    ".yml": "yaml",
    ".yaml": "yaml",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".jsonl": "spacy",
    ".dic": "liwc",
}


def format_of(path: PathLike, format: str | None) -> str:
    """The format named, or the one the file's extension says.

    >>> format_of("people.dic", None), format_of("people.txt", "csv")
    ('liwc', 'csv')
    """
    if format is not None:
        if format not in FORMATS:
            raise ValueError(f"unknown lexicon format {format!r}; known: {', '.join(FORMATS)}")
        return format
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(EXTENSIONS)
        raise ValueError(
            f"cannot tell the lexicon format of {os.fspath(path)!r} from its extension "
            f"(known: {known}); pass format= one of {', '.join(FORMATS)}"
        )
    return EXTENSIONS[suffix]


def read_text(path: PathLike, newline: str | None = None) -> str:
    """The file as UTF-8 text (a BOM is dropped); bytes that are not UTF-8 are a bad line."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise LexiconFormatError(os.fspath(path), [(line, f"not UTF-8 ({err.reason})")]) from None
    if newline is None:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read(path: PathLike, format: str | None, into: L) -> L:
    """Read a lexicon file in any of FORMATS into the empty lexicon `into` (see Lexicon.read).

    >>> import lexiscan, pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "gpe.csv"
    >>> _ = path.write_text("entity,alias,label\\nKyiv,Kiev,GPE\\n")
    >>> read(path, None, lexiscan.Lexicon()).entities
    [('Kyiv', 'GPE')]
    """
    fmt = format_of(path, format)
    problems = Problems(os.fspath(path))
    rows: Iterator[Row]
    if fmt in ("csv", "tsv"):
        text = read_text(path, newline="")
        rows = _tables.table_rows(text, "," if fmt == "csv" else "\t", problems)
    else:
        text = read_text(path)
        reader = {
            "yaml": _yaml.yaml_rows,
            "json": _tables.json_rows,
            "spacy": _tables.spacy_rows,
            "liwc": _liwc.liwc_rows,
        }[fmt]
        rows = reader(text, problems)
    build(rows, problems, into, names_are_aliases=fmt != "yaml")
    return into


def write(entries: list[EntityAliases], path: PathLike, format: str | None = None) -> None:
    """Write the `entity_aliases` of a lexicon as a file in any of FORMATS (see Lexicon.write).

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "gpe.jsonl"
    >>> write([("Kyiv", "GPE", [("Kyiv", False)])], path)
    >>> print(path.read_text(), end="")
    {"label": "GPE", "pattern": "Kyiv", "id": "Kyiv"}
    """
    fmt = format_of(path, format)
    if fmt in ("csv", "tsv"):
        text = _tables.table_text(entries, "," if fmt == "csv" else "\t")
    else:
        writer = {
            "yaml": _yaml.yaml_text,
            "json": _tables.json_text,
            "spacy": _tables.spacy_text,
            "liwc": _liwc.liwc_text,
        }[fmt]
        text = writer(entries)
    _atomic.write_text(path, text)


def from_dict(data: Any, into: L) -> L:
    """Fill the empty lexicon `into` from ``{label: {entity: [aliases]}}`` (see
    Lexicon.from_dict); the first bad entry raises ValueError.

    >>> import lexiscan
    >>> from_dict({"GPE": {"Kyiv": ["Kiev"]}}, lexiscan.Lexicon()).entities
    [('Kyiv', 'GPE')]
    """
    problems = Problems("from_dict", strict=True)
    build(_tables.dict_rows(data, problems), problems, into)
    return into


def from_frame(
    df: pd.DataFrame,
    into: L,
    entity: str = "entity",
    alias: str = "alias",
    label: str | None = "label",
    case_sensitive: str | bool | None = None,
) -> L:
    """Fill the empty lexicon `into` from one row per alias (see Lexicon.from_frame).

    >>> import lexiscan, pandas as pd
    >>> df = pd.DataFrame({"entity": ["Kyiv"], "alias": ["Kiev"]})
    >>> from_frame(df, lexiscan.Lexicon()).entities
    [('Kyiv', None)]
    """
    n = len(df)
    for name in (entity, alias):
        if name not in df.columns:
            raise KeyError(f"the frame has no column {name!r} (columns: {list(df.columns)})")
    if label is not None and label not in df.columns and label != "label":
        raise KeyError(f"the frame has no label column {label!r} (columns: {list(df.columns)})")
    labels = df[label].tolist() if label is not None and label in df.columns else [None] * n
    if isinstance(case_sensitive, bool):
        cases: list[Any] = [case_sensitive] * n
    elif case_sensitive is None:
        has_column = "case_sensitive" in df.columns
        cases = df["case_sensitive"].tolist() if has_column else [False] * n
    else:
        if case_sensitive not in df.columns:
            raise KeyError(f"the frame has no case_sensitive column {case_sensitive!r}")
        cases = df[case_sensitive].tolist()
    problems = Problems("DataFrame", unit="row")

    def rows() -> Iterator[Row]:
        cells = zip(df[entity].tolist(), labels, df[alias].tolist(), cases)
        for position, (e, lab, a, c) in enumerate(cells):
            row = cells_row(position, e, lab, a, c, problems)
            if row is not None:
                yield row

    build(rows(), problems, into)
    return into


def to_frame(entries: list[EntityAliases]) -> pd.DataFrame:
    """One row per alias of the `entity_aliases` of a lexicon (see Lexicon.to_frame).

    >>> to_frame([("Kyiv", "GPE", [("Kyiv", False), ("Kiev", False)])])
      entity label alias  case_sensitive
    0   Kyiv   GPE  Kyiv           False
    1   Kyiv   GPE  Kiev           False
    """
    import pandas as pd

    rows = [
        (name, label, alias, sensitive)
        for name, label, aliases in entries
        for alias, sensitive in aliases
    ]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    text = dict.fromkeys(["entity", "label", "alias"], TEXT_DTYPE)
    return frame.astype({**text, "case_sensitive": bool})
