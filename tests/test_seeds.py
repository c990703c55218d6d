"""The built-in example: the five seed articles and the lexicon written for them.

The expected mention counts below were counted by hand, reading the articles in
python/lexiscan/data/seeds/ (copies of shared/corpus/seeds/); each count has a comment listing
the mentions, so it can be checked by eye. Rules that matter when re-counting (docs/matching.md):
whole words ("Russian" is not "Russia"), a dash between two words is a space ("NATO-Russia"
holds "Russia", "U.S.-led" holds "U.S."), and leftmost-longest non-overlapping matching across
ALL entities: "NATO-Russia Council" is its own ORG entity and the TOPIC "NATO expansion" is an
alias too, so the "NATO" inside those phrases is not a NATO match.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

import lexiscan

D0 = "000_dab5d771694ba315"  # Worthy News, Budapest
D1 = "001_b56ac1d177ffcc16"  # Al Jazeera (the "Alexander formin" typo)
D2 = "002_80c10169c00f1836"  # US daily with Simon Miles
D3 = "003_77154c4569bde0ee"  # aggregator, Geneva US-Russia talks
D4 = "004_f0dd9e6a0525e350"  # live updates from Brussels
DOCS = [D0, D1, D2, D3, D4]


@pytest.fixture(scope="module")
def df():
    return lexiscan.datasets.seeds()


@pytest.fixture(scope="module")
def texts(df):
    return df.set_index("doc")["text"]


@pytest.fixture(scope="module")
def lex():
    return lexiscan.datasets.seeds_lexicon()


@pytest.fixture(scope="module")
def matcher(lex):
    return lexiscan.Matcher(lex)


@pytest.fixture(scope="module")
def out(matcher, texts):
    return matcher.scan(texts).to_pandas()


# ---------------------------------------------------------------------------------------------
# Hand-counted mentions: entity -> {doc: count}. Docs not listed have 0 mentions.
# ---------------------------------------------------------------------------------------------

EXPECTED = {
    "Jens Stoltenberg": {
        # "NATO Secretary-General Jens Stoltenberg", "Stoltenberg acknowledged",
        # "missile deployment, Stoltenberg said."
        D0: 3,
        # "NATO Secretary General Jens Stoltenberg, who chaired", "Stoltenberg said NATO is eager",
        # "But Stoltenberg said any talks", "Stoltenberg told reporters", "Stoltenberg added.",
        # "Stoltenberg stressed that Ukraine", "made very clear by Stoltenberg"
        D1: 7,
        # "Secretary-General Jens Stoltenberg said", "with Mr. Stoltenberg saying",
        # "Mr. Stoltenberg said NATO's 30 member-countries" ("the NATO leader" is not an alias)
        D2: 3,
        # "NATO Secretary General Jens Stoltenberg said significant points", "NATO Secretary
        # General Jens Stoltenberg told a press conference", "Stoltenberg said NATO allies urged",
        # "Stoltenberg said, adding", "Stoltenberg said NATO allies have offered"
        # ("The NATO chief" is not an alias)
        D4: 5,
    },
    "Alexander Fomin": {
        # "Deputy Defense Minister Alexander\nFomin was stern-faced" (one match across the line
        # break), "Fomin claimed later"
        D0: 2,
        # only "Deputy Defense Minister Fomin as saying"; "Alexander formin" is a typo, no match
        D1: 1,
        # "Deputy Defense Minister Alexander Fomin told the Russian Interfax"
        D2: 1,
    },
    "Wendy R. Sherman": {
        # "U.S. Deputy Secretary of State Wendy Sherman reaffirmed"
        D0: 1,
        # "US Deputy Secretary of State Wendy Sherman reiterated", "Sherman also expressed optimism"
        D1: 2,
        # "Wendy Sherman, head of the American delegation", "Ms. Sherman framed",
        # "Ms. Sherman said the meeting ended", "Ms. Sherman said. “I don’t know",
        # "Ms. Sherman told reporters after Wednesday’s meeting"
        D2: 5,
        # caption "Wendy Sherman, left,", "Deputy US Secretary of State Wendy Sherman, who led",
        # "Ms Sherman said concrete dialogue", "Ms Sherman reiterated President Joe Biden’s",
        # "both Mr. Ryabkov and Ms. Sherman", "Ms Sherman said Mr Ryabkov had also told her",
        # "Ms Sherman said both Russia and the US", "NATO expansion, Ms Sherman said",
        # "Ms Sherman said in a conference call", "Ms Sherman said Kazakhstan"
        D3: 10,
        # "Wendy R. Sherman, the assistant secretary", "in Brussels, Sherman said",
        # "Ms Sherman said the United States was ready"
        D4: 3,
    },
    "Aleksandr V. Grushko": {
        # "Deputy Foreign Minister Alexander Grushko", "Grushko blamed the decision"
        D0: 2,
        # "Deputy Foreign Minister Alexander Grushko and", "For his part, Grushko described",
        # "expansion eastward,” Grushko added.", "Grushko later said Moscow"
        D1: 4,
        # "Deputy Foreign Minister Alexander Grushko emerged", "Mr. Grushko said, according to"
        D2: 2,
        # "Aleksandr V. Grushko, who was Russia’s permanent representative"
        D4: 1,
    },
    "Sergei Ryabkov": {
        # caption "Deputy Secretary of State Sergei Ryabkov", "Deputy Foreign Minister Sergei
        # Ryabkov said", "Mr. Ryabkov said at a news conference", "both Mr. Ryabkov and",
        # "While Mr Ryabkov said", "Ms Sherman said Mr Ryabkov had also told her",
        # "clearly told Ryabkov that"
        D3: 7,
        # "Sergei A. Ryabkov, who led the Russian side", "At the same time, Ryabkov warned"
        D4: 2,
    },
    "NATO": {
        # 1 title "Russia, NATO In Tense Talks"; 2 "U.S.-led NATO military alliance";
        # ("NATO-Russia Council" is the Council); 3-4 "NATO is the security arrangement",
        # "NATO is one factor"; 5 "if the NATO alliance stops"; 6 "right to join NATO";
        # 7 "NATO Secretary-General"; 8 "the 30 NATO member countries"; 9 "measures to NATO";
        # 10 "diplomatic mission to NATO"; 11 "If NATO chooses"; 12 "all 30 NATO allies";
        # 13 "NATO and Russia expressed"
        D0: 13,
        # 1-2 title "NATO-Russia talks ... | NATO News"; 3 "NATO and the United States";
        # (NATO-Russia Council); 4 "Putin wants NATO to withdraw"; 5 "also NATO allies such as";
        # 6-7 "NATO Secretary General", "said NATO countries"; 8 "said NATO is eager";
        # 9-10 "between NATO allies and Russia", "might join NATO"; 11 "NATO will continue";
        # 12 "NATO enlargement"; ("further NATO expansion eastward" is the TOPIC);
        # 13 "joining NATO"; 14 "Russia and NATO, which seem"; 15 "NATO headquarters";
        # 16-17 "NATO’s open-door policy", "NATO cannot continue"; 18 "that NATO’s “ignoring”";
        # (NATO-Russia Council); 19 "draft deal with NATO countries"; 20 "required NATO to
        # halt"; 21 "mean NATO abandoning"
        D1: 21,
        # 1 "American, NATO and Russian officials"; 2 "top NATO officials"; 3 "U.S. and NATO
        # officials"; (NATO-Russia Council); 4 "demands that NATO remove"; 5 "from the NATO
        # allies”"; 6-7 "NATO Secretary-General", "Russian and NATO officials"; (NATO-Russia
        # Council); 8 "all NATO allies and Russia"; 9 "NATO’s expansion"; 10 "growth of NATO";
        # 11-12 "Wednesday’s NATO meeting", "about NATO claims"; 13 "attempts by NATO";
        # 14 "vulnerabilities in NATO"; 15 "talk more with NATO"; 16 "that NATO’s “ignoring”";
        # 17 "The NATO meeting was one of a trio"; 18 "full NATO membership"; 19-20 "wants NATO
        # to withdraw", "current NATO allies"; 21 "NATO’s 30 member-countries";
        # 22-23 "“NATO made it clear", "the NATO leader said"
        D2: 23,
        # 1 "key Ukraine and NATO issues"; 2 "North Atlantic Treaty Organization would stop";
        # 3 "joined the NATO alliance"; (NATO-Russia Council); 4 "as NATO expanded";
        # 5 "called for NATO’s presence"; 6 "presence of NATO troops"; 7 "not a member of NATO";
        # 8 "brought NATO troops closer"; 9 "never join NATO"; 10 "calling on NATO troops";
        # ("the key issue of NATO expansion" is the TOPIC); 11-12 "NATO’s open-door policy",
        # "central to the NATO alliance"; 13-14 "or NATO without NATO"
        D3: 14,
        # 1 title "Russia, NATO Conclude"; 2 caption "NATO Secretary General"; 3 "The NATO chief";
        # 4 "NATO Secretary General Jens Stoltenberg told"; 5 "said NATO allies urged";
        # 6-7 "NATO allies reiterated", "from NATO members"; 8 "adding that NATO allies";
        # 9-10 "The meeting at NATO headquarters", "presence. NATO in Eastern Europe";
        # 11-12 "its NATO allies are hopeful", "deployments to NATO allies"; 13 "said NATO allies
        # have offered"; 14 "Sherman said NATO officials"; 15 "representative to NATO";
        # (NATO-Russia Council); 16-17 "NATO has 30 members", "not a member of NATO";
        # 18 "NATO officials stressed"; 19 "remove NATO’s footprint"
        D4: 19,
    },
    "NATO-Russia Council": {
        D0: 1,  # "gathering of the NATO-Russia Council"
        D1: 2,  # "meeting of the NATO-Russia Council on Wednesday", "The NATO-Russia Council was
        # set up"
        D2: 2,  # "so-called NATO-Russia Council", "The NATO-Russia Council met for four hours"
        D3: 1,  # "a special meeting of the NATO-Russia Council in Brussels"
        D4: 1,  # "formally a meeting of the NATO-Russia Council"
    },
    "Russia": {
        # 1 title "Russia, NATO"; 2 "military alliance and Russia ended"; ("NATO-Russia Council");
        # 3 "when Russia annexed"; 4 "But Russia’s ambassador"; 5 "[about Russia not intending";
        # 6 "this is Russia,”"; 7 "Russia says tensions could ease"; 8 "U.S.-Russia talks";
        # 9 "suspension of Russia’s diplomatic mission"; 10 "sat down with Russia";
        # 11 "NATO and Russia expressed". ("Russian" x7 and "RUSSIAN SUSPENSION" do not count.)
        D0: 11,
        # 1 title "NATO-Russia talks"; 2 "between Russia and the West"; 3 "from Russia’s
        # neighboring countries"; 4 "as Russia has massed"; 5 "Russia has denied"; 6 "Russia
        # annexed the Crimean peninsula"; 7 "NATO allies and Russia on this issue"; 8 "say and
        # Russia, of course"; 9 "threat to Russia’s security"; 10 "offer Russia legally binding";
        # 11 "allowing Russia to one day"; 12 "two sides, Russia and NATO"; (NATO-Russia Council
        # x2); 13 "when Russia annexed the Crimean Peninsula"; 14 "between Russia and the United
        # States"; 15 "countries near Russia’s border"; 16 "In exchange, Russia would promise"
        D1: 16,
        # 1 title "as Russia talks fail"; 2 "republics that border Russia"; 3 "along Russia’s
        # western border"; 4 "all NATO allies and Russia sat down"; 5 "when Russia forcibly
        # annexed"; 6 "a Russia expert"; 7 "no direct threat to Russia"; 8 "intimidate Russia";
        # 9 "where Russia has been escalating"; 10 "which includes Russia and Ukraine";
        # 11 "countries that border Russia"; 12-13 "against Russia’s more sweeping demands",
        # "more talks with Russia"
        D2: 13,
        # 1 title "as Russia talks continue"; 2-3 "the United States and Russia", "as Russia
        # warned"; 4 "The US and Russia in some ways"; 5 "when Russia had an invasion-sized
        # army"; 6 "sanctions targeting Russia"; 7 "inspired by Russia’s massive"; 8 "said Russia
        # had no intention"; 9 "Russia protested each time"; 10 "border with Russia, a “red
        # line.”"; 11 "told her that Russia was not planning"; 12 "Russia responded to that
        # turmoil"; ("Russian-speaking" is not Russia); 13 "Russia sees the 2014 revolution";
        # 14 "both Russia and the US"; 15 "days after Russia and its allies"
        D3: 15,
        # 1 title "Russia, NATO Conclude"; 2 "remain with Russia following talks"; 3 "the bloc and
        # Russia after"; 4 "between Moscow and Russia."; 5 "allies urged Russia"; 6 "bordering
        # Russia. Wendy"; 7 "called some of Russia’s demands"; 8 "NATO allies and Russia had";
        # 9 "allies bordering Russia. ."; 10 "offered Russia a series"; 11 "even Russia’s top
        # diplomats"; 12 "US position that Russia must first"; 13 "natural gas from Russia to
        # Germany"; 14 "“If Russia leaves,”"; 15 "was Russia’s permanent representative";
        # (NATO-Russia Council); 16 "focus on Russia’s significant"; 17 "denied that Russia
        # intended"; 18 "accept Russia’s demands"
        D4: 18,
    },
    "Ukraine": {
        # 1 title "Talks About Ukraine"; 2 "invasion into Ukraine."; 3 "annexed Ukraine was the
        # Crimean Peninsula"; 4 "Russian invasion of Ukraine."; 5 "massed near Ukraine’s eastern
        # border"; 6 "especially Ukraine."
        D0: 6,
        # 1 title "of Ukraine war"; 2 "a détente in Ukraine"; 3 "Russian invasion of Ukraine.";
        # 4 "which include Ukraine but also"; 5 "near Ukraine’s eastern border"; 6 "talks about
        # Ukraine"; 7 "from Ukraine in 2014"; 8 "in eastern Ukraine"; 9 "Ukraine’s industrial
        # heartland"; 10 "whether Ukraine might join NATO"; 11 "stressed that Ukraine has the
        # right"; 12 "prevent Ukraine from joining NATO"; 13 "not just with Ukraine"
        D1: 13,
        # 1 title "Fears of Ukraine invasion"; 2 "intent on invading Ukraine"; 3 "a move against
        # Ukraine."; 4 "easing tensions over Ukraine"; 5 "the Crimean peninsula from Ukraine";
        # 6 "on the border with Ukraine"; 7 "a shooting war in Ukraine"; 8 "includes Russia and
        # Ukraine"; 9 "former Soviet states like Ukraine and Georgia"; 10 "including Ukraine as
        # well as" ("Ukrainian" appears nowhere here)
        D2: 10,
        # 1 title "possible Ukraine invasion"; 2 caption "tensions over Ukraine"; 3 "key Ukraine
        # and NATO issues"; 4 "border with Ukraine would continue"; 5 "borders with Ukraine.";
        # 6 "military support to Ukraine."; 7 "stationed in Ukraine since 2014"; 8 "attacking
        # Ukraine"; 9 "carried out by Ukraine, the United States"; 10 "NATO’s presence in
        # Ukraine"; 11 "not planning to invade Ukraine"; 12 "While Ukraine is not a member";
        # 13 "Ukraine’s predominantly Russian-speaking Donbass"; 14 "a guarantee that Ukraine (as
        # well as Georgia"; 15 "up to Ukraine to decide"; 16-17 "about Ukraine without Ukraine";
        # 18 "the one in Ukraine." ("Ukrainian request", "Ukrainian and US officials" do not count)
        D3: 18,
        # 1 title "Conclude Ukraine Crisis Talks"; 2 caption "invasion of Ukraine.CreditCredit";
        # 3 "another Russian invasion of Ukraine and easing"; 4 "the situation in Ukraine”";
        # 5 "in and around Ukraine"; 6 "will invade Ukraine as he seeks"; 7 "the Russian invasion
        # of Ukraine and annexation"; 8 "Ukraine is not a member of NATO"; 9 "build-up around
        # Ukraine"; 10 "the Ukraine. post-cold war"; 11 "another military invasion of Ukraine.";
        # 12 "any future Ukraine membership" ("the Ukrainian threat" does not count)
        D4: 12,
    },
    "Kyiv": {
        D2: 1,  # "the Western-backed government in Kyiv."
        D3: 1,  # "the 2014 revolution in Kiev" (old spelling, an alias)
    },
    "Vladimir Putin": {
        # "Russian President Vladimir Putin wants NATO", "Putin also wants", "a key Putin demand",
        # "some of Putin’s security demands"
        D1: 4,
        # "Russian President Vladimir Putin is intent", "Mr. Putin is looking to expand",
        # "whether Mr. Putin will order", "what Putin’s ultimate end game is", "Mr. Putin’s
        # frustration", "Mr. Putin has indicated", "some of Mr. Putin’s security demands",
        # "the ball was in Mr. Putin’s court"
        D2: 8,
        # "President Vladimir Putin has called for", "Russian President Vladimir Putin said the
        # CSTO"
        D3: 2,
        # "Russian President Vladimir V. Putin will invade", "hopeful that Mr Putin", "what Mr.
        # Putin’s real intentions are"
        D4: 3,
    },
    "United States": {
        # "the U.S.-led NATO military alliance", "a U.S.-led effort", "But U.S. Deputy Secretary",
        # "Other U.S.-Russia talks"
        D0: 4,
        # "NATO and the United States", "US Deputy Secretary of State", "between Russia and the
        # United States"
        D1: 3,
        # "U.S.-aligned democracy", "U.S. and NATO officials", "U.S. and Russian diplomats"
        D2: 3,
        # 1 title "US sees"; 2-3 caption "US Deputy Secretary", "at the US Permanent Mission";
        # 4 "between the United States and Russia"; 5 "“The US and Russia"; 6-8 "Deputy US
        # Secretary", "led the US delegation", "reiterated the US position"; 9 "warning that the
        # US would respond"; 10 "Ukrainian and US officials"; 11 "Ukraine, the United States or
        # Britain"; 12 "both Russia and the US could talk"; 13 "work with the United States"
        # ("tell us what exercises" is lowercase and does not count: "US" is case-sensitive)
        D3: 13,
        # "led the US delegation", "between Russian and US officials", "The United States and
        # its NATO allies", "reiterated the US position", "said the United States was ready"
        D4: 5,
    },
    "Moscow": {
        # "denies Moscow plans an attack", "Moscow offered de-escalation measures"
        D0: 2,
        # "future talks with Moscow on arms control", "since Moscow did not reject", "Grushko
        # later said Moscow would use"
        D1: 3,
        # 1 "a commitment from Moscow"; 2 "future talks with Moscow."; 3 "the alliance and Moscow
        # —"; 4 "for Moscow to embrace"; 5 "between Moscow and the West"; 6 "asserted that Moscow
        # will respond"; 7 "said that Moscow was ready"; 8 "a pro-Moscow separatist movement";
        # 9 "a Moscow demand"
        D2: 9,
        # "sanctions imposed against Moscow", "But Moscow, she said,", "Moscow has published"
        D3: 3,
        # "between Moscow and Russia.", "the Moscow-backed Nord Stream 2", "sure Moscow would
        # follow suit"
        D4: 3,
    },
    "Simon Miles": {
        D2: 4,  # "says Simon Miles", then "Mr. Miles said" three times
    },
    "Andrei Kelin": {
        D0: 2,  # "ambassador to Britain, Andrei Kelin,", "Kelin said when asked"
    },
    "Crimea": {
        D0: 1,  # "the Crimean Peninsula in 2014"
        D1: 2,  # "annexed the Crimean peninsula from Ukraine", "annexed the Crimean Peninsula
        # seven years ago"
        D2: 1,  # "annexed the Crimean peninsula from Ukraine"
        D3: 1,  # "occupy the strategic Crimean peninsula"
        D4: 1,  # "annexation of Crimea"
    },
}

COUNT_CASES = [
    (entity, doc, counts.get(doc, 0)) for entity, counts in EXPECTED.items() for doc in DOCS
]


@pytest.fixture(scope="module")
def counts(out):
    return out.groupby(["entity", "doc"]).size().to_dict()


@pytest.mark.parametrize(("entity", "doc", "expected"), COUNT_CASES)
def test_hand_counted_mentions(counts, entity, doc, expected):
    assert counts.get((entity, doc), 0) == expected


# ---------------------------------------------------------------------------------------------
# The corpus and the lexicon
# ---------------------------------------------------------------------------------------------


def test_doc_keys_are_file_stems(df, out):
    assert list(df["doc"]) == DOCS
    assert set(out["doc"]) == set(DOCS)


def test_lexicon_shape(lex):
    assert 40 <= len(lex) <= 80
    assert set(lex.labels) == {"PERSON", "ORG", "GPE", "EVENT", "TOPIC", "TITLE"}
    names = {name for name, _ in lex.entities}
    for person in [
        "Jens Stoltenberg",
        "Wendy R. Sherman",
        "Aleksandr V. Grushko",
        "Alexander Fomin",
        "Sergei Ryabkov",
        "Andrei Kelin",
        "Vladimir Putin",
        "Joe Biden",
        "Natacha Butler",
        "Simon Miles",
    ]:
        assert (person, "PERSON") in lex.entities
    for org in ["NATO", "NATO-Russia Council", "OSCE", "Kremlin"]:
        assert (org, "ORG") in lex.entities
    for place in ["Russia", "Ukraine", "United States", "Kyiv", "Brussels", "Geneva", "Moscow"]:
        assert (place, "GPE") in lex.entities
    assert "Kiev" in lex.aliases_of("Kyiv")
    assert "North Atlantic Treaty Organization" in lex.aliases_of("NATO")
    assert len(names) == len(lex.entities)  # no name is used under two labels
    assert lex.ambiguous() == {}  # no alias names two entities


def test_every_entity_occurs_in_the_corpus(lex, out):
    found = set(zip(out["entity"], out["label"]))
    assert [e for e in lex.entities if e not in found] == []


def test_lexicon_json_round_trips(lex):
    raw = json.loads(
        (resources.files("lexiscan") / "data" / "seeds_lexicon.json").read_text(encoding="utf-8")
    )
    assert list(raw) == ["PERSON", "ORG", "GPE", "EVENT", "TOPIC", "TITLE"]
    # "US" and "UK" must not match the words "us"/"uk": they are case-sensitive.
    assert {"alias": "US", "case_sensitive": True} in raw["GPE"]["United States"]
    exported = lex.to_dict()
    assert {"alias": "US", "case_sensitive": True} in exported["GPE"]["United States"]


def test_typo_formin_is_not_an_alias(lex):
    aliases = [a.casefold() for name, _ in lex.entities for a in lex.aliases_of(name)]
    assert "formin" not in aliases
    assert not any("formin" in a for a in aliases)


# ---------------------------------------------------------------------------------------------
# Specific behaviours on the real texts
# ---------------------------------------------------------------------------------------------


def test_line_broken_fomin_is_one_match(out, texts, matcher):
    text = texts[D0]
    assert "Alexander\nFomin" in text
    rows = out[(out["doc"] == D0) & (out["entity"] == "Alexander Fomin")]
    assert list(rows["text"]) == ["Alexander\nFomin", "Fomin"]
    first = rows.iloc[0]
    assert first["alias"] == "Alexander Fomin"
    assert first["label"] == "PERSON"
    assert text[first["start"] : first["end"]] == "Alexander\nFomin"
    assert first["start"] == text.index("Alexander\nFomin")
    # Same through find() on the single text.
    found = [m for m in matcher.find(text) if m.entity == "Alexander Fomin"]
    assert [m.text for m in found] == ["Alexander\nFomin", "Fomin"]
    assert (found[0].start, found[0].end) == (first["start"], first["end"])


def test_russian_never_counts_as_russia(out, texts, matcher):
    rows = out[out["entity"] == "Russia"]
    assert len(rows) == 11 + 16 + 13 + 15 + 18
    assert set(rows["text"]) == {"Russia"}  # no "Russian", "Russians", "RUSSIAN"
    for row in rows.itertuples():
        after = texts[row.doc][row.end : row.end + 1]
        assert not after.isalnum(), (row.doc, row.start)
    assert [m.entity for m in matcher.find("Russian troops, Russians, RUSSIAN SUSPENSION")] == []
    assert [m.text for m in matcher.find("U.S.-Russia talks; Russia’s border")] == [
        "U.S.",
        "Russia",
        "Russia",
    ]


def test_formin_typo_is_not_matched(out, texts):
    text = texts[D1]
    at = text.index("Alexander formin")
    # Nothing matches "Alexander formin": "Alexander" alone is not an alias either.
    assert not ((out["doc"] == D1) & (out["end"] > at) & (out["start"] < at + 16)).any()
    assert not out["text"].str.casefold().str.contains("formin").any()


def test_council_and_topic_hide_the_nato_inside_them(out, matcher):
    council = out[out["entity"] == "NATO-Russia Council"]
    assert len(council) == 7
    assert set(council["text"]) == {"NATO-Russia Council"}
    for row in council.itertuples():  # no NATO or Russia row inside a Council span
        inside = out[
            (out["doc"] == row.doc) & (out["start"] >= row.start) & (out["end"] <= row.end)
        ]
        assert list(inside["entity"]) == ["NATO-Russia Council"]
    # With overlapping=True the nested NATO and Russia come back.
    nested = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon(), overlapping=True).find(
        "a meeting of the NATO-Russia Council"
    )
    assert sorted(m.entity for m in nested) == ["NATO", "NATO-Russia Council", "Russia"]
    topic = out[(out["entity"] == "NATO expansion") & (out["text"] == "NATO expansion")]
    assert sorted(topic["doc"]) == [D1, D3]


def test_us_led_contains_us_and_lowercase_us_is_not_the_us(out, texts):
    us = out[out["entity"] == "United States"]
    d0 = us[us["doc"] == D0]
    assert list(d0["text"]) == ["U.S."] * 4  # two "U.S.-led", "U.S. Deputy", "U.S.-Russia"
    assert texts[D0][d0.iloc[0]["end"] :].startswith("-led NATO")
    at = texts[D3].index("tell us what")
    assert not ((us["doc"] == D3) & (us["start"] == at + 5)).any()
    assert "us" not in set(us["text"])


def test_offsets_law_holds_for_every_row(out, texts):
    assert len(out) > 400
    for row in out.itertuples():
        assert texts[row.doc][row.start : row.end] == row.text, row
    # and the rows of one document are in order and do not overlap (non-overlapping mode;
    # the same span may repeat only for different entities)
    for _doc, rows in out.groupby("doc", sort=False):
        spans = list(zip(rows["start"], rows["end"]))
        assert spans == sorted(spans, key=lambda se: (se[0], -se[1]))
        distinct = sorted(set(spans))
        for (_s1, e1), (s2, _e2) in zip(distinct, distinct[1:]):
            assert s2 >= e1


def test_find_agrees_with_scan(out, texts, matcher):
    for doc in DOCS:
        rows = out[out["doc"] == doc]
        found = matcher.find(texts[doc])
        assert [(m.entity, m.label, m.alias, m.start, m.end, m.text) for m in found] == list(
            zip(
                rows["entity"],
                rows["label"],
                rows["alias"],
                rows["start"],
                rows["end"],
                rows["text"],
            )
        )
