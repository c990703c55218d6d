//! Whole-word matching: a match can start only where a word starts (or at the first byte of a
//! pattern that begins with something other than a letter or digit), so instead of running an
//! unanchored automaton over every byte, an anchored walk from each such start follows the trie
//! of aliases until it dies. Most words leave the trie after a byte or two and the rest of the
//! word is skipped eight bytes at a time, without the automaton; one walk also lists every
//! alias at that start (shortest first), which the leftmost-longest choice needs anyway. The
//! unanchored search, by contrast, feeds every byte of every word through the automaton and
//! stops at aliases inside words (`oman` in `woman`) only to reject them; it still wins while
//! the lexicon fits a DFA, whose streams run in lockstep (`lockstep`), so walks are for the
//! lexicons beyond (an NFA).
//! A walk starts only at a word that may begin some pattern, with the word after it
//! (`openings`, for the patterns of the trie and of the word-sequence table alike; the stems of
//! prefix entries, which a word begins with rather than is, in `first_words`): most words of a
//! text begin none, and one probe of a small filter is cheaper than a cold trie state.

use super::first_words::{hash_word, FirstWords};
use super::openings::{Kept, Openings};
use super::word_sequences::{key_of, opening_of, prefetch, run_key, word_after, WordSequences};
use crate::chars::is_word_char;
use crate::error::{Error, Result};
use crate::swar::not_ascii_alphanumeric;
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{nfa, Anchored, MatchKind, PatternID};

/// The first bytes, up to four, of a set of patterns, as bits of a small filter keyed by their
/// hash and length: one test per length for a byte where such a pattern may start.
#[derive(Clone, Debug)]
struct OtherHeads {
    /// Bit `n - 1`: some pattern has a head of `n` bytes (its length, up to four).
    lengths: u8,
    bits: Box<[u64; OTHER_HEADS / 64]>,
}

/// Bits of `OtherHeads`: few patterns begin with punctuation (a few hundred of a million
/// place names), so that few heads that are not there pass.
const OTHER_HEADS: usize = 1 << 14;

impl Default for OtherHeads {
    fn default() -> Self {
        Self {
            lengths: 0,
            bits: Box::new([0; OTHER_HEADS / 64]),
        }
    }
}

impl OtherHeads {
    fn add(&mut self, pattern: &[u8]) {
        let head = &pattern[..pattern.len().min(4)];
        self.lengths |= 1 << (head.len() - 1);
        let bit = Self::bit(head);
        self.bits[bit / 64] |= 1 << (bit % 64);
    }

    /// Whether `rest` (the text from a byte on) may begin with one of the heads.
    fn may_begin(&self, rest: &[u8]) -> bool {
        (1..=rest.len().min(4)).any(|n| {
            let bit = Self::bit(&rest[..n]);
            self.lengths & 1 << (n - 1) != 0 && self.bits[bit / 64] & 1 << (bit % 64) != 0
        })
    }

    fn bit(head: &[u8]) -> usize {
        let mut four = [0; 4];
        four[..head.len()].copy_from_slice(head);
        let key = u64::from(u32::from_le_bytes(four)) | (head.len() as u64) << 32;
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 50) as usize
    }
}

/// An anchored automaton with standard semantics, so that every state on a walk reports the
/// aliases ending there.
#[derive(Clone, Debug)]
pub(super) struct AnchoredAutomaton {
    /// The trie walked from each start: a contiguous NFA, dense near the root and compact
    /// below, so that even a million aliases stay small.
    trie: nfa::contiguous::NFA,
    start: StateID,
    /// First bytes of the patterns that begin with something other than a letter or digit
    /// (`'s-Hertogenbosch`, `(Old) Town`): those may start anywhere their first byte appears.
    other_starts: Box<[bool; 256]>,
    /// Whether any byte begins such a pattern.
    any_other_start: bool,
    /// Whether `begins_other_in` asks the bytes of a window together.
    other_starts_by_table: bool,
    /// The first bytes of those patterns, up to four (`begins_other_at`).
    other_heads: OtherHeads,
    /// For the search from word starts: the patterns that are sequences of whole words, looked
    /// up by hash instead of walked (`word_sequences`); the trie then holds only the others.
    sequences: Option<Box<Sequences>>,
}

