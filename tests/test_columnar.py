"""The columnar build against the row path: `add_many` (lists, tuples, pandas columns, Arrow
arrays) must give the lexicon that `add` gives one row at a time, `from_frame`'s one call the
lexicon its row-by-row reader gives, and both must refuse what the rows refuse, changing
nothing. Pickled lexicons (format 3, columns) come back equal."""

from __future__ import annotations

import math
import os
import pickle
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lexiscan
from lexiscan import Lexicon, formats

HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]
# `pytest --slow` (tests/conftest.py) asks for many more examples.
EXAMPLES = 3000 if os.environ.get("LEXISCAN_HYPOTHESIS_PROFILE") == "slow" else 200
# Names that collide, differ by case or accents, are invisible or empty once folded.
TEXTS = st.sampled_from(
    ["Kyiv", "kyiv", "Kiev", "Київ", "Kyïv", "US", "U.S.", " ", "", "\u200b", "a b", "x\u00ad"]
)
LABELS = st.sampled_from([None, "GPE", "CITY", ""])
ROW = st.tuples(TEXTS, TEXTS, LABELS, st.booleans())
WEIGHTS = st.one_of(st.none(), st.sampled_from([0.0, 2.5, -1.0, math.nan, math.inf]))
CONTEXTS = st.one_of(st.none(), st.lists(st.sampled_from(["Dnipro", "Seine", " ", "\u200b"])))
PARENTS = st.one_of(st.none(), st.sampled_from(["Kyiv", "US", ("Kyiv", "GPE")]))


def as_kind(values: list[Any], kind: str) -> Any:
    if kind == "list":
        return values
    if kind == "tuple":
        return tuple(values)
    if kind == "arrow":
        return pa.array(values, type=pa.string())
    if kind == "chunked":
        return pa.chunked_array([values[:1], values[1:]], type=pa.string())
    if kind == "dictionary":
        return pa.array(values, type=pa.string()).dictionary_encode()
    return pd.Series(values, dtype="str" if kind == "series" else object)


KINDS = st.sampled_from(["list", "tuple", "arrow", "chunked", "dictionary", "series", "object"])


def row_by_row(
    lex: Lexicon, rows: list[tuple[str, str, str | None, bool]], infos: Any, names: bool = True
) -> None:
    """What add_many promises, one `add` at a time: rows, then each row's fields."""
    for entity, alias, label, case in rows:
        lex.add(entity, [alias], label=label, case_sensitive=case, name_is_alias=names)
    for (entity, _, label, case), (parent, weight, context) in zip(rows, infos):
        if weight is not None and math.isnan(weight):
            weight = None
        if parent is not None or weight is not None or context is not None:
            lex.add(entity, label=label, case_sensitive=case, parent=parent, weight=weight,
                    context=context, name_is_alias=names)  # fmt: skip


def seeded() -> Lexicon:
    return Lexicon().add("Kyiv", ["Kiev"], label="GPE").add("US", label=None)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=HEALTH)
@given(
    rows=st.lists(ROW, min_size=1, max_size=12),
    kind=KINDS,
    infos=st.lists(st.tuples(PARENTS, WEIGHTS, CONTEXTS), min_size=12, max_size=12),
    with_infos=st.booleans(),
    one_label=st.booleans(),
    names=st.booleans(),
)
def test_add_many_equals_add_per_row(rows, kind, infos, with_infos, one_label, names) -> None:
    if one_label:
        rows = [(e, a, "GPE", c) for e, a, _, c in rows]
    infos = infos[: len(rows)] if with_infos else [(None, None, None)] * len(rows)
    expected = seeded()
    try:
        row_by_row(expected, rows, infos, names)
        error = None
    except (TypeError, ValueError) as err:
        error = err
    entities, aliases, labels, cases = (list(column) for column in zip(*rows))
    kwargs: dict[str, Any] = {}
    if with_infos:
        kwargs = {name: [info[i] for info in infos] for i, name in
                  enumerate(["parents", "weights", "contexts"])}  # fmt: skip
    lex = seeded()
    call = lambda: lex.add_many(  # noqa: E731
        as_kind(entities, kind),
        as_kind(aliases, kind),
        "GPE" if one_label else as_kind(labels, kind),
        cases,
        name_is_alias=names,
        **kwargs,
    )
    if error is not None:
        with pytest.raises(type(error)):
            call()
        assert lex == seeded()
    else:
        call()
        assert lex == expected
        assert Lexicon.from_bytes(lex.to_bytes()) == lex
        assert pickle.loads(pickle.dumps(lex)) == lex


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=HEALTH)
@given(
    rows=st.lists(ROW, min_size=1, max_size=12),
    dtype=st.sampled_from(["str", object]),
    case_column=st.sampled_from(["bool", "text", "none"]),
    names=st.booleans(),
)
def test_from_frame_in_one_call_equals_the_rows(rows, dtype, case_column, names) -> None:
    entities, aliases, labels, cases = (list(column) for column in zip(*rows))
    df = pd.DataFrame({"entity": entities, "alias": aliases, "label": labels}, dtype=dtype)
    if case_column == "bool":
        df["case_sensitive"] = cases
    elif case_column == "text":
        df["case_sensitive"] = ["yes" if c else "no" for c in cases]
    try:
        expected: Lexicon | Exception = formats.from_frame(df, Lexicon(), name_is_alias=names)
    except formats.LexiconFormatError as err:
        expected = err
    if isinstance(expected, Exception):
        with pytest.raises(formats.LexiconFormatError) as raised:
            Lexicon.from_frame(df, name_is_alias=names)
        assert raised.value.problems == expected.problems
    else:
        assert Lexicon.from_frame(df, name_is_alias=names) == expected


