"""Durable files: atomic writes that survive kill -9, and resumable scans that lose nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
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


# -- resumable scans ----------------------------------------------------------------------

DOCS = ["Kiev, now Kyiv", "nothing here", "", "NATO in Kyiv", None, "Kyiv Kyiv Kyiv"] * 7


def small_matcher(**options: object) -> lexiscan.Matcher:
    lex = lexiscan.Lexicon().add("Kyiv", ["Kiev"], label="GPE").add("NATO", label="ORG")
    return lexiscan.Matcher(lex, **options)  # type: ignore[arg-type]


def manifest(folder: Path) -> dict:
    return json.loads((folder / "_lexiscan_manifest.json").read_text())


@pytest.mark.parametrize("batch_size", [1, 4, 5, 100])
@pytest.mark.parametrize("source", ["list", "iterator", "series", "arrow"])
def test_a_resumable_scan_equals_a_plain_one(tmp_path: Path, batch_size: int, source: str) -> None:
    m = small_matcher()
    series = pd.Series(DOCS, index=[f"d{i}" for i in range(len(DOCS))])
    docs = {
        "list": lambda: DOCS,
        "iterator": lambda: iter(DOCS),
        "series": lambda: series,
        "arrow": lambda: pytest.importorskip("pyarrow").array(DOCS),
    }[source]()
    expected = m.scan(series if source == "series" else DOCS).to_pandas()
    n = m.scan_to_parquet(docs, tmp_path / "d", batch_size=batch_size, resume=True)
    assert n == len(expected) > 0
    got = lexiscan.read_scan(tmp_path / "d")
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_categorical=False)
    assert manifest(tmp_path / "d")["documents"] == len(DOCS)
    assert manifest(tmp_path / "d")["complete"] is True


class Stop(Exception):
    pass


def stream(docs: list, stop_after: int | None = None):
    for i, doc in enumerate(docs):
        if i == stop_after:
            raise Stop
        yield doc


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path: Path) -> None:
    m = small_matcher()
    folder = tmp_path / "d"
    with pytest.raises(Stop):
        m.scan_to_parquet(stream(DOCS, 13), folder, batch_size=4, resume=True)
    done = manifest(folder)
    assert done["complete"] is False and done["documents"] == 12
    with pytest.raises(lexiscan.IncompleteScanError, match="has not finished"):
        lexiscan.read_scan(folder)
    partial = lexiscan.read_scan(folder, allow_partial=True)
    assert partial.equals(m.scan(DOCS[:12]).to_pandas().astype(partial.dtypes.to_dict()))
    seen: list[str] = []

    def counted():  # the resumed run reads past the done documents without scanning them
        for doc in DOCS:
            seen.append(doc)
            yield doc

    total = m.scan_to_parquet(counted(), folder, batch_size=4, resume=True)
    assert len(seen) == len(DOCS)
    expected = m.scan(DOCS).to_pandas()
    assert total == len(expected)
    got = lexiscan.read_scan(folder)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_categorical=False)
    # a finished run is not scanned again
    assert m.scan_to_parquet(iter(()), folder, resume=True) == total


def test_resume_refuses_another_matcher_or_options(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    with pytest.raises(Stop):
        small_matcher().scan_to_parquet(stream(DOCS, 3), folder, batch_size=1, resume=True)
    with pytest.raises(ValueError, match="different matcher"):
        lexiscan.Matcher(lexiscan.Lexicon().add("Kyiv")).scan_to_parquet(DOCS, folder, resume=True)
    with pytest.raises(ValueError, match="different matcher|options"):
        small_matcher(overlapping=True).scan_to_parquet(DOCS, folder, resume=True)
    with pytest.raises(ValueError, match="documents end after 2, but 3"):
        small_matcher().scan_to_parquet(DOCS[:2], folder, resume=True)
    assert manifest(folder)["documents"] == 3  # refusals change nothing


def test_resume_refuses_a_folder_that_is_not_a_scan(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="no _lexiscan_manifest.json"):
        small_matcher().scan_to_parquet(DOCS, tmp_path, resume=True)
    (tmp_path / "file.parquet").write_text("x")
    with pytest.raises(FileExistsError, match="is a file"):
        small_matcher().scan_to_parquet(DOCS, tmp_path / "file.parquet", resume=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.parquet", "notes.txt"]


def test_an_interrupted_plain_scan_leaves_the_previous_file(tmp_path: Path) -> None:
    m = small_matcher()
    path = tmp_path / "out.parquet"
    m.scan_to_parquet(DOCS[:3], path)
    before = path.read_bytes()
    with pytest.raises(Stop):
        m.scan_to_parquet(stream(DOCS, 20), path, batch_size=4)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet"]


_RESUMER = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_durable import kill_corpus, small_matcher
manifest = Path(sys.argv[1]) / "_lexiscan_manifest.json"
done = json.loads(manifest.read_text())["documents"] if manifest.exists() else 0

def paced():  # ~1 ms per document scanned, so that kills land mid-run on any machine
    for i, doc in enumerate(kill_corpus()):
        if i >= done:
            time.sleep(0.001)
        yield doc

print("ready", flush=True)
small_matcher().scan_to_parquet(paced(), sys.argv[1], batch_size=25, resume=True)
print("done", flush=True)
"""