/// The word-sequence table of a search from word starts, how the trie beside it holds the
/// patterns the table did not take, and the filter of how both structures' patterns open.
#[derive(Clone, Debug)]
struct Sequences {
    table: WordSequences,
    /// How the patterns that begin with a word character open (first word, first two words),
    /// those of the table and those of the trie: most text words begin none, or none that
    /// goes on with the next word, and need no look-up.
    openings: Openings,
    /// The longest gap between the first two words of a pattern, in bytes.
    pair_gap: usize,
    /// The trie's prefix-entry stems of one word (`invad*`), which a text word begins with
    /// rather than is; `None` without such stems.
    stems: Option<FirstWords>,
    /// The pattern (of the pass) that each pattern of the trie is.
    trie_ids: Box<[PatternID]>,
}

impl AnchoredAutomaton {
    pub(super) fn build(patterns: &[String]) -> Result<Self> {
        let error = |e: aho_corasick::BuildError| Error::Automaton(e.to_string());
        let trie = nfa::contiguous::NFA::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .map_err(error)?;
        let start = trie
            .start_state(Anchored::Yes)
            .map_err(|e| Error::Automaton(e.to_string()))?;
        let mut other_starts = Box::new([false; 256]);
        let mut other_heads = OtherHeads::default();
        for pattern in patterns {
            if !pattern.chars().next().is_some_and(is_word_char) {
                other_starts[usize::from(pattern.as_bytes()[0])] = true;
                other_heads.add(pattern.as_bytes());
            }
        }
        Ok(Self {
            trie,
            start,
            any_other_start: other_starts.contains(&true),
            other_starts_by_table: has_avx512_vbmi(),
            other_starts,
            other_heads,
            sequences: None,
        })
    }

    /// The automaton for the search from word starts (`next_hit`): the patterns that are
    /// sequences of whole words go to a table looked up by hash (`word_sequences`), the others
    /// (prefix-entry stems among them: `stem[i]` says whether pattern `i` is one) to the trie,
    /// and words that begin no pattern are passed over (`first_words`). `patterns_at` is not
    /// for this automaton (its trie has only some of the patterns).
    pub(super) fn for_word_starts(patterns: &[String], stem: &[bool]) -> Result<Self> {
        let eligible: Vec<bool> = stem.iter().map(|&s| !s).collect();
        let (table, taken) = WordSequences::new(patterns, &eligible);
        let on_trie: Vec<usize> = (0..patterns.len()).filter(|&i| !taken[i]).collect();
        let trie_patterns: Vec<String> = on_trie.iter().map(|&i| patterns[i].clone()).collect();
        // How every pattern that begins with a word character opens. A prefix-entry stem of
        // one word (`invad`) is what a text word begins with, not what it is: those are asked
        // apart (`stems`); a stem of several words opens with its first word, whole.
        let mut alone: Vec<(u64, Kept)> = Vec::new();
        let mut openings: Vec<(u64, u64, Kept)> = Vec::new();
        let mut one_word_stems: Vec<String> = Vec::new();
        let mut pair_gap = 0;
        for (i, pattern) in patterns.iter().enumerate() {
            let Some((first, second)) = opening_of(pattern) else {
                continue;
            };
            if stem[i] {
                alone.push((first, Kept::Trie));
                if word_end(pattern, 0) == pattern.len() {
                    one_word_stems.push(pattern.clone());
                }
                continue;
            }
            let kept = if taken[i] { Kept::Table } else { Kept::Trie };
            match second {
                None => alone.push((first, kept)),
                Some((pair, gap)) => {
                    openings.push((first, pair, kept));
                    pair_gap = pair_gap.max(gap);
                }
            }
        }
        let stems = (!one_word_stems.is_empty())
            .then(|| FirstWords::new(&one_word_stems, &vec![true; one_word_stems.len()]));
        let mut automaton = Self::build(&trie_patterns)?;
        automaton.sequences = Some(Box::new(Sequences {
            table,
            openings: Openings::new(alone, openings),
            pair_gap,
            stems,
            trie_ids: on_trie.iter().map(|&i| PatternID::must(i)).collect(),
        }));
        Ok(automaton)
    }

