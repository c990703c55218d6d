//! Whole-word patterns looked up a word at a time, for lexicons too large for a DFA.
//!
//! With whole words, a pattern that begins and ends with a word character can only match a
//! span of the folded text that begins at a word start and ends at a word end: the text's
//! words from there, with whatever separators the pattern has between its words. Its bytes
//! are then the span's bytes, so a table keyed by a hash of the pattern's bytes finds it from
//! the span: hash the first word, then the first two words with their separator, and so on.
//! Each entry keyed by a first word also says how many words the patterns that begin with it
//! have, so only those spans are hashed and looked up. The cost per text word is the same for
//! a thousand patterns as for a million, where a walk on a trie of a million patterns waits on
//! a cache miss at nearly every step (`word_starts`).
//!
//! Every hit is checked against the pattern's bytes, so a hash collision never makes a match.
//! The patterns this table does not take — prefix-entry stems, patterns that begin or end with
//! something other than a word character, patterns of more than `MAX_WORDS` words, a pattern
//! whose hash another already has — stay on the trie (`word_starts`), and the two lists of
//! patterns at a start are merged there.

use super::first_words::hash_word;
use super::word_starts::word_end;
use crate::chars::is_word_char;
use aho_corasick::PatternID;

/// Word counts a first word's entry can record (one bit each).
pub(super) const MAX_WORDS: usize = 32;

/// No pattern: a slot that only records the word counts of a first word.
const NO_TEXT: u32 = u32::MAX;

/// One slot of the open-addressing table. `key == 0` is an empty slot (keys are never 0).
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    key: u64,
    /// Where the pattern with this key is recorded in `records` (its id, length and bytes),
    /// or `NO_TEXT`.
    record: u32,
    /// Bit `k - 1`: some pattern of `k` words begins with the word whose hash is `key`.
    counts: u32,
}

/// The patterns that are sequences of whole words, by the hash of their bytes.
#[derive(Clone, Debug)]
pub(super) struct WordSequences {
    slots: Box<[Slot]>,
    /// `slots.len() - 1`; the length is a power of two.
    mask: usize,
    /// Shift that takes a key's high bits to a slot (the filter of first words uses its
    /// middle bits: the two stay independent).
    shift: u32,
    /// Each pattern as its id (4 bytes), its length (4 bytes) and its bytes, all
    /// little-endian: one cache line or two to check a hit.
    records: Box<[u8]>,
    /// The longest run of non-word characters between two words of a pattern, in bytes.
    longest_gap: usize,
}

/// The key of a byte string: its hash, never 0 (the empty slot).
#[inline(always)]
fn key_of(hash: u64) -> u64 {
    hash.max(1)
}

/// The words of a pattern that begins and ends with a word character, as byte ranges; `None`
/// when it does not, or has more than `MAX_WORDS` words.
fn words_of(pattern: &str) -> Option<Vec<(usize, usize)>> {
    let starts_with_word = pattern.chars().next().is_some_and(is_word_char);
    let ends_with_word = pattern.chars().next_back().is_some_and(is_word_char);
    if !starts_with_word || !ends_with_word {
        return None;
    }
    let mut words = Vec::new();
    let mut at = 0;
    while at < pattern.len() {
        let end = word_end(pattern, at);
        words.push((at, end));
        if words.len() > MAX_WORDS {
            return None;
        }
        at = next_word_start(pattern, end, usize::MAX)?;
    }
    Some(words)
}

/// The first word character at or after `from` that is no more than `longest_gap` bytes away;
/// the end of the text counts as one (so a pattern's last word has no next word).
#[inline]
fn next_word_start(text: &str, from: usize, longest_gap: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        if at - from > longest_gap {
            return None;
        }
        let b = bytes[at];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                return Some(at);
            }
            at += 1;
            continue;
        }
        let c = text[at..].chars().next().expect("at is on a char boundary");
        if is_word_char(c) {
            return Some(at);
        }
        at += c.len_utf8();
    }
    (at - from <= longest_gap).then_some(at)
}

