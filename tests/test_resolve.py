"""Lexicon.add's parent, weight and context, where they are kept, and ScanResult.resolve:
its rules on small examples, and hypothesis properties (one entity per mention, nothing lost,
unambiguous rows untouched, deterministic, the same whatever the order of the documents)."""

from __future__ import annotations

import pathlib
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lexiscan
from lexiscan import Lexicon, Matcher


def gazetteer() -> Lexicon:
    return (
        Lexicon()
        .add("Georgia", label="COUNTRY", weight=3.7, context=["Tbilisi", "Caucasus"])
        .add("Georgia", ["Ga."], label="STATE", parent=("United States", "COUNTRY"), weight=10.7)
        .add("Atlanta", label="CITY", parent=("Georgia", "STATE"), weight=0.5)
        .add("Tbilisi", label="CITY", parent=("Georgia", "COUNTRY"), weight=1.1)
        .add("Alabama", ["Ala."], label="STATE", parent="United States")
        .add("Paris", label="CITY", parent="France", weight=2.1, context="Seine")
        .add("Paris", label="CITY_TX", parent="Texas", weight=0.025)
        .add("Texas", ["Tex."], label="STATE", parent="United States")
        .add("France", label="COUNTRY")
        .add("United States", ["U.S."], label="COUNTRY")
        .add("Jordan", label="COUNTRY")
        .add("Jordan", label="RIVER")
    )


# --- the lexicon fields ----------------------------------------------------------------------


def test_fields_are_set_replaced_and_added() -> None:
    lex = Lexicon().add("Paris", label="CITY", parent="France", weight=1, context=["Seine"])
    lex.add("Paris", ["Paname"], label="CITY", weight=2.5, context=["Louvre", "Seine"])
    assert lex.info("Paris") == {"parent": "France", "weight": 2.5, "context": ["Seine", "Louvre"]}
    assert lex.info("Paris", "CITY")["parent"] == "France"
    with pytest.raises(KeyError):
        lex.info("Paris", "RIVER")


@pytest.mark.parametrize(
    ("kwargs", "error", "says"),
    [
        ({"weight": -1}, ValueError, "weight"),
        ({"weight": float("nan")}, ValueError, "weight"),
        ({"weight": "big"}, TypeError, "number"),
        ({"context": [" "]}, ValueError, "context phrase"),
        ({"context": [3]}, TypeError, "context phrase"),
        ({"parent": ("a", "b", "c")}, TypeError, "parent"),
    ],
)
def test_bad_fields_are_refused_before_anything_is_added(
    kwargs: dict, error: type, says: str
) -> None:
    lex = Lexicon()
    with pytest.raises(error, match=says):
        lex.add("Paris", ["Paname"], **kwargs)
    assert len(lex) == 0