    /// Asks the processor to bring in the line of the openings' filter that the look-up of a
    /// word with this `hash_word` reads first.
    #[inline(always)]
    pub(super) fn prefetch_filters(&self, hash: u64) {
        if let Some(sequences) = &self.sequences {
            prefetch(sequences.openings.line_for(key_of(hash)));
        }
    }

    /// The filters of how the patterns open and of the prefix-entry stems, for the search
    /// to pass over the words that they reject without asking more (`places`); `None` without
    /// the word-sequence table.
    #[inline(always)]
    pub(super) fn openings(&self) -> Option<(&Openings, Option<&FirstWords>)> {
        self.sequences
            .as_ref()
            .map(|sequences| (&sequences.openings, sequences.stems.as_ref()))
    }

    /// Asks the processor to bring in the table's slot of a first word with key `first`,
    /// which the look-up that follows a pass of the filter of openings reads first.
    #[inline(always)]
    pub(super) fn prefetch_table(&self, first: u64) {
        if let Some(sequences) = &self.sequences {
            sequences.table.prefetch_slot(first);
        }
    }

    /// Every pattern at byte `start` of `text`, as (end, pattern), shortest first, into
    /// `found`; `word` is the end of the word there, if one starts there, and `hash` its
    /// `hash_word`; `following` the next start after it and the word there, if any
    /// (`WordSequences::patterns_at`).
    #[inline(always)]
    pub(super) fn patterns_at_start(
        &self,
        text: &str,
        start: usize,
        word: Option<(usize, u64)>,
        following: Option<(usize, Option<(usize, u64)>)>,
        found: &mut Vec<(usize, PatternID)>,
    ) {
        found.clear();
        let Some(sequences) = &self.sequences else {
            walk(&self.trie, self.start, text.as_bytes(), start, found);
            return;
        };
        let Some((end, hash)) = word else {
            walk(&self.trie, self.start, text.as_bytes(), start, found);
            sequences.to_pass_ids(found);
            return;
        };
        let first = key_of(hash);
        let openings = &sequences.openings;
        // The text's next word and the key of the run of the two, when near enough to go on
        // with a pattern.
        let second = if openings.may_pair(first) {
            let next = match following {
                Some((at, Some((next_end, next_hash)))) => {
                    (at - end <= sequences.pair_gap).then_some((at, next_end, next_hash))
                }
                // Something else starts there (a byte that begins a pattern of the trie).
                Some((_, None)) => word_after(text, end, sequences.pair_gap),
                None => None,
            };
            next.map(|(at, next_end, next_hash)| {
                (
                    next_end,
                    run_key(first, &text.as_bytes()[end..at], next_hash),
                )
            })
        } else {
            None
        };
        let walks = openings.walks(first, second.map(|(_, pair)| pair));
        let stem = || {
            sequences
                .stems
                .as_ref()
                .is_some_and(|stems| stems.may_begin_hashed(&text[start..end], hash))
        };
        if walks.trie || stem() {
            walk(&self.trie, self.start, text.as_bytes(), start, found);
            sequences.to_pass_ids(found);
        }
        let from_trie = found.len();
        if walks.table {
            sequences
                .table
                .walk(text, start, (end, first), second, found);
        }
        if from_trie > 0 && found.len() > from_trie {
            // Two lists, each shortest first; no two patterns share an end (distinct texts).
            found.sort_unstable_by_key(|&(end, _)| end);
        }
    }

    /// The first place at or after `from` where at least one pattern starts, with those
    /// patterns in `found` as (end, pattern), shortest first. Places are word starts and the
    /// first bytes of the patterns that begin with something else; a `from` inside a word
    /// moves to the end of that word first. One place at a time: the search itself goes a
    /// block of places at a time (`word_blocks`); this is what it must agree with.
    #[cfg(test)]
    pub(super) fn next_hit(
        &self,
        text: &str,
        from: usize,
        found: &mut Vec<(usize, PatternID)>,
    ) -> Option<usize> {
        let mut start = self.next_start(text, from)?;
        loop {
            let word = self.word_at(text, start);
            let next = self.scan_to_start(text, self.after_place(text, start, word));
            let following = next.map(|at| (at, self.word_at(text, at)));
            self.patterns_at_start(text, start, word, following, found);
            if !found.is_empty() {
                return Some(start);
            }
            start = next?;
        }
    }

