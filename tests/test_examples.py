"""Every public call of the Python face carries a docstring example, and none is skipped: the
doctests of `--doctest-modules python/lexiscan` run them all (Spark's and Dask's on the suite's
shared session and cluster, see the root conftest.py)."""

from __future__ import annotations

import doctest
import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lexiscan

MODULES = ["lexiscan", "lexiscan.dask", "lexiscan.spark", "lexiscan.datasets", "lexiscan.formats"]


def public_calls() -> Iterator[tuple[str, Any]]:
    """(name, object) of each public module, function, class, method and property."""
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        yield module_name, module
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not callable(obj):
                continue  # modules come on their own, constants need no example
            qualified = f"{module_name}.{name}"
            yield qualified, obj
            if inspect.isclass(obj):
                yield from members(qualified, obj)


def members(qualified: str, cls: type) -> Iterator[tuple[str, Any]]:
    for name, raw in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(raw, (staticmethod, classmethod)):
            raw = raw.__func__
        if isinstance(raw, property):
            raw = raw.fget
        if inspect.isfunction(raw):  # not the fields of a NamedTuple
            yield f"{qualified}.{name}", raw


def has_example(obj: Any) -> bool:
    doc = inspect.getdoc(obj) or ""
    return any(line.lstrip().startswith(">>>") for line in doc.splitlines())


def test_every_public_call_has_an_example() -> None:
    calls = dict(public_calls())
    assert {"lexiscan.Matcher.scan", "lexiscan.spark.SparkAnalyses.counts"} <= set(calls)
    assert [name for name, obj in calls.items() if not has_example(obj)] == []


def test_no_example_is_skipped() -> None:
    package = Path(lexiscan.__file__).parent
    skipped = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if "doctest: +SKIP" in path.read_text(encoding="utf-8")
    ]
    assert skipped == []


def test_native_examples_run_as_doctests() -> None:
    # The native classes' docs come from src/python/; doctest must find them through `lexiscan`
    # (their __module__) for `--doctest-modules python/lexiscan` to run their examples.
    found = {test.name for test in doctest.DocTestFinder().find(lexiscan) if test.examples}
    assert {"lexiscan.Match", "lexiscan.InternalError"} <= found
