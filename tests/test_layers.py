"""The Python package depends downward: no import cycle between its modules, counting the
imports inside functions and under ``TYPE_CHECKING`` (a cycle hidden in a function is still a
cycle, only a later one)."""

from __future__ import annotations

import ast
from pathlib import Path

import lexiscan

PACKAGE = Path(lexiscan.__file__).parent


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of `package` it imports, anywhere in its source."""
    modules = {module_name(path, package): path for path in package.rglob("*.py")}
    # native modules (known by their stubs) are leaves: they import nothing of the package
    native = {module_name(path, package) for path in package.rglob("*.pyi")} - set(modules)
    graph: dict[str, set[str]] = {name: set() for name in [*modules, *native]}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    here = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = here[: len(here) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                # `from package import module` imports the module, `from module import name`
                # the module.
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in graph else base
                    for alias in node.names
                ]
            for target in targets:
                # the longest module of the package that the target names
                while target and target not in graph:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "lexiscan._result" in graph and "lexiscan.formats._rows" in graph
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from pkg.sub import b\n")
    (package / "a.py").write_text("from pkg.sub.b import thing\n")
    (package / "sub" / "b.py").write_text("def thing():\n    from .. import a\n")
    graph = import_graph(package)
    assert graph["pkg.a"] == {"pkg.sub.b"}
    assert graph["pkg.sub.b"] == {"pkg.a"}
    assert find_cycle(graph) == ["pkg.a", "pkg.sub.b", "pkg.a"]
    (package / "sub" / "b.py").write_text("def thing():\n    return 1\n")
    assert find_cycle(import_graph(package)) is None


def test_format_modules_depend_only_on_their_rows() -> None:
    graph = import_graph()
    for reader in ("_yaml", "_tables", "_liwc"):
        assert graph[f"lexiscan.formats.{reader}"] == {"lexiscan.formats._rows"}
    assert not graph["lexiscan.formats._rows"]
    # the analyses take explicit inputs: they never read a ScanResult
    for analysis in ("lexiscan._analysis", "lexiscan._insights"):
        assert "lexiscan._result" not in graph[analysis]
