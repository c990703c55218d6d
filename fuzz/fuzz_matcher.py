"""Differential fuzzing: lexiscan against the plain reference matcher of tests/reference.py.

Random lexicons and documents from a small alphabet that is dense in the hard cases (case pairs
that fold to several letters, accents as separate marks, curly quotes, every kind of dash and
space, soft hyphens, emoji), random options (typo tolerance among them); every case checks that
`Matcher.find` equals `reference_find` (or `reference_find_with_typos`) and that
`text[start:end]` is the surface, offsets increase, and non-overlapping results do not overlap.
Runs with atheris (libFuzzer):

    pip install atheris
    python fuzz/fuzz_matcher.py -max_total_time=600 -print_final_stats=1

A crashing input is written as crash-*; add it to tests/test_hostile.py as a regression test.
"""

from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

with atheris.instrument_imports():
    from reference import (
        fold_alias,
        reference_find,
        reference_find_with_typos,
        split_prefix_entry,
    )

import lexiscan

ALPHABET = (
    "aAbBeEsSnN "
    "éÉèëßẞİıσςΣﬁ"  # folding that changes length or is not one to one
    "\u0301\u0308\u0327"  # combining accents
    "’‘“”'\""  # quotes
    "-‐‑–—−"  # dashes
    "\n\t\u00a0\u2009\u3000"  # spaces
    "\u00ad\u200b\ufeff"  # ignorables
    ".,()*😀中Жж7"
)
OPTIONS = [
    {"case": c, "accents": a, "whole_words": w, "overlapping": o}
    for c in ("insensitive", "sensitive")
    for a in ("fold", "keep")
    for w in (True, False)
    for o in (False, True)
]


def draw_text(fdp: atheris.FuzzedDataProvider, max_len: int) -> str:
    n = fdp.ConsumeIntInRange(0, max_len)
    return "".join(ALPHABET[fdp.ConsumeIntInRange(0, len(ALPHABET) - 1)] for _ in range(n))


def usable(alias: str) -> bool:
    alias, _ = split_prefix_entry(alias)
    try:
        for case_fold in (True, False):
            for accent_fold in (True, False):
                fold_alias(alias, case_fold, accent_fold)
    except ValueError:
        return False
    return True


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    lex = lexiscan.Lexicon()
    entries = []
    for e in range(fdp.ConsumeIntInRange(1, 4)):
        aliases = [a for a in (draw_text(fdp, 6) for _ in range(3)) if usable(a)]
        sensitive = fdp.ConsumeBool()
        name = f"E{e}"
        lex.add(name, aliases, case_sensitive=sensitive)
        for alias in [name, *aliases]:
            entry = (name, None, alias, sensitive)
            if entry not in entries:
                entries.append(entry)
    options = OPTIONS[fdp.ConsumeIntInRange(0, len(OPTIONS) - 1)]
    texts = [draw_text(fdp, 40) for _ in range(2)]
    text = " ".join(texts[:1] + [a for _, _, a, _ in entries[:2]] + texts[1:])
    max_edits = fdp.ConsumeIntInRange(0, 2)
    if max_edits:  # typo-tolerant matching, against its reference
        options = dict(options, max_edits=max_edits, typo_min_chars=fdp.ConsumeIntInRange(1, 5))
    found = lexiscan.Matcher(lex, **options).find(text)
    if max_edits:
        got = [(m.start, m.end, m.entity, m.label, m.alias, m.edits) for m in found]
        want = reference_find_with_typos(entries, text, **options)
    else:
        got = [(m.start, m.end, m.entity, m.label, m.alias) for m in found]
        want = reference_find(entries, text, **options)
    if got != want:
        raise AssertionError(f"{text!r} {entries!r} {options!r}\nlexiscan {got}\nreference {want}")
    previous = None
    for m in found:
        assert text[m.start : m.end] == m.text
        span = (m.start, m.end)
        if previous is not None and span != previous:  # rows of one span: one per entity
            bound = previous[0] if options["overlapping"] else previous[1]
            assert m.start >= bound, f"{span} after {previous}"
        previous = span


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
