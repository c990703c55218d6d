//! The search from word starts (`word_starts`), a block of places at a time.
//!
//! Looking words up one at a time, each word waits for its own filter probe before the loop
//! can go on to find the next word, and the loop's branches (where a word ends, how long it
//! is, what the filters say) mix with each other's. So the search goes in three stages over a
//! block of up to `BLOCK` places (word starts, and the first bytes of the patterns that begin
//! with something else):
//! 1. find the places, the end of each one's word and the word's hash, asking the processor
//!    for the filters' lines of each word as soon as its hash is known;
//! 2. ask the filters about every place of the block (`AnchoredAutomaton::may_find_at`), by
//!    then from the cache, and fetch the table's first slot of each word that passes;
//! 3. look up only the places that passed, in order, until one finds a pattern.
//!
//! The block is kept between calls, so that the next search from a later byte goes on with
//! the places already found. The places from any byte on are the same whichever byte the
//! block began at (a place is a word character after a non-word character, or a byte that
//! begins a pattern of the other kind), and stage 2 says no only where a look-up finds
//! nothing, so the blocked search finds what the search one place at a time finds.

use super::word_starts::AnchoredAutomaton;
use aho_corasick::PatternID;

/// Places in a block: one bit each in a `u64` mask of those that passed the filters.
const BLOCK: usize = 64;

/// A place where a pattern may start: its byte, and the end and `hash_word` of the word
/// there (`end == start` at a place that is not a word start).
#[derive(Clone, Copy, Debug, Default)]
struct Place {
    start: usize,
    end: usize,
    hash: u64,
}

impl Place {
    #[inline(always)]
    fn word(self) -> Option<(usize, u64)> {
        (self.end > self.start).then_some((self.end, self.hash))
    }
}

/// The places of one text found so far by `next_hit`, kept between calls.
#[derive(Clone, Debug)]
pub(super) struct WordBlock {
    /// The text the block is of (its address and length), so that another text starts afresh.
    text: (usize, usize),
    /// The places of the block, then one more (its look-ahead), unless the text ended.
    places: [Place; BLOCK + 1],
    /// Places filled, the look-ahead included.
    len: usize,
    /// Places the filters have answered for: `BLOCK`, or `len` when the text ended.
    known: usize,
    /// No place after `places[len - 1]`.
    ended: bool,
    /// No place lies between this byte and `places[0]`.
    origin: usize,
    /// Bit `i`: place `i` may have patterns.
    candidates: u64,
}

impl Default for WordBlock {
    fn default() -> Self {
        Self {
            text: (0, usize::MAX),
            places: [Place::default(); BLOCK + 1],
            len: 0,
            known: 0,
            ended: true,
            origin: usize::MAX,
            candidates: 0,
        }
    }
}

impl WordBlock {
    /// The first place at or after `from` where at least one pattern of `automaton` starts,
    /// with those patterns in `found` as (end, pattern), shortest first: what
    /// `AnchoredAutomaton::next_hit` answers.
    pub(super) fn next_hit(
        &mut self,
        automaton: &AnchoredAutomaton,
        text: &str,
        from: usize,
        found: &mut Vec<(usize, PatternID)>,
    ) -> Option<usize> {
        found.clear();
        self.reach(automaton, text, from);
        let mut first = self.places[..self.known].partition_point(|p| p.start < from);
        loop {
            let mut bits = if first < BLOCK {
                self.candidates & (u64::MAX << first)
            } else {
                0
            };
            while bits != 0 {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let place = self.places[i];
                automaton.patterns_at_start(text, place.start, place.word(), self.following(i), found);
                if !found.is_empty() {
                    return Some(place.start);
                }
            }
            if self.ended {
                return None;
            }
            self.next_block(automaton, text);
            first = 0;
        }
    }

    /// The next place after place `i` and the word there, as `patterns_at_start` takes it.
    #[inline(always)]
    fn following(&self, i: usize) -> Option<(usize, Option<(usize, u64)>)> {
        (i + 1 < self.len).then(|| {
            let next = self.places[i + 1];
            (next.start, next.word())
        })
    }

    /// Makes the block hold the first place at or after `from` among its known places (or
    /// end with the text before it).
    #[inline]
    fn reach(&mut self, automaton: &AnchoredAutomaton, text: &str, from: usize) {
        let this_text = (text.as_ptr() as usize, text.len());
        if self.text == this_text && self.origin <= from {
            if self.ended || from <= self.places[self.known - 1].start {
                return;
            }
            if from <= self.places[self.len - 1].start {
                self.next_block(automaton, text);
                return;
            }
        }
        self.text = this_text;
        self.origin = from;
        self.len = 0;
        self.ended = false;
        match automaton.next_start(text, from) {
            Some(start) => self.push(automaton, text, start),
            None => {
                self.ended = true;
                self.known = 0;
                self.candidates = 0;
                return;
            }
        }
        self.fill(automaton, text);
    }

    /// The next block: the look-ahead place first, then the places after it.
    fn next_block(&mut self, automaton: &AnchoredAutomaton, text: &str) {
        self.places[0] = self.places[self.len - 1];
        self.origin = self.places[0].start;
        self.len = 1;
        self.fill(automaton, text);
    }

    #[inline(always)]
    fn push(&mut self, automaton: &AnchoredAutomaton, text: &str, start: usize) {
        let word = automaton.word_at(text, start);
        let (end, hash) = word.unwrap_or((start, 0));
        if word.is_some() {
            automaton.prefetch_filters(hash);
        }
        self.places[self.len] = Place { start, end, hash };
        self.len += 1;
    }

    /// Stages 1 and 2: the places after the first up to a full block and its look-ahead, and
    /// what the filters say of each.
    fn fill(&mut self, automaton: &AnchoredAutomaton, text: &str) {
        while self.len <= BLOCK {
            let last = self.places[self.len - 1];
            let after = automaton.after_place(text, last.start, last.word());
            match automaton.scan_to_start(text, after) {
                Some(start) => self.push(automaton, text, start),
                None => {
                    self.ended = true;
                    break;
                }
            }
        }
        self.known = if self.ended { self.len } else { BLOCK };
        let mut candidates = 0;
        for i in 0..self.known {
            let place = self.places[i];
            let may = automaton.may_find_at(text, place.start, place.word(), self.following(i));
            candidates |= u64::from(may) << i;
        }
        self.candidates = candidates;
    }
}
