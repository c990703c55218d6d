"""Soak test: 8 threads share one matcher for minutes; memory must stay flat, results right.

Each thread loops over a random mix of `find`, `scan`, pickling (the matcher and its lexicon,
and now and then a matcher rebuilt from the lexicon) and analyses (counts, co-occurrence,
kwic, frequency) of the seed corpus, and checks every answer against one computed single-
threaded before the threads start. A sampler reads the process's resident memory every second;
after the warm-up it must not grow (the fitted slope over the rest of the run, in MB per
minute, and the last minute's median against the first one after warm-up).

    python benches/soak.py                    # 10 minutes, 8 threads
    python benches/soak.py --seconds 60       # a short run

Exit status 0 when every answer matched and memory stayed flat, 1 otherwise. Not part of the
test suite (it runs for minutes); results go to benches/results/soak.md.
"""

from __future__ import annotations

import argparse
import pickle
import random
import resource
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from provenance import provenance

import lexiscan

RESULTS = Path(__file__).parent / "results" / "soak.md"


def rss_mb() -> float:
    """Resident memory now (Linux /proc), else the peak so far."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


class Expected:
    """Every answer the threads check against, computed on one thread first."""

    def __init__(self, matcher: lexiscan.Matcher, docs: list[str]) -> None:
        self.docs = docs
        self.find = [[m.astuple() for m in matcher.find(d)] for d in docs]
        result = matcher.scan(docs, n_threads=1)
        self.frame = result.to_pandas()
        self.analyses = analyses(result)
        self.fingerprint = matcher.fingerprint


def analyses(result: lexiscan.ScanResult) -> dict[str, Any]:
    return {
        "counts": result.counts(),
        "cooccurrence": result.cooccurrence("sentence"),
        "kwic": result.kwic("NATO"),
        "frequency": result.frequency(),
    }


def worker(
    seed: int,
    matcher: lexiscan.Matcher,
    expected: Expected,
    deadline: float,
    done: Counter,
    failures: list[str],
    lock: threading.Lock,
) -> None:
    rng = random.Random(seed)
    local: Counter = Counter()
    try:
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.35:
                i = rng.randrange(len(expected.docs))
                ok = [m.astuple() for m in matcher.find(expected.docs[i])] == expected.find[i]
                kind = "find"
            elif roll < 0.6:
                frame = matcher.scan(expected.docs, n_threads=rng.choice([1, 2, None])).to_pandas()
                ok = frame.equals(expected.frame)
                kind = "scan"
            elif roll < 0.8:
                kind = "pickle"
                if rng.random() < 0.05:  # now and then a real rebuild, not the cached one
                    lexicon = pickle.loads(pickle.dumps(matcher.lexicon))
                    again = lexiscan.Matcher(lexicon)
                else:
                    again = pickle.loads(pickle.dumps(matcher))
                i = rng.randrange(len(expected.docs))
                ok = (
                    again.fingerprint == expected.fingerprint
                    and [m.astuple() for m in again.find(expected.docs[i])] == expected.find[i]
                )
            else:
                kind = "analyses"
                got = analyses(matcher.scan(expected.docs))
                ok = all(got[k].equals(v) for k, v in expected.analyses.items())
            local[kind] += 1
            if not ok:
                with lock:
                    failures.append(f"thread {seed}: {kind} differs from the single-threaded run")
                return
    except Exception as err:  # reported, not swallowed: the run fails
        with lock:
            failures.append(f"thread {seed}: {type(err).__name__}: {err}")
    finally:
        with lock:
            done.update(local)


def slope_mb_per_minute(samples: list[tuple[float, float]]) -> float:
    if len(samples) < 2:
        return 0.0
    ts = [t for t, _ in samples]
    ms = [m for _, m in samples]
    mean_t, mean_m = statistics.fmean(ts), statistics.fmean(ms)
    var = sum((t - mean_t) ** 2 for t in ts)
    cov = sum((t - mean_t) * (m - mean_m) for t, m in zip(ts, ms))
    return 60 * cov / var if var else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=None, help="default: 10%%, ≥ 20 s")
    parser.add_argument("--copies", type=int, default=20, help="copies of the 5 seed articles")
    parser.add_argument(
        "--max-growth-mb", type=float, default=20, help="allowed growth after warm-up (20 MB)"
    )
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args(argv)
    warmup = args.warmup if args.warmup is not None else max(20.0, args.seconds / 10)

    matcher = lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())
    seeds = lexiscan.datasets.seeds()["text"].tolist()
    docs = [f"{text}\n#{i}" for i, text in enumerate(seeds * args.copies)]
    expected = Expected(matcher, docs)

    done: Counter = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + args.seconds
    threads = [
        threading.Thread(target=worker, args=(i, matcher, expected, deadline, done, failures, lock))
        for i in range(args.threads)
    ]
    for t in threads:
        t.start()
    samples: list[tuple[float, float]] = []
    while any(t.is_alive() for t in threads):
        samples.append((time.monotonic() - start, rss_mb()))
        time.sleep(1.0)
    for t in threads:
        t.join()

    after = [(t, m) for t, m in samples if t >= warmup]
    minute = max(1, min(60, len(after) // 3))
    first = statistics.median(m for _, m in after[:minute]) if after else float("nan")
    last = statistics.median(m for _, m in after[-minute:]) if after else float("nan")
    slope = slope_mb_per_minute(after)
    growth = last - first
    flat = bool(after) and growth <= args.max_growth_mb
    ok = flat and not failures
    lines = [
        f"# soak: {args.threads} threads sharing one matcher",
        "",
        *provenance(),
        f"- run: {args.seconds:.0f} s, {args.threads} threads, {len(docs)} documents "
        f"({sum(len(d) for d in docs) / 1e6:.1f} M characters), warm-up {warmup:.0f} s, "
        f"RSS sampled every second ({len(samples)} samples)",
        "",
        "| figure | value |",
        "|---|---:|",
        *[f"| {kind} calls, all checked against one thread | {n:,} |" for kind, n in done.items()],
        f"| answers that differed or raised | {len(failures)} |",
        f"| RSS at the end of warm-up (median of {minute} s) | {first:.0f} MB |",
        f"| RSS at the end (median of the last {minute} s) | {last:.0f} MB |",
        f"| growth after warm-up / allowed | {growth:+.1f} MB / {args.max_growth_mb:.0f} MB |",
        f"| fitted RSS slope after warm-up | {slope:+.2f} MB/min |",
        f"| peak RSS | {max(m for _, m in samples):.0f} MB |",
        "",
        f"Verdict: {'pass' if ok else 'FAIL'}"
        + ("" if flat else " (memory grew after warm-up)")
        + "".join(f"\n- {f}" for f in failures[:10]),
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_save:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