@pytest.mark.parametrize(
    ("lex", "says"),
    [
        (Lexicon().add("Atlanta", parent="Georgia"), "not an entity"),
        (
            Lexicon()
            .add("Atlanta", parent="Georgia")
            .add("Georgia", label="A")
            .add("Georgia", label="B"),
            "names 2 entities",
        ),
        (Lexicon().add("a", parent="b").add("b", parent="c").add("c", parent="a"), "cycle"),
        (Lexicon().add("a", parent="a"), "cycle"),
    ],
)
def test_a_missing_parent_or_a_cycle_is_an_error_when_the_matcher_is_built(
    lex: Lexicon, says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        Matcher(lex)


def test_fields_survive_pickle_bytes_frames_and_table_files(tmp_path: pathlib.Path) -> None:
    lex = gazetteer()
    assert pickle.loads(pickle.dumps(lex)) == lex
    assert Lexicon.from_bytes(lex.to_bytes()) == lex
    assert Lexicon.from_frame(lex.to_frame()) == lex
    assert pickle.loads(pickle.dumps(Matcher(lex))).lexicon == lex
    for ext in ("csv", "tsv"):
        lex.write(tmp_path / f"g.{ext}")
        assert Lexicon.read(tmp_path / f"g.{ext}") == lex
    lex.write(tmp_path / "g.json")  # JSON groups entities by label: compare as sets
    back = Lexicon.read(tmp_path / "g.json")
    assert sorted(zip(back.entities, back._native.resolution_info())) == sorted(
        zip(lex.entities, lex._native.resolution_info())
    )
    assert lex != Lexicon.from_frame(lex.to_frame().drop(columns=["weight"]))


@pytest.mark.parametrize("ext", ["yml", "jsonl", "dic"])
def test_formats_without_a_place_for_the_fields_refuse_them(
    tmp_path: pathlib.Path, ext: str
) -> None:
    with pytest.raises(ValueError, match="no place for an entity's parent, weight or context"):
        gazetteer().write(tmp_path / f"g.{ext}")
    Lexicon().add("Kyiv", ["Kiev"]).write(tmp_path / f"plain.{ext}")  # unchanged without them


def test_a_lexicon_without_the_fields_is_saved_as_before() -> None:
    plain = Lexicon().add("Kyiv", ["Kiev"], label="GPE")
    # Format 3 (columns) holds the fields when there are any, and only then.
    assert plain.to_bytes()[8] == 3 and gazetteer().to_bytes()[8] == 3
    assert Lexicon.from_bytes(gazetteer().to_bytes()) == gazetteer()
    assert Lexicon.from_bytes(plain.to_bytes()) == plain
    assert list(plain.to_frame().columns) == ["entity", "label", "alias", "case_sensitive"]


def test_add_many_takes_the_fields_per_row() -> None:
    lex = Lexicon().add_many(
        ["Paris", "Paris", "France"],
        ["Paris", "Paname", "France"],
        "GPE",
        parents=["France", None, None],
        weights=[2.1, np.nan, None],
        contexts=[["Seine"], ["Louvre"], None],
    )
    assert lex.info("Paris") == {"parent": "France", "weight": 2.1, "context": ["Seine", "Louvre"]}
    with pytest.raises(ValueError, match="weight"):
        Lexicon().add_many(["a"], ["a"], weights=[-3])
    with pytest.raises(ValueError, match="2 entities but 1 parents"):
        Lexicon().add_many(["a", "b"], ["a", "b"], parents=["b"])


# --- resolve ----------------------------------------------------------------------------------


def resolved(docs: list[str], **kwargs) -> pd.DataFrame:
    return Matcher(gazetteer()).scan(docs).resolve(**kwargs).to_pandas()


@pytest.mark.parametrize(
    ("doc", "label", "evidence"),
    [
        ("Georgia", "STATE", "prior"),
        ("In the Caucasus, Georgia voted.", "COUNTRY", "context"),
        ("Birmingham and Paris, Tex.", "CITY_TX", "pattern"),
        ("Paris, Texas", "CITY_TX", "pattern"),
        ("Alabama and Georgia", "STATE", "document"),
        ("Tbilisi. " + "word " * 12 + "Georgia", "COUNTRY", "document"),
        ("Atlanta, Georgia", "STATE", "pattern"),
    ],
)
def test_each_rule_decides_its_example(doc: str, label: str, evidence: str) -> None:
    frame = resolved([doc])
    row = frame[frame["text"].isin(["Georgia", "Paris"])].iloc[0]
    assert (row["label"], row["evidence"]) == (label, evidence)
    assert row["score"] > 0


def test_one_sense_per_document_and_unambiguous_rows_untouched() -> None:
    frame = resolved(["Tbilisi spoke. Later, Georgia and GEORGIA agreed.", "Atlanta"])
    georgia = frame[frame["text"].str.lower() == "georgia"]
    assert list(georgia["label"]) == ["COUNTRY", "COUNTRY"]
    assert set(georgia["evidence"]) <= {"context", "document", "one sense"}
    plain = frame[frame["evidence"] == "unambiguous"]
    assert list(plain["text"]) == ["Tbilisi", "Atlanta"] and plain["score"].isna().all()


def test_low_scores_are_dropped_and_listed() -> None:
    res = Matcher(gazetteer()).scan(["Jordan scored.", "Georgia in the Caucasus"])
    strict = res.resolve(min_score=1.0)
    assert list(strict.to_pandas()["label"]) == ["COUNTRY"]
    dropped = strict.dropped.to_pandas()
    assert list(dropped[["doc", "text", "evidence"]].itertuples(index=False, name=None)) == [
        (0, "Jordan", "prior")
    ]
    assert dropped["score"].tolist() == [0.5]
    assert len(res.resolve().dropped) == 0
    with pytest.raises(ValueError, match="resolve"):
        res.dropped  # noqa: B018


def test_analyses_work_on_the_resolved_result() -> None:
    res = Matcher(gazetteer()).scan(["Georgia, Georgia and Tbilisi", "Paris, Texas"]).resolve()
    counts = res.counts()
    assert counts.loc[0, "Georgia (COUNTRY)"] == 2 and counts.loc[0, "Georgia (STATE)"] == 0
    assert res.cooccurrence(as_="edges")["weight"].sum() == 2
    assert list(res.kwic("Paris")["keyword"]) == ["Paris"]
    assert res.to_arrow().column("evidence").to_pylist()[0] == "context"
    assert res.frequency().set_index("feature").loc["Georgia (COUNTRY)", "frequency"] == 2


def test_without_texts_the_pattern_and_context_rules_stay_silent() -> None:
    docs = ["Paris, Texas", "Georgia near the Caucasus"]
    m = Matcher(gazetteer())
    seen = m.scan(docs).resolve().to_pandas()
    blind = m.scan(iter(docs), keep_text=False, batch_size=1).resolve().to_pandas()
    columns = ["text", "label", "evidence"]
    assert seen[columns].values.tolist() == [
        ["Paris", "CITY_TX", "pattern"],
        ["Texas", "STATE", "unambiguous"],
        ["Georgia", "COUNTRY", "context"],
    ]
    assert blind[columns].values.tolist() == [
        ["Paris", "CITY_TX", "document"],
        ["Texas", "STATE", "unambiguous"],
        ["Georgia", "STATE", "prior"],
    ]


def test_bad_arguments() -> None:
    res = Matcher(gazetteer()).scan(["Georgia"])
    with pytest.raises(ValueError, match="window"):
        res.resolve(window=-1)
    with pytest.raises(TypeError, match="min_score"):
        res.resolve(min_score="high")  # type: ignore[arg-type]


# --- properties -------------------------------------------------------------------------------

WORDS = ["Georgia", "Paris", "Texas", "Tex.", "Atlanta", "Tbilisi", "Caucasus", "Seine",
         "Alabama", "Jordan", "U.S.", "and", "in", ",", ".", "\n"]  # fmt: skip
documents = st.lists(
    st.lists(st.sampled_from(WORDS), max_size=14).map(" ".join), min_size=1, max_size=8
)
PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MATCHER = Matcher(gazetteer())


def decisions(docs: list[str], order: list[int], **kwargs) -> list[tuple]:
    """Each kept row as (original document, start, entity, label, score, evidence)."""
    frame = MATCHER.scan([docs[i] for i in order]).resolve(**kwargs).to_pandas()
    return sorted(
        (order[d], s, e, lab, round(sc, 9) if sc == sc else None, ev)
        for d, s, e, lab, sc, ev in frame[
            ["doc", "start", "entity", "label", "score", "evidence"]
        ].itertuples(index=False)
    )


@PROPERTY
@given(documents, st.randoms(use_true_random=False), st.sampled_from([0.0, 0.8, 1.5]))
def test_decisions_ignore_document_order_and_repeat_exactly(docs, rng, min_score) -> None:
    order = list(range(len(docs)))
    rng.shuffle(order)
    straight = decisions(docs, list(range(len(docs))), min_score=min_score)
    assert decisions(docs, order, min_score=min_score) == straight
    assert decisions(docs, list(range(len(docs))), min_score=min_score) == straight


@PROPERTY
@given(documents, st.sampled_from([0.0, 0.8, 1.5]), st.integers(0, 12))
def test_one_entity_per_mention_nothing_lost_unambiguous_untouched(docs, min_score, window):
    scan = MATCHER.scan(docs)
    before = scan.to_pandas()
    res = scan.resolve(min_score=min_score, window=window)
    kept, dropped = res.to_pandas(), res.dropped.to_pandas()
    span = ["doc", "start", "end"]
    assert not kept.duplicated(span).any() and not dropped.duplicated(span).any()
    mentions = before[span].drop_duplicates()
    together = pd.concat([kept[span], dropped[span]]).sort_values(span)
    assert together.reset_index(drop=True).equals(mentions.sort_values(span).reset_index(drop=True))
    # every chosen entity was a candidate of its span
    pairs = set(before[span + ["entity", "label"]].itertuples(index=False, name=None))
    assert set(kept[span + ["entity", "label"]].itertuples(index=False, name=None)) <= pairs
    sizes = before.groupby(span).size()
    alone = np.array([sizes[tuple(k)] == 1 for k in kept[span].itertuples(index=False)], bool)
    single = kept[alone]
    assert (single["evidence"] == "unambiguous").all() and single["score"].isna().all()
    assert (dropped["score"] < min_score).all()
    assert (kept.loc[kept["evidence"] != "unambiguous", "score"] >= min_score).all()
    assert lexiscan.ScanResult is type(res)


def test_the_labelled_set_is_whole() -> None:
    """tests/fixtures/resolve_labels.csv (benches/bench_resolve.py scores against it): at
    least 200 mentions, each label one of its candidates or a named class, each snippet
    holding its mention."""
    import csv

    path = pathlib.Path(__file__).parent / "fixtures" / "resolve_labels.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) >= 200 and len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        candidates = r["candidates"].split("|")
        assert len(candidates) > 1, r["id"]
        assert r["label"] in candidates or r["label"] in ("NOT_A_PLACE", "OTHER_PLACE"), r["id"]
        assert r["text"] in r["snippet"], r["id"]
        assert int(r["end"]) - int(r["start"]) == len(r["text"]), r["id"]
    kinds = {r["label"] if r["label"].isupper() else "place" for r in rows}
    assert kinds == {"place", "NOT_A_PLACE", "OTHER_PLACE"}
