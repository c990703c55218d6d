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

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{dfa::DFA, Anchored, PatternID};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A state of a [`Table`]: the offset of its row. Only a table makes them, and each search
/// (`Lockstep`) steps the states of one table through that table alone, which
/// `Stepper::next` relies on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct State(u32);

/// A DFA as a flat table: `trans[state + class(byte)]`, where a state is the offset of its
/// row. The dead state is row 0 and the match states come next, so one comparison tells
/// whether a state needs attention (`is_special`).
#[derive(Debug)]
pub(super) struct Table {
    trans: Vec<u32>,
    classes: [u8; 256],
    stride: u32,
    start: u32,
    /// States below this offset are the dead state or match states.
    special_below: u32,
    /// Of each match state in row order: its pattern and that pattern's length.
    matches: Vec<(PatternID, u32)>,
}

impl Table {
    /// The table of `dfa`, whose patterns use only the bytes marked in `in_patterns` (all other
    /// bytes lead every state where the same byte outside the patterns would).
    pub(super) fn new(dfa: &DFA, in_patterns: &[bool; 256]) -> Table {
        let mut classes = [0u8; 256]; // at most 256 classes, numbered from 0
        let mut representatives = Vec::new();
        if let Some(other) = (0..=255u8).find(|&b| !in_patterns[usize::from(b)]) {
            representatives.push(other); // class 0: every byte of no pattern
        }
        for byte in 0..=255u8 {
            if in_patterns[usize::from(byte)] {
                classes[usize::from(byte)] = representatives.len() as u8;
                representatives.push(byte);
            }
        }
        let stride = representatives.len();

        // Breadth first from the start (`order` is also the queue), with each state's
        // successors recorded by their place in that order.
        let start = dfa
            .start_state(Anchored::No)
            .expect("built with an unanchored start state");
        let mut order: Vec<StateID> = vec![start];
        let mut place: HashMap<StateID, u32, BuildHasherDefault<StateHasher>> =
            HashMap::from_iter([(start, 0)]);
        let mut successors: Vec<u32> = Vec::new();
        let mut visited = 0;
        while visited < order.len() {
            let state = order[visited];
            visited += 1;
            for &byte in &representatives {
                let next = dfa.next_state(Anchored::No, state, byte);
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
        let mut rows = vec![None; 1];
        for want_match in [true, false] {
            for (at, &state) in order.iter().enumerate() {
                if !dfa.is_dead(state) && dfa.is_match(state) == want_match {
                    row_of[at] = rows.len() as u32;
                    rows.push(Some(at));
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
                matches.push((pattern, dfa.pattern_len(pattern) as u32));
            }
            let targets = &successors[at * stride..(at + 1) * stride];
            for (entry, &target) in trans[row * stride..].iter_mut().zip(targets) {
                *entry = row_of[target as usize] * stride as u32;
            }
        }
        Table {
            trans,
            classes,
            stride: stride as u32,
            start: row_of[0] * stride as u32,
            special_below: ((1 + matches.len()) * stride) as u32,
            matches,
        }
    }

    #[inline(always)]
    pub(super) fn start(&self) -> State {
        State(self.start)
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

    #[inline(always)]
    pub(super) fn is_dead(&self, state: State) -> bool {
        state.0 == 0
    }

    /// The pattern of a match state (special and not dead) and its length.
    #[inline(always)]
    pub(super) fn match_of(&self, state: State) -> (PatternID, usize) {
        let (pattern, len) = self.matches[(state.0 / self.stride) as usize - 1];
        (pattern, len as usize)
    }

    pub(super) fn memory_usage(&self) -> usize {
        self.trans.len() * 4 + self.matches.len() * 8
    }
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
        let at = state.0 as usize + usize::from(self.classes[usize::from(byte)]);
        debug_assert!(at < self.trans.len());
        // SAFETY: a `State` is a row offset of the table it came from, which is this one (its
        // start, or an entry of `trans`, where `new` writes only row offsets), and a class is
        // below the stride, so `at` is in that row.
        State(unsafe { *self.trans.get_unchecked(at) })
    }

    #[inline(always)]
    pub(super) fn is_special(self, state: State) -> bool {
        state.0 < self.special_below
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{MatchKind, StartKind};

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
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2000 {
            let (mut ours, mut theirs) = (table.start(), dfa.start_state(Anchored::No).unwrap());
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let byte = alphabet[(seed % alphabet.len() as u64) as usize];
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
}
