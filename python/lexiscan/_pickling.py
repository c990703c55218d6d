"""Results that travel: a scan's native columns as a picklable state, and the columns of
several scans joined into one.

A pickled `ScanResult` holds its matcher (which pickles as its spec and is rebuilt once per
process), its document keys, its number of documents, its matches as the result stores them
(format 2: runs of documents, starts, form codes and the distinct forms, ~12 bytes a match),
and its documents only when it kept them. Results pickled by older builds (format 1, no
`format` key: full columns, ~50 bytes a match) still load. This module works on the native
result and plain values; `lexiscan._result` wraps them (so nothing here imports it).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lexiscan import _lexiscan

FORMAT = 2  # what `native_state` writes; 1 (no "format" key): full columns, older builds


def native_state(native: _lexiscan.ScanResult, n_docs: int) -> dict[str, Any]:
    """The parts of a native result as bytes and strings (what a pickled result carries).

    >>> import lexiscan
    >>> res = lexiscan.Matcher(lexiscan.Lexicon().add("NATO")).scan(["NATO NATO"])
    >>> state = native_state(res._native, res.n_docs)
    >>> state["format"], state["form_texts"], state["texts"]
    (2, 'NATO', ['NATO NATO'])
    """
    state: dict[str, Any] = {"format": FORMAT, **_lexiscan.result_parts(native)}
    state["n_docs"] = n_docs
    state["texts"] = _lexiscan.result_texts(native)
    return state


def native_from_state(state: dict[str, Any]) -> _lexiscan.ScanResult:
    """A native result back from `native_state`, or from the full columns older builds
    pickled (damaged parts raise ValueError)."""
    version = state.get("format", 1)
    fields = {key: value for key, value in state.items() if key != "format"}
    if version == 1:
        return _lexiscan.result_from_columns(**fields)
    if version == 2:
        return _lexiscan.result_from_parts(**fields)
    raise ValueError(
        f"this ScanResult was pickled in format {version} by a newer lexiscan; this one reads "
        f"formats 1 to {FORMAT}: upgrade lexiscan to load it"
    )


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
