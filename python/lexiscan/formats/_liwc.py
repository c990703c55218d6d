"""LIWC-style ``.dic`` files: a ``%``-delimited category table, then ``term<TAB>ids`` lines.

Each category with at least one term is an entity named after the category, and its terms are
its aliases. Categories indented with tabs under another one (quanteda reads LIWC hierarchies
this way) take the names of the categories above them, joined with ".", as their label; a top
category has no label. A category without terms only names a level of the labels below it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lexiscan.formats._rows import EntityAliases, LabelNode, Problems, Row, label_tree

_CATEGORY = re.compile(r"(\d+)[ \t]+(\S(?:.*\S)?)")


class _Category:
    def __init__(self, line: int, name: str, label: str | None) -> None:
        self.line, self.name, self.label = line, name, label
        self.terms: list[tuple[int, str]] = []


def liwc_rows(text: str, problems: Problems) -> Iterator[Row]:
    lines = text.split("\n")
    numbered = [(n, raw) for n, raw in enumerate(lines, 1) if raw.strip()]
    if not numbered or numbered[0][1].strip() != "%":
        problems.add(numbered[0][0] if numbered else 1, "a .dic file starts with a line '%'")
        return
    closing = next((i for i, (_, raw) in enumerate(numbered) if i and raw.strip() == "%"), None)
    if closing is None:
        problems.add(numbered[0][0], "the category table opened here has no closing '%' line")
        return
    categories = _categories(numbered[1:closing], problems)
    for number, raw in numbered[closing + 1 :]:
        _term(number, raw, categories, problems)
    with_terms = [c for c in categories.values() if c.terms]
    for category in with_terms:
        yield Row(category.line, category.name, category.label, None, False)
    for category in with_terms:
        for number, term in category.terms:
            yield Row(number, category.name, category.label, term, False)


def _categories(lines: list[tuple[int, str]], problems: Problems) -> dict[str, _Category]:
    """Category id -> category, in table order; parents by tab indentation."""
    categories: dict[str, _Category] = {}
    seen: dict[tuple[str, str | None], int] = {}
    path: list[str] = []
    for number, raw in lines:
        depth = len(raw) - len(raw.lstrip("\t"))
        match = _CATEGORY.fullmatch(raw.strip())
        if match is None or "\t" in match.group(2):
            problems.add(number, f"a category line is 'number<TAB>name', not {raw.strip()!r}")
            continue
        if depth > len(path):
            problems.add(number, "indented deeper than one level below the category above it")
            continue
        key, name = str(int(match.group(1))), match.group(2)
        label = ".".join(path[:depth]) if depth else None
        path[depth:] = [name]
        if key in categories:
            problems.add(
                number, f"category number {key} is already used on line {categories[key].line}"
            )
        elif (name, label) in seen:
            problems.add(
                number, f"category {name!r} appears twice (first on line {seen[name, label]})"
            )
        else:
            categories[key] = _Category(number, name, label)
            seen[name, label] = number
    return categories


def _term(number: int, raw: str, categories: dict[str, _Category], problems: Problems) -> None:
    if raw.strip() == "%":
        problems.add(number, "a third '%' line: the category table is already closed")
        return
    if "\t" in raw:
        term, _, rest = raw.partition("\t")
        codes = rest.split()
    else:
        # Space-separated: the term is everything before the trailing category numbers.
        tokens = raw.split()
        cut = len(tokens)
        while cut > 1 and tokens[cut - 1].isdigit():
            cut -= 1
        term, codes = " ".join(tokens[:cut]), tokens[cut:]
    if not term:
        problems.add(number, "no term before the category numbers")
        return
    if not codes:
        problems.add(number, f"term {term!r} has no category numbers")
        return
    bad = next((code for code in codes if not code.isdigit()), None)
    if bad is not None:
        problems.add(
            number,
            f"category {bad!r} of {term!r} is not a number (LIWC2007 conditional "
            "entries such as '(02 134)125/464' and '<of>' are not supported)",
        )
        return
    unknown = [code for code in codes if str(int(code)) not in categories]
    if unknown:
        problems.add(number, f"category {unknown[0]} of {term!r} is not in the category table")
        return
    for code in codes:
        categories[str(int(code))].terms.append((number, term))


def _check_name(name: str, what: str) -> None:
    if not name or name != name.strip() or any(c in name for c in "\t\n\r"):
        raise ValueError(
            f"{what} {name!r} cannot be a .dic category name (it must be non-empty, without "
            "tabs, line breaks or surrounding spaces)"
        )


def liwc_text(entries: list[EntityAliases]) -> str:
    for name, label, aliases in entries:
        _check_name(name, "entity")
        for part in [] if label is None else label.split("."):
            _check_name(part, f"the label {label!r} has the part")
        for alias, sensitive in aliases:
            if sensitive:
                raise ValueError(
                    f"alias {alias!r} of {name!r} is case-sensitive: .dic has no "
                    "case-sensitive entries"
                )
            if any(c in alias for c in "\t\n\r"):
                raise ValueError(f"alias {alias!r} of {name!r} cannot be a .dic term")
    table: list[str] = []
    ids: dict[int, int] = {}  # entity index -> category number

    def visit(node: LabelNode, depth: int) -> None:
        for key, child in node.children.items():
            table.append("\t" * depth + f"{len(table) + 1}\t{key}")
            if child.entity is not None:
                ids[child.entity] = len(table)
            visit(child, depth + 1)

    visit(label_tree(entries), 0)
    order = sorted(ids, key=ids.__getitem__)
    merged: dict[str, list[int]] = {}
    for index in order:
        for alias, _ in entries[index][2]:
            merged.setdefault(alias, []).append(ids[index])
    # One line per term keeps each entity's alias order only if the lines' order agrees with it
    # (the first alias, the name, is implied); otherwise write one line per alias.
    position = {alias: i for i, alias in enumerate(merged)}
    spots = [[position[a] for a, _ in entries[i][2][1:]] for i in order]
    agrees = all(spot == sorted(spot) for spot in spots)
    if agrees:
        terms = [f"{alias}\t" + "\t".join(map(str, cats)) for alias, cats in merged.items()]
    else:
        terms = [f"{alias}\t{ids[i]}" for i in order for alias, _ in entries[i][2]]
    return "\n".join(["%", *table, "%", *terms]) + "\n"
