//! The unanchored leftmost-longest DFA's transitions, copied into a table laid out for the
//! lockstep search (`lockstep`).
//!
//! The crate numbers states in the order patterns were inserted into its trie, so the shallow
//! states, which text visits at nearly every byte, are spread over the whole table (10,000
//! aliases: 51 MB), and most lookups miss the cache. Here states are numbered
//! breadth first from the start, so the shallow ones sit together, and a row has one entry
//! per byte class (the distinct bytes of the patterns, and one class for all others) instead
//! of the crate's power of two. The transitions are the crate's, looked up through its public
//! `Automaton` interface; the search semantics do not change.
//!
//! For whole words the table can also start patterns only where a word may start
//! (`Table::for_word_starts`). An unanchored search otherwise restarts inside every word: in
//! `woman` it follows `o`, `om`, `oma` into the automaton and stops at `oman`, only for the
//! candidate to be rejected, and with a large lexicon those states are spread over megabytes.
//! The DFA is built on the patterns with a mark byte where a word may start, and the table
//! steps that mark after each byte a word may follow, so text needs no marks. Its bytes of no
//! pattern are two classes instead of one: those a word may follow, and the others.

use crate::error::{Error, Result};
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{dfa::DFA, Anchored, MatchKind, PatternID, StartKind};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// About the size of a core's L2 cache: a table this small stays in it.
pub(super) const CACHE_RESIDENT_BYTES: usize = 1 << 20;

/// A state of a [`Table`]: the offset of its row. Only a table makes them, and each search
/// (`Lockstep`) steps the states of one table through that table alone, which
/// `Stepper::next` relies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct State(usize);

/// A DFA as a flat table: `trans[state + class(byte)]`, where a state is the offset of its
/// row. The dead state is row 0 and the match states come next, so one comparison tells
/// whether a state needs attention (`is_special`).
#[derive(Debug)]
pub(super) struct Table {
    trans: Vec<u32>,
    classes: [u8; 256],
    stride: u32,
    /// Where a search starts at the start of a text or after a byte a word may follow.
    start: u32,
    /// Where it starts after any other byte: the same but in a word-start table, where no
    /// word-initial pattern may start there.
    start_in_word: u32,
    /// States below this offset are the dead state or match states.
    special_below: u32,
    /// Match states below this offset are final: every byte leads to the dead state, so the
    /// search may report them at once instead of one byte later.
    final_below: u32,
    /// Of each match state in row order: its pattern and that pattern's length.
    matches: Vec<(PatternID, u32)>,
}

/// The byte that the patterns of a word-start table carry where a word may start: 0xFF
/// never occurs in UTF-8 text.
const WORD_MARK: u8 = 0xFF;

/// Whether a word may start right after `byte`: after anything but an ASCII letter or digit.
/// (A byte of a multi-byte character may end a letter as well as punctuation; the checks of
/// each candidate reject a start glued to a letter, as they do without the mark.)
#[inline(always)]
fn word_may_follow(byte: u8) -> bool {
    !byte.is_ascii_alphanumeric()
}

/// A pattern as a word-start table's DFA sees it: the mark before it when it begins with a
/// word character, and after each of its bytes that a word may follow.
fn marked(pattern: &str, starts_with_word: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(pattern.len() * 2 + 1);
    if starts_with_word {
        out.push(WORD_MARK);
    }
    for &byte in pattern.as_bytes() {
        out.push(byte);
        if word_may_follow(byte) {
            out.push(WORD_MARK);
        }
    }
    out
}

/// Whether whole words should get a word-start table (`Table::for_word_starts`): where the
/// plain one could outgrow the L2 cache, so that the states an unanchored search visits inside
/// words miss it (a table that fits the cache is faster plain).
pub(super) fn word_starts_pay(pattern_bytes: usize, in_patterns: &[bool; 256]) -> bool {
    let stride = in_patterns.iter().filter(|&&b| b).count() + 1;
    // A trie has at most one state per pattern byte.
    pattern_bytes * stride * 4 > CACHE_RESIDENT_BYTES
}

