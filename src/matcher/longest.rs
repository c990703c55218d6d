//! Non-overlapping, leftmost-longest matching among valid candidates (docs/matching.md §5),
//! without generating the candidates the greedy choice would discard.
//!
//! A leftmost-longest automaton finds the next start that has any alias, and the longest alias
//! there. If the start itself fails (it splits a character, or is glued to a word), every alias
//! there fails, and the walk moves on by one character. If the longest alias is valid it wins;
//! otherwise every alias at that start (the longest one's prefixes, `prefixes`) is tried and
//! the longest valid span wins — a longer alias that fails its end check never hides a shorter
//! valid one. While the lexicon fits a DFA and there is one folding, that search runs over
//! pieces of several texts in lockstep (`lockstep`). With whole words and a lexicon too large
//! for a DFA, anchored walks from word starts replace the unanchored search (`word_starts`).
//! With case-sensitive and case-insensitive aliases there are two foldings; their next groups
//! are merged by (start, longest).

use super::code_points::Candidate;
use super::lockstep::{width_for, Found, Lockstep, Piece, MIN_STREAM_BYTES};
use super::pass::{NextStart, Pass, Search};
use super::places::Places;
use super::prefixes::Prefixes;
use super::split::{cut_points, CutBytes};
use super::table::Table;
use super::unfolded::Unfolded;
use super::word_sequences::prefetch;
use super::word_starts::{word_end, AnchoredAutomaton};
use crate::chars::{glued_after, glued_before, is_word_char};
use crate::normalize::Folded;
use aho_corasick::automaton::Automaton;
use aho_corasick::{Input, PatternID};

/// A text as the search reads it: the bytes the automaton steps over and the whole-word
/// checks read (a folded copy, or an original searched `unfolded`), and the way back to the
/// original's byte offsets.
pub(super) trait Searched {
    fn text(&self) -> &str;
    /// Original byte offset of a match starting at byte `pos`, if one may start there.
    fn original_start(&self, pos: usize) -> Option<usize>;
    /// Original byte offset one past a match ending at byte `end`, if one may end there.
    fn original_end(&self, end: usize) -> Option<usize>;
    /// Where the span of a pattern of `len` folded bytes that ends at `end` starts.
    fn start_before(&self, end: usize, len: usize) -> usize;
    /// Where the span of `len` folded bytes that starts at `start` ends.
    fn end_after(&self, start: usize, len: usize) -> usize;

    #[inline]
    fn char_at(&self, pos: usize) -> Option<char> {
        self.text()[pos..].chars().next()
    }

    #[inline]
    fn char_before(&self, pos: usize) -> Option<char> {
        self.text()[..pos].chars().next_back()
    }
}

impl Searched for Folded {
    #[inline]
    fn text(&self) -> &str {
        Folded::text(self)
    }
    #[inline]
    fn original_start(&self, pos: usize) -> Option<usize> {
        Folded::original_start(self, pos)
    }
    #[inline]
    fn original_end(&self, end: usize) -> Option<usize> {
        Folded::original_end(self, end)
    }
    #[inline]
    fn start_before(&self, end: usize, len: usize) -> usize {
        end - len
    }
    #[inline]
    fn end_after(&self, start: usize, len: usize) -> usize {
        start + len
    }
}

impl Searched for Unfolded<'_> {
    #[inline]
    fn text(&self) -> &str {
        self.text
    }
    #[inline]
    fn original_start(&self, pos: usize) -> Option<usize> {
        Some(pos)
    }
    #[inline]
    fn original_end(&self, end: usize) -> Option<usize> {
        Some(end)
    }
    #[inline]
    fn start_before(&self, end: usize, len: usize) -> usize {
        Unfolded::start_before(self, end, len)
    }
    #[inline]
    fn end_after(&self, start: usize, len: usize) -> usize {
        Unfolded::end_after(self, start, len)
    }
}

/// The span of a group of candidates; its rows are kept in a buffer beside it.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    folded_end: usize,
}

/// All non-overlapping matches of each text, in result order, from its folding for each pass
/// (`folded[text][pass]`). `cut_after`: the bytes after which no match can continue (`split`).
pub(super) fn find_many(
    passes: &[Pass],
    folded: &[Vec<Folded>],
    whole_words: bool,
    cut_after: &CutBytes,
) -> Vec<Vec<Candidate>> {
    if let [pass] = passes {
        if let Search::Unanchored {
            next: NextStart::Table(table),
            prefixes,
        } = &pass.search
        {
            let folded: Vec<&Folded> = folded.iter().map(|f| &f[0]).collect();
            return find_in_lockstep(pass, table, prefixes, &folded, whole_words, cut_after);
        }
    }
    folded
        .iter()
        .map(|folded| find(passes, folded, whole_words))
        .collect()
}