def kill_corpus() -> list:
    return [f"Kyiv {i} " + ("NATO Kiev " * (i % 7)) if i % 5 else None for i in range(1_000)]


@posix_only
def test_kill_9_at_random_points_then_resume_loses_nothing_and_repeats_nothing(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "d"
    code = _RESUMER.format(tests=str(Path(__file__).parent))
    rng = random.Random(7)
    kills, documents = 0, []
    # each round costs a Python start-up; `pytest --slow` kills many more times
    rounds = 30 if os.environ.get("LEXISCAN_HYPOTHESIS_PROFILE") == "slow" else 8
    for _ in range(rounds):
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        finished = child.wait() == 0
        kills += not finished
        state = manifest(folder) if (folder / "_lexiscan_manifest.json").exists() else None
        if state is not None:
            # every part the manifest lists is complete and holds the rows it says
            for part in state["parts"]:
                assert len(pd.read_parquet(folder / part["file"])) == part["rows"]
            assert sum(p["rows"] for p in state["parts"]) == state["rows"]
            documents.append(state["documents"])
            if state["complete"]:
                break
    else:
        child = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True)
        assert child.returncode == 0, child.stderr
    assert kills >= 4, "the scan finished before it could be killed often enough"
    assert documents == sorted(documents)  # progress is never lost
    expected = small_matcher().scan(kill_corpus()).to_pandas()
    got = lexiscan.read_scan(folder)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_categorical=False)
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


@posix_only
def test_a_device_is_written_in_place(tmp_path: Path) -> None:
    lexiscan.Lexicon().add("NATO").write("/dev/null", format="csv")
    assert list(tmp_path.iterdir()) == []


def test_the_cli_resumes_a_scan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lexiscan._cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, doc in enumerate(DOCS):
        (corpus / f"{i:03d}.txt").write_text(doc or "", encoding="utf-8")
    lexicon = tmp_path / "lex.csv"
    small_matcher().lexicon.write(lexicon)
    out = tmp_path / "out"
    args = ["scan", "--lexicon", str(lexicon), str(corpus), "--output", str(out), "--resume"]
    assert main(args) == 0
    assert main(args) == 0  # finished: nothing to do
    got = lexiscan.read_scan(out)
    expected = small_matcher().scan(lexiscan.read_texts(corpus)).to_pandas()
    assert got["doc"].tolist() == expected["doc"].tolist()
    assert got["text"].tolist() == expected["text"].tolist()
    assert main(["scan", "--lexicon", str(lexicon), str(corpus), "--resume"]) == 1
    assert "--resume needs --output" in capsys.readouterr().err


def _disk_full(fd: int) -> None:
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize("writer", ["save", "write", "parquet", "resumable", "cli"])
def test_a_full_disk_leaves_the_old_file(
    tmp_path: Path, writer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = small_matcher()
    target = tmp_path / {"save": "m.lexiscan", "write": "lex.csv", "cli": "out.csv"}.get(
        writer, "out.parquet"
    )
    if writer == "resumable":
        target = tmp_path / "d"
        with pytest.raises(Stop):
            m.scan_to_parquet(stream(DOCS, 4), target, batch_size=2, resume=True)
        before = {p.name: p.read_bytes() for p in target.iterdir()}
    else:
        target.write_bytes(b"the old file")
    lexicon = tmp_path / "lexicon.csv"
    m.lexicon.write(lexicon)
    monkeypatch.setattr(os, "fsync", _disk_full)
    if writer == "cli":
        from lexiscan._cli import main

        assert main(["scan", "--lexicon", str(lexicon), str(lexicon), "-o", str(target)]) == 1
    else:
        with pytest.raises(OSError, match="No space left"):
            if writer == "save":
                m.save(target)
            elif writer == "write":
                m.lexicon.write(target)
            elif writer == "parquet":
                m.scan_to_parquet(DOCS, target)
            else:
                m.scan_to_parquet(DOCS, target, batch_size=2, resume=True)
    monkeypatch.undo()
    if writer == "resumable":  # the parts done are kept; the run resumes from them
        assert {p.name: p.read_bytes() for p in target.iterdir()} == before
        assert manifest(target)["documents"] == 4
    else:
        assert target.read_bytes() == b"the old file"
    assert leftovers(tmp_path) == []