/// The unanchored leftmost-longest DFA of the marked `patterns`.
fn marked_dfa(patterns: &[String], starts_with_word: &[bool]) -> Result<DFA> {
    let marked: Vec<Vec<u8>> = patterns
        .iter()
        .zip(starts_with_word)
        .map(|(p, &word)| marked(p, word))
        .collect();
    DFA::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Unanchored)
        .prefilter(false)
        .build(&marked)
        .map_err(|e| Error::Automaton(e.to_string()))
}

impl Table {
    /// The table of `dfa`, whose patterns use only the bytes marked in `in_patterns` (all other
    /// bytes lead every state where the same byte outside the patterns would).
    pub(super) fn new(dfa: &DFA, in_patterns: &[bool; 256]) -> Table {
        Self::copy(dfa, in_patterns, None)
    }

    /// A table for whole words: `patterns` (folded) are found only where a word may start,
    /// or anywhere for those whose first character is not a word character (`'s-Gravenhage`),
    /// with the same leftmost-longest semantics among those starts.
    pub(super) fn for_word_starts(
        patterns: &[String],
        starts_with_word: &[bool],
        in_patterns: &[bool; 256],
    ) -> Result<Table> {
        let dfa = marked_dfa(patterns, starts_with_word)?;
        let lens: Vec<u32> = patterns.iter().map(|p| p.len() as u32).collect();
        Ok(Self::copy(&dfa, in_patterns, Some(&lens)))
    }

