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
    INFO_COLUMNS,
    Buildable,
    EntityAliases,
    LexiconFormatError,
    Problems,
    Row,
    build,
    cells_row,
    entity_aliases,
    entity_infos,
    info_cells,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "LexiconFormatError",
    "entity_aliases",
    "entity_infos",
    "format_of",
    "from_dict",
    "frame_columns",
    "from_frame",
    "read",
    "to_frame",
    "write",
]

PathLike = Union[str, "os.PathLike[str]"]
L = TypeVar("L", bound=Buildable)

FORMATS = ("yaml", "json", "csv", "tsv", "spacy", "liwc")
# Formats with nowhere to put a parent, weight or context: writing such a lexicon raises.
NO_INFO_FORMATS = ("yaml", "spacy", "liwc")
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


def write(
    entries: list[EntityAliases],
    path: PathLike,
    format: str | None = None,
    infos: list[dict[str, Any]] | None = None,
) -> None:
    """Write the `entity_aliases` of a lexicon (and its `entity_infos`, if any) as a file in
    any of FORMATS (see Lexicon.write).

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "gpe.jsonl"
    >>> write([("Kyiv", "GPE", [("Kyiv", False)])], path)
    >>> print(path.read_text(), end="")
    {"label": "GPE", "pattern": "Kyiv", "id": "Kyiv"}
    """
    fmt = format_of(path, format)
    if infos is not None and fmt in NO_INFO_FORMATS:
        raise ValueError(
            f"the {fmt} format has no place for an entity's parent, weight or context; "
            "write the lexicon as csv, tsv or json to keep them"
        )
    if fmt in ("csv", "tsv"):
        text = _tables.table_text(entries, "," if fmt == "csv" else "\t", infos)
    elif fmt == "json":
        text = _tables.json_text(entries, infos)
    else:
        writer = {
            "yaml": _yaml.yaml_text,
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
    name_is_alias: bool = True,
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
    info_columns = [
        df[name].tolist() if name in df.columns else [None] * n for name in INFO_COLUMNS
    ]
    has_info = any(name in df.columns for name in INFO_COLUMNS)

    def rows() -> Iterator[Row]:
        cells = zip(df[entity].tolist(), labels, df[alias].tolist(), cases, *info_columns)
        for position, (e, lab, a, c, *info) in enumerate(cells):
            row = cells_row(position, e, lab, a, c, problems)
            if row is not None and has_info:
                found = info_cells(position, info[0], info[1], info[2], info[3], problems)
                row = None if found is None else row._replace(info=found)
            if row is not None:
                yield row

    build(rows(), problems, into, names_are_aliases=name_is_alias)
    return into


def frame_columns(
    df: pd.DataFrame,
    entity: str = "entity",
    alias: str = "alias",
    label: str | None = "label",
    case_sensitive: str | bool | None = None,
) -> tuple[Any, Any, Any, Any] | None:
    """The (entities, aliases, labels, case_sensitive) columns of a frame that `from_frame`
    would read row by row, for the columnar path; None when the frame needs the rows (a
    column missing, an empty entity or alias cell, case flags that are not booleans, the
    resolution columns), which also name every bad row. Labels that are empty become None.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"entity": ["Kyiv"], "alias": ["Kiev"], "label": [""]})
    >>> [list(column) for column in frame_columns(df)[:3]]
    [['Kyiv'], ['Kiev'], [None]]
    >>> frame_columns(df.assign(alias=[None])) is None
    True
    """
    if entity not in df.columns or alias not in df.columns:
        return None
    if any(name in df.columns for name in INFO_COLUMNS):
        return None
    columns = []
    for name in (entity, alias):
        column = df[name]
        if column.isna().any() or (column == "").any():
            return None
        columns.append(column)
    labels: Any = None
    if label is not None and label in df.columns:
        labels = df[label]
        given = labels.notna() & (labels != "")
        if not given.all():
            labels = labels.astype(object).where(given, None)
    elif label not in (None, "label"):
        return None
    flags: Any
    if isinstance(case_sensitive, bool):
        flags = case_sensitive
    else:
        name = "case_sensitive" if case_sensitive is None else case_sensitive
        if name not in df.columns:
            if case_sensitive is not None:
                return None
            flags = False
        elif df[name].dtype == bool:
            flags = df[name]
        else:
            return None
    return columns[0], columns[1], labels, flags


def to_frame(
    entries: list[EntityAliases], infos: list[dict[str, Any]] | None = None
) -> pd.DataFrame:
    """One row per alias of the `entity_aliases` of a lexicon (see Lexicon.to_frame), with
    the columns of INFO_COLUMNS when `infos` (its `entity_infos`) are given.

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
    frame = frame.astype({**text, "case_sensitive": bool})
    if infos is None:
        return frame
    # Every row of an entity repeats its parent, weight and context.
    per_row = [info for info, (_, _, aliases) in zip(infos, entries) for _ in aliases]
    frame["parent"] = pd.Series([i["parent"] for i in per_row], dtype=TEXT_DTYPE)
    frame["parent_label"] = pd.Series([i["parent_label"] for i in per_row], dtype=TEXT_DTYPE)
    frame["weight"] = pd.Series([i["weight"] for i in per_row], dtype=float)
    frame["context"] = pd.Series([list(i["context"]) for i in per_row], dtype=object)
    return frame