    /// The word at a place `start` (its end and `hash_word`), or `None` at a place that is
    /// not a word start.
    #[inline(always)]
    pub(super) fn word_at(&self, text: &str, start: usize) -> Option<(usize, u64)> {
        let end = word_end(text, start);
        (end > start).then(|| (end, hash_word(&text.as_bytes()[start..end])))
    }

    /// Whether some pattern begins with something other than a word character.
    #[inline(always)]
    pub(super) fn begins_any_other(&self) -> bool {
        self.any_other_start
    }

    /// Whether `byte` begins one of the patterns that begin with something other than a word
    /// character.
    #[inline(always)]
    pub(super) fn begins_other(&self, byte: u8) -> bool {
        self.other_starts[usize::from(byte)]
    }

    /// Bit `i`: byte `i` of `chunk` (64 bytes of ASCII) begins one of the patterns that begin
    /// with something other than a word character (`begins_other`), all asked at once where
    /// the processor can (AVX-512 VBMI: one table look-up of the 64 bytes); `u64::MAX` where
    /// it cannot. The windows of the word loop (`places`) ask `begins_other_at` only there:
    /// commas and full stops begin none of a million place names.
    #[inline(always)]
    pub(super) fn begins_other_in(&self, chunk: &[u8; 64]) -> u64 {
        #[cfg(target_arch = "x86_64")]
        if self.other_starts_by_table {
            // SAFETY: set only where the processor has AVX-512 VBMI.
            return unsafe { begins_other_in_avx512(&self.other_starts, chunk) };
        }
        let _ = chunk;
        u64::MAX
    }

    /// Whether a pattern that begins with something other than a word character may start at
    /// byte `at` of `bytes`: its first byte begins one (`begins_other`), and its first bytes,
    /// up to four, are one's. False only when none starts there. For the windows of the word
    /// loop (`places`): an apostrophe begins `'s-hertogenbosch`, yet the `'s ` of a possessive
    /// begins nothing, and the loop need not stop there.
    #[inline]
    pub(super) fn begins_other_at(&self, bytes: &[u8], at: usize) -> bool {
        self.begins_other(bytes[at]) && self.other_heads.may_begin(&bytes[at..])
    }

    /// Where to look for the place after `start`, whose word is `word`: past the word, or
    /// past the one character there.
    #[inline(always)]
    pub(super) fn after_place(
        &self,
        text: &str,
        start: usize,
        word: Option<(usize, u64)>,
    ) -> usize {
        match word {
            Some((end, _)) => end,
            None => start + text[start..].chars().next().map_or(1, char::len_utf8),
        }
    }

    /// Where to look for the next start after `start`: past its word, or past the one
    /// non-word character there.
    #[inline]
    pub(super) fn after_start(&self, text: &str, start: usize) -> usize {
        match word_end(text, start) {
            end if end > start => end,
            _ => start + text[start..].chars().next().map_or(1, char::len_utf8),
        }
    }

    /// The first byte at or after `from` where a pattern may start: where a word starts, or
    /// a byte that begins one of the patterns that do not begin with a word character.
    #[inline]
    pub(super) fn next_start(&self, text: &str, from: usize) -> Option<usize> {
        let mut at = from;
        // Just after a word character no word starts until a non-word character.
        if at > 0 && at < text.len() && text[..at].chars().next_back().is_some_and(is_word_char) {
            at = word_end(text, at);
        }
        self.scan_to_start(text, at)
    }

    /// `next_start` from a byte `at` that is not inside a word.
    #[inline(always)]
    pub(super) fn scan_to_start(&self, text: &str, mut at: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        while at < bytes.len() {
            let b = bytes[at];
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() || self.other_starts[usize::from(b)] {
                    return Some(at);
                }
                at += 1;
                continue;
            }
            let c = text[at..].chars().next().expect("at is on a char boundary");
            if is_word_char(c) || self.other_starts[usize::from(b)] {
                return Some(at);
            }
            at += c.len_utf8();
        }
        None
    }

    /// Every pattern that starts at byte `start` of `hay`, as (end, pattern), shortest first.
    #[inline]
    pub(super) fn patterns_at(&self, hay: &[u8], start: usize, out: &mut Vec<(usize, PatternID)>) {
        walk(&self.trie, self.start, hay, start, out)
    }
}