impl WordSequences {
    /// The table of those `patterns` that `eligible` allows and that are word sequences;
    /// `taken[i]` says whether pattern `i` went into the table (the others need the trie).
    pub(super) fn new(patterns: &[String], eligible: &[bool]) -> (Self, Vec<bool>) {
        let mut taken = vec![false; patterns.len()];
        // (key, pattern) of each sequence, and (key of its first word, word count).
        let mut sequences: Vec<(u64, usize)> = Vec::new();
        let mut firsts: Vec<(u64, usize)> = Vec::new();
        let mut longest_gap = 0;
        for (i, pattern) in patterns.iter().enumerate() {
            if !eligible[i] || pattern.len() >= NO_TEXT as usize {
                continue;
            }
            let Some(words) = words_of(pattern) else {
                continue;
            };
            for pair in words.windows(2) {
                longest_gap = longest_gap.max(pair[1].0 - pair[0].1);
            }
            let bytes = pattern.as_bytes();
            sequences.push((key_of(hash_word(bytes)), i));
            firsts.push((key_of(hash_word(&bytes[..words[0].1])), words.len()));
        }
        // A key that two patterns share (a hash collision) keeps the first; the other stays
        // on the trie.
        sequences.sort_unstable();
        sequences.dedup_by_key(|&mut (key, _)| key);
        let entries = sequences.len() + firsts.len();
        // Load at most ~0.6, so that a missing key is found missing in a probe or two.
        let n_slots = (entries * 5 / 3 + 1).next_power_of_two().max(16);
        let mut table = Self {
            slots: vec![Slot::default(); n_slots].into_boxed_slice(),
            mask: n_slots - 1,
            shift: 64 - n_slots.trailing_zeros(),
            records: Box::default(),
            longest_gap,
        };
        let mut records = Vec::new();
        for &(key, i) in &sequences {
            let slot = table.slot_for(key);
            let record = u32::try_from(records.len()).unwrap_or(NO_TEXT);
            if record == NO_TEXT {
                break; // past 4 GiB of records: the rest stay on the trie
            }
            let bytes = patterns[i].as_bytes();
            records.extend_from_slice(&(i as u32).to_le_bytes());
            records.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            records.extend_from_slice(bytes);
            table.slots[slot] = Slot {
                key,
                record,
                counts: 0,
            };
            taken[i] = true;
        }
        for &(key, words) in &firsts {
            let slot = table.slot_for(key);
            let entry = &mut table.slots[slot];
            if entry.key == 0 {
                *entry = Slot {
                    key,
                    record: NO_TEXT,
                    counts: 0,
                };
            }
            entry.counts |= 1 << (words - 1);
        }
        table.records = records.into_boxed_slice();
        (table, taken)
    }

