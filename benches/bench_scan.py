#!/usr/bin/env python3
"""Benchmark: lexiscan against two Aho-Corasick libraries on ~100 MB of news text.

A script, never a test. Everything it generates stays in memory: the corpus (the five built-in
seed articles repeated, with their paragraphs shuffled), and the lexicon (the built-in seed
lexicon, words and word pairs from the corpus, and synthetic person names). The only file it
writes is the results table, ``benches/results/bench_scan.md`` (``--no-save`` to skip it).

    python benches/bench_scan.py                  # 100 MB, 10,000 aliases, median of 3 runs
    python benches/bench_scan.py --mb 10 --repeat 1

The peers are optional: one that is not installed is skipped, with the command to install it.
How to set up, and what each contender does less than lexiscan: benches/README.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from peers import (
    Contender,
    ahocorasick_rs_contender,
    flashtext_contender,
    lexiscan_contender,
    lowered_patterns,
    polars_contender,
    pyahocorasick_contender,
    regex_contender,
    spacy_contender,
)

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "bench_scan.md"
MB = 1_000_000  # sizes and speeds are in decimal megabytes of UTF-8 text

# Common first and last names (some with accents, to exercise accent folding) for the synthetic
# "Firstname Lastname" aliases.
FIRST_NAMES = """
James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard
Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony Betty Mark
Margaret Donald Sandra Steven Ashley Paul Kimberly Andrew Emily Joshua Donna Kenneth Michelle
Kevin Carol Brian Amanda George Melissa Edward Deborah Ronald Stephanie Timothy Rebecca Jason
Laura Jeffrey Helen Ryan Sharon Jacob Cynthia Gary Kathleen Nicholas Amy Eric Shirley Stephen
Angela Jonathan Anna Larry Ruth Justin Brenda Scott Pamela Frank Nicole Brandon Katherine
Raymond Samantha Gregory Christine Benjamin Catherine Samuel Virginia Patrick Rachel Alexander
Janet Jack Emma Dennis Maria Jerry Heather Tyler Diane Aaron Julie José Zoë François Chloé
Jürgen Søren Agnieszka Dmitri Olena Andriy Sergei Natalia Ivan Oksana Mehmet Ayşe Hélène
Ingrid Giovanni Francesca Pierre Amélie Lukas Björn Mateusz Katarzyna Yusuf Fatima Ahmed Leila
""".split()

LAST_NAMES = """
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez
Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris
Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill
Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips
Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers
Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson
Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders
Patel Myers Long Ross Foster Jiménez Müller Schmidt Schneider Fischer Weber Wagner Becker Dubois
Lefèvre Moreau Rossi Russo Ferrari Esposito Kowalski Nowak Wiśniewski Kovalenko Shevchenko
Bondarenko Ivanov Smirnov Kuznetsov Popov Yılmaz Kaya Demir Çelik Andersen Nielsen Hansen
Johansson Lindqvist Novák Dvořák Horváth Nagy Popescu Georgiou Papadopoulos Fernández Núñez
""".split()

# Function words: no generated word pair starts or ends with one ("NATO In", "About Ukraine").
STOPWORDS = set(
    """