    /// `marked_lens`: for a DFA of marked patterns, the length of each pattern without marks.
    fn copy(dfa: &DFA, in_patterns: &[bool; 256], marked_lens: Option<&[u32]>) -> Table {
        let mark = marked_lens.is_some();
        // The first classes: the bytes of no pattern, split for marks into those a word may
        // follow and the others (each class must step the same way).
        let mut classes = [0u8; 256];
        let mut representatives = Vec::new();
        let others = (0..=255u8).filter(|&b| !in_patterns[usize::from(b)]);
        let groups: Vec<Vec<u8>> = if mark {
            let (may_follow, rest) = others.partition(|&b| word_may_follow(b));
            vec![rest, may_follow]
        } else {
            vec![others.collect()]
        };
        for group in groups.into_iter().filter(|g| !g.is_empty()) {
            for &b in &group {
                classes[usize::from(b)] = representatives.len() as u8;
            }
            representatives.push(group[0]);
        }
        for byte in 0..=255u8 {
            if in_patterns[usize::from(byte)] {
                classes[usize::from(byte)] = representatives.len() as u8;
                representatives.push(byte);
            }
        }
        let stride = representatives.len();
        let step = |state: StateID, byte: u8| {
            let next = dfa.next_state(Anchored::No, state, byte);
            if mark && word_may_follow(byte) {
                // No marked pattern ends before a mark, so `next` is no match to lose.
                debug_assert!(!dfa.is_match(next));
                dfa.next_state(Anchored::No, next, WORD_MARK)
            } else {
                next
            }
        };

        // Breadth first from the starts (`order` is also the queue), with each state's
        // successors recorded by their place in that order.
        let in_word = dfa
            .start_state(Anchored::No)
            .expect("built with an unanchored start state");
        let mut order: Vec<StateID> = if mark {
            vec![dfa.next_state(Anchored::No, in_word, WORD_MARK), in_word]
        } else {
            vec![in_word]
        };
        let mut place: HashMap<StateID, u32, BuildHasherDefault<StateHasher>> = order
            .iter()
            .enumerate()
            .map(|(i, &s)| (s, i as u32))
            .collect();
        let mut successors: Vec<u32> = Vec::new();
        let mut visited = 0;
        while visited < order.len() {
            let state = order[visited];
            visited += 1;
            for &byte in &representatives {
                let next = step(state, byte);
                let at = *place.entry(next).or_insert_with(|| {
                    order.push(next);
                    (order.len() - 1) as u32
                });
                successors.push(at);
            }
        }
        drop(place);
        // Rows: the dead state, the match states, then the rest, each in breadth-first order.
        let mut row_of = vec![0u32; order.len()];
        // Rows: the dead state, the final match states (every byte leads to the dead state:
        // nothing longer can follow), the other match states, then the rest.
        let kind = |at: usize| {
            let state = order[at];
            let final_match = successors[at * stride..(at + 1) * stride]
                .iter()
                .all(|&t| dfa.is_dead(order[t as usize]));
            match (dfa.is_dead(state), dfa.is_match(state)) {
                (true, _) => RowKind::Dead,
                (false, true) if final_match => RowKind::FinalMatch,
                (false, true) => RowKind::Match,
                (false, false) => RowKind::Other,
            }
        };
        let mut rows = vec![None; 1];
        let mut final_matches = 0;
        for want in [RowKind::FinalMatch, RowKind::Match, RowKind::Other] {
            for (at, row) in row_of.iter_mut().enumerate() {
                if kind(at) == want {
                    *row = rows.len() as u32;
                    rows.push(Some(at));
                    final_matches += usize::from(want == RowKind::FinalMatch);
                }
            }
        }
        assert!(
            rows.len() * stride <= u32::MAX as usize,
            "a DFA of under 300 KB of patterns has far fewer states"
        );
        let mut trans = vec![0u32; rows.len() * stride];
        let mut matches = Vec::new();
        for (row, at) in rows.iter().enumerate() {
            let Some(at) = *at else { continue }; // the dead state's row: all dead
            if dfa.is_match(order[at]) {
                let pattern = dfa.match_pattern(order[at], 0);
                let len = match marked_lens {
                    Some(lens) => lens[pattern.as_usize()],
                    None => dfa.pattern_len(pattern) as u32,
                };
                matches.push((pattern, len));
            }
            let targets = &successors[at * stride..(at + 1) * stride];
            for (entry, &target) in trans[row * stride..].iter_mut().zip(targets) {
                *entry = row_of[target as usize] * stride as u32;
            }
        }
        let in_word_place = if mark { 1 } else { 0 };
        Table {
            trans,
            classes,
            stride: stride as u32,
            start: row_of[0] * stride as u32,
            start_in_word: row_of[in_word_place] * stride as u32,
            special_below: ((1 + matches.len()) * stride) as u32,
            final_below: ((1 + final_matches) * stride) as u32,
            matches,
        }
    }

    /// A table made elsewhere from this one's states (`unfolded`): rows of `stride` entries,
    /// each a row offset, the dead state row 0 and the `matches.len()` match states next, the
    /// first `final_matches` of them final (every entry dead).
    pub(super) fn from_rows(
        trans: Vec<u32>,
        classes: [u8; 256],
        stride: usize,
        start_row: usize,
        matches: Vec<(PatternID, u32)>,
        final_matches: usize,
    ) -> Table {
        debug_assert!(trans.iter().all(|&t| (t as usize) < trans.len()));
        let start = (start_row * stride) as u32;
        Table {
            trans,
            classes,
            stride: stride as u32,
            start,
            start_in_word: start,
            special_below: ((1 + matches.len()) * stride) as u32,
            final_below: ((1 + final_matches) * stride) as u32,
            matches,
        }
    }

    /// Whether a search starts in the same state everywhere (not a word-start table).
    pub(super) fn starts_anywhere(&self) -> bool {
        self.start == self.start_in_word
    }

    /// The dead state.
    pub(super) fn dead(&self) -> State {
        State(0)
    }

    /// The byte class of `byte`: bytes of one class step every state alike.
    pub(super) fn class(&self, byte: u8) -> u8 {
        self.classes[usize::from(byte)]
    }