    /// The slot holding `key`, or the empty slot where it would go.
    #[inline(always)]
    fn slot_for(&self, key: u64) -> usize {
        let mut slot = (key >> self.shift) as usize & self.mask;
        loop {
            let entry = self.slots[slot];
            if entry.key == key || entry.key == 0 {
                return slot;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// The pattern recorded at `record` if its bytes are `span`.
    #[inline]
    fn pattern_if(&self, record: u32, span: &[u8]) -> Option<PatternID> {
        if record == NO_TEXT {
            return None;
        }
        let at = record as usize;
        let field = |i: usize| {
            let bytes: [u8; 4] = self.records[at + i..at + i + 4]
                .try_into()
                .expect("four bytes");
            u32::from_le_bytes(bytes) as usize
        };
        let len = field(4);
        let bytes = &self.records[at + 8..at + 8 + len];
        (bytes == span).then(|| PatternID::new_unchecked(field(0)))
    }

    /// Every pattern of the table that matches the text's words from `start`, whose first
    /// word ends at `first_end` and hashes to `first_hash`, as (end, pattern), shortest first,
    /// appended to `found`. A pattern's last word must end where the text's word ends.
    #[inline]
    pub(super) fn patterns_at(
        &self,
        text: &str,
        start: usize,
        first_end: usize,
        first_hash: u64,
        found: &mut Vec<(usize, PatternID)>,
    ) {
        let first = self.slots[self.slot_for(key_of(first_hash))];
        if first.key == 0 {
            return;
        }
        let bytes = text.as_bytes();
        if let Some(p) = self.pattern_if(first.record, &bytes[start..first_end]) {
            found.push((first_end, p));
        }
        let mut counts = first.counts >> 1;
        let mut end = first_end;
        while counts != 0 {
            let Some(next) = next_word_start(text, end, self.longest_gap) else {
                return;
            };
            if next == bytes.len() {
                return;
            }
            end = word_end(text, next);
            if counts & 1 == 1 {
                let span = &bytes[start..end];
                let entry = self.slots[self.slot_for(key_of(hash_word(span)))];
                if entry.key != 0 {
                    if let Some(p) = self.pattern_if(entry.record, span) {
                        found.push((end, p));
                    }
                }
            }
            counts >>= 1;
        }
    }

    /// Bytes held, for the memory figures.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(super) fn heap_bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<Slot>() + self.records.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(patterns: &[&str]) -> (WordSequences, Vec<bool>, Vec<String>) {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        let (table, taken) = WordSequences::new(&patterns, &vec![true; patterns.len()]);
        (table, taken, patterns)
    }

    fn at(table: &WordSequences, text: &str, start: usize) -> Vec<(usize, usize)> {
        let first_end = word_end(text, start);
        let mut found = Vec::new();
        let hash = hash_word(&text.as_bytes()[start..first_end]);
        table.patterns_at(text, start, first_end, hash, &mut found);
        found.into_iter().map(|(e, p)| (e, p.as_usize())).collect()
    }

    #[test]
    fn sequences_of_words_are_found_from_their_first_word() {
        let (t, taken, _) = table(&[
            "new",
            "new york",
            "new york city",
            "o'brien",
            "saint-denis",
            "(old) town",
            "u.s.",
            "york",
            "köln am rhein",
        ]);
        assert_eq!(
            taken,
            [true, true, true, true, true, false, false, true, true]
        );
        assert_eq!(
            at(&t, "new york city!", 0),
            [(3, 0), (8, 1), (13, 2)]
        );
        assert_eq!(at(&t, "new  york", 0), [(3, 0)]);
        assert_eq!(at(&t, "newark", 0), []);
        assert_eq!(at(&t, "new yorker", 0), [(3, 0)]);
        assert_eq!(at(&t, "o'brien's", 0), [(7, 3)]);
        assert_eq!(at(&t, "saint-denis", 0), [(11, 4)]);
        assert_eq!(at(&t, "x köln am rhein", 2), [(2 + "köln am rhein".len(), 8)]);
        assert_eq!(at(&t, "new", 0), [(3, 0)]);
    }

    #[test]
    fn a_long_gap_or_the_end_of_the_text_stops_the_words() {
        let (t, _, _) = table(&["a - b", "a b c"]);
        assert_eq!(t.longest_gap, 3);
        assert_eq!(at(&t, "a - b", 0), [(5, 0)]);
        assert_eq!(at(&t, "a -- b", 0), []);
        assert_eq!(at(&t, "a b", 0), []);
        assert_eq!(at(&t, "a b c d", 0), [(5, 1)]);
    }

    #[test]
    fn stems_and_other_edges_stay_on_the_trie() {
        let patterns: Vec<String> = ["invad", "paris", "x."].map(String::from).to_vec();
        let (_, taken) = WordSequences::new(&patterns, &[false, true, true]);
        assert_eq!(taken, [false, true, false]);
        let many = vec!["w"; MAX_WORDS + 1].join(" ");
        let (_, taken) = WordSequences::new(&[many], &[true]);
        assert_eq!(taken, [false]);
    }
}
