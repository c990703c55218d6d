"""The `lexiscan` command: scan files with a lexicon, count, keyword-in-context.

With no arguments it analyses the built-in corpus. Exit status: 0 done, 1 a file or lexicon
that cannot be used (the message says which), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import pandas as pd

from lexiscan import _atomic, _demo
from lexiscan._corpus import read_texts
from lexiscan._formats import LexiconFormatError
from lexiscan._lexicon import Lexicon
from lexiscan._matcher import Matcher


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lexiscan",
        description="Find the entities of a lexicon in text files. "
        "Without a command: analyse the built-in corpus.",
    )
    commands = parser.add_subparsers(dest="command")
    for name, help_ in (
        ("scan", "every match: doc, entity, label, alias, start, end, text"),
        ("counts", "mentions per document and entity"),
        ("kwic", "keyword in context for one entity or alias"),
    ):
        sub = commands.add_parser(name, help=help_)
        if name == "scan":
            sub.add_argument(
                "--resume",
                action="store_true",
                help="write a resumable Parquet dataset to the --output folder; run again to "
                "finish an interrupted scan (read it with lexiscan.read_scan)",
            )
        if name == "kwic":
            sub.add_argument("entity", help="canonical entity name or alias")
            sub.add_argument("--window", type=int, default=5, help="words each side (5)")
        sub.add_argument(
            "--lexicon", required=True, help="lexicon file (.yml .json .csv .tsv .jsonl .dic)"
        )
        sub.add_argument("corpus", nargs="+", help=".txt files, directories or globs")
        sub.add_argument("--format", choices=["csv", "jsonl", "parquet"], default="csv")
        sub.add_argument("--output", "-o", help="file to write (default: standard output)")
        sub.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None)
        sub.add_argument(
            "--max-edits",
            type=int,
            default=0,
            help="also match aliases with this many typos inside a word of 5+ letters (0: off)",
        )
    return parser


def _write(frame: pd.DataFrame, fmt: str, output: str | None) -> None:
    if fmt == "parquet":
        if output is None:
            raise ValueError("--format parquet needs --output FILE")
        with _atomic.atomic_path(output) as tmp:
            frame.to_parquet(tmp, index=False)
    elif fmt == "jsonl":
        text = frame.to_json(orient="records", lines=True, force_ascii=False)
        _emit(text, output)
    else:
        _emit(frame.to_csv(index=False), output)


def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        _atomic.write_text(output, text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Stoltenberg met Fomin.", encoding="utf-8")
    >>> _ = (folder / "lex.csv").write_text(
    ...     "entity,label,alias\\nJens Stoltenberg,PERSON,Stoltenberg\\n", encoding="utf-8")
    >>> main(["scan", "--lexicon", str(folder / "lex.csv"), str(folder)])  # doctest: +ELLIPSIS
    doc,entity,label,alias,start,end,text
    ...a.txt,Jens Stoltenberg,PERSON,Stoltenberg,0,11,Stoltenberg
    0
    >>> _ = (folder / "b.txt").write_text("Stoltenbreg spoke.", encoding="utf-8")
    >>> lexicon, typo = str(folder / "lex.csv"), str(folder / "b.txt")
    >>> main(["scan", "--max-edits", "1", "--lexicon", lexicon, typo])  # doctest: +ELLIPSIS
    doc,entity,label,alias,start,end,text,edits
    ...b.txt,Jens Stoltenberg,PERSON,Stoltenberg,0,11,Stoltenbreg,1
    0
    >>> main(["scan", "--lexicon", "missing.yml", str(folder)])  # the message goes to stderr
    1
    """
    args = _parser().parse_args(argv)
    if args.command is None:
        return _demo.demo()
    try:
        if not os.path.exists(args.lexicon):
            raise FileNotFoundError(f"no such lexicon file: {args.lexicon}")
        matcher = Matcher(Lexicon.read(args.lexicon), max_edits=args.max_edits)
        docs = read_texts(*args.corpus)
        if getattr(args, "resume", False):
            if args.output is None:
                raise ValueError("--resume needs --output FOLDER")
            matcher.scan_to_parquet(docs, args.output, progress=args.progress, resume=True)
            return 0
        result = matcher.scan(docs, progress=args.progress)
        if args.command == "scan":
            frame = result.to_pandas()
        elif args.command == "counts":
            frame = result.counts().rename_axis("doc").reset_index()
        else:
            frame = result.kwic(args.entity, window=args.window)
        _write(frame, args.format, args.output)
    except (FileNotFoundError, FileExistsError, LexiconFormatError, ValueError, ImportError) as err:
        print(f"lexiscan: {err}", file=sys.stderr)
        return 1
    return 0


def main_exit() -> None:
    """Entry point of the `lexiscan` console script."""
    sys.exit(main())
