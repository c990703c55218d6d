"""Figures, disagreements and alias audits: the seed-corpus facts, and property tests against
plain Python references (number formatting and a brute-force near-miss search)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lexiscan


@pytest.fixture(scope="module")
def seeds() -> tuple[lexiscan.ScanResult, pd.Series]:
    corpus = lexiscan.datasets.seeds().set_index("doc")
    matcher = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())
    return matcher.scan(corpus["text"]), corpus["outlet"]


# --- the seed corpus -------------------------------------------------------------------------


def test_five_outlets_hedge_the_same_100000_troops(seeds) -> None:
    result, outlets = seeds
    figures = result.figures(outlets)
    troops = figures[(figures["value"] == 100_000) & (figures["unit"] == "troops")]
    hedges = set(zip(troops["group"], troops["hedge"]))
    assert hedges == {
        ("Worthy News", "around"),
        ("Al Jazeera", "an estimated"),
        ("US daily", "some"),
        ("US daily", "about"),
        ("Live updates", "nearly"),
    }
    docs = lexiscan.datasets.seeds().set_index("doc")["text"]
    for row in troops.itertuples():
        assert docs[row.doc][row.start : row.end] == row.figure == "100,000"
        assert row.figure in row.sentence and "troops" in row.sentence


def test_14000_against_13000_killed_is_a_disagreement(seeds) -> None:
    result, outlets = seeds
    found = result.disagreements(outlets)
    killed = found[(found["unit"] == "people killed") & (found["kind"] == "value")]
    assert sorted(zip(killed["group"], killed["value"], killed["hedge"])) == [
        ("Al Jazeera", 14_000.0, "more than"),
        ("News aggregator", 13_000.0, "more than"),
    ]
    assert all("Donbas" in entities for entities in killed["entities"])
    troops = found[found["unit"] == "troops"]
    assert set(troops["kind"]) == {"hedge"} and troops["group"].nunique() == 4


def test_audit_shows_each_outlets_names_and_the_formin_typo(seeds) -> None:
    result, outlets = seeds
    audit = result.audit(outlets)
    used = audit.aliases_used
    kyiv = used[used["entity"] == "Kyiv"]
    assert set(zip(kyiv["group"], kyiv["alias"])) == {
        ("News aggregator", "Kiev"),
        ("US daily", "Kyiv"),
    }
    sherman = used[used["entity"] == "Wendy R. Sherman"]
    by_outlet = sherman.groupby("group")["alias"].apply(set)
    assert "Ms. Sherman" in by_outlet["US daily"]
    assert "Wendy R. Sherman" in by_outlet["Live updates"]
    near = audit.near_misses
    assert near[["group", "word", "alias_word", "entity", "distance"]].values.tolist() == [
        ["Al Jazeera", "formin", "fomin", "Alexander Fomin", 1]
    ]
    docs = lexiscan.datasets.seeds().set_index("doc")["text"]
    row = near.iloc[0]
    assert docs[row["doc"]][row["start"] : row["end"]] == "formin"
    # Near misses are never matches: the match table has no "formin".
    assert "formin" not in set(result.to_pandas()["text"])
    never = audit.never_matched
    assert set(never["group"]) == set(outlets)
    assert not (never["entity"] == "NATO").any()


def test_insights_need_the_documents() -> None:
    m = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv"))
    streamed = m.scan(iter(["Kyiv had 4 boats."]))
    with pytest.raises(ValueError, match="keep_text"):
        streamed.figures()
    titled = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv").add("Mayor", label="TITLE"))
    with pytest.raises(ValueError, match="keep_text"):
        titled.scan(iter(["Mayor of Kyiv."])).descriptions()
    with pytest.raises(ValueError, match="max_edits"):
        m.scan(["Kyiv"]).audit(max_edits=3)
    with pytest.raises(ValueError, match="max_ratio"):
        m.scan(["Kyiv"]).disagreements(["a"], max_ratio=0.5)


# --- numbers against Python's own formatting -------------------------------------------------

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen \
fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def in_words(n: int) -> str:
    """A plain reference spelling of 0 <= n < 1,000,000 ("twenty-five thousand three")."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + (" " + in_words(rest) if rest else "")
    rest = n % 1000
    return in_words(n // 1000) + " thousand" + (" " + in_words(rest) if rest else "")


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=10**9),
    hedge=st.sampled_from(["", "nearly ", "more than "]),
)
def test_digits_with_separators(n: int, hedge: str) -> None:
    text = f"Ukraine said {hedge}{n:,} soldiers were there."
    m = lexiscan.Matcher(lexiscan.Lexicon().add("Ukraine"))
    figures = m.scan([text]).figures()
    assert figures["value"].tolist() == [float(n)]
    assert figures["hedge"].tolist() == [hedge.strip()]
    assert figures["unit"].tolist() == ["soldiers"]
    row = figures.iloc[0]
    assert text[row["start"] : row["end"]] == f"{n:,}"


