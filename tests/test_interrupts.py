"""Ctrl-C during a long scan or a file write, and one matcher shared by many threads."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

import lexiscan
from lexiscan import _atomic


@pytest.fixture(scope="module")
def matcher() -> lexiscan.Matcher:
    return lexiscan.Matcher(lexiscan.datasets.seeds_lexicon())


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_stops_a_long_scan_within_half_a_second(matcher: lexiscan.Matcher) -> None:
    text = lexiscan.datasets.seeds()["text"].iloc[2]
    docs = [text] * 200_000  # ~1.4 GB of scanning in one batch: many seconds of work
    sent: list[float] = []

    def interrupt() -> None:
        time.sleep(0.3)
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)

    # A process started in the background inherits SIGINT ignored; Python then installs no
    # handler. Install the usual one for this test, as an interactive session has it.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Thread(target=interrupt).start()
        with pytest.raises(KeyboardInterrupt):
            matcher.scan(docs, batch_size=len(docs))
    finally:
        signal.signal(signal.SIGINT, previous)
    latency = time.perf_counter() - sent[0]
    assert latency < 0.5, f"KeyboardInterrupt came {latency:.2f} s after SIGINT"
    # the matcher is still usable, and right
    assert len(matcher.scan(docs[:3])) == 3 * len(matcher.find(text))


def test_one_matcher_from_eight_threads(matcher: lexiscan.Matcher) -> None:
    docs = lexiscan.datasets.seeds()["text"].tolist() * 40
    expected = [[m.astuple() for m in matcher.find(d)] for d in docs]
    scanned = matcher.scan(docs).to_pandas()
    results: dict[int, object] = {}

    def work(i: int) -> None:
        if i % 2:
            results[i] = [[m.astuple() for m in matcher.find(d)] for d in docs]
        else:
            results[i] = matcher.scan(docs, n_threads=2).to_pandas()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(8)), "a worker thread failed"
    for i, got in results.items():
        if i % 2:
            assert got == expected
        else:
            assert got.equals(scanned)  # type: ignore[union-attr]


def test_ctrl_c_while_saving_keeps_the_old_file_and_the_matcher(
    matcher: lexiscan.Matcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "m.lexiscan"
    old = lexiscan.Matcher(lexiscan.Lexicon().add("NATO"))
    old.save(target)
    before = target.read_bytes()

    def interrupted(path: Path) -> None:  # Ctrl-C lands after the data, before the rename
        raise KeyboardInterrupt

    monkeypatch.setattr(_atomic, "_fsync_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        matcher.save(target)
    with pytest.raises(KeyboardInterrupt):
        matcher.lexicon.write(tmp_path / "lex.csv")
    monkeypatch.undo()
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.lexiscan"]
    text = lexiscan.datasets.seeds()["text"].iloc[0]
    assert len(matcher.find(text)) > 0
    matcher.save(target)  # and it can still be written
    assert lexiscan.Matcher.load(target).fingerprint == matcher.fingerprint


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
# A SIGINT that lands while the garbage collector runs a callback is reported as unraisable
# and lost; that round then writes the new file, which the test accepts.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_sigint_at_random_moments_of_a_lexicon_write(tmp_path: Path) -> None:
    n = 30_000
    new = lexiscan.Lexicon().add_many([f"E{i // 3}" for i in range(n)], [f"a{i}" for i in range(n)])
    target = tmp_path / "lex.csv"
    lexiscan.Lexicon().add("old").write(target)
    old = target.read_bytes()
    new.write(tmp_path / "expected.csv")
    expected = (tmp_path / "expected.csv").read_bytes()
    (tmp_path / "expected.csv").unlink()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    kept_old = []
    try:
        for delay in (0.0, 0.02, 0.05, 0.1, 0.2, 0.4):
            target.write_bytes(old)
            timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT))
            try:
                timer.start()
                new.write(target)
                timer.join()
                time.sleep(0.05)  # a signal that missed the write lands here
            except KeyboardInterrupt:
                pass
            timer.join()
            content = target.read_bytes()
            assert content in (old, expected)
            kept_old.append(content == old)
            assert sorted(p.name for p in tmp_path.iterdir()) == ["lex.csv"]
    finally:
        signal.signal(signal.SIGINT, previous)
    assert any(kept_old), "no write was interrupted: the test did not test anything"


def test_ctrl_c_in_a_parquet_scan_leaves_no_partial_file(
    matcher: lexiscan.Matcher, tmp_path: Path
) -> None:
    docs = lexiscan.datasets.seeds()["text"].tolist() * 4

    def typed_then_interrupted():
        yield from docs[:7]
        raise KeyboardInterrupt

    path = tmp_path / "matches.parquet"
    with pytest.raises(KeyboardInterrupt):
        matcher.scan_to_parquet(typed_then_interrupted(), path, batch_size=2)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
    folder = tmp_path / "resumable"
    with pytest.raises(KeyboardInterrupt):
        matcher.scan_to_parquet(typed_then_interrupted(), folder, batch_size=2, resume=True)
    with pytest.raises(lexiscan.IncompleteScanError):
        lexiscan.read_scan(folder)
    assert matcher.scan_to_parquet(iter(docs), folder, batch_size=2, resume=True) == len(
        matcher.scan(docs)
    )
    assert len(lexiscan.read_scan(folder)) == len(matcher.scan(docs))