def test_errors_name_the_row_and_the_column() -> None:
    with pytest.raises(TypeError, match="alias in row 1 is int, not str"):
        Lexicon().add_many(["a", "b"], ["a", 5])
    with pytest.raises(TypeError, match="entity in row 1 is null"):
        Lexicon().add_many(pa.array(["a", None]), ["a", "b"])
    with pytest.raises(TypeError, match="must hold strings"):
        Lexicon().add_many(pa.array([1, 2]), ["a", "b"])
    with pytest.raises(ValueError, match="2 entities but 1 aliases"):
        Lexicon().add_many(pa.array(["a", "b"]), pa.array(["a"]))
    with pytest.raises(ValueError, match='of entity "b" is empty once folded'):
        Lexicon().add_many(pa.array(["a", "b"]), pa.array(["a", "\u200b"]))
    with pytest.raises(TypeError, match="case_sensitive in row 1 is null"):
        Lexicon().add_many(["a", "b"], ["a", "b"], case_sensitive=pa.array([True, None]))
    with pytest.raises(TypeError, match="case_sensitive in row 0 is 'yes', not a bool"):
        Lexicon().add_many(["a"], ["a"], case_sensitive=["yes"])
    with pytest.raises(TypeError, match="label in row 1 is int, not str"):
        Lexicon().add_many(["a", "b"], ["a", "b"], ["X", 5])
    with pytest.raises(TypeError, match="the label column must hold strings"):
        Lexicon().add_many(["a", "b"], ["a", "b"], pa.array([1, 2]))
    with pytest.raises(TypeError, match="weight of 'b' must be a number"):
        Lexicon().add_many(["a", "b"], ["a", "b"], weights=[1.0, "heavy"])


def test_arrow_case_flags_and_categorical_labels() -> None:
    df = pd.DataFrame(
        {
            "entity": ["US", "US", "Kyiv"],
            "alias": ["US", "America", "Kiev"],
            "label": pd.Categorical(["GPE", "GPE", "CITY"]),
            "case_sensitive": [True, False, False],
        }
    )
    lex = Lexicon.from_frame(df)
    assert lex == formats.from_frame(df, Lexicon())
    assert lex.to_dict() == {
        "GPE": {"US": [{"alias": "US", "case_sensitive": True}, "America"]},
        "CITY": {"Kyiv": ["Kyiv", "Kiev"]},
    }
    flags = pa.array([True, False, False])
    by_arrow = Lexicon().add_many(pa.array(df["entity"]), pa.array(df["alias"]), df["label"], flags)
    by_lists = Lexicon().add_many(list(df["entity"]), list(df["alias"]),
                                  list(df["label"]), [True, False, False])  # fmt: skip
    assert by_arrow == by_lists


def test_a_rebuilt_matcher_finds_the_same() -> None:
    lex = Lexicon().add_many(
        [f"E{i // 3}" for i in range(3000)], [f"alias {i} ünï" for i in range(3000)], "X"
    )
    matcher = lexiscan.Matcher(lex)
    back = lexiscan.Matcher.from_bytes(matcher.to_bytes())
    text = "alias 12 ünï and ALIAS 2999 ÜNÏ"
    assert [(m.entity, m.start) for m in back.find(text)] == [
        (m.entity, m.start) for m in matcher.find(text)
    ]
    assert back.lexicon == lex
