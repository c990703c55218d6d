"""Row-per-alias files (CSV, TSV, spaCy JSONL) and the from_dict-shaped JSON file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from lexiscan.formats._rows import (
    CONTEXT_SEPARATOR,
    FRAME_COLUMNS,
    INFO_COLUMNS,
    EntityAliases,
    Problems,
    Row,
    cells_row,
    info_cells,
)


def table_rows(text: str, delimiter: str, problems: Problems) -> Iterator[Row]:
    """CSV/TSV with a header naming entity and alias (label, case_sensitive optional)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    missing = [name for name in ("entity", "alias") if name not in header]
    if missing:
        problems.add(1, f"the header {header!r} has no column {' or '.join(map(repr, missing))}")
        return
    where = {name: header.index(name) for name in FRAME_COLUMNS if name in header}
    found = [header.index(name) if name in header else None for name in INFO_COLUMNS]
    info_where = found if any(i is not None for i in found) else None
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            problems.add(line, f"not {'CSV' if delimiter == ',' else 'TSV'}: {err}")
            return
        if not record:
            continue
        if len(record) != len(header):
            problems.add(line, f"has {len(record)} fields, the header has {len(header)}")
            continue
        cells = [record[where[name]] if name in where else None for name in FRAME_COLUMNS]
        row = cells_row(line, cells[0], cells[1], cells[2], cells[3], problems)
        if row is not None and info_where:
            cell = [record[at] if at is not None else None for at in info_where]
            info = info_cells(line, cell[0], cell[1], cell[2], cell[3], problems)
            row = None if info is None else row._replace(info=info)
        if row is not None:
            yield row


def table_text(
    entries: list[EntityAliases], delimiter: str, infos: list[dict[str, Any]] | None = None
) -> str:
    out = io.StringIO()
    # CRLF, as RFC 4180 says: the csv module then quotes fields with a "\r" or "\n" in them.
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(FRAME_COLUMNS + (INFO_COLUMNS if infos is not None else []))
    for index, (name, label, aliases) in enumerate(entries):
        if label == "":
            raise ValueError(
                f"entity {name!r} has the label '', which CSV/TSV cannot tell from no label"
            )
        extra = [] if infos is None else _info_cells(name, infos[index])
        for alias, sensitive in aliases:
            writer.writerow([name, label or "", alias, "true" if sensitive else "false", *extra])
    return out.getvalue()


def _info_cells(name: str, info: dict[str, Any]) -> list[str]:
    """parent, parent_label, weight, context as CSV cells (empty: not given)."""
    for phrase in info["context"]:
        if CONTEXT_SEPARATOR in phrase:
            raise ValueError(
                f"context phrase {phrase!r} of entity {name!r} holds {CONTEXT_SEPARATOR!r}, "
                "which separates phrases in CSV/TSV; write the lexicon as json"
            )
    weight = info["weight"]
    return [
        info["parent"] or "",
        info["parent_label"] or "",
        "" if weight is None else repr(weight),
        CONTEXT_SEPARATOR.join(info["context"]),
    ]


def spacy_rows(text: str, problems: Problems) -> Iterator[Row]:
    """spaCy EntityRuler patterns: one JSON object per line, string patterns only."""
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as err:
            problems.add(number, f"not JSON: {err.msg} (column {err.colno})")
            continue
        if not isinstance(entry, dict):
            problems.add(number, f"a pattern must be a JSON object, not {line.strip()[:40]!r}")
            continue
        pattern = entry.get("pattern")
        if isinstance(pattern, list):
            problems.add(
                number,
                "token patterns (a list of token attributes) are not supported; "
                "only phrase patterns (a string) are",
            )
            continue
        if not isinstance(pattern, str):
            problems.add(number, "needs a string 'pattern'")
            continue
        label, entity, case = (
            entry.get("label"),
            entry.get("id", pattern),
            entry.get("case_sensitive"),
        )
        if label is not None and not isinstance(label, str):
            problems.add(number, f"'label' must be a string, not {label!r}")
        elif not isinstance(entity, str):
            problems.add(number, f"'id' must be a string, not {entity!r}")
        elif case is not None and not isinstance(case, bool):
            problems.add(number, f"'case_sensitive' must be true or false, not {case!r}")
        else:
            yield Row(number, entity, label, pattern, bool(case))


def spacy_text(entries: list[EntityAliases]) -> str:
    lines = []
    for name, label, aliases in entries:
        for alias, sensitive in aliases:
            entry: dict[str, Any] = {} if label is None else {"label": label}
            entry.update(pattern=alias, id=name)
            if sensitive:
                entry["case_sensitive"] = True
            lines.append(json.dumps(entry, ensure_ascii=False) + "\n")
    return "".join(lines)