@settings(max_examples=150, deadline=None)
@given(n=st.integers(min_value=2, max_value=999_999))
def test_numbers_in_words(n: int) -> None:
    words = in_words(n)
    text = f"In Kyiv, {words} people gathered."
    m = lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv"))
    figures = m.scan([text]).figures()
    assert figures["value"].tolist() == [float(n)], words
    row = figures.iloc[0]
    assert text[row["start"] : row["end"]] == words


# --- near misses against a brute-force search ------------------------------------------------


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (equal to Damerau-Levenshtein for distances <= 1)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def reference_near_misses(
    text: str, aliases: dict[str, list[str]], matched: list[tuple[int, int]]
) -> set[tuple[int, int, str, str]]:
    """Every word against every alias word: the rules of docs/insights.md, by brute force."""
    words_of = {
        e: [w.lower() for a in al for w in re.findall(r"[A-Za-z0-9]+", a)]
        for e, al in aliases.items()
    }
    exact = {w for ws in words_of.values() for w in ws}
    tokens = [(t.start(), t.end(), t.group()) for t in re.finditer(r"[A-Za-z0-9]+", text)]
    out = set()
    for i, (start, end, word) in enumerate(tokens):
        low = word.lower()
        if low in exact or any(s < end and start < e for s, e in matched):
            continue
        neighbours = [tokens[j][2].lower() for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
        for entity, alias_words in words_of.items():
            for target in alias_words:
                if len(target) < 5 or target.startswith(low) or low.startswith(target):
                    continue
                if distance(low, target) > 1:
                    continue
                vouched = any(n in alias_words and len(n) >= 5 for n in neighbours)
                if word[0].isupper() or vouched:
                    out.add((start, end, target, entity))
    return out


NAME_PARTS = ["Fomin", "Sherman", "Ryabkov", "Alexander", "Wendy", "Grushko", "Kiev"]


def typo(word: str, data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(word) - 1))
    kind = data.draw(st.sampled_from(["sub", "del", "ins", "swap", "case", "none"]))
    letter = data.draw(st.sampled_from("aeiorsnx"))
    if kind == "sub":
        return word[:i] + letter + word[i + 1 :]
    if kind == "del":
        return word[:i] + word[i + 1 :]
    if kind == "ins":
        return word[:i] + letter + word[i:]
    if kind == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "case":
        return word.lower()
    return word


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_near_misses_equal_a_brute_force_search(data: st.DataObject) -> None:
    n_entities = data.draw(st.integers(1, 3))
    aliases: dict[str, list[str]] = {}
    for k in range(n_entities):
        parts = data.draw(
            st.lists(st.sampled_from(NAME_PARTS), min_size=1, max_size=2, unique=True)
        )
        aliases[f"E{k}"] = [" ".join(parts)]
    lex = lexiscan.Lexicon()
    for entity, al in aliases.items():
        lex.add(entity, al)
    words = data.draw(
        st.lists(st.sampled_from(NAME_PARTS + ["the", "said", "would"]), min_size=1, max_size=12)
    )
    text = " ".join(typo(w, data) for w in words) + "."
    m = lexiscan.Matcher(lex)
    matched = [(x.start, x.end) for x in m.find(text)]
    # Entity names are aliases too (the lexicon adds them): E0, E1... never near anything.
    expected = reference_near_misses(text, aliases, matched)
    near = m.scan([text]).audit().near_misses
    got = set(zip(near["start"], near["end"], near["alias_word"], near["entity"]))
    assert got == expected, text
    assert all(text[s:e] == w for s, e, w in zip(near["start"], near["end"], near["word"]))


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["troops", "people killed"]),
            st.lists(st.sampled_from("ABCD"), min_size=1, max_size=2, unique=True),
            st.sampled_from([1.0, 10.0, 13.0, 14.0, 20.0, 100.0, 140.0]),
        ),
        max_size=25,
    ),
    max_ratio=st.sampled_from([1.0, 1.5, 2.0]),
)
def test_topics_equal_linking_every_pair(rows, max_ratio: float) -> None:
    from lexiscan import _insights

    frame = pd.DataFrame(rows, columns=["unit", "entities", "value"])
    if frame.empty:
        return
    got = _insights._topics(frame, max_ratio)
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, (unit_a, ents_a, a) in enumerate(rows):
        for j, (unit_b, ents_b, b) in enumerate(rows):
            low, high = sorted((a, b))
            if unit_a == unit_b and set(ents_a) & set(ents_b) and high <= low * max_ratio:
                parent[root(i)] = root(j)
    expected = [root(i) for i in range(len(rows))]
    # The same partition, whatever the ids.
    assert len(set(zip(got, expected))) == len(set(got)) == len(set(expected))


