"""Durable files: atomic writes that survive kill -9, and resumable scans that lose nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import lexiscan
from lexiscan import _atomic

pytest.importorskip("pyarrow")
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- atomic writes ------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="disk full"):
        with _atomic.atomic_path(target) as tmp:
            tmp.write_bytes(b"half of the new")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_every_writer_leaves_only_its_target(tmp_path: Path) -> None:
    lex = lexiscan.Lexicon().add("Kyiv", ["Kiev"], label="GPE")
    matcher = lexiscan.Matcher(lex)
    matcher.save(tmp_path / "m.lexiscan")
    for suffix in ("yml", "json", "csv", "tsv", "dic"):
        lex.write(tmp_path / f"lex.{suffix}")
    assert matcher.scan_to_parquet(["Kiev", "Kyiv"], tmp_path / "s.parquet") == 2
    assert matcher.scan_to_parquet(["Kiev"], tmp_path / "d", resume=True) == 1
    names = ["d", "lex.csv", "lex.dic", "lex.json", "lex.tsv", "lex.yml", "m.lexiscan"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names, "s.parquet"])
    assert sorted(p.name for p in (tmp_path / "d").iterdir()) == [
        "_lexiscan_manifest.json",
        "part-00000.parquet",
    ]
    assert lexiscan.Matcher.load(tmp_path / "m.lexiscan").fingerprint == matcher.fingerprint
    assert lexiscan.Lexicon.read(tmp_path / "lex.csv") == lex


@posix_only
def test_a_rewritten_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "m.lexiscan"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    lexiscan.Matcher(lexiscan.Lexicon().add("NATO")).save(target)
    assert target.stat().st_mode & 0o777 == 0o640


@posix_only
def test_a_symlinked_target_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old")
    (tmp_path / "link.csv").symlink_to(real)
    lexiscan.Lexicon().add("NATO").write(tmp_path / "link.csv")
    assert (tmp_path / "link.csv").is_symlink()
    assert lexiscan.Lexicon.read(real).entities == [("NATO", None)]


def test_temporaries_of_killed_writers_are_removed_by_the_next_write(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    stale = tmp_path / f".m.lexiscan.{int(dead.stdout)}.abc123.lexiscan-tmp"
    stale.write_bytes(b"half")
    other = tmp_path / f".m.lexiscan.{os.getpid()}.abc123.lexiscan-tmp"  # a live writer's
    other.write_bytes(b"in progress")
    lexiscan.Matcher(lexiscan.Lexicon().add("NATO")).save(tmp_path / "m.lexiscan")
    assert not stale.exists()
    assert other.exists()


# The child writes A, B, A, B, ... over one target until it is killed.
_WRITER = """
import itertools, sys
sys.path.insert(0, {tests!r})
from test_durable import big_lexicon
import lexiscan
kind, target, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
a, b = big_lexicon(0, size), big_lexicon(1, size)
if kind == "matcher":
    a, b = lexiscan.Matcher(a), lexiscan.Matcher(b)
print("ready", flush=True)
for i in itertools.count():
    (b if i % 2 == 0 else a).{method}(target)
"""


def big_lexicon(variant: int, size: int) -> lexiscan.Lexicon:
    """`size` aliases, three per entity (~100 bytes each written); variants differ everywhere."""
    entities = [f"Entity {variant} number {i // 3}" for i in range(size)]
    aliases = [f"alias {variant} x{i}" for i in range(size)]
    return lexiscan.Lexicon().add_many(entities, aliases, "ORG")


@posix_only
@pytest.mark.parametrize("kind", ["matcher", "lexicon"])
def test_kill_9_during_a_write_leaves_the_old_or_the_new_file(tmp_path: Path, kind: str) -> None:
    # sizes that take the child some 10-50 ms per write on a busy machine
    suffix, method = ("lexiscan", "save") if kind == "matcher" else ("csv", "write")
    size = 20_000 if kind == "matcher" else 40_000
    versions = []
    for variant in (0, 1):
        lex = big_lexicon(variant, size)
        path = tmp_path / f"v{variant}.{suffix}"
        lexiscan.Matcher(lex).save(path) if kind == "matcher" else lex.write(path)
        versions.append(path.read_bytes())
    assert versions[0] != versions[1]
    target = tmp_path / "out" / f"target.{suffix}"
    target.parent.mkdir()
    target.write_bytes(versions[0])
    code = _WRITER.format(tests=str(Path(__file__).parent), method=method)
    rng = random.Random(22)
    for _ in range(4):
        child = subprocess.Popen(
            [sys.executable, "-c", code, kind, str(target), str(size)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        content = target.read_bytes()
        assert content in versions, f"{len(content)} bytes: neither the old nor the new file"
    # a killed writer may leave its temporary; the next write clears it
    _atomic.write_bytes(target, versions[0])  # any write to the target clears them
    assert leftovers(target.parent) == []
    assert target.read_bytes() == versions[0]
