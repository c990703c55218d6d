"""The command line in a shell: corpus kinds, output formats by extension, --version, kwic by
alias, closed pipes, and errors that name the problem."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import lexiscan

LEXICON = (
    "PERSON:\n  Alexander Fomin: [Alexander Fomin, Fomin]\n"
    "  Jens Stoltenberg: [Jens Stoltenberg, Stoltenberg]\nGPE:\n  Kyiv: [Kyiv, Kiev]\n"
)
TEXTS = {"a": "Fomin met Stoltenberg.", "b": "Alexander Fomin left Kiev.", "c": "Nothing."}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lexiscan", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


@pytest.fixture
def lexicon(tmp_path: Path) -> str:
    path = tmp_path / "lex.yml"
    path.write_text(LEXICON, "utf-8")
    return str(path)


def expected_counts() -> list[list[int]]:
    """What the library says for TEXTS: the CLI must agree with it."""
    table = pd.DataFrame({"text": list(TEXTS.values())}, index=list(TEXTS))
    matcher = lexiscan.Matcher(_lexicon_from_text())
    return matcher.scan(table["text"]).counts().to_numpy().tolist()


def _lexicon_from_text() -> lexiscan.Lexicon:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lex.yml"
        path.write_text(LEXICON, "utf-8")
        return lexiscan.Lexicon.read(path)


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"lexiscan {lexiscan.__version__}"


def write_corpus(tmp_path: Path, kind: str) -> tuple[str, list[str]]:
    """TEXTS as a corpus of one kind; returns the path and the options that read it."""
    frame = pd.DataFrame({"key": list(TEXTS), "body": list(TEXTS.values())})
    if kind == "jsonl":
        path = tmp_path / "news.jsonl"
        lines = [json.dumps({"key": k, "body": t}) for k, t in TEXTS.items()]
        path.write_text("\n".join(lines) + "\n", "utf-8")
        return str(path), ["--text-field", "body", "--id-field", "key"]
    if kind in ("csv", "tsv"):
        path = tmp_path / f"news.{kind}"
        frame.to_csv(path, sep="\t" if kind == "tsv" else ",", index=False)
        return str(path), ["--text-column", "body", "--id-column", "key"]
    path = tmp_path / "news.parquet"
    frame.to_parquet(path, index=False)
    return str(path), ["--text-column", "body", "--id-column", "key"]


@pytest.mark.parametrize("kind", ["jsonl", "csv", "tsv", "parquet"])
def test_each_record_or_row_is_a_document(tmp_path: Path, lexicon: str, kind: str) -> None:
    corpus, options = write_corpus(tmp_path, kind)
    done = run("counts", "--lexicon", lexicon, corpus, *options)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "doc,Alexander Fomin,Jens Stoltenberg,Kyiv"
    assert [line.split(",")[0] for line in lines[1:]] == list(TEXTS)
    counts = [[int(x) for x in line.split(",")[1:]] for line in lines[1:]]
    assert counts == expected_counts()


def test_records_without_an_id_are_numbered(tmp_path: Path, lexicon: str) -> None:
    corpus, _ = write_corpus(tmp_path, "jsonl")
    done = run("scan", "--lexicon", lexicon, corpus, "--text-field", "body")
    assert done.returncode == 0, done.stderr
    docs = pd.read_csv(io.StringIO(done.stdout))["doc"].tolist()
    assert docs == [f"{corpus}:1", f"{corpus}:1", f"{corpus}:2", f"{corpus}:2"]


def test_standard_input_is_one_document_a_line(lexicon: str) -> None:
    done = run("counts", "--lexicon", lexicon, "-", stdin="\n".join(TEXTS.values()) + "\n")
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(io.StringIO(done.stdout))
    assert frame["doc"].tolist() == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert frame.drop(columns="doc").to_numpy().tolist() == expected_counts()


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet"])
def test_the_output_format_follows_the_extension(tmp_path: Path, lexicon: str, suffix: str) -> None:
    out = tmp_path / f"matches{suffix}"
    done = run("scan", "--lexicon", lexicon, "-", "-o", str(out), stdin="Fomin in Kiev\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    if suffix == ".parquet":
        frame = pd.read_parquet(out)
    elif suffix == ".jsonl":
        frame = pd.read_json(out, lines=True)
    else:
        frame = pd.read_csv(out, sep="\t" if suffix == ".tsv" else ",")
    assert frame["text"].tolist() == ["Fomin", "Kiev"]


def test_kwic_takes_an_alias_for_its_entity(tmp_path: Path, lexicon: str) -> None:
    corpus, options = write_corpus(tmp_path, "jsonl")
    by_alias = run("kwic", "fomin", "--lexicon", lexicon, corpus, *options)
    by_name = run("kwic", "Alexander Fomin", "--lexicon", lexicon, corpus, *options)
    assert by_alias.returncode == 0, by_alias.stderr
    assert by_alias.stdout == by_name.stdout
    frame = pd.read_csv(io.StringIO(by_alias.stdout))
    assert frame["keyword"].tolist() == ["Fomin", "Alexander Fomin"]
    assert "any of its aliases" in run("kwic", "--help").stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["kwic", "Nobody"], "x\n", "'Nobody' is neither an entity nor an alias"),
        (["scan", "-o", "out.xlsx"], "x\n", "cannot tell the format of --output out.xlsx"),
        (["scan", "--text-column", "body", "TABLE"], None, "has no column 'body'"),
        (["scan", "--text-field", "body", "JSONL"], None, 'no field "body"'),
        (["scan", "--format", "parquet"], "x\n", "--format parquet needs --output FILE"),
        (["scan", "no/such/*.txt"], None, "no such file, directory or match: no/such/*.txt"),
    ],
)
def test_bad_input_is_one_line_naming_the_problem(
    tmp_path: Path, lexicon: str, args: list[str], stdin: str | None, message: str
) -> None:
    (tmp_path / "t.csv").write_text("a,b\n1,2\n", "utf-8")
    (tmp_path / "t.jsonl").write_text('{"text": "x"}\n', "utf-8")
    args = [{"TABLE": str(tmp_path / "t.csv"), "JSONL": str(tmp_path / "t.jsonl")}.get(a, a)
            for a in args]  # fmt: skip
    command, rest = args[0], args[1:]
    corpus = [] if any(a in ("TABLE", "JSONL") or "/" in a for a in args) else ["-"]
    done = subprocess.run(
        [sys.executable, "-m", "lexiscan", command, "--lexicon", lexicon, *rest, *corpus],
        capture_output=True, text=True, input=stdin, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_closed_pipe_ends_quietly_with_status_141(lexicon: str) -> None:
    # Far more output than a pipe holds, so the command is still writing when we hang up.
    stdin = "Fomin met Stoltenberg in Kiev.\n" * 50_000
    process = subprocess.Popen(
        [sys.executable, "-m", "lexiscan", "scan", "--no-progress", "--lexicon", lexicon, "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(stdin.encode())
    process.stdin.close()
    assert process.stdout.readline().startswith(b"doc,entity")
    process.stdout.close()
    assert process.wait(timeout=120) == 141
    assert process.stderr is not None and process.stderr.read() == b""


def test_progress_goes_to_stderr_only(lexicon: str) -> None:
    done = run("counts", "--progress", "--lexicon", lexicon, "-", stdin="Fomin\nKiev\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "doc,Alexander Fomin,Jens Stoltenberg,Kyiv"
    assert "%" not in done.stdout and "doc/s" in done.stderr


def test_parquet_output_without_pyarrow_names_the_extra(tmp_path: Path, lexicon: str) -> None:
    script = (
        "import sys; sys.modules['pyarrow'] = None\n"
        "from lexiscan._cli import main\n"
        f"sys.exit(main(['scan', '--lexicon', {lexicon!r}, '-', '-o', 'out.parquet']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input="Fomin\n", capture_output=True, text=True,
        timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == "lexiscan: --format parquet needs pyarrow: pip install 'lexiscan[arrow]'"
    )


def test_demo_tables_keep_every_article(tmp_path: Path) -> None:
    done = run("demo")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Mentions per article in the built-in corpus: 5 news articles")
    assert "<Matcher" not in done.stdout
    headers = [line for line in done.stdout.splitlines() if line.startswith("article ")]
    assert len(headers) >= 4
    for header in headers:
        assert header.split()[1:] == [
            "0:Worthy", "News", "1:Al", "Jazeera", "2:US", "daily", "3:News", "aggregator",
            "4:Live", "updates",
        ]  # fmt: skip
