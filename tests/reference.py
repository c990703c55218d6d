"""A plain, slow, obviously-correct reference matcher for docs/matching.md.

This module deliberately does not import lexiscan. It uses only the standard library
(``unicodedata`` for General Categories and NFD, ``str.casefold`` for full case folding) and
brute-force substring search, so that it can be read side by side with the contract.

Section numbers in the comments refer to docs/matching.md.
"""

import unicodedata

__all__ = [
    "IGNORABLE",
    "WHITESPACE",
    "is_word_char",
    "is_dash",
    "is_removed_mark_codepoint",
    "fold",
    "fold_alias",
    "reference_find",
]

# §2.1 Ignorable characters: produce nothing.
IGNORABLE = frozenset("\u00ad\u200b\u2060\ufeff")

# §2.2 The Unicode White_Space property, spelled out (str.isspace differs: it also accepts
# U+001C..U+001F, which are not White_Space).
WHITESPACE = frozenset(
    [chr(c) for c in range(0x0009, 0x000D + 1)]
    + ["\u0020", "\u0085", "\u00a0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200A + 1)]
    + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
)

# §2.2 Line breaks; two in one whitespace run make a paragraph break, which folds to
# PARAGRAPH: no alias holds it (an alias's own paragraph breaks fold to a space).
LINE_BREAKS = frozenset("\n\r\u0085\u2028")
PARAGRAPH = "\n"

# §2.4 Quotes.
SINGLE_QUOTES = frozenset("\u2018\u2019\u201a\u201b\u2032\u02bc")
DOUBLE_QUOTES = frozenset("\u201c\u201d\u201e\u201f\u2033")

# §2.5 The combining-mark blocks removed by accent folding.
REMOVED_MARK_BLOCKS = (
    (0x0300, 0x036F),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)


def is_word_char(c):
    """§1: General Category L*, M* or N*."""
    return unicodedata.category(c)[0] in "LMN"


# §4 Apostrophes: English endings after one at a word's end, elided words before one.
ENDINGS = frozenset(["s", "t", "ll", "re", "ve", "d", "m"])
ELISIONS = frozenset(["l", "d", "qu", "j", "n", "s", "c", "m", "t"])
ELISIONS |= frozenset(["dell", "all", "nell", "sull", "dall"])


def _word_before(folded, i):
    """The run of word characters of ``folded`` that ends at index ``i``."""
    j = i
    while j > 0 and is_word_char(folded[j - 1]):
        j -= 1
    return folded[j:i]


def _word_after(folded, i):
    """The run of word characters of ``folded`` that starts at index ``i``."""
    j = i
    while j < len(folded) and is_word_char(folded[j]):
        j += 1
    return folded[i:j]


def glued_before(folded, s):
    """§4: a word runs on into index ``s`` (a word character) from the left: the character
    before is a word character, or an apostrophe after a word that is not an elision."""
    if s == 0:
        return False
    if folded[s - 1] == "'":
        word = _word_before(folded, s - 1)
        return word != "" and word.lower() not in ELISIONS
    return is_word_char(folded[s - 1])


def glued_after(folded, e):
    """§4: a word runs on from index ``e`` (after a word character) to the right: the
    character there is a word character, or an apostrophe before a word that is not an
    English ending."""
    if e >= len(folded):
        return False
    if folded[e] == "'":
        word = _word_after(folded, e + 1)
        return word != "" and word.lower() not in ENDINGS
    return is_word_char(folded[e])


def is_dash(c):
    """§2.3: General Category Pd, or the minus sign U+2212."""
    return unicodedata.category(c) == "Pd" or c == "\u2212"


def is_removed_mark_codepoint(c):
    """§2.5: a character in one of the combining-mark blocks removed by accent folding."""
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in REMOVED_MARK_BLOCKS)


def _fold_other(c, case_fold, accent_fold):
    """§2.5 for a single character: case folding, then NFD of each resulting character,
    then removal of the accent blocks."""
    chars = c.casefold() if case_fold else c
    out = []
    for ch in chars:
        for d in unicodedata.normalize("NFD", ch):
            if accent_fold and is_removed_mark_codepoint(d):
                continue
            out.append(d)
    return "".join(out)