a an the in on at but and or of for to as by with from this that these those it he she we they
i you his her their its our if when while after before so not no what who how why there here
is was are were has have had will would could should may might said says also than then all
about over into amid against between during without within under upon up down out off near
""".split()
)


# --------------------------------------------------------------------------------------------
# Data


def make_docs(texts: list[str], mb: float, seed: int) -> list[str]:
    """The seed articles repeated, in turn, until their UTF-8 size reaches `mb` megabytes.

    The first copy of each article is the original; every later copy has its lines (paragraphs)
    shuffled with a fixed seed, so the corpus is deterministic but not the same five strings.
    """
    rng = random.Random(seed)
    sizes = [len(t.encode("utf-8")) for t in texts]
    lines = [t.split("\n") for t in texts]
    target = int(mb * MB)
    docs: list[str] = []
    total = 0
    while total < target:
        i = len(docs) % len(texts)
        if len(docs) < len(texts):
            docs.append(texts[i])
        else:
            paragraphs = lines[i][:]
            rng.shuffle(paragraphs)
            docs.append("\n".join(paragraphs))
        total += sizes[i]  # shuffling lines keeps the same characters
    return docs


def alias_key(alias: str) -> str:
    """Roughly how lexiscan compares aliases: case, accents, dashes and spaces folded.

    Used only to keep the generated aliases distinct from each other and from the seed lexicon,
    so that no generated alias makes an ambiguous (one alias, two entities) pair.
    """
    text = re.sub(r"[\s\-\u2010-\u2015\u2212]+", " ", alias.casefold()).strip()
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@dataclass
class Spec:
    """One `Lexicon.add` call."""

    entity: str
    aliases: list[str]
    label: str | None
    case_sensitive: bool = False


@dataclass
class LexiconSpec:
    specs: list[Spec] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # aliases per source
    notes: list[str] = field(default_factory=list)

    def aliases(self) -> list[str]:
        """The flat list of every alias (canonical names included), as the peers get it."""
        out: list[str] = []
        for spec in self.specs:
            out.extend(spec.aliases)
        return out


def seed_specs(lexiscan: Any, notes: list[str]) -> list[Spec]:
    """The built-in seed lexicon, as `Lexicon.add` calls (so a build can be timed from scratch)."""
    try:
        seed_lex = lexiscan.datasets.seeds_lexicon()
    except (OSError, ValueError) as err:
        note = f"the built-in seed lexicon could not be loaded ({err}); it is left out"
        print(f"WARNING: {note}", file=sys.stderr)
        notes.append(note)
        return []
    specs: list[Spec] = []
    for label, entities in seed_lex.to_dict().items():
        for entity, aliases in entities.items():
            plain = [a for a in aliases if isinstance(a, str)]
            sensitive = [a["alias"] for a in aliases if not isinstance(a, str)]
            # The canonical name is itself an alias: list it explicitly so the peers get it.
            if entity not in plain and entity not in sensitive:
                plain.insert(0, entity)
            if plain:
                specs.append(Spec(entity, plain, label))
            if sensitive:
                specs.append(Spec(entity, sensitive, label, case_sensitive=True))
    return specs


def corpus_vocabulary(texts: Iterable[str]) -> list[str]:
    """Capitalised words and word pairs of the corpus that look like names.

    A word counts if it starts with a capital, has 3+ letters and never occurs in lower case
    (so "Kremlin", "NATO", "Stoltenberg", not "The" or "Talks"). A pair counts if both words
    are capitalised, neither is a function word and at least one of them looks like a name
    ("White House", "Deputy Secretary", "Wendy Sherman").
    """
    word = r"[^\W\d_]+"
    tokens: list[str] = []
    pairs: list[str] = []
    for text in texts:
        tokens.extend(re.findall(word, text))
        pairs.extend(a + " " + b for a, b in re.findall(rf"(?=\b({word}) ({word})\b)", text))
    lower = {t for t in tokens if t.islower()}

    def name_like(t: str) -> bool:
        return t[0].isupper() and len(t) >= 3 and t.lower() not in lower

    words = [t for t in tokens if name_like(t)]
    bigrams = []
    for pair in pairs:
        a, b = pair.split(" ")
        if (
            a[0].isupper()
            and b[0].isupper()
            and min(len(a), len(b)) > 1
            and a.lower() not in STOPWORDS
            and b.lower() not in STOPWORDS
            and (name_like(a) or name_like(b))
        ):
            bigrams.append(pair)
    return list(dict.fromkeys(words + bigrams))  # distinct, in order of first occurrence


def synthetic_names(seed: int) -> Iterable[str]:
    """Endless-enough "First Last" names, then "First X. Last", in a fixed shuffled order."""
    rng = random.Random(seed)
    pairs = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pairs)
    yield from (f"{f} {last}" for f, last in pairs)
    for initial in "ABCDEFGHIJKLMNOPRSTVW":
        yield from (f"{f} {initial}. {last}" for f, last in pairs)


def make_lexicon_spec(lexiscan: Any, texts: list[str], n_aliases: int, seed: int) -> LexiconSpec:
    out = LexiconSpec()
    out.specs = seed_specs(lexiscan, out.notes)
    seen = {alias_key(a) for a in out.aliases()}
    out.counts["seed lexicon"] = total = len(out.aliases())

    def add_new(candidates: Iterable[str], label: str, source: str) -> None:
        nonlocal total
        added = 0
        for alias in candidates:
            if total >= n_aliases:
                break
            key = alias_key(alias)
            if key in seen:
                continue
            seen.add(key)
            out.specs.append(Spec(alias, [alias], label))
            added += 1
            total += 1
        out.counts[source] = added

    add_new(corpus_vocabulary(texts), "KEYWORD", "corpus words and word pairs")
    add_new(synthetic_names(seed), "PERSON", "synthetic person names")
    if total < n_aliases:
        raise SystemExit(f"could not generate {n_aliases} distinct aliases (got {total})")
    return out


# --------------------------------------------------------------------------------------------
# Contenders: see peers.py

# --------------------------------------------------------------------------------------------
# Timing and report


@dataclass
class Timing:
    name: str
    does_less: str
    build_s: float = float("nan")
    scan_s: float = float("nan")
    matches: int = 0
    convert_s: float | None = None  # of scan_s, the time in to_pandas() (lexiscan only)
    skipped: str | None = None
    runs: list[tuple[float, float]] = field(default_factory=list)
    mb: float | None = None  # MB scanned, when a subset of the corpus


def measure(contender: Contender, docs: list[str], repeat: int) -> Timing:
    timing = Timing(contender.name, contender.does_less)
    if contender.missing:
        timing.skipped = f"not installed: `{contender.install}`"
        print(f"SKIP {contender.name}: not installed; {contender.install}", file=sys.stderr)
        return timing
    if contender.subset_mb is not None:
        subset, size = [], 0
        for doc in docs:
            if size >= contender.subset_mb * MB:
                break
            subset.append(doc)
            size += len(doc.encode("utf-8"))
        docs, timing.mb = subset, size / MB
    counts = set()
    for run in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        matcher = contender.build()
        t1 = time.perf_counter()
        result = contender.scan(matcher, docs)
        t2 = time.perf_counter()
        counts.add(len(result))
        timing.runs.append((t1 - t0, t2 - t1))
        convert = f" (to_pandas {contender.convert_s[-1]:.3f} s)" if contender.convert_s else ""
        print(
            f"  {contender.name} run {run + 1}/{repeat}: build {t1 - t0:.3f} s, "
            f"scan {t2 - t1:.3f} s{convert}, {len(result):,} matches",
            file=sys.stderr,
        )
        del matcher, result
    if len(counts) != 1:
        raise SystemExit(f"{contender.name} found a different number of matches per run: {counts}")
    timing.matches = counts.pop()
    timing.build_s = statistics.median(b for b, _ in timing.runs)
    timing.scan_s = statistics.median(s for _, s in timing.runs)
    if contender.convert_s:
        timing.convert_s = statistics.median(contender.convert_s)
    return timing


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def report(
    timings: list[Timing],
    docs: list[str],
    n_bytes: int,
    spec: LexiconSpec,
    args: argparse.Namespace,
) -> str:
    base = next((t for t in timings if t.name.startswith("lexiscan, 1 ")), None)
    mb = n_bytes / MB
    rows = [
        "| contender | build (s) | scan (s) | MB/s | matches | speed vs lexiscan 1 thread "
        "| does less than lexiscan |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for t in timings:
        if t.skipped:
            rows.append(f"| {t.name} | | | | | | skipped: {t.skipped} |")
            continue
        t_mb = t.mb or mb
        speed = (
            f"{(t_mb / t.scan_s) / (mb / base.scan_s):.2f}×" if base and not base.skipped else "n/a"
        )
        rows.append(
            f"| {t.name} | {t.build_s:.3f} | {t.scan_s:.3f} | {t_mb / t.scan_s:,.1f} "
            f"| {t.matches:,} | {speed} | {t.does_less} |"
        )
    n_patterns = len(lowered_patterns(spec.aliases()))
    sources = ", ".join(f"{n:,} {source}" for source, n in spec.counts.items())
    lines = [
        "# bench_scan: lexiscan against Aho-Corasick peers",
        "",
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; lexiscan commit {git_commit()}",
        f"- machine: {cpu_name()}, {os.cpu_count()} logical CPUs; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; load average "
        f"{args.load[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end (1 min)",
        f"- versions: lexiscan {sys.modules['lexiscan'].__version__}, "
        f"ahocorasick-rs {version('ahocorasick-rs')}, "
        f"pyahocorasick {version('pyahocorasick')}, pandas {version('pandas')}",
        f"- corpus: {len(docs):,} documents, {mb:,.1f} MB of UTF-8 ({n_bytes:,} bytes, "
        f"{sum(map(len, docs)):,} characters): the 5 built-in seed articles repeated, "
        f"paragraphs shuffled (seed {args.seed})",
        f"- lexicon: {len(spec.aliases()):,} aliases ({sources}); "
        f"{n_patterns:,} distinct lower-cased patterns for the peers",
        f"- times: median of {args.repeat} run(s); build = from the alias list to a ready "
        "matcher; scan = documents in, every match out (lexiscan: `scan(docs, n_threads)"
        ".to_pandas()`; peers: a list of (doc, start, end, alias) built in Python, `doc.lower()` "
        "included); MB/s = corpus MB / scan time",
        f"- command: `python benches/bench_scan.py{''.join(' ' + a for a in sys.argv[1:])}`",
        "",
        *rows,
        "",
        "What the peers do less than lexiscan, so their match counts differ: they compare "
        "`str.lower()` text only (no Unicode case folding such as ß = ss, no accent folding, "
        "curly quotes, dashes and line breaks are not equated with their plain forms), they "
        "match inside words (`russia` in `russian`), they have no case-sensitive aliases, and "
        "they return bare offsets and the alias, not entity, label and matched text in a "
        "DataFrame. lexiscan also gives one row per entity for an alias shared by two "
        "entities.",
    ]
    converts = [
        f"{t.name}: {t.convert_s:.3f} s of {t.scan_s:.3f} s"
        for t in timings
        if t.convert_s is not None and not t.skipped
    ]
    if converts:
        lines += [
            "",
            "Of lexiscan's scan time, `to_pandas()` took (medians): " + "; ".join(converts),
        ]
    for note in spec.notes:
        lines += ["", f"Note: {note}."]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=100.0, help="corpus size in MB (default 100)")
    parser.add_argument("--aliases", type=int, default=10_000, help="lexicon size (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender (median)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    parser.add_argument(
        "--threads",
        default="1,2",
        help="lexiscan thread counts, comma-separated (default 1,2)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="results file (default benches/results/bench_scan.md)",
    )
    parser.add_argument("--no-save", action="store_true", help="print the table only")
    parser.add_argument(
        "--slow-mb",
        type=float,
        default=5.0,
        help="MB that the pure-Python peers (flashtext, spaCy, re) scan (default 5)",
    )
    args = parser.parse_args(argv)
    args.load = os.getloadavg()

    try:
        import lexiscan
    except ImportError as err:
        print(
            f"cannot import lexiscan ({err}). Build it into this environment first, in the repo "
            "root: pip install maturin && maturin develop --release   (or: pip install .)",
            file=sys.stderr,
        )
        return 2

    texts = lexiscan.datasets.seeds()["text"].tolist()
    docs = make_docs(texts, args.mb, args.seed)
    n_bytes = sum(len(d.encode("utf-8")) for d in docs)
    spec = make_lexicon_spec(lexiscan, texts, args.aliases, args.seed)
    aliases = spec.aliases()
    print(
        f"corpus: {len(docs):,} docs, {n_bytes / MB:,.1f} MB; lexicon: {len(aliases):,} aliases "
        f"({spec.counts})",
        file=sys.stderr,
    )

    contenders = [
        lexiscan_contender(lexiscan, spec, int(n)) for n in args.threads.split(",") if n.strip()
    ]
    contenders += [ahocorasick_rs_contender(aliases), pyahocorasick_contender(aliases)]
    contenders += [
        polars_contender(aliases),
        flashtext_contender(aliases, args.slow_mb),
        spacy_contender(aliases, args.slow_mb),
        regex_contender(aliases, args.slow_mb / 10),  # backtracking: ten times less text
    ]
    timings = [measure(c, docs, args.repeat) for c in contenders]

    table = report(timings, docs, n_bytes, spec, args)
    print(table)
    if not args.no_save:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(table, encoding="utf-8")
        print(f"written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
