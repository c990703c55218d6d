"""The shared ground of the lexicon formats: rows, bad-line reports and the two ends.

Every reader turns its file into `Row`s (line, entity, label, alias, case) and reports bad
lines to a `Problems` collector; `build` replays the rows into a lexicon and raises one
`LexiconFormatError` naming every bad line. Writers take `EntityAliases`: entities in order,
each with its aliases in order. The format modules depend on this one and on nothing else of
lexiscan, and it depends on none of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, NamedTuple, Protocol

EntityAliases = tuple[str, str | None, list[tuple[str, bool]]]

FRAME_COLUMNS = ["entity", "label", "alias", "case_sensitive"]
# What resolving reads about an entity; in frames and CSV/TSV only when some entity has it.
INFO_COLUMNS = ["parent", "parent_label", "weight", "context"]
# How CSV/TSV cells list an entity's context phrases.
CONTEXT_SEPARATOR = "|"
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0", ""}


class Buildable(Protocol):
    """What `build` fills: an empty lexicon (`lexiscan.Lexicon`)."""

    def add(
        self,
        entity: str,
        aliases: Any = ...,
        label: str | None = ...,
        case_sensitive: bool = ...,
        *,
        name_is_alias: bool = ...,
        parent: Any = ...,
        weight: Any = ...,
        context: Any = ...,
    ) -> Any: ...


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
    """One alias of one entity, from `line` of its file; alias None: the entity alone.
    `info` holds `Lexicon.add`'s parent, weight and context when the file gives them."""

    line: int
    entity: Any
    label: Any
    alias: Any
    case_sensitive: bool
    info: dict[str, Any] | None = None


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


def entity_infos(
    infos: list[tuple[str | None, str | None, float | None, list[str]]],
) -> list[dict[str, Any]] | None:
    """The (parent, parent label, weight, context) of every entity of a lexicon as dicts, or
    None when no entity has any.

    >>> entity_infos([(None, None, 2.0, []), (None, None, None, [])])
    [{'parent': None, 'parent_label': None, 'weight': 2.0, 'context': []}, {'parent': None, \
'parent_label': None, 'weight': None, 'context': []}]
    """
    if not any(p is not None or w is not None or c for p, _, w, c in infos):
        return None
    return [{"parent": p, "parent_label": pl, "weight": w, "context": c} for p, pl, w, c in infos]


def info_cells(
    line: int, parent: Any, parent_label: Any, weight: Any, context: Any, problems: Problems
) -> dict[str, Any] | None:
    """`Lexicon.add`'s parent, weight and context from table cells (empty: not given); a
    bad cell is reported and gives None."""
    info: dict[str, Any] = {}
    for name, value in (("parent", parent), ("parent_label", parent_label)):
        if not is_missing(value) and not isinstance(value, str):
            problems.add(line, f"{name} {value!r} is {type(value).__name__}, not text")
            return None
    if not is_missing(parent) and parent != "":
        has_label = not is_missing(parent_label) and parent_label != ""
        info["parent"] = (parent, parent_label) if has_label else parent
    if isinstance(weight, str):
        try:
            weight = float(weight) if weight.strip() else None
        except ValueError:
            problems.add(line, f"weight {weight!r} is not a number")
            return None
    if not is_missing(weight):
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            if not hasattr(weight, "__float__"):
                problems.add(line, f"weight {weight!r} is not a number")
                return None
        info["weight"] = float(weight)
    if isinstance(context, str):
        phrases = [p.strip() for p in context.split(CONTEXT_SEPARATOR) if p.strip()]
        if phrases:
            info["context"] = phrases
    elif not is_missing(context) and context is not None:
        try:
            phrases = list(context)
        except TypeError:
            problems.add(line, f"context {context!r} is not a list of phrases")
            return None
        if phrases:
            info["context"] = phrases
    return info


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


def build(
    rows: Iterable[Row], problems: Problems, into: Buildable, names_are_aliases: bool = True
) -> None:
    """Replay rows into the empty lexicon `into`, in order; raise if any row (or the reader)
    was bad.

    `names_are_aliases=False` for quanteda YAML, whose keys are category names, not words: an
    entity then has exactly the patterns its file lists.

    >>> import lexiscan
    >>> lex = lexiscan.Lexicon()
    >>> build([Row(1, "Kyiv", "GPE", "Kiev", False)], Problems("test"), lex)
    >>> lex.to_dict()
    {'GPE': {'Kyiv': ['Kyiv', 'Kiev']}}
    """
    created: set[tuple[Any, Any]] = set()
    for row in rows:
        key = (row.entity, row.label)
        try:
            if key not in created:
                # An entity's name is its first alias: case-sensitive only if the file says so.
                name_case = row.case_sensitive and row.alias == row.entity
                into.add(
                    row.entity,
                    label=row.label,
                    case_sensitive=name_case,
                    name_is_alias=names_are_aliases,
                )
                created.add(key)
            if row.alias is not None:
                # The entity exists: `name_is_alias` only says whether its name is checked.
                into.add(
                    row.entity,
                    [row.alias],
                    label=row.label,
                    case_sensitive=row.case_sensitive,
                    name_is_alias=names_are_aliases,
                )
            if row.info:
                into.add(row.entity, label=row.label, **row.info)
        except (TypeError, ValueError) as err:
            problems.add(row.line, str(err))
    problems.raise_if_any()


def entity_aliases(
    entities: list[tuple[str, str | None]], aliases: Iterable[tuple[str, int, bool]]
) -> list[EntityAliases]:
    """(name, label, [(alias, case_sensitive), ...]) of every entity, in lexicon order, from
    the entities and the (alias, entity index, case_sensitive) triplets of a lexicon.

    >>> entity_aliases([("Kyiv", "GPE")], [("Kyiv", 0, False), ("Kiev", 0, False)])
    [('Kyiv', 'GPE', [('Kyiv', False), ('Kiev', False)])]
    """
    grouped: list[list[tuple[str, bool]]] = [[] for _ in entities]
    for alias, index, sensitive in aliases:
        grouped[index].append((alias, sensitive))
    return [(name, label, aliases) for (name, label), aliases in zip(entities, grouped)]