def fold(text, case_fold, accent_fold):
    """Fold ``text`` by §2.

    Returns ``(folded, src, removed)``:

    - ``folded``: the folded string;
    - ``src``: a list, one entry per folded character, giving the index in ``text`` of the
      original character whose output it belongs to. Each original character's output is a
      contiguous (possibly empty) run of ``folded``; a run of whitespace is the output of the
      first whitespace character of the run.
    - ``removed``: a list, one entry per original character, True when the character went
      through rule 5 and produced nothing (a combining mark removed by accent folding). Such
      a mark belongs to the last character before it that produced output, ignorables in
      between not counting (§2.5; used for end offsets, §3). Producing nothing, it does not
      break a whitespace run (§2.2).
    """
    out = []
    src = []
    removed = [False] * len(text)
    n = len(text)
    breaks = 0
    for i, c in enumerate(text):
        # Rule 1: ignorable characters produce nothing, and do not break a whitespace run.
        if c in IGNORABLE:
            continue
        # Rule 2: whitespace produces one space, or nothing after a space; a run holding two
        # line breaks or more ("\r\n" counting as one), or a U+2029, is a paragraph break.
        if c in WHITESPACE:
            if not (out and out[-1] in (" ", PARAGRAPH)):
                out.append(" ")
                src.append(i)
                breaks = 0
            crlf = c == "\n" and i > 0 and text[i - 1] == "\r"
            if c in LINE_BREAKS and not crlf:
                breaks += 1
            if c == "\u2029" or breaks >= 2:
                out[-1] = PARAGRAPH
            continue
        # Rule 3: dashes, looking at the neighbours in the ORIGINAL text.
        if is_dash(c):
            before = text[i - 1] if i > 0 else None
            after = text[i + 1] if i + 1 < n else None
            if (
                before is not None
                and after is not None
                and is_word_char(before)
                and is_word_char(after)
            ):
                piece = " "
            else:
                piece = "-"
            out.append(piece)
            src.append(i)
            continue
        # Rule 4: quotes.
        if c in SINGLE_QUOTES:
            out.append("'")
            src.append(i)
            continue
        if c in DOUBLE_QUOTES:
            out.append('"')
            src.append(i)
            continue
        # Rule 5: everything else.
        piece = _fold_other(c, case_fold, accent_fold)
        if not piece:
            removed[i] = True
            continue
        for ch in piece:
            out.append(ch)
            src.append(i)
    return "".join(out), src, removed


def fold_alias(alias, case_fold, accent_fold):
    """§2: an alias is folded by the same rules, then stripped of leading/trailing spaces."""
    folded, _, _ = fold(alias, case_fold, accent_fold)
    folded = folded.replace(PARAGRAPH, " ").strip(" ")
    if not folded:
        raise ValueError(f"alias {alias!r} is empty after normalisation")
    return folded


def _all_occurrences(haystack, needle):
    """Every occurrence of needle in haystack, overlapping ones included."""
    found = []
    pos = haystack.find(needle)
    while pos != -1:
        found.append(pos)
        pos = haystack.find(needle, pos + 1)
    return found


def split_prefix_entry(alias):
    """§6: `invad*` is a prefix entry when the `*` ends the alias and follows a word char."""
    stripped = alias.rstrip()
    if len(stripped) > 1 and stripped.endswith("*") and is_word_char(stripped[-2]):
        return stripped[:-1], True
    return alias, False


def _candidates_in_folding(text, folded, src, removed, alias_folded, whole_words, prefix=False):
    """Yield (start, end) original offsets of the occurrences of alias_folded in folded that
    pass the character-edge rule (§3) and, if asked, the whole-word rule (§4). A prefix entry
    (§6) takes in the rest of the word and has no right-hand word check."""
    n = len(text)
    m = len(alias_folded)
    for s in _all_occurrences(folded, alias_folded):
        e = s + m
        if prefix:
            while e < len(folded) and is_word_char(folded[e]):
                e += 1
        # §3: s must be where an original character's output begins ...
        if s > 0 and src[s] == src[s - 1]:
            continue
        # ... and e where an original character's output ends.
        if e < len(folded) and src[e] == src[e - 1]:
            continue
        # §4: whole words, on the folded neighbours.
        if whole_words:
            if is_word_char(alias_folded[0]) and glued_before(folded, s):
                continue
            if not prefix and is_word_char(alias_folded[-1]) and glued_after(folded, e):
                continue
        start = src[s]
        end = src[e - 1] + 1
        # §3: extend over the removed combining marks that belong to the last character: those
        # right after it, ignorable characters in between not counting (§2.5). Ignorables after
        # the last such mark (or with no mark after them) are not included.
        k = end
        while k < n and (removed[k] or text[k] in IGNORABLE):
            k += 1
            if removed[k - 1]:
                end = k
        yield start, end