    /// The state to search `hay` from byte `at` in.
    #[inline(always)]
    pub(super) fn start_at(&self, hay: &[u8], at: usize) -> State {
        match at.checked_sub(1).map(|before| hay[before]) {
            Some(byte) if !word_may_follow(byte) => State(self.start_in_word as usize),
            _ => State(self.start as usize),
        }
    }

    /// The parts the inner loop reads, as plain values it can keep in registers.
    #[inline(always)]
    pub(super) fn stepper(&self) -> Stepper<'_> {
        Stepper {
            trans: &self.trans,
            classes: &self.classes,
            special_below: self.special_below,
        }
    }

    #[inline(always)]
    pub(super) fn is_special(&self, state: State) -> bool {
        self.stepper().is_special(state)
    }

    /// Whether a match state (special, not dead) is final: nothing longer can follow.
    #[inline(always)]
    pub(super) fn is_final_match(&self, state: State) -> bool {
        state.0 < self.final_below as usize
    }

    #[inline(always)]
    pub(super) fn is_dead(&self, state: State) -> bool {
        state.0 == 0
    }

    /// The pattern of a match state (special and not dead) and its length.
    #[inline(always)]
    pub(super) fn match_of(&self, state: State) -> (PatternID, usize) {
        let (pattern, len) = self.matches[state.0 / self.stride as usize - 1];
        (pattern, len as usize)
    }

    pub(super) fn memory_usage(&self) -> usize {
        self.trans.len() * 4 + self.matches.len() * 8
    }
}

/// What a row of a table is, in the order rows are laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RowKind {
    Dead,
    FinalMatch,
    Match,
    Other,
}

/// Hashes the crate's state IDs (u32s, multiples of its stride) with one multiplication, its
/// high half folded into the low bits that pick a bucket. No one chooses these keys, and with
/// SipHash (and a second map) the copy of 10,000 aliases' DFA took ~70 ms of a 0.18 s build;
/// now the build takes 0.11 s.
#[derive(Default)]
struct StateHasher(u64);

impl Hasher for StateHasher {
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (u64::from(n) ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A [`Table`]'s transitions, borrowed for one run of the inner loop.
#[derive(Clone, Copy)]
pub(super) struct Stepper<'a> {
    trans: &'a [u32],
    classes: &'a [u8; 256],
    special_below: u32,
}

impl Stepper<'_> {
    /// The state after `byte`.
    #[inline(always)]
    pub(super) fn next(self, state: State, byte: u8) -> State {
        let class = usize::from(self.classes[usize::from(byte)]);
        debug_assert!(state.0 + class < self.trans.len());
        // SAFETY: a `State` is a row offset of the table it came from, which is this one (its
        // start, or an entry of `trans`, where `new` writes only row offsets), and a class is
        // below the stride, so `state + class` is in that row. The column does not depend on
        // the state, so the load is the only step from one state to the next (added to the
        // state first, the class would cost one more on that chain).
        let column = unsafe { self.trans.as_ptr().add(class) };
        State(unsafe { *column.add(state.0) } as usize)
    }

