"""Lexicon files and frames: every format is read as rows (line, entity, label, alias, case).

Each reader turns its file into `Row`s and reports bad lines to a `Problems` collector; `build`
replays the rows into a Lexicon and raises one `LexiconFormatError` naming every bad line.
Writers take `entity_aliases(lexicon)`: entities in order, each with its aliases in order.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Union

if TYPE_CHECKING:
    import pandas as pd

    from lexiscan._lexicon import Lexicon

PathLike = Union[str, "os.PathLike[str]"]
EntityAliases = tuple[str, str | None, list[tuple[str, bool]]]

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
FRAME_COLUMNS = ["entity", "label", "alias", "case_sensitive"]
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0", ""}


class LexiconFormatError(ValueError):
    """A lexicon file with bad lines: `problems` holds ``(line, problem)`` for each of them.

    The message names the file, each line number and what is wrong with the line.

    >>> import lexiscan
    >>> err = lexiscan.LexiconFormatError("people.csv", [(3, "no entity")])
    >>> print(err)
    people.csv, line 3: no entity
    >>> err.problems
    [(3, 'no entity')]
    """

    def __init__(self, source: str, problems: list[tuple[int, str]], unit: str = "line") -> None:
        self.source = source
        self.problems = sorted(problems, key=lambda problem: problem[0])
        self.unit = unit
        if len(self.problems) == 1:
            message = f"{source}, {unit} {self.problems[0][0]}: {self.problems[0][1]}"
        else:
            listed = "\n".join(f"  {unit} {line}: {what}" for line, what in self.problems)
            message = f"{source}: {len(self.problems)} bad {unit}s\n{listed}"
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.problems, self.unit))


class Row(NamedTuple):
    """One alias of one entity, from `line` of its file; alias None: the entity alone."""

    line: int
    entity: Any
    label: Any
    alias: Any
    case_sensitive: bool


class Problems:
    """Collects bad lines; `strict` raises ValueError at the first one instead."""

    def __init__(self, source: str, unit: str = "line", strict: bool = False) -> None:
        self.source = source
        self.unit = unit
        self.strict = strict
        self.items: list[tuple[int, str]] = []

    def add(self, line: int, what: str) -> None:
        if self.strict:
            raise ValueError(what)
        self.items.append((line, what))

    def raise_if_any(self) -> None:
        if self.items:
            raise LexiconFormatError(self.source, self.items, self.unit)


def build(rows: Iterable[Row], problems: Problems, names_are_aliases: bool = True) -> Lexicon:
    """Replay rows into a new lexicon, in order; raise if any row (or the reader) was bad.

    `names_are_aliases=False` for quanteda YAML, whose keys are category names, not words: an
    entity then has exactly the patterns its file lists."""
    from lexiscan._lexicon import Lexicon

    lex = Lexicon()
    created: set[tuple[Any, Any]] = set()
    for row in rows:
        key = (row.entity, row.label)
        try:
            if key not in created:
                # An entity's name is its first alias: case-sensitive only if the file says so.
                name_case = row.case_sensitive and row.alias == row.entity
                lex.add(
                    row.entity,
                    label=row.label,
                    case_sensitive=name_case,
                    name_is_alias=names_are_aliases,
                )
                created.add(key)
            if row.alias is not None:
                lex.add(row.entity, [row.alias], label=row.label, case_sensitive=row.case_sensitive)
        except (TypeError, ValueError) as err:
            problems.add(row.line, str(err))
    problems.raise_if_any()
    return lex


def entity_aliases(lex: Lexicon) -> list[EntityAliases]:
    """(name, label, [(alias, case_sensitive), ...]) of every entity, in lexicon order."""
    entities = lex.entities
    grouped: list[list[tuple[str, bool]]] = [[] for _ in entities]
    for alias, index, sensitive in lex._native.aliases():
        grouped[index].append((alias, sensitive))
    return [(name, label, aliases) for (name, label), aliases in zip(entities, grouped)]


def is_missing(value: Any) -> bool:
    """None, NaN or pd.NA: an empty cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ == "NAType"


