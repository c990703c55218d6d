"""Every analysis of a ScanResult, called the same way on results computed in different ways
(one scan, concatenated scans, partials merged, Dask, Spark), and compared exactly."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

# (name, kwargs): every analysis and the options that change what is computed. `groups=True`
# stands for the corpus's groups, given as one value per document (or a Series by doc key).
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("counts", {}),
    ("counts", {"by": "label", "presence": True}),
    ("frequency", {}),
    ("frequency", {"by": "label", "groups": True}),
    ("cooccurrence", {}),
    ("cooccurrence", {"window": "sentence", "as_": "edges"}),
    ("cooccurrence", {"window": 5, "as_": "edges", "by": "label"}),
    ("compare", {"groups": True}),
    ("figures", {"groups": True}),
    ("disagreements", {"groups": True}),
    ("disagreements", {"groups": True, "hedges": False, "max_ratio": 2.0}),
    ("audit", {}),
    ("audit", {"groups": True}),
]
# One call of each analysis, grouped where it can be (for the slower engines' larger corpora).
ONE_EACH: list[tuple[str, dict[str, Any]]] = [
    ("counts", {}),
    ("frequency", {"groups": True}),
    ("cooccurrence", {"window": "sentence"}),
    ("compare", {"groups": True}),
    ("figures", {"groups": True}),
    ("disagreements", {"groups": True}),
    ("audit", {"groups": True}),
    ("kwic", {"pattern": "NATO"}),
    ("descriptions", {"label": "TITLE", "groups": True}),
]


def kwic_calls(pattern: str) -> list[tuple[str, dict[str, Any]]]:
    return [("kwic", {"pattern": pattern}), ("kwic", {"pattern": pattern, "unit": "chars"})]


def description_calls(label: str) -> list[tuple[str, dict[str, Any]]]:
    return [("descriptions", {"label": label}), ("descriptions", {"label": label, "groups": True})]


def with_groups(kwargs: dict[str, Any], groups: Any) -> dict[str, Any]:
    return {**kwargs, "groups": groups} if kwargs.get("groups") is True else dict(kwargs)


def run_all(analyse: Any, calls: list[tuple[str, dict[str, Any]]], groups: Any) -> dict[str, Any]:
    """`analyse(name, kwargs)` for every call, keyed by a readable name of the call."""
    return {
        f"{name}{sorted(kw.items())}": analyse(name, with_groups(kw, groups)) for name, kw in calls
    }


def compute_all(
    result: Any, calls: list[tuple[str, dict[str, Any]]], groups: Any
) -> dict[str, Any]:
    """Every call at once through an engine's `compute(*analyses)`, keyed as `run_all` keys."""
    answers = result.compute(*((name, with_groups(kw, groups)) for name, kw in calls))
    assert len(answers) == len(calls)
    return {f"{name}{sorted(kw.items())}": a for (name, kw), a in zip(calls, answers)}


def assert_same(got: Any, expected: Any, what: str = "") -> None:
    if isinstance(expected, tuple):  # Audit
        assert type(got) is type(expected), what
        for g, e, field in zip(got, expected, expected._fields):
            assert_same(g, e, f"{what}.{field}")
        return
    assert isinstance(got, pd.DataFrame), what
    got, expected = _comparable(got), _comparable(expected)
    pd.testing.assert_frame_equal(got, expected, obj=what, check_index_type=False)


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists (figure entities) as tuples; an index of keys compared by value."""
    frame = frame.copy()
    for column in frame.columns:
        if (
            frame[column].dtype == object
            and frame[column].map(lambda v: isinstance(v, (list, np.ndarray))).any()
        ):
            frame[column] = frame[column].map(tuple)
    return frame


def assert_all_same(got: dict[str, Any], expected: dict[str, Any]) -> None:
    assert got.keys() == expected.keys()
    for what in expected:
        assert_same(got[what], expected[what], what)


FILLER = (
    "the talks in said on Monday and officials while a of to it was more than nearly about "
    "at least some reported that troops people killed soldiers were new week"
).split()
FIGURES = ["14,000 people killed", "13,000 people killed", "nearly 100,000 troops",
           "more than 100,000 troops", "about 175,000 soldiers", "3 days", "in 2014"]  # fmt: skip


def generated_corpus(lexicon: Any, n_docs: int, seed: int, outlets: int = 3) -> pd.DataFrame:
    """Documents of filler words, aliases of `lexicon` (some misspelt by one letter, for the
    audit's near misses), figures and sentence ends: doc (a unique key), outlet, text."""
    import random

    rng = random.Random(seed)
    aliases = [alias for alias, _, _ in lexicon._native.aliases()]
    rows = []
    for i in range(n_docs):
        words: list[str] = []
        for _ in range(rng.randint(0, 40)):
            pick = rng.random()
            if pick < 0.25:
                alias = rng.choice(aliases)
                if rng.random() < 0.1 and len(alias) > 5:
                    cut = rng.randrange(1, len(alias) - 1)
                    alias = alias[:cut] + alias[cut + 1 :]
                words.append(alias)
            elif pick < 0.32:
                words.append(rng.choice(FIGURES))
            elif pick < 0.42:
                words.append(rng.choice(FILLER) + ".")
            else:
                words.append(rng.choice(FILLER))
        text = None if rng.random() < 0.02 else " ".join(words)
        rows.append(
            {"doc": f"d{seed}-{i}", "outlet": f"outlet{rng.randrange(outlets)}", "text": text}
        )
    return pd.DataFrame(rows, columns=["doc", "outlet", "text"])