/// All non-overlapping matches of a text, in result order, from its folding for each pass.
fn find(passes: &[Pass], folded: &[Folded], whole_words: bool) -> Vec<Candidate> {
    let mut out = Vec::new();
    if let ([pass], [folded]) = (passes, folded) {
        // One folding: no merging, rows go straight to the output.
        let mut from = 0;
        let mut first_row = 0;
        let mut scratch = Vec::new();
        let mut places = Places::default();
        while let Some(span) = next_group(
            pass,
            folded,
            from,
            whole_words,
            &mut out,
            &mut scratch,
            &mut places,
        ) {
            one_row_per_entity(&mut out, first_row);
            first_row = out.len();
            from = span.folded_end;
        }
        return out;
    }
    let mut rows: Vec<Vec<Candidate>> = vec![Vec::new(); passes.len()];
    let mut scratch = Vec::new();
    let mut places: Vec<Places> = vec![Places::default(); passes.len()];
    let mut next: Vec<Option<Span>> = (0..passes.len())
        .map(|i| {
            next_group(
                &passes[i],
                &folded[i],
                0,
                whole_words,
                &mut rows[i],
                &mut scratch,
                &mut places[i],
            )
        })
        .collect();
    loop {
        let best = next
            .iter()
            .flatten()
            .map(|g| (g.start, std::cmp::Reverse(g.end)))
            .min();
        let Some((start, std::cmp::Reverse(end))) = best else {
            break;
        };
        let first_row = out.len();
        for i in 0..passes.len() {
            let resume = match next[i] {
                None => continue,
                Some(g) if (g.start, g.end) == (start, end) => {
                    out.append(&mut rows[i]);
                    g.folded_end
                }
                Some(g) if g.start >= end => continue,
                Some(_) => folded[i].folded_at_or_after(end),
            };
            rows[i].clear();
            next[i] = next_group(
                &passes[i],
                &folded[i],
                resume,
                whole_words,
                &mut rows[i],
                &mut scratch,
                &mut places[i],
            );
        }
        one_row_per_entity(&mut out, first_row);
    }
    out
}

/// One folding per text, searched by the unanchored DFA (as our `Table`) in pieces, several
/// pieces (of one text or of several) at once; or originals searched unfolded, by the pass's
/// `unfolded` table.
pub(super) fn find_in_lockstep<S: Searched>(
    pass: &Pass,
    table: &Table,
    prefixes: &Prefixes,
    folded: &[&S],
    whole_words: bool,
    cut_after: &CutBytes,
) -> Vec<Vec<Candidate>> {
    let width = width_for(table);
    // About four pieces a stream, so that the streams end close together; short texts
    // among many are not cut at all.
    let total: usize = folded.iter().map(|f| f.text().len()).sum();
    let piece_bytes = total.div_ceil(4 * width).max(MIN_STREAM_BYTES);
    let mut pieces = Vec::new();
    let mut first_piece = Vec::with_capacity(folded.len() + 1);
    for f in folded {
        first_piece.push(pieces.len());
        let hay = f.text().as_bytes();
        let bounds = cut_points(hay, cut_after, piece_bytes);
        pieces.extend(bounds.windows(2).map(|w| Piece {
            hay,
            start: w[0],
            end: w[1],
        }));
    }
    first_piece.push(pieces.len());
    let mut text_of_piece = Vec::with_capacity(pieces.len());
    for (text, w) in first_piece.windows(2).enumerate() {
        text_of_piece.extend(std::iter::repeat_n(text, w[1] - w[0]));
    }
    let mut rows: Vec<Vec<Candidate>> = vec![Vec::new(); pieces.len()];
    let mut scratch = Vec::new();
    let mut search = Lockstep::new(table, &pieces, width);
    while let Some((piece, mut found)) = search.next_match() {
        let folded = folded[text_of_piece[piece]];
        if pass.patterns[found.pattern.as_usize()].may_stretch {
            found.start = folded.start_before(found.end, found.end - found.start);
        }
        let rows = &mut rows[piece];
        let first_row = rows.len();
        let group = group_at(
            pass,
            prefixes,
            folded,
            found,
            whole_words,
            rows,
            &mut scratch,
        );
        let resume = match group {
            Some(span) => {
                one_row_per_entity(rows, first_row);
                span.folded_end
            }
            None => after_failed_start(prefixes, folded, found.start, whole_words),
        };
        search.resume(piece, resume);
    }
    // Each text's rows: those of its pieces, in order.
    let mut rows = rows.into_iter();
    first_piece
        .windows(2)
        .map(|w| {
            let mut out = Vec::new();
            for more in rows.by_ref().take(w[1] - w[0]) {
                if out.is_empty() {
                    out = more;
                } else {
                    out.extend(more);
                }
            }
            out
        })
        .collect()
}

