"""`ScanResult.resolve`: the Rust resolver's decisions as a new result with `score` and
`evidence` columns, and the dropped mentions beside it. It builds results of the type it is
given, so it does not import `_result` (which imports it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lexiscan import _lexiscan
from lexiscan._dtypes import TEXT_DTYPE

EVIDENCE = _lexiscan.evidence_names()


@dataclass(frozen=True)
class Resolution:
    """The per-row `score` (float64) and `evidence` (codes into EVIDENCE) of a resolved
    result; `dropped` (a ScanResult) is None for the dropped view itself."""

    score: np.ndarray
    evidence: np.ndarray
    dropped: Any

    def columns(self) -> dict[str, Any]:
        import pandas as pd

        names = np.array(EVIDENCE, dtype=object).take(self.evidence.astype(np.intp))
        return {"score": self.score, "evidence": pd.array(names, dtype=TEXT_DTYPE)}


def resolve(result: Any, min_score: float, window: int) -> Any:
    """See ScanResult.resolve: `result` is a ScanResult; so is what comes back."""
    if isinstance(min_score, bool) or not isinstance(min_score, (int, float)):
        raise TypeError(f"min_score must be a number, not {type(min_score).__name__}")
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise ValueError(f"window must be a number of words, 0 or more, not {window!r}")
    owner = result._owner
    kept, score, evidence, dropped, dropped_score, dropped_evidence = _lexiscan.resolve(
        result._native, owner._resolver, float(min_score), window
    )

    def wrap(native: _lexiscan.ScanResult) -> Any:
        return type(result)(native, owner, result._keys, result.n_docs)

    dropped_view = wrap(dropped)
    dropped_view._resolution = Resolution(
        np.frombuffer(dropped_score, dtype="<f8"),
        np.frombuffer(dropped_evidence, dtype="u1"),
        None,
    )
    out = wrap(kept)
    out._resolution = Resolution(
        np.frombuffer(score, dtype="<f8"), np.frombuffer(evidence, dtype="u1"), dropped_view
    )
    return out