# --- descriptions ------------------------------------------------------------------------------


def test_outlets_give_sherman_and_ryabkov_different_titles(seeds) -> None:
    result, outlets = seeds
    described = result.descriptions(groups=outlets)
    titles = described.groupby(["entity", "group"])["description"].apply(set)
    # One outlet calls Wendy Sherman an assistant secretary of state, the rest her deputy.
    sherman = titles["Wendy R. Sherman"]
    assert sherman["Live updates"] == {"Assistant Secretary of State"}
    others = [group for group in sherman.index if group != "Live updates"]
    assert len(others) >= 3
    assert all(sherman[group] == {"Deputy Secretary of State"} for group in others)
    # The aggregator gives Ryabkov an American title, and his real one in another paragraph.
    assert titles["Sergei Ryabkov"].to_dict() == {
        "News aggregator": {"Deputy Secretary of State", "Deputy Foreign Minister"}
    }
    # Stoltenberg is Secretary General however it is written (with or without the hyphen).
    stoltenberg = described[described["entity"] == "Jens Stoltenberg"]
    assert set(stoltenberg["description"]) == {"Secretary General"}
    assert set(stoltenberg["description_text"]) == {"Secretary General", "Secretary-General"}
    # Each row points at the words as written.
    docs = lexiscan.datasets.seeds().set_index("doc")["text"]
    for row in described.itertuples():
        assert docs[row.doc][row.start : row.end] == row.text
    assert set(described["description"]) <= {
        name for name, label in lexiscan.datasets.seeds_lexicon().entities if label == "TITLE"
    }


def test_descriptions_name_a_missing_label() -> None:
    result = lexiscan.Matcher(lexiscan.Lexicon().add("NATO", label="ORG")).scan(["NATO"])
    with pytest.raises(ValueError, match="no entity has label 'TITLE'.*'ORG'"):
        result.descriptions()
    with pytest.raises(ValueError, match="window"):
        result.descriptions(label="ORG", window=-1)


WORDS = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]
TITLES = {"Alpha", "Bravo Charlie"}


def reference_descriptions(text: str, rows: pd.DataFrame, window: int) -> list[tuple[int, int]]:
    """Every pair by brute force: word starts are runs of letters, sentences end at ". "."""
    word_starts = [m.start() for m in re.finditer(r"[A-Za-z]+", text)]
    sentence_starts = [0] + [m.end() for m in re.finditer(r"\. ", text)]

    def words_before(offset: int) -> int:
        return sum(1 for w in word_starts if w < offset)

    def sentence(offset: int) -> int:
        return sum(1 for s in sentence_starts if s <= offset) - 1

    # Two mentions share a sentence when the first ends where the second starts.

    spans = list(zip(rows["start"], rows["end"], rows["entity"]))
    pairs = []
    for d, (ds, de, dent) in enumerate(spans):
        if dent not in TITLES:
            continue
        best = None
        for o, (os_, oe, oent) in enumerate(spans):
            if oent in TITLES:
                continue
            if os_ >= de and sentence(de) == sentence(os_):
                key = (words_before(os_) - words_before(de), 0, o)  # after: the first wins
            elif oe <= ds and sentence(oe) == sentence(ds):
                key = (words_before(ds) - words_before(oe), 1, -o)  # before: the last wins
            else:
                continue
            if key[0] <= window and (best is None or key < best):
                best = key
        if best is not None:
            pairs.append((d, abs(best[2])))
    return pairs


@settings(max_examples=200, deadline=None)
@given(
    tokens=st.lists(
        st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", " ", ", ", ". "])), max_size=14
    ),
    window=st.integers(0, 3),
    overlapping=st.booleans(),
)
def test_descriptions_equal_a_brute_force_pairing(tokens, window, overlapping) -> None:
    text = "".join(word + sep for word, sep in tokens)
    lex = lexiscan.Lexicon()
    for title in sorted(TITLES):
        lex.add(title, label="TITLE")
    for name in ["Charlie Delta", "Delta", "Echo"]:
        lex.add(name, label="PERSON")
    result = lexiscan.Matcher(lex, overlapping=overlapping).scan([text])
    rows = result.to_pandas()
    got = result.descriptions(window=window)
    want = reference_descriptions(text, rows, window)
    assert list(zip(got["start"], got["end"], got["description"])) == [
        (rows["start"][o], rows["end"][o], rows["entity"][d]) for d, o in want
    ]
