"""Results that travel: a scan's native columns as a picklable state, and the columns of
several scans joined into one.

A pickled `ScanResult` holds its matcher (which pickles as its spec and is rebuilt once per
process), its document keys, its number of documents, its match columns as raw little-endian
bytes, its matched texts, and its documents only when it kept them. This module works on the
native result and plain values; `lexiscan._result` wraps them (so nothing here imports it).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lexiscan import _lexiscan

_COLUMNS = ("doc", "entity", "alias", "start", "end", "edits")


def native_state(native: _lexiscan.ScanResult, n_docs: int) -> dict[str, Any]:
    """The columns of a native result as bytes and strings (what a pickled result carries).

    >>> import lexiscan
    >>> res = lexiscan.Matcher(lexiscan.Lexicon().add("NATO")).scan(["NATO"])
    >>> state = native_state(res._native, res.n_docs)
    >>> state["surface_data"], state["texts"]
    ('NATO', ['NATO'])
    """
    state: dict[str, Any] = {name: bytes(native.column(name)) for name in _COLUMNS}
    state["surface_data"] = native.surface_data().decode("utf-8")
    state["surface_offsets"] = native.surface_offsets()
    state["n_docs"] = n_docs
    state["texts"] = _lexiscan.result_texts(native)
    return state


def native_from_state(state: dict[str, Any]) -> _lexiscan.ScanResult:
    """A native result back from `native_state` (damaged columns raise ValueError)."""
    return _lexiscan.result_from_columns(**state)


def joined_keys(keys: list[pd.Index | None]) -> pd.Index | None:
    """The document keys of results joined in order: None when every result was numbered by
    position; a ValueError when results mix the two or a key is in two results."""
    keyed = [k is not None for k in keys]
    if not any(keyed):
        return None
    if not all(keyed):
        raise ValueError(
            "concat cannot mix results with document keys (a Series or mapping was "
            "scanned) and results numbered by position (a list was scanned)"
        )
    parts = [k for k in keys if k is not None]
    seen = pd.Index([]).append([p.unique() for p in parts])
    repeated = seen[seen.duplicated()]
    if len(repeated):
        raise ValueError(
            f"document key {repeated[0]!r} is in more than one of the results to concat"
        )
    return parts[0].append(parts[1:]) if len(parts) > 1 else parts[0]


def check_same_matcher(owners: list[Any]) -> None:
    """Refuse results of different matchers (they number entities differently)."""
    first = owners[0]
    for owner in owners[1:]:
        if owner is not first and str(owner.fingerprint) != str(first.fingerprint):
            raise ValueError(
                "concat needs results of one matcher (same lexicon and options); these come "
                "from matchers with different fingerprints"
            )


def joined_native(natives: list[_lexiscan.ScanResult]) -> _lexiscan.ScanResult:
    """The native results of separate scans as one, documents renumbered in order."""
    return _lexiscan.concat_results(natives)