impl Sequences {
    /// The trie's own pattern numbers in `found` replaced by the pass's.
    #[inline]
    fn to_pass_ids(&self, found: &mut [(usize, PatternID)]) {
        for (_, pattern) in found {
            *pattern = self.trie_ids[pattern.as_usize()];
        }
    }
}

#[inline(always)]
fn walk<A: Automaton>(
    aut: &A,
    mut sid: StateID,
    hay: &[u8],
    start: usize,
    out: &mut Vec<(usize, PatternID)>,
) {
    for (at, &byte) in hay.iter().enumerate().skip(start) {
        sid = aut.next_state(Anchored::Yes, sid, byte);
        if !aut.is_special(sid) {
            continue;
        }
        if aut.is_dead(sid) {
            return;
        }
        if aut.is_match(sid) {
            let len = at + 1 - start;
            for i in 0..aut.match_len(sid) {
                let pattern = aut.match_pattern(sid, i);
                // Standard semantics also report aliases that are suffixes of the walk.
                if aut.pattern_len(pattern) == len {
                    out.push((at + 1, pattern));
                }
            }
        }
    }
}

/// The end of the run of word characters starting at byte `from`.
#[inline(always)]
pub(super) fn word_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        // Eight bytes at a time through ASCII letters and digits: one unpredictable branch a
        // word instead of one a byte.
        while let Some(chunk) = bytes.get(at..at + 8) {
            let chunk = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            let stop = not_ascii_alphanumeric(chunk);
            if stop != 0 {
                at += (stop.trailing_zeros() / 8) as usize;
                break;
            }
            at += 8;
        }
        let Some(&b) = bytes.get(at) else {
            return at;
        };
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                return at;
            }
            at += 1;
            continue;
        }
        let c = text[at..].chars().next().expect("at is on a char boundary");
        if !is_word_char(c) {
            return at;
        }
        at += c.len_utf8();
    }
}

/// Whether the processor has AVX-512 VBMI (byte look-ups of 128-byte tables).
fn has_avx512_vbmi() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx512bw")
        && std::arch::is_x86_feature_detected!("avx512vbmi");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// `AnchoredAutomaton::begins_other_in` with AVX-512 VBMI: the 64 bytes (ASCII) look up their