def parse_case(value: Any) -> bool | None:
    """A case_sensitive cell as a bool (empty: False), or None if it is not one."""
    if is_missing(value):
        return False
    if isinstance(value, str):
        text = value.strip().lower()
        return True if text in _TRUE else False if text in _FALSE else None
    if type(value).__name__ in ("bool", "bool_") or value in (0, 1):
        return bool(value)
    return None


def cells_row(
    line: int, entity: Any, label: Any, alias: Any, case: Any, problems: Problems
) -> Row | None:
    """A Row from table cells (empty label: none; empty alias: the entity alone), or None."""
    sensitive = parse_case(case)
    for name, value in (("entity", entity), ("label", label), ("alias", alias)):
        if not is_missing(value) and not isinstance(value, str):
            problems.add(line, f"{name} {value!r} is {type(value).__name__}, not text")
            return None
    if is_missing(entity) or entity == "":
        problems.add(line, "no entity")
        return None
    if sensitive is None:
        problems.add(line, f"case_sensitive is {case!r}, not true or false")
        return None
    label = None if is_missing(label) or label == "" else label
    alias = None if is_missing(alias) or alias == "" else alias
    return Row(line, entity, label, alias, sensitive)


class LabelNode:
    """One key of a label tree: label "A.B" and entity "C" are the path A -> B -> C."""

    def __init__(self) -> None:
        self.entity: int | None = None
        self.children: dict[str, LabelNode] = {}


def label_tree(entries: list[EntityAliases]) -> LabelNode:
    """Entities as leaves (or inner nodes) of the tree of their dotted labels, in order."""
    root = LabelNode()
    for index, (name, label, _) in enumerate(entries):
        node = root
        for part in ([] if label is None else label.split(".")) + [name]:
            node = node.children.setdefault(part, LabelNode())
        node.entity = index
    return root


def format_of(path: PathLike, format: str | None) -> str:
    """The format named, or the one the file's extension says."""
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


def read(path: PathLike, format: str | None = None) -> Lexicon:
    """Read a lexicon file in any of FORMATS (see Lexicon.read)."""
    from lexiscan import _formats_liwc, _formats_tables, _formats_yaml

    fmt = format_of(path, format)
    problems = Problems(os.fspath(path))
    rows: Iterator[Row]
    if fmt in ("csv", "tsv"):
        text = read_text(path, newline="")
        rows = _formats_tables.table_rows(text, "," if fmt == "csv" else "\t", problems)
    else:
        text = read_text(path)
        reader = {
            "yaml": _formats_yaml.yaml_rows,
            "json": _formats_tables.json_rows,
            "spacy": _formats_tables.spacy_rows,
            "liwc": _formats_liwc.liwc_rows,
        }[fmt]
        rows = reader(text, problems)
    return build(rows, problems, names_are_aliases=fmt != "yaml")


def write(lex: Lexicon, path: PathLike, format: str | None = None) -> None:
    """Write a lexicon file in any of FORMATS (see Lexicon.write)."""
    from lexiscan import _atomic, _formats_liwc, _formats_tables, _formats_yaml

    fmt = format_of(path, format)
    entries = entity_aliases(lex)
    if fmt in ("csv", "tsv"):
        text = _formats_tables.table_text(entries, "," if fmt == "csv" else "\t")
    else:
        writer = {
            "yaml": _formats_yaml.yaml_text,
            "json": _formats_tables.json_text,
            "spacy": _formats_tables.spacy_text,
            "liwc": _formats_liwc.liwc_text,
        }[fmt]
        text = writer(entries)
    _atomic.write_text(path, text)


def from_frame(
    df: pd.DataFrame,
    entity: str = "entity",
    alias: str = "alias",
    label: str | None = "label",
    case_sensitive: str | bool | None = None,
) -> Lexicon:
    """Build a lexicon from one row per alias (see Lexicon.from_frame)."""
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

    return build(rows(), problems)


def to_frame(lex: Lexicon) -> pd.DataFrame:
    """One row per alias (see Lexicon.to_frame)."""
    import pandas as pd

    from lexiscan._result import _TEXT_DTYPE

    rows = [
        (name, label, alias, sensitive)
        for name, label, aliases in entity_aliases(lex)
        for alias, sensitive in aliases
    ]
    frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
    text = dict.fromkeys(["entity", "label", "alias"], _TEXT_DTYPE)
    return frame.astype({**text, "case_sensitive": bool})
