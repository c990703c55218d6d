"""Ctrl-C during a long scan, and one matcher shared by many threads."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import pytest

import lexiscan


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
    for i, got in results.items():
        if i % 2:
            assert got == expected
        else:
            assert got.equals(scanned)  # type: ignore[union-attr]