/// entries of the first 128 of `other_starts` in one permute.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512bw,avx512vbmi")]
fn begins_other_in_avx512(other_starts: &[bool; 256], chunk: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{_mm512_loadu_si512, _mm512_permutex2var_epi8, _mm512_test_epi8_mask};
    // SAFETY: the loads read the first 128 entries of `other_starts` (a bool is one byte, 0
    // or 1) and the 64 bytes of `chunk`.
    unsafe {
        let low = _mm512_loadu_si512(other_starts.as_ptr().cast());
        let high = _mm512_loadu_si512(other_starts[64..].as_ptr().cast());
        let bytes = _mm512_loadu_si512(chunk.as_ptr().cast());
        // Bytes under 128 index the two registers' 128 entries.
        let entries = _mm512_permutex2var_epi8(low, bytes, high);
        _mm512_test_epi8_mask(entries, entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_are_word_starts_and_first_bytes_of_other_patterns() {
        let patterns: Vec<String> = ["ab", "(old) town"].map(String::from).to_vec();
        let aut = AnchoredAutomaton::build(&patterns).unwrap();
        let text = "ab, ça-va 7x (old";
        let next = |s: usize| {
            let after = if text.as_bytes()[s] == b'(' {
                s + 1
            } else {
                word_end(text, s)
            };
            aut.next_start(text, after)
        };
        let starts: Vec<usize> =
            std::iter::successors(aut.next_start(text, 0), |&s| next(s)).collect();
        assert_eq!(starts, [0, 4, 8, 11, 14, 15]);
        assert_eq!(aut.next_start(text, 1), Some(4));
        assert_eq!(aut.next_start(text, 2), Some(4));
    }

    /// The window's question of every byte at once answers as `begins_other` of each byte
    /// (or says it cannot: all bits).
    #[test]
    fn begins_other_in_answers_as_each_byte_does() {
        let patterns: Vec<String> = [
            "ab",
            "(old) town",
            "'s-hertogenbosch",
            "`x",
            "[y",
            "/z",
            "~",
        ]
        .map(String::from)
        .to_vec();
        let aut = AnchoredAutomaton::build(&patterns).unwrap();
        let mut rng = crate::matcher::tests::Lcg(7);
        for round in 0..2000 {
            let chunk: [u8; 64] = std::array::from_fn(|i| match round {
                0 => i as u8,
                1 => 64 + i as u8,
                _ => rng.below(128) as u8,
            });
            let all = aut.begins_other_in(&chunk);
            if all == u64::MAX && !aut.other_starts_by_table {
                return;
            }
            for (i, &b) in chunk.iter().enumerate() {
                assert_eq!(all >> i & 1 == 1, aut.begins_other(b), "byte {b:#x}");
            }
        }
    }

    #[test]
    fn eight_byte_alphanumeric_mask_is_exact() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut bytes = *b"a0Z-zA9 ";
                bytes[pos] = b;
                let mask = not_ascii_alphanumeric(u64::from_le_bytes(bytes));
                for (i, &x) in bytes.iter().enumerate() {
                    let stop = mask >> (8 * i + 7) & 1 == 1;
                    assert_eq!(stop, !x.is_ascii_alphanumeric(), "byte {x:#04x} at {i}");
                }
            }
        }
        let text = "abc Zürich x1y2z3w4v5u6 日本 end";
        let ends: Vec<usize> = [0, 4, 12, 25].iter().map(|&s| word_end(text, s)).collect();
        assert_eq!(ends, [3, 11, 24, 25 + "日本".len()]);
    }

    #[test]
    fn the_heads_of_patterns_that_begin_with_punctuation_pass_and_few_others() {
        let patterns: Vec<String> = ["'s-hertogenbosch", "(old) town", "-", ".net", "'t zand"]
            .map(String::from)
            .to_vec();
        let automaton = AnchoredAutomaton::build(&patterns).unwrap();
        for pattern in &patterns {
            // Every pattern passes where it starts, followed by anything or by nothing.
            for text in [
                pattern.clone(),
                format!("{pattern}x"),
                format!("x{pattern}"),
            ] {
                let at = text.find(pattern.as_str()).unwrap();
                assert!(automaton.begins_other_at(text.as_bytes(), at), "{text:?}");
            }
        }
        // A possessive's apostrophe, an opening bracket or a dot that begin none.
        for (text, at) in [("russia's ", 6), ("(new", 0), (". and", 0), ("'", 0)] {
            assert!(!automaton.begins_other_at(text.as_bytes(), at), "{text:?}");
        }
        // Only what begins a pattern at all: a letter never.
        assert!(!automaton.begins_other_at(b"old", 0));
        // Random four-byte heads of these bytes: every one that begins a pattern passes, and
        // few others do.
        let alphabet = b"'(-.st ozna";
        let mut random = crate::matcher::tests::Lcg(9);
        let mut passed = 0;
        for _ in 0..20_000 {
            let text: Vec<u8> = (0..4)
                .map(|_| alphabet[random.below(alphabet.len())])
                .collect();
            let begins = patterns.iter().any(|p| {
                let head = &p.as_bytes()[..p.len().min(4)];
                text.starts_with(head) || head.starts_with(&text)
            });
            let asked = automaton.begins_other_at(&text, 0);
            assert!(asked || !begins, "{:?}", String::from_utf8_lossy(&text));
            passed += usize::from(asked && !begins);
        }
        assert!(
            passed < 200,
            "{passed} of 20,000 heads passed that begin no pattern"
        );
    }

    #[test]
    fn walks_list_every_alias_at_a_start() {
        let patterns: Vec<String> = ["new", "new york", "york", "new york city"]
            .map(String::from)
            .to_vec();
        let aut = AnchoredAutomaton::build(&patterns).unwrap();
        let mut out = Vec::new();
        aut.patterns_at(b"new york city!", 0, &mut out);
        let ends: Vec<(usize, usize)> = out.iter().map(|&(e, p)| (e, p.as_usize())).collect();
        assert_eq!(ends, [(3, 0), (8, 1), (13, 3)]);
        out.clear();
        aut.patterns_at(b"new york city!", 4, &mut out);
        assert_eq!(out.len(), 1);
        out.clear();
        aut.patterns_at(b"newark", 0, &mut out);
        assert_eq!(out.len(), 1); // "new", whose end the caller then finds glued
    }
}
