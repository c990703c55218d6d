"""The `lexiscan` command line: outputs, exit codes, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lexiscan", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Stoltenberg met Alexander\nFomin.", "utf-8")
    (tmp_path / "docs" / "b.txt").write_text("Kiev, now Kyiv.", "utf-8")
    (tmp_path / "lex.yml").write_text(
        "PERSON:\n  Jens Stoltenberg: [Jens Stoltenberg, Stoltenberg]\n"
        "  Alexander Fomin: [Alexander Fomin, Fomin]\nGPE:\n  Kyiv: [Kyiv, Kiev]\n",
        "utf-8",
    )
    return tmp_path


def test_no_arguments_analyses_the_built_in_corpus() -> None:
    done = run()
    assert done.returncode == 0
    assert "Mentions per article in the built-in corpus" in done.stdout
    assert "Jens Stoltenberg" in done.stdout


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_scan_writes_every_match(corpus: Path, fmt: str) -> None:
    out = corpus / f"out.{fmt}"
    done = run("scan", "--lexicon", str(corpus / "lex.yml"), str(corpus / "docs"),
               "--format", fmt, "--output", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    if fmt == "csv":
        frame = pd.read_csv(out)
    elif fmt == "jsonl":
        frame = pd.DataFrame([json.loads(line) for line in out.read_text("utf-8").splitlines()])
    else:
        frame = pd.read_parquet(out)
    assert frame["entity"].tolist() == ["Jens Stoltenberg", "Alexander Fomin", "Kyiv", "Kyiv"]
    assert frame["text"].tolist()[1] == "Alexander\nFomin"


def test_counts_and_kwic(corpus: Path) -> None:
    done = run("counts", "--lexicon", str(corpus / "lex.yml"), str(corpus / "docs" / "*.txt"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "doc,Jens Stoltenberg,Alexander Fomin,Kyiv"
    done = run("kwic", "Kyiv", "--lexicon", str(corpus / "lex.yml"), str(corpus / "docs"))
    assert done.returncode == 0, done.stderr
    assert "now" in done.stdout and "Kiev" in done.stdout


def test_missing_files_and_bad_lexicons_exit_1_with_a_message(corpus: Path) -> None:
    done = run("scan", "--lexicon", str(corpus / "nope.yml"), str(corpus / "docs"))
    assert done.returncode == 1 and "no such lexicon file" in done.stderr
    done = run("scan", "--lexicon", str(corpus / "lex.yml"), str(corpus / "missing"))
    assert done.returncode == 1 and "missing" in done.stderr
    (corpus / "bad.csv").write_text("entity,label,alias\n,PERSON,x\n", "utf-8")
    done = run("scan", "--lexicon", str(corpus / "bad.csv"), str(corpus / "docs"))
    assert done.returncode == 1 and "line 2" in done.stderr


def test_max_edits_finds_typos_and_a_bad_value_exits_1(corpus: Path) -> None:
    (corpus / "docs" / "c.txt").write_text("Stoltenbreg spoke.", "utf-8")
    lexicon = str(corpus / "lex.yml")
    done = run("scan", "--max-edits", "1", "--lexicon", lexicon, str(corpus / "docs"))
    assert done.returncode == 0, done.stderr
    rows = [line.split(",") for line in done.stdout.splitlines()]
    assert rows[0][-1] == "edits"
    assert [r[-2:] for r in rows[1:] if r[-1] == "1"] == [["Stoltenbreg", "1"]]
    done = run("scan", "--max-edits", "3", "--lexicon", lexicon, str(corpus / "docs"))
    assert done.returncode == 1
    assert "max_edits='3'" in done.stderr


def test_usage_errors_exit_2() -> None:
    assert run("scan").returncode == 2
    assert run("frobnicate").returncode == 2