def dict_rows(data: Any, problems: Problems, locate: Any = None) -> Iterator[Row]:
    """``{label: {entity: aliases}}``; a top-level ``{entity: aliases}`` has no label."""
    where = locate or (lambda key: 0)
    if not isinstance(data, dict):
        problems.add(1, "the top level must map labels to {entity: [aliases]}")
        return
    for label, entities in data.items():
        if isinstance(entities, dict):
            for entity, aliases in entities.items():
                yield from _spec_rows(entity, label, aliases, where(entity), problems)
        elif isinstance(entities, (str, list)):
            yield from _spec_rows(label, None, entities, where(label), problems)
        else:
            problems.add(
                where(label),
                f"label {label!r} must map entity names to aliases, not {type(entities).__name__}",
            )


ENTITY_KEYS = {"aliases", "parent", "weight", "context"}


def _spec_rows(
    entity: Any, label: Any, aliases: Any, line: int, problems: Problems
) -> Iterator[Row]:
    if isinstance(aliases, dict):
        # {"aliases": [...], "parent": name or [name, label], "weight": n, "context": [...]}
        unknown = set(aliases) - ENTITY_KEYS
        if unknown:
            problems.add(
                line,
                f"entity {entity!r} has the keys {sorted(unknown)!r}; an entity given as an "
                f"object may have {sorted(ENTITY_KEYS)!r}",
            )
            return
        parent = aliases.get("parent")
        if isinstance(parent, list) and len(parent) == 2:
            parent = (parent[0], parent[1])
        info = info_cells(line, None, None, aliases.get("weight"), aliases.get("context"), problems)
        if info is None:
            return
        if parent is not None:
            info["parent"] = parent
        rows = list(_spec_rows(entity, label, aliases.get("aliases", []), line, problems))
        yield from (row._replace(info=info) for row in rows)
        return
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list):
        problems.add(line, f"the aliases of {entity!r} must be a list, not {aliases!r}")
        return
    if not aliases:
        yield Row(line, entity, label, None, False)
    for spec in aliases:
        if isinstance(spec, dict):
            unknown = set(spec) - {"alias", "case_sensitive"}
            case = spec.get("case_sensitive", False)
            if "alias" not in spec or unknown or not isinstance(case, bool):
                problems.add(
                    line,
                    f"alias entry {spec!r} of {entity!r} needs the key 'alias' and may have "
                    "'case_sensitive' (true or false)",
                )
                continue
            yield Row(line, entity, label, spec["alias"], case)
        else:
            yield Row(line, entity, label, spec, False)


def json_rows(text: str, problems: Problems) -> Iterator[Row]:
    """The from_dict shape as JSON; structure problems are reported where the key first appears."""
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as err:
        problems.add(err.lineno, f"not JSON: {err.msg} (column {err.colno})")
        return

    def locate(key: Any) -> int:
        at = text.find(json.dumps(key, ensure_ascii=False)) if isinstance(key, str) else -1
        return text.count("\n", 0, at) + 1 if at >= 0 else 1

    for key in duplicates:
        problems.add(locate(key), f"key {key!r} appears twice in one object")
    yield from dict_rows(data, problems, locate)


def json_text(entries: list[EntityAliases], infos: list[dict[str, Any]] | None = None) -> str:
    data: dict[str, Any] = {}
    for index, (name, label, aliases) in enumerate(entries):
        specs: Any = [{"alias": a, "case_sensitive": True} if cs else a for a, cs in aliases]
        info = None if infos is None else infos[index]
        if info is not None and (info["parent"] or info["weight"] is not None or info["context"]):
            if label is None:
                raise ValueError(
                    f"entity {name!r} has no label: JSON holds a parent, weight or context "
                    "only for labelled entities; write the lexicon as csv or tsv"
                )
            specs = {"aliases": specs}
            if info["parent"] is not None:
                parent = info["parent"]
                specs["parent"] = (
                    parent
                    if info["parent_label"] is None
                    else [
                        parent,
                        info["parent_label"],
                    ]
                )
            if info["weight"] is not None:
                specs["weight"] = info["weight"]
            if info["context"]:
                specs["context"] = info["context"]
        if label is None:
            if name in data:
                raise ValueError(
                    f"entity {name!r} without a label and the label {name!r} would share one "
                    "top-level JSON key"
                )
            data[name] = specs
        else:
            group = data.setdefault(label, {})
            if not isinstance(group, dict):
                raise ValueError(
                    f"entity {label!r} without a label and the label {label!r} would share "
                    "one top-level JSON key"
                )
            group[name] = specs
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
