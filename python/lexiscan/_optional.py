"""Optional dependencies: imported where a feature needs them, and when one is missing the
error names the extra that brings it, in one line.

The extras are declared in `pyproject.toml`: ``arrow`` (pyarrow), ``sparse`` (scipy),
``notebook`` (matplotlib, networkx), ``dask``, ``spark``.
"""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, feature: str, extra: str) -> ModuleType:
    """Import `module` for `feature`, or raise an ImportError that says how to install it.

    >>> require("json", "reading JSON", "none").__name__
    'json'
    >>> require("no_such_module_xyz", "to_arrow", "arrow")
    Traceback (most recent call last):
    ...
    ImportError: to_arrow needs no_such_module_xyz: pip install 'lexiscan[arrow]'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.split(".")[0]
        raise ImportError(f"{feature} needs {package}: pip install 'lexiscan[{extra}]'") from None
