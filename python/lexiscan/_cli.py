"""The `lexiscan` command: scan a corpus with a lexicon, count, keyword-in-context.

With no arguments (or `lexiscan demo`) it analyses the built-in corpus. Results go to standard
output or `--output`; progress bars and messages go to standard error, so the command fits in
a pipe. Exit status: 0 done, 1 a file, lexicon or argument value that cannot be used (one line
on stderr says which), 2 a usage error, 141 when the reader of the output went away
(`lexiscan ... | head`), as for any command killed by SIGPIPE.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import pandas as pd

from lexiscan import _demo
from lexiscan._cli_io import OUTPUT_FORMATS, output_format, read_corpus, write_table
from lexiscan._lexicon import Lexicon
from lexiscan._lexiscan import __version__
from lexiscan._matcher import Matcher
from lexiscan.formats import LexiconFormatError

# 128 + SIGPIPE: what a shell reports for a command whose reader closed the pipe.
EXIT_BROKEN_PIPE = 141

_CORPUS_HELP = (
    "documents: .txt files or directories of them (one document a file), .jsonl files (one a "
    "record), .csv/.tsv/.parquet tables (one a row), globs of those, or - for standard input "
    "(one document a line)"
)
_KWIC_HELP = (
    "an entity's canonical name or any of its aliases (matched as written, then ignoring "
    "case): shows every mention of that entity, whatever alias the text used"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lexiscan",
        description="Find the entities of a lexicon in a corpus. "
        "Without a command: analyse the built-in corpus (as `lexiscan demo`).",
        epilog="Example: lexiscan counts --lexicon people.yml news.jsonl --text-field body "
        "-o counts.parquet",
    )
    parser.add_argument("--version", action="version", version=f"lexiscan {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("demo", help="who is mentioned in which article of the built-in corpus")
    for name, help_ in (
        ("scan", "every match: doc, entity, label, alias, start, end, text"),
        ("counts", "mentions per document and entity"),
        ("kwic", "keyword in context for one entity (by its name or any alias)"),
    ):
        sub = commands.add_parser(name, help=help_, description=help_)
        if name == "scan":
            sub.add_argument(
                "--resume",
                action="store_true",
                help="write a resumable Parquet dataset to the --output folder; run again to "
                "finish an interrupted scan (read it with lexiscan.read_scan)",
            )
        if name == "kwic":
            sub.add_argument("entity", metavar="NAME", help=_KWIC_HELP)
            sub.add_argument("--window", type=int, default=5, help="words each side (5)")
        sub.add_argument(
            "--lexicon", required=True, help="lexicon file (.yml .json .csv .tsv .jsonl .dic)"
        )
        sub.add_argument("corpus", nargs="+", metavar="CORPUS", help=_CORPUS_HELP)
        sub.add_argument(
            "--text-field",
            "--text-column",
            dest="text",
            default="text",
            metavar="NAME",
            help="the JSON Lines field or table column that holds the text (text)",
        )
        sub.add_argument(
            "--id-field",
            "--id-column",
            dest="id",
            metavar="NAME",
            help="the field or column that names each document (default: file:record number)",
        )
        sub.add_argument(
            "--output",
            "-o",
            metavar="FILE",
            help="file to write, its format taken from the extension "
            f"({' '.join(OUTPUT_FORMATS)}); default: CSV on standard output",
        )
        sub.add_argument(
            "--format",
            choices=sorted(set(OUTPUT_FORMATS.values())),
            help="output format, whatever --output's extension",
        )
        sub.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="a progress bar on standard error (default: for large corpora)",
        )
        sub.add_argument(
            "--max-edits",
            type=int,
            default=0,
            help="also match aliases with this many typos inside a word of 5+ letters (0: off)",
        )
    return parser


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
    if args.command in (None, "demo"):
        return _demo.demo()
    try:
        if not os.path.exists(args.lexicon):
            raise FileNotFoundError(f"no such lexicon file: {args.lexicon}")
        resume = getattr(args, "resume", False)  # a folder of Parquet parts, any name
        fmt = "parquet" if resume else output_format(args.format, args.output)
        lexicon = Lexicon.read(args.lexicon)
        entities = _kwic_entities(lexicon, args.entity) if args.command == "kwic" else []
        matcher = Matcher(lexicon, max_edits=args.max_edits)
        docs = read_corpus(args.corpus, text=args.text, id=args.id)
        if resume:
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
            kwics = [result.kwic(entity, window=args.window) for entity in entities]
            frame = pd.concat(kwics).sort_values(["docname", "from"], kind="stable")
        write_table(frame, fmt, args.output)
    except BrokenPipeError:
        raise  # not a problem of the input: main_exit ends quietly
    except (OSError, LexiconFormatError, ValueError, ImportError, TypeError) as err:
        print(f"lexiscan: {err}", file=sys.stderr)
        return 1
    return 0


def _kwic_entities(lexicon: Lexicon, name: str) -> list[str]:
    """The entities `name` stands for: the entity of that name, else those with that alias
    (as written, then ignoring case). An error names the problem when there is none."""
    table = lexicon.to_frame()
    for same in (lambda s: s == name, lambda s: s.casefold() == name.casefold()):
        for column in ("entity", "alias"):
            hits = table.loc[table[column].map(same), "entity"]
            if not hits.empty:
                return list(dict.fromkeys(hits))
    raise ValueError(f"kwic: {name!r} is neither an entity nor an alias of the lexicon")


def main_exit() -> None:
    """Entry point of the `lexiscan` console script: a closed output pipe ends it quietly.

    The pattern of the Python documentation (signal module, "Note on SIGPIPE"): flush while
    the error can still be caught, then point stdout at devnull so that the interpreter's own
    flush at exit does not raise again.
    """
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        status = EXIT_BROKEN_PIPE
    sys.exit(status)