    #[inline(always)]
    pub(super) fn is_special(self, state: State) -> bool {
        state.0 < self.special_below as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A xorshift stream of bytes drawn from `alphabet`.
    fn random_bytes(mut seed: u64, alphabet: &[u8]) -> impl FnMut() -> u8 + '_ {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            alphabet[(seed % alphabet.len() as u64) as usize]
        }
    }

    /// Walking any bytes through the table and through the crate's DFA meets the same kinds
    /// of states: dead together, matching the same pattern together, neither together.
    #[test]
    fn the_table_steps_like_the_dfa_it_was_copied_from() {
        let patterns = [
            "nato",
            "na",
            "russia",
            "russian federation",
            "жж",
            "é",
            "a b",
        ];
        let dfa = DFA::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Unanchored)
            .prefilter(false)
            .build(patterns)
            .unwrap();
        let mut in_patterns = [false; 256];
        for &b in patterns.iter().flat_map(|p| p.as_bytes()) {
            in_patterns[usize::from(b)] = true;
        }
        let table = Table::new(&dfa, &in_patterns);
        let alphabet: Vec<u8> = "natorusiefdé жxX\n\u{0}\u{ff}".bytes().collect();
        let mut next_byte = random_bytes(0x9E37_79B9_7F4A_7C15u64, &alphabet);
        for _ in 0..2000 {
            let (mut ours, mut theirs) = (
                table.start_at(b"", 0),
                dfa.start_state(Anchored::No).unwrap(),
            );
            for _ in 0..40 {
                let byte = next_byte();
                ours = table.stepper().next(ours, byte);
                theirs = dfa.next_state(Anchored::No, theirs, byte);
                assert_eq!(table.is_dead(ours), dfa.is_dead(theirs));
                assert_eq!(table.is_special(ours), dfa.is_special(theirs));
                if table.is_special(ours) && !table.is_dead(ours) {
                    let pattern = dfa.match_pattern(theirs, 0);
                    assert_eq!(table.match_of(ours), (pattern, dfa.pattern_len(pattern)));
                }
                if table.is_dead(ours) {
                    break;
                }
            }
        }
    }

    /// A word-start table steps text as the DFA of the marked patterns steps the text with a
    /// mark at its start and after each byte a word may follow, and reports unmarked lengths.
    #[test]
    fn the_word_start_table_steps_like_the_marked_dfa_over_marked_text() {
        let patterns: Vec<String> = ["nato", "na", "u.s.", "a b", "'s-hertogenbosch", "жж", "é"]
            .map(String::from)
            .to_vec();
        let starts_with_word: Vec<bool> = patterns
            .iter()
            .map(|p| p.chars().next().is_some_and(crate::chars::is_word_char))
            .collect();
        let mut in_patterns = [false; 256];
        for &b in patterns.iter().flat_map(|p| p.as_bytes()) {
            in_patterns[usize::from(b)] = true;
        }
        let table = Table::for_word_starts(&patterns, &starts_with_word, &in_patterns).unwrap();
        let dfa = marked_dfa(&patterns, &starts_with_word).unwrap();
        let alphabet: Vec<u8> = "nato u.s.'hé жxX-\n".bytes().collect();
        let mut next_byte = random_bytes(0x2545_F491_4F6C_DD1Du64, &alphabet);
        for _ in 0..3000 {
            let mut theirs = dfa.start_state(Anchored::No).unwrap();
            theirs = dfa.next_state(Anchored::No, theirs, WORD_MARK);
            let mut ours = table.start_at(b"", 0);
            for _ in 0..40 {
                let byte = next_byte();
                ours = table.stepper().next(ours, byte);
                theirs = dfa.next_state(Anchored::No, theirs, byte);
                if word_may_follow(byte) {
                    theirs = dfa.next_state(Anchored::No, theirs, WORD_MARK);
                }
                assert_eq!(table.is_dead(ours), dfa.is_dead(theirs));
                assert_eq!(table.is_special(ours), dfa.is_special(theirs));
                if table.is_special(ours) && !table.is_dead(ours) {
                    let pattern = dfa.match_pattern(theirs, 0);
                    let len = patterns[pattern.as_usize()].len();
                    assert_eq!(table.match_of(ours), (pattern, len));
                }
                if table.is_dead(ours) {
                    break;
                }
            }
        }
        // Inside a word no word-initial pattern starts; after a space one does.
        let (inside, after_space) = (table.start_at(b"xna", 1), table.start_at(b" na", 1));
        let step = |mut state, bytes: &[u8]| {
            for &b in bytes {
                state = table.stepper().next(state, b);
            }
            state
        };
        assert!(!table.is_special(step(inside, b"na")));
        assert!(table.is_special(step(after_space, b"na")));
    }
}