/// Where the search resumes after a start where nothing valid begins: the next character, or
/// past the rest of the word when no alias can start inside one.
#[inline]
fn after_failed_start<S: Searched>(
    prefixes: &Prefixes,
    folded: &S,
    start: usize,
    whole_words: bool,
) -> usize {
    let at = start + folded.char_at(start).map_or(1, char::len_utf8);
    if whole_words
        && prefixes.all_start_with_word()
        && folded.char_before(at).is_some_and(is_word_char)
    {
        word_end(folded.text(), at)
    } else {
        at
    }
}

/// The rows of one span (from `first_row` on): in entity order, the first-added alias of each.
fn one_row_per_entity(out: &mut Vec<Candidate>, first_row: usize) {
    if out.len() - first_row < 2 {
        return;
    }
    out[first_row..].sort_unstable_by_key(|c| (c.entity, c.alias));
    let mut kept = first_row + 1;
    for i in first_row + 1..out.len() {
        if out[i].entity != out[kept - 1].entity {
            out[kept] = out[i];
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// The first span at or after folded position `from` with a valid candidate; its rows are
/// appended to `rows`. `scratch` is a buffer for the aliases found at one start; `places`
/// the places of the text that the search from word starts has found so far.
fn next_group(
    pass: &Pass,
    folded: &Folded,
    from: usize,
    whole_words: bool,
    rows: &mut Vec<Candidate>,
    scratch: &mut Vec<(usize, PatternID)>,
    places: &mut Places,
) -> Option<Span> {
    match &pass.search {
        Search::WordStarts(automaton) => {
            next_group_at_word_starts(pass, automaton, folded, from, rows, scratch, places)
        }
        Search::Unanchored { next, prefixes } => next_group_unanchored(
            pass,
            next,
            prefixes,
            folded,
            from,
            whole_words,
            rows,
            scratch,
        ),
        Search::Overlapping(_) => unreachable!("overlapping mode does not choose"),
    }
}

/// Whole words with a large lexicon: walk from each place a pattern may start (word starts,
/// and the first bytes of the patterns that begin with something else).
fn next_group_at_word_starts(
    pass: &Pass,
    automaton: &AnchoredAutomaton,
    folded: &Folded,
    from: usize,
    rows: &mut Vec<Candidate>,
    found: &mut Vec<(usize, PatternID)>,
    places: &mut Places,
) -> Option<Span> {
    let text = folded.text();
    let mut at = from;
    while let Some(start) = places.next_hit(automaton, text, at, found) {
        // The longest pattern is read first: with a million patterns a cache miss, fetched
        // while the start is checked.
        if let Some(&(_, longest)) = found.last() {
            prefetch(&pass.patterns[longest.as_usize()]);
        }
        // A word start by its characters, yet inside a word across an apostrophe ("O'Brien").
        let inside = folded.char_at(start).is_some_and(is_word_char) && glued_before(text, start);
        if inside {
            at = automaton.after_start(text, start);
            continue;
        }
        if let Some(original_start) = folded.original_start(start) {
            let best = longest_valid(pass, folded, original_start, found, true, rows);
            if best.is_some() {
                return best;
            }
        }
        // Past this word (or this one non-word character): nothing valid starts inside a word.
        at = automaton.after_start(text, start);
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn next_group_unanchored(
    pass: &Pass,
    next: &NextStart,
    prefixes: &Prefixes,
    folded: &Folded,
    from: usize,
    whole_words: bool,
    rows: &mut Vec<Candidate>,
    scratch: &mut Vec<(usize, PatternID)>,
) -> Option<Span> {
    let hay = folded.text();
    let mut at = from;
    while at < hay.len() {
        let input = || Input::new(hay).range(at..);
        let found = match next {
            // One stream: several foldings are merged one group at a time.
            NextStart::Table(table) => {
                let rest = [Piece {
                    hay: hay.as_bytes(),
                    start: at,
                    end: hay.len(),
                }];
                Lockstep::new(table, &rest, 1).next_match().map(|(_, f)| f)
            }
            NextStart::Prefiltered(dfa) => dfa
                .try_find(&input())
                .expect("an unanchored DFA searches any input")
                .map(Found::from),
            NextStart::OneStream(automaton) => automaton.find(input()).map(Found::from),
        }?;
        let group = group_at(pass, prefixes, folded, found, whole_words, rows, scratch);
        if group.is_some() {
            return group;
        }
        at = after_failed_start(prefixes, folded, found.start, whole_words);
    }
    None
}

/// The longest valid span starting where `longest` (the longest alias there) starts; its rows
/// (one per alias, in pattern order) are appended to `rows`.
fn group_at<S: Searched>(
    pass: &Pass,
    prefixes: &Prefixes,
    folded: &S,
    longest: Found,
    whole_words: bool,
    rows: &mut Vec<Candidate>,
    scratch: &mut Vec<(usize, PatternID)>,
) -> Option<Span> {
    let start = longest.start;
    let original_start = folded.original_start(start)?;
    // Every alias here begins with the same character, so the start check is shared.
    let first = &pass.patterns[longest.pattern.as_usize()];
    if whole_words && first.word_at_start && glued_before(folded.text(), start) {
        return None;
    }
    let mark = rows.len();
    let only_longest = [(longest.end, longest.pattern)];
    let best = longest_valid(
        pass,
        folded,
        original_start,
        &only_longest,
        whole_words,
        rows,
    );
    // Usually the longest alias is valid and nothing can beat it. Otherwise (or when a prefix
    // entry might outgrow it) look at every alias at this start, longest first.
    if best.is_some() && !pass.has_prefix {
        return best;
    }
    rows.truncate(mark);
    scratch.clear();
    prefixes.patterns_at(start, longest.pattern, longest.end, scratch);
    // Their folded lengths, as spans of the searched text (the longest's is known).
    let shorter = scratch.len() - 1;
    for (end, _) in &mut scratch[..shorter] {
        *end = folded.end_after(start, *end - start);
    }
    longest_valid(pass, folded, original_start, scratch, whole_words, rows)
}

/// The longest valid span among the aliases `found` at one start (as (end, pattern), shortest
/// first), tried longest first; its rows are appended to `rows`. Only a prefix entry can give
/// a shorter alias an equal or longer span, so without one the first valid alias wins.
fn longest_valid<S: Searched>(
    pass: &Pass,
    folded: &S,
    original_start: usize,
    found: &[(usize, PatternID)],
    whole_words: bool,
    rows: &mut Vec<Candidate>,
) -> Option<Span> {
    let mark = rows.len();
    let mut best = None;
    for &(end, pattern) in found.iter().rev() {
        consider(
            pass,
            folded,
            original_start,
            end,
            pattern,
            whole_words,
            rows,
            mark,
            &mut best,
        );
        if best.is_some() && !pass.has_prefix {
            break;
        }
    }
    best
}

/// One alias found from `original_start` to folded byte `end`: if its span is valid and at
/// least as long as the best so far, its rows join `rows` (those of shorter spans are dropped,
/// back to `mark`).
#[allow(clippy::too_many_arguments)]
#[inline]
fn consider<S: Searched>(
    pass: &Pass,
    folded: &S,
    original_start: usize,
    end: usize,
    pattern: PatternID,
    whole_words: bool,
    rows: &mut Vec<Candidate>,
    mark: usize,
    best: &mut Option<Span>,
) {
    let pattern = &pass.patterns[pattern.as_usize()];
    let glued_after = whole_words && pattern.word_at_end && glued_after(folded.text(), end);
    for &(alias, entity, prefix) in &pattern.aliases {
        let folded_end = if prefix {
            word_end(folded.text(), end)
        } else if glued_after {
            continue;
        } else {
            end
        };
        let Some(original_end) = folded.original_end(folded_end) else {
            continue;
        };
        match *best {
            Some(b) if b.end > original_end => continue,
            Some(b) if b.end == original_end => {}
            _ => {
                rows.truncate(mark);
                *best = Some(Span {
                    start: original_start,
                    end: original_end,
                    folded_end,
                });
            }
        }
        rows.push(Candidate {
            start: original_start,
            end: original_end,
            entity,
            alias,
            edits: 0,
        });
    }
}