def reference_find(
    entries,
    text,
    *,
    case="insensitive",
    accents="fold",
    whole_words=True,
    overlapping=False,
):
    """entries: list of (entity, label, alias, case_sensitive) tuples in lexicon order (the
    order aliases were added). Entity identity is the pair (entity, label); entity order =
    order of first appearance in entries. An entity's canonical name is NOT implicitly added
    here: callers list it explicitly.

    Returns a list of (start, end, entity, label, alias) tuples, Python code-point offsets into
    `text`, ordered by start, then longer end first, then entity order; one row per
    (span, entity) keeping the alias that appears first in entries.
    """
    if case not in ("insensitive", "sensitive"):
        raise ValueError(f"case must be 'insensitive' or 'sensitive', got {case!r}")
    if accents not in ("fold", "keep"):
        raise ValueError(f"accents must be 'fold' or 'keep', got {accents!r}")
    accent_fold = accents == "fold"

    # Entity order: order of first appearance.
    entity_order = {}
    for entry in entries:
        entity_order.setdefault((entry[0], entry[1]), len(entity_order))

    # Fold every alias first, so an alias that folds to nothing raises whatever the text.
    folded_aliases = []
    for _entity, _label, alias, cs in entries:
        case_fold = not (cs or case == "sensitive")
        stem, prefix = split_prefix_entry(alias)
        folded_aliases.append((case_fold, fold_alias(stem, case_fold, accent_fold), prefix))

    # The two foldings of the document (with and without case folding), made on demand.
    foldings = {}

    def folding(case_fold):
        if case_fold not in foldings:
            foldings[case_fold] = fold(text, case_fold, accent_fold)
        return foldings[case_fold]

    # All candidates: span -> {entity key -> index of the first entry that matched it}.
    spans = {}
    for idx, (entity, label, _alias, _cs) in enumerate(entries):
        case_fold, alias_folded, prefix = folded_aliases[idx]
        folded, src, removed = folding(case_fold)
        spans_found = _candidates_in_folding(
            text, folded, src, removed, alias_folded, whole_words, prefix
        )
        for span in spans_found:
            per_entity = spans.setdefault(span, {})
            key = (entity, label)
            if key not in per_entity or idx < per_entity[key]:
                per_entity[key] = idx

    # §5: selection. Ordered by start, then longest end first.
    ordered_spans = sorted(spans, key=lambda se: (se[0], -se[1]))
    if overlapping:
        chosen = ordered_spans
    else:
        chosen = []
        last_end = None
        for start, end in ordered_spans:
            if last_end is None or start >= last_end:
                chosen.append((start, end))
                last_end = end

    result = []
    for span in chosen:
        per_entity = spans[span]
        for key in sorted(per_entity, key=lambda k: entity_order[k]):
            entity, label, alias, _cs = entries[per_entity[key]]
            result.append((span[0], span[1], entity, label, alias))
    return result


def _damerau_levenshtein(a, b):
    """Edit distance with insertions, deletions, substitutions and swaps of adjacent
    characters (the unrestricted Damerau–Levenshtein distance), by the textbook table."""
    big = len(a) + len(b)
    last_row_of = {}
    d = [[big] * (len(b) + 2) for _ in range(len(a) + 2)]
    for i in range(len(a) + 1):
        d[i + 1][0], d[i + 1][1] = big, i
    for j in range(len(b) + 1):
        d[0][j + 1], d[1][j + 1] = big, j
    for i in range(1, len(a) + 1):
        last_match_col = 0
        for j in range(1, len(b) + 1):
            k = last_row_of.get(b[j - 1], 0)
            last = last_match_col
            cost = 0 if a[i - 1] == b[j - 1] else 1
            if cost == 0:
                last_match_col = j
            d[i + 1][j + 1] = min(
                d[i][j] + cost,
                d[i + 1][j] + 1,
                d[i][j + 1] + 1,
                d[k][last] + (i - k - 1) + 1 + (j - last - 1),
            )
        last_row_of[a[i - 1]] = i
    return d[len(a) + 1][len(b) + 1]


