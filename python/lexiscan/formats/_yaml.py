"""YAML dictionaries in the shape quanteda's ``dictionary()`` reads and ``as.yaml()`` writes.

A key whose value is a list (or one pattern) is an entity with those aliases; a key whose value
is a mapping is one level of a label, and the levels above an entity, joined with ".", are its
label. A nested key that has patterns of its own keeps them under ``__``, as quanteda writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from lexiscan.formats._rows import EntityAliases, LabelNode, Problems, Row, label_tree

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
OWN = "__"


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _is_null(node: ScalarNode) -> bool:
    return node.tag == _NULL and node.style is None


def yaml_rows(text: str, problems: Problems) -> Iterator[Row]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problems.add(mark.line + 1 if mark else 1, f"not YAML: {err.problem or err.context}")
        return
    except yaml.YAMLError as err:
        problems.add(1, f"not YAML: {err}")
        return
    if root is None:
        return
    if not isinstance(root, MappingNode):
        problems.add(_line(root), "the top level must be a mapping of keys to patterns")
        return
    yield from _walk(root, [], problems)


def _walk(node: MappingNode, path: list[str], problems: Problems) -> Iterator[Row]:
    seen: dict[str, int] = {}
    for key_node, value in node.value:
        line = _line(key_node)
        if not isinstance(key_node, ScalarNode):
            problems.add(line, "a key must be text")
            continue
        key = key_node.value
        if key in seen:
            problems.add(line, f"key {key!r} appears twice (first on line {seen[key]})")
            continue
        seen[key] = line
        if isinstance(value, MappingNode):
            yield from _walk(value, [*path, key], problems)
        elif key == OWN and path:
            yield from _entries(path[-1], path[:-1], value, line, problems)
        else:
            yield from _entries(key, path, value, line, problems)


def _entries(
    entity: str, path: list[str], value: Node, line: int, problems: Problems
) -> Iterator[Row]:
    label = ".".join(path) if path else None
    if isinstance(value, ScalarNode):
        if _is_null(value):
            problems.add(line, f"{entity!r} has no patterns (write [] for its name alone)")
        else:
            yield Row(_line(value), entity, label, value.value, False)
        return
    if not isinstance(value, SequenceNode):
        problems.add(line, f"the value of {entity!r} must be a list of patterns")
        return
    if not value.value:
        yield Row(line, entity, label, None, False)
    for item in value.value:
        if isinstance(item, ScalarNode) and not _is_null(item):
            yield Row(_line(item), entity, label, item.value, False)
        elif isinstance(item, MappingNode):
            spec = _spec(item)
            if spec is None:
                problems.add(
                    _line(item),
                    f"a pattern of {entity!r} written as a mapping needs 'alias' and may have "
                    "'case_sensitive: true'",
                )
            else:
                yield Row(_line(item), entity, label, spec[0], spec[1])
        else:
            problems.add(_line(item), f"a pattern of {entity!r} must be text")


def _spec(node: MappingNode) -> tuple[str, bool] | None:
    fields: dict[str, ScalarNode] = {}
    for key, value in node.value:
        if not isinstance(key, ScalarNode) or not isinstance(value, ScalarNode):
            return None
        fields[key.value] = value
    alias, case = fields.pop("alias", None), fields.pop("case_sensitive", None)
    if fields or alias is None or _is_null(alias):
        return None
    if case is None:
        return alias.value, False
    if case.tag != _BOOL:
        return None
    return alias.value, case.value.lower() in ("true", "yes", "on", "y")


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as quanteda's ``as.yaml`` does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Line breaks in plain or single-quoted scalars are folded on reading ("0\x85" -> "0 "):
    # double quotes escape them.
    style = '"' if any(c in text for c in "\n\r\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def _specs(entry: EntityAliases) -> list[Any]:
    return [{"alias": a, "case_sensitive": True} if cs else a for a, cs in entry[2]]


def _tree_data(node: LabelNode, entries: list[EntityAliases], nested: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, child in node.children.items():
        if not child.children:
            assert child.entity is not None
            if key == OWN and nested:
                raise ValueError(
                    f"an entity named {OWN!r} under a label cannot be written to YAML: "
                    f"{OWN!r} holds the patterns of the key above it"
                )
            out[key] = _specs(entries[child.entity])
            continue
        sub: dict[str, Any] = {}
        if child.entity is not None:
            sub[OWN] = _specs(entries[child.entity])
        for sub_key, value in _tree_data(child, entries, True).items():
            if sub_key in sub:
                raise ValueError(
                    f"the entity {key!r} and the label level {OWN!r} below it cannot both be "
                    "written to YAML"
                )
            sub[sub_key] = value
        out[key] = sub
    return out


def yaml_text(entries: list[EntityAliases]) -> str:
    data = _tree_data(label_tree(entries), entries, False)
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,
    )
