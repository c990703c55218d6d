"""Results that travel: a ScanResult pickled as its columns, and results joined into one.

A pickled `ScanResult` holds its matcher (which pickles as its spec and is rebuilt once per
process), its document keys, its number of documents, its match columns as raw little-endian
bytes, its matched texts, and its documents only when it kept them. The functions that
rebuild it are module-level, so pickle and cloudpickle both find them by reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from lexiscan import _lexiscan

if TYPE_CHECKING:
    from lexiscan._matcher import Matcher
    from lexiscan._result import ScanResult

_COLUMNS = ("doc", "entity", "alias", "start", "end", "edits")


def reduce_result(result: ScanResult) -> tuple[Any, ...]:
    """What `ScanResult.__reduce__` returns: the rebuilding function and its arguments."""
    native = result._native
    columns = {name: bytes(native.column(name)) for name in _COLUMNS}
    state = {
        **columns,
        "surface_data": native.surface_data().decode("utf-8"),
        "surface_offsets": native.surface_offsets(),
        "n_docs": result.n_docs,
        "texts": _lexiscan.result_texts(native),
    }
    return (rebuild_result, (result._owner, result._keys, state))


def rebuild_result(matcher: Matcher, keys: pd.Index | None, state: dict[str, Any]) -> ScanResult:
    """A ScanResult back from `reduce_result`'s arguments."""
    from lexiscan._result import ScanResult

    native = _lexiscan.result_from_columns(**state)
    return ScanResult(native, matcher, keys, state["n_docs"])


def concat(results: list[ScanResult]) -> ScanResult:
    """The results of separate scans as one (see `ScanResult.concat`)."""
    from lexiscan._result import ScanResult

    if not results:
        raise ValueError("concat needs at least one ScanResult")
    for r in results:
        if not isinstance(r, ScanResult):
            raise TypeError(f"concat takes ScanResults, not {type(r).__name__}")
    owner = results[0]._owner
    for r in results[1:]:
        if r._owner is not owner and _fingerprint(r._owner) != _fingerprint(owner):
            raise ValueError(
                "concat needs results of one matcher (same lexicon and options); these come "
                "from matchers with different fingerprints"
            )
    keyed = [r._keys is not None for r in results]
    keys: pd.Index | None = None
    if any(keyed):
        if not all(keyed):
            raise ValueError(
                "concat cannot mix results with document keys (a Series or mapping was "
                "scanned) and results numbered by position (a list was scanned)"
            )
        parts = [r._keys for r in results if r._keys is not None]
        keys = parts[0].append(parts[1:]) if len(parts) > 1 else parts[0]
        seen = pd.Index([]).append([p.unique() for p in parts])
        repeated = seen[seen.duplicated()]
        if len(repeated):
            raise ValueError(
                f"document key {repeated[0]!r} is in more than one of the results to concat"
            )
    native = _lexiscan.concat_results([r._native for r in results])
    return ScanResult(native, owner, keys, sum(r.n_docs for r in results))


def _fingerprint(owner: Any) -> str:
    """The matcher's fingerprint (a result names its matcher by shape, not by class)."""
    return str(owner.fingerprint)