def _word_runs(s):
    """(start, end) of every run of word characters of s."""
    runs = []
    i = 0
    while i < len(s):
        if is_word_char(s[i]):
            j = i
            while j < len(s) and is_word_char(s[j]):
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _original_span(text, folded, src, removed, s, e):
    """§3 for a folded span: its original (start, end), or None if it splits a character."""
    if s > 0 and src[s] == src[s - 1]:
        return None
    if e < len(folded) and src[e] == src[e - 1]:
        return None
    start, end = src[s], src[e - 1] + 1
    k = end
    while k < len(text) and (removed[k] or text[k] in IGNORABLE):
        k += 1
        if removed[k - 1]:
            end = k
    return start, end


def reference_find_with_typos(entries, text, *, max_edits, typo_min_chars=5, **options):
    """docs/matching.md §7: the exact matches of `reference_find`, plus runs of words that are
    an eligible alias (a word character at both ends, not a prefix entry) but for 1..max_edits
    edits (Damerau–Levenshtein: a swap is one) inside one word of at least `typo_min_chars`
    folded characters, the other words and the separators equal; that word keeps its first
    character, and neither it nor the alias word is a prefix of the other. Typo matches never
    overlap an exact one; without `overlapping` they are chosen leftmost-longest among
    themselves. One row per (span, entity): fewest edits, then the first alias.

    Rows are (start, end, entity, label, alias, edits)."""
    exact = [row + (0,) for row in reference_find(entries, text, **options)]
    accent_fold = options.get("accents", "fold") == "fold"
    case = options.get("case", "insensitive")
    overlapping = options.get("overlapping", False)
    entity_order = {}
    for entry in entries:
        entity_order.setdefault((entry[0], entry[1]), len(entity_order))
    typos = {}  # span -> {entity key: (edits, entry index)}
    for idx, (entity, label, alias, cs) in enumerate(entries):
        stem, prefix = split_prefix_entry(alias)
        case_fold = not (cs or case == "sensitive")
        pattern = fold_alias(stem, case_fold, accent_fold)
        eligible = not prefix and is_word_char(pattern[0]) and is_word_char(pattern[-1])
        if not eligible:
            continue
        folded, src, removed = fold(text, case_fold, accent_fold)
        alias_runs = _word_runs(pattern)
        alias_words = [pattern[s:e] for s, e in alias_runs]
        alias_seps = [pattern[a[1] : b[0]] for a, b in zip(alias_runs, alias_runs[1:])]
        runs = _word_runs(folded)
        k = len(alias_words)
        for first in range(len(runs) - k + 1):
            window = runs[first : first + k]
            words = [folded[s:e] for s, e in window]
            seps = [folded[a[1] : b[0]] for a, b in zip(window, window[1:])]
            if seps != alias_seps:
                continue
            differing = [i for i in range(k) if words[i] != alias_words[i]]
            if len(differing) != 1:
                continue
            word, target = words[differing[0]], alias_words[differing[0]]
            if len(target) < typo_min_chars:  # short words take no typos
                continue
            # A typo keeps the first letter and is not the word with letters added or cut at
            # its end (another form: Russian for Russia).
            if word[0] != target[0] or word.startswith(target) or target.startswith(word):
                continue
            edits = _damerau_levenshtein(word, target)
            if edits > max_edits:
                continue
            span = _original_span(text, folded, src, removed, window[0][0], window[-1][1])
            if span is None:
                continue
            if any(s < span[1] and span[0] < e for s, e, *_ in exact):
                continue
            per_entity = typos.setdefault(span, {})
            key = (entity, label)
            per_entity[key] = min(per_entity.get(key, (edits, idx)), (edits, idx))
    chosen = sorted(typos, key=lambda se: (se[0], -se[1]))
    if not overlapping:
        kept, last_end = [], None
        for start, end in chosen:
            if last_end is None or start >= last_end:
                kept.append((start, end))
                last_end = end
        chosen = kept
    rows = list(exact)
    for span in chosen:
        for key, (edits, idx) in typos[span].items():
            rows.append((span[0], span[1], key[0], key[1], entries[idx][2], edits))
    return sorted(rows, key=lambda r: (r[0], -r[1], entity_order[(r[2], r[3])]))
