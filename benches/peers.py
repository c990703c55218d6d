"""The contenders of bench_scan.py: lexiscan and its peers, each timed doing the same job
(documents in, every match out) and saying plainly what it does less than lexiscan."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Contender:
    name: str
    does_less: str  # what it does less than lexiscan, in a few words
    build: Callable[[], Any]  # -> a ready matcher, from the alias specs
    scan: Callable[[Any, list[str]], Any]  # (matcher, docs) -> all matches, with len()
    install: str | None = None  # how to install it, if missing
    missing: bool = False
    convert_s: list[float] = field(default_factory=list)  # lexiscan: to_pandas() time per scan
    # A contender that runs in a process of its own reports that process's peak memory here
    peak_mb: list[float] = field(default_factory=list)
    close: Callable[[], None] | None = None  # called once its runs are done
    subset_mb: float | None = None  # slow peers are timed on the first documents only


def lexiscan_contender(
    lexiscan: Any,
    spec: Any,
    n_threads: int,
    one_document: bool = False,
    max_edits: int = 0,
    subset_mb: float | None = None,
) -> Contender:
    """lexiscan on `n_threads`; `one_document` only names it (the caller joins the corpus);
    `max_edits` turns typo-tolerant matching on (its cost is measured, not its matches)."""

    def build() -> Any:
        lex = lexiscan.Lexicon()
        for s in spec.specs:
            lex.add(
                s.entity,
                s.aliases,
                label=s.label,
                case_sensitive=s.case_sensitive,
                name_is_alias=False,
            )
        return lexiscan.Matcher(lex, max_edits=max_edits)

    def scan(matcher: Any, docs: list[str]) -> Any:
        result = matcher.scan(docs, n_threads=n_threads)
        t0 = time.perf_counter()
        frame = result.to_pandas()
        contender.convert_s.append(time.perf_counter() - t0)
        return frame

    threads = "thread" if n_threads == 1 else "threads"
    name = f"lexiscan, {n_threads} {threads}" + (", one document" if one_document else "")
    does_less = "—"
    if max_edits:
        name += f", max_edits={max_edits}"
        does_less = "does more: also typo matches (rows with edits > 0)"
    if subset_mb:
        name += f" (first {subset_mb:g} MB)"
    contender = Contender(name, does_less, build, scan, subset_mb=subset_mb)
    return contender


def lowered_patterns(aliases: list[str]) -> list[str]:
    return list(dict.fromkeys(a.lower() for a in aliases))


def ahocorasick_rs_contender(aliases: list[str]) -> Contender:
    install = "pip install ahocorasick-rs"
    does_less = "lower() only, no accents/spaces/dashes/quotes folding, no whole-word check"
    try:
        import ahocorasick_rs
    except ImportError:
        return Contender("ahocorasick_rs", does_less, _none, _none, install, missing=True)

    def build() -> Any:
        patterns = lowered_patterns(aliases)
        ac = ahocorasick_rs.AhoCorasick(
            patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )
        return ac, patterns

    def scan(built: Any, docs: list[str]) -> list[tuple[int, int, int, str]]:
        ac, patterns = built
        find = ac.find_matches_as_indexes
        out: list[tuple[int, int, int, str]] = []
        for d, doc in enumerate(docs):
            out.extend([(d, start, end, patterns[i]) for i, start, end in find(doc.lower())])
        return out

    return Contender("ahocorasick_rs", does_less, build, scan, install)


def pyahocorasick_contender(aliases: list[str]) -> Contender:
    install = "pip install pyahocorasick"
    does_less = "lower() only, no accents/spaces/dashes/quotes folding, no whole-word check"
    try:
        import ahocorasick
    except ImportError:
        return Contender("pyahocorasick", does_less, _none, _none, install, missing=True)
    longest = hasattr(ahocorasick.Automaton(), "iter_long")
    name = "pyahocorasick (iter_long)" if longest else "pyahocorasick (iter, overlapping)"
    if not longest:
        does_less += "; overlapping matches (no iter_long in this version)"

    def build() -> Any:
        automaton = ahocorasick.Automaton()
        for pattern in lowered_patterns(aliases):
            automaton.add_word(pattern, (len(pattern), pattern))
        automaton.make_automaton()
        return automaton

    def scan(automaton: Any, docs: list[str]) -> list[tuple[int, int, int, str]]:
        out: list[tuple[int, int, int, str]] = []
        for d, doc in enumerate(docs):
            found = automaton.iter_long(doc.lower()) if longest else automaton.iter(doc.lower())
            out.extend([(d, last - n + 1, last + 1, p) for last, (n, p) in found])
        return out

    return Contender(name, does_less, build, scan, install)


def flashtext_contender(aliases: list[str], subset_mb: float) -> Contender:
    install = "pip install flashtext"
    does_less = "ASCII word boundaries ([A-Za-z0-9_]), lower() only, no folding; pure Python"
    try:
        from flashtext import KeywordProcessor
    except ImportError:
        return Contender("flashtext", does_less, _none, _none, install, missing=True)

    def build() -> Any:
        processor = KeywordProcessor(case_sensitive=False)
        for pattern in lowered_patterns(aliases):
            processor.add_keyword(pattern)
        return processor

    def scan(processor: Any, docs: list[str]) -> list[tuple[int, int, int, str]]:
        out: list[tuple[int, int, int, str]] = []
        for d, doc in enumerate(docs):
            found = processor.extract_keywords(doc, span_info=True)
            out.extend([(d, start, end, keyword) for keyword, start, end in found])
        return out

    name = f"flashtext (first {subset_mb:g} MB)"
    return Contender(name, does_less, build, scan, install, subset_mb=subset_mb)


def spacy_contender(aliases: list[str], subset_mb: float) -> Contender:
    install = "pip install spacy"
    does_less = "token-aligned (spaCy tokenizer), LOWER attribute only, no accent folding"
    try:
        import spacy
        from spacy.matcher import PhraseMatcher
    except ImportError:
        return Contender("spaCy PhraseMatcher", does_less, _none, _none, install, missing=True)

    def build() -> Any:
        nlp = spacy.blank("en")
        nlp.max_length = 10**9
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        patterns = list(nlp.tokenizer.pipe(lowered_patterns(aliases)))
        matcher.add("ALIAS", patterns)
        return nlp, matcher

    def scan(built: Any, docs: list[str]) -> list[tuple[int, int, int]]:
        nlp, matcher = built
        out: list[tuple[int, int, int]] = []
        for d, doc in enumerate(nlp.tokenizer.pipe(docs)):
            spans = matcher(doc, as_spans=True)
            out.extend(
                [(d, span.start_char, span.end_char) for span in spacy.util.filter_spans(spans)]
            )
        return out

    name = f"spaCy PhraseMatcher (first {subset_mb:g} MB)"
    return Contender(name, does_less, build, scan, install, subset_mb=subset_mb)


def polars_contender(aliases: list[str]) -> Contender:
    install = "pip install polars"
    does_less = "ASCII case-insensitive, no boundaries, matched strings only (no offsets)"
    try:
        import polars as pl
    except ImportError:
        return Contender("polars extract_many", does_less, _none, _none, install, missing=True)
    name = f"polars extract_many, {pl.thread_pool_size()} threads (all cores)"

    def build() -> Any:
        return lowered_patterns(aliases)

    def scan(patterns: Any, docs: list[str]) -> Any:
        found = pl.Series(docs).str.extract_many(
            patterns, ascii_case_insensitive=True, overlapping=False
        )
        return found.explode().drop_nulls()

    return Contender(name, does_less, build, scan, install)


def polars_one_thread_contender(aliases: list[str], docs: list[str]) -> Contender:
    """polars on one thread. Its thread count is fixed when it is imported, so it runs in a
    worker process (polars_worker.py) started with POLARS_MAX_THREADS=1 that holds its own copy
    of the documents (sent before timing starts); a scan is timed from here, a pipe's round
    trip included, and its peak memory is the worker's."""
    install = "pip install polars"
    name = "polars extract_many, 1 thread"
    does_less = "ASCII case-insensitive, no boundaries, matched strings only (no offsets)"
    try:
        import polars  # noqa: F401
    except ImportError:
        return Contender(name, does_less, _none, _none, install, missing=True)
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as f:
        pickle.dump((lowered_patterns(aliases), docs), f, protocol=pickle.HIGHEST_PROTOCOL)
    worker = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("polars_worker.py")), f.name],
        env={**os.environ, "POLARS_MAX_THREADS": "1"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdin and worker.stdout
    ready = worker.stdout.readline().split()
    Path(f.name).unlink()
    if ready != ["ready", "1"]:
        raise SystemExit(f"the polars worker did not start on one thread: {ready}")
    n_docs = len(docs)

    def build() -> Any:
        return worker

    def scan(worker: Any, docs: list[str]) -> range:
        if len(docs) != n_docs:
            raise SystemExit("the polars worker holds a different corpus")
        worker.stdin.write("scan\n")
        worker.stdin.flush()
        matches, _, peak = worker.stdout.readline().split()
        contender.peak_mb.append(float(peak))
        return range(int(matches))  # only the count travels back

    def close() -> None:
        worker.stdin.write("quit\n")
        worker.stdin.flush()
        worker.wait()

    contender = Contender(name, does_less, build, scan, install, close=close)
    return contender


def regex_contender(aliases: list[str], subset_mb: float) -> Contender:
    import re

    does_less = "one alternation, IGNORECASE, \\b boundaries; no folding beyond that"

    def build() -> Any:
        patterns = sorted(lowered_patterns(aliases), key=len, reverse=True)
        alternation = "|".join(re.escape(p) for p in patterns)
        return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)

    def scan(pattern: Any, docs: list[str]) -> list[tuple[int, int, int]]:
        return [
            (d, m.start(), m.end()) for d, doc in enumerate(docs) for m in pattern.finditer(doc)
        ]

    name = f"re alternation (first {subset_mb:g} MB)"
    return Contender(name, does_less, build, scan, None, subset_mb=subset_mb)


def _none(*_: Any) -> None:
    return None
