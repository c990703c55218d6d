//! Whole-word patterns looked up a word at a time, for lexicons too large for a DFA.
//!
//! With whole words, a pattern that begins and ends with a word character can only match a
//! span of the folded text that begins at a word start and ends at a word end: the text's
//! words from there, with whatever separators the pattern has between its words. Its bytes
//! are then the span's bytes, so a table keyed by a hash of the bytes finds it from the span.
//! The table holds every run of whole words that begins some pattern (`new`, `new york`,
//! `new york city`): a trie whose steps are words, each found by one hash. From a word start
//! the search looks up the first word, then the first two words with their separator, and so
//! on while the table says that longer patterns continue; a run's key is built from the key
//! of the run one word shorter, the gap and the new word's hash, so each text word is hashed
//! once. Before a first word's probe of the table (tens of megabytes for a million aliases: a
//! cache miss), one cache line of a filter that stays in the cache (`openings`) rejects the
//! words that begin no pattern, and the words that begin only patterns of several words none
//! of which goes on with the text's next word: half the words of English news begin some
//! place name (`the`, `to`, `in`, `a`), but hardly any go on as one. Before each longer run's
//! probe, what its slot says of the runs one word longer rejects most others: their keys'
//! fingerprints when there are one or two (most runs), held in the slot itself, so that the
//! test reads no other cache line; else a small filter of them, reached from the slot. So
//! the cost per text word stays about flat as the lexicon grows, where a walk on a trie of a
//! million patterns waits on a cache miss at nearly every step.
//! The slots sit on huge pages where the system allows (`huge_pages`).
//!
//! Every hit is checked against the pattern's bytes, so a hash collision never makes a match;
//! a pattern of one word of at most eight bytes needs no check, since its key is a bijection
//! of its bytes, and its slot holds its id instead of where its bytes are (`held`).
//! The patterns this table does not take (prefix-entry stems, patterns that begin or end with
//! something other than a word character, a pattern whose hash another already has) stay on
//! the trie of `word_starts`, and the two lists of patterns at a start are merged there.

use super::first_words::{hash_word, short_number};
use super::huge_pages::{HugeSlice, Zeroable};
use super::word_starts::word_end;
use crate::chars::is_word_char;
use aho_corasick::PatternID;

/// No pattern: a slot of a run of words that only begins longer patterns.
const NO_TEXT: u32 = u32::MAX;
/// The bit of a slot's `record` that says the rest of it is the pattern's id itself: a
/// pattern of one word of at most eight bytes, which its key alone identifies (see `held`).
const HELD: u32 = 1 << 31;
/// No longer pattern begins with the run of words of a slot.
const NO_NEXT: u32 = u32::MAX;
/// Bits of a slot's `next` that give the log2 of its filter's length in 64-bit words.
const NEXT_SIZE_BITS: u32 = 5;
/// The bit of a slot's `next` that says it holds the next runs themselves, as fingerprints of
/// their keys, instead of where their filter is (`next_of`): one next run (the bit below it
/// set too) or two.
const INLINE: u32 = 1 << 31;
const ONE: u32 = 1 << 30;

/// One slot of the open-addressing table. `key == 0` is an empty slot (keys are never 0).
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    key: u64,
    /// Where the pattern whose bytes hash to `key` is recorded in `records` (its id, length
    /// and bytes); or `HELD` or-ed with the pattern's id for a short word (`held`); or
    /// `NO_TEXT`.
    record: u32,
    /// `NO_NEXT` when no longer pattern begins with the run of words that hashes to `key`;
    /// else the next runs' fingerprints (`INLINE`: most runs go on with one or two), or
    /// their filter in `next_filters`: the offset shifted left by `NEXT_SIZE_BITS`, or-ed
    /// with the log2 of its length.
    next: u32,
}

// SAFETY: a slot of zeros is the empty slot (key 0), and a slot is plain integers.
unsafe impl Zeroable for Slot {}

/// The patterns that are runs of whole words, by the hash of their bytes.
#[derive(Clone, Debug)]
pub(super) struct WordSequences {
    slots: HugeSlice<Slot>,
    /// `slots.len() - 1`; the length is a power of two.
    mask: usize,
    /// Shift that takes a key's high bits to a slot (the filters use its low and middle bits,
    /// so the three stay independent).
    shift: u32,
    /// The filters of the runs one word longer than each slot's that has three or more
    /// (`Slot::next`).
    next_filters: HugeSlice<u64>,
    /// Each pattern as its id (4 bytes), its length (4 bytes) and its bytes, all
    /// little-endian: one cache line or two to check a hit.
    records: HugeSlice<u8>,
    /// The longest run of non-word characters between two words of a pattern, in bytes.
    longest_gap: usize,
}

/// The key of a byte string: its hash, never 0 (the empty slot).
#[inline(always)]
pub(super) fn key_of(hash: u64) -> u64 {
    hash.max(1)
}

/// The key of a run of words one word longer than the run with key `run`: the gap before
/// the new word and the new word's `hash_word`. A run's key is thus built a word at a time,
/// each text word hashed once.
#[inline(always)]
pub(super) fn run_key(run: u64, gap: &[u8], word: u64) -> u64 {
    run_key_of_gap(run, gap_key(gap), word)
}

/// What `run_key` takes of a gap: a gap of up to eight bytes (nearly all: a space, a comma
/// and a space) as its bytes read as one number with its length in the top bits, which the
/// word loop reads from one load without a hash or a branch on which gap it is; a longer
/// gap, its `hash_word`. Distinct short gaps give distinct values.
#[inline(always)]
pub(super) fn gap_key(gap: &[u8]) -> u64 {
    match gap.len() {
        len @ 1..=8 => short_gap_key(short_number(gap), len),
        _ => hash_word(gap),
    }
}

/// `gap_key` of a gap of `len` bytes (1 to 8) that read as the number `bytes`.
#[inline(always)]
pub(super) fn short_gap_key(bytes: u64, len: usize) -> u64 {
    bytes ^ (len as u64) << 60
}

/// `run_key` with the gap given as its `gap_key` (the word loop reads a short gap from one
/// load of its window). One multiply mixes the run and the gap, and the
/// new word's hash, already well mixed, is added last: a pattern's second word then reaches
/// the key, and the word loop's test of it, one step after its hash: the test that decides
/// the loop's branch waits on that chain. Keys stay distinct for distinct runs, gaps and
/// words but for chance, and every hit is checked against the pattern's bytes anyway.
#[inline(always)]
pub(super) fn run_key_of_gap(run: u64, gap: u64, word: u64) -> u64 {
    key_of((run.rotate_left(25) ^ gap).wrapping_mul(RUN_K) ^ word)
}

/// `run_key_of_gap` of eight runs at once, each with its gap given as `short_gap_key` of its
/// bytes (`bytes`, the numbers of the gaps' bytes) and lengths (`len`), as the word loop's
/// batch takes them (`places`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
#[inline]
pub(super) fn run_key_of_short_gap_x8(
    run: std::arch::x86_64::__m512i,
    (bytes, len): (std::arch::x86_64::__m512i, std::arch::x86_64::__m512i),
    word: std::arch::x86_64::__m512i,
) -> std::arch::x86_64::__m512i {
    use std::arch::x86_64::{
        _mm512_mullo_epi64, _mm512_rol_epi64, _mm512_set1_epi64, _mm512_slli_epi64,
        _mm512_xor_si512,
    };
    let gap = _mm512_xor_si512(bytes, _mm512_slli_epi64::<60>(len));
    let mixed = _mm512_mullo_epi64(
        _mm512_xor_si512(_mm512_rol_epi64::<25>(run), gap),
        _mm512_set1_epi64(RUN_K as i64),
    );
    key_of_x8(_mm512_xor_si512(mixed, word))
}

/// `key_of` of eight hashes at once.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
#[inline]
pub(super) fn key_of_x8(hash: std::arch::x86_64::__m512i) -> std::arch::x86_64::__m512i {
    use std::arch::x86_64::{_mm512_max_epu64, _mm512_set1_epi64};
    _mm512_max_epu64(hash, _mm512_set1_epi64(1))
}

/// The multiplier of `run_key_of_gap`.
const RUN_K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Whether a pattern's key alone says that a text word is the pattern, so its slot can hold
/// its id instead of a record to compare: a pattern of one word of at most eight bytes whose
/// key is its `hash_word` itself (not 0 or 1, which `key_of` makes one). For such words
/// `hash_word` is `hash_short`, a bijection of the word's bytes read as a number xor its
/// length, and since a word holds no zero byte the length is the number's own (the highest
/// byte that is not zero), so two different words of at most eight bytes never share a key.
/// The text's word must be of at most eight bytes too: a longer one has another hash.
fn held(pattern: &str, key: u64) -> bool {
    pattern.len() <= 8 && key > 1 && word_end(pattern, 0) == pattern.len()
}

/// The words of a pattern that begins and ends with a word character, as (start, end);
/// `None` when it does not.
fn word_spans(pattern: &str) -> Option<Vec<(usize, usize)>> {
    let starts_with_word = pattern.chars().next().is_some_and(is_word_char);
    let ends_with_word = pattern.chars().next_back().is_some_and(is_word_char);
    if !starts_with_word || !ends_with_word {
        return None;
    }
    let mut spans = Vec::new();
    let mut at = 0;
    while at < pattern.len() {
        let end = word_end(pattern, at);
        spans.push((at, end));
        at = next_word_start(pattern, end, usize::MAX)?;
    }
    Some(spans)
}

/// How a pattern that begins with a word character opens: the key of its first word, and
/// the key of its first two words with the gap between them when it has a second word (after
/// a gap of non-word characters, whatever follows it); `None` for other patterns.
pub(super) fn opening_of(pattern: &str) -> Option<(u64, Option<(u64, usize)>)> {
    if !pattern.chars().next().is_some_and(is_word_char) {
        return None;
    }
    let bytes = pattern.as_bytes();
    let first_end = word_end(pattern, 0);
    let first = key_of(hash_word(&bytes[..first_end]));
    let second = next_word_start(pattern, first_end, usize::MAX)
        .filter(|&at| at < pattern.len())
        .map(|at| {
            let end = word_end(pattern, at);
            let pair = run_key(first, &bytes[first_end..at], hash_word(&bytes[at..end]));
            (pair, at - first_end)
        });
    Some((first, second))
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

/// The word of a next-run filter of `words` words (a power of two) and the two bits in it
/// that stand for the run with `key`.
#[inline(always)]
fn next_bits(key: u64, words: usize) -> (usize, u64) {
    let word = (key >> 32) as usize & (words - 1);
    let bits = (1 << (key & 63)) | (1 << ((key >> 6) & 63));
    (word, bits)
}

/// A hint that `item` will be read soon (nothing on processors without one).
#[inline(always)]
pub(super) fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it never faults, and the address is a
    // reference's.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(item).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}

impl WordSequences {
    /// The table of those `patterns` that `eligible` allows and that are runs of whole words;
    /// `taken[i]` says whether pattern `i` went into the table (the others need the trie).
    pub(super) fn new(patterns: &[String], eligible: &[bool]) -> (Self, Vec<bool>) {
        let mut taken = vec![false; patterns.len()];
        // (key, pattern) of each pattern; the keys of the shorter runs that begin one.
        let mut whole: Vec<(u64, usize)> = Vec::new();
        let mut shorter: Vec<u64> = Vec::new();
        // (key of a run, key of that run and the next word).
        let mut steps: Vec<(u64, u64)> = Vec::new();
        let mut longest_gap = 0;
        for (i, pattern) in patterns.iter().enumerate() {
            if !eligible[i] || pattern.len() >= NO_TEXT as usize {
                continue;
            }
            let Some(spans) = word_spans(pattern) else {
                continue;
            };
            let bytes = pattern.as_bytes();
            let mut keys = Vec::with_capacity(spans.len());
            for (k, &(start, end)) in spans.iter().enumerate() {
                let word = hash_word(&bytes[start..end]);
                keys.push(match k {
                    0 => key_of(word),
                    _ => run_key(keys[k - 1], &bytes[spans[k - 1].1..start], word),
                });
            }
            for (k, &key) in keys.iter().enumerate() {
                if k + 1 < keys.len() {
                    shorter.push(key);
                    steps.push((key, keys[k + 1]));
                    longest_gap = longest_gap.max(spans[k + 1].0 - spans[k].1);
                } else {
                    whole.push((key, i));
                }
            }
        }
        // A key that two patterns share (a hash collision) keeps the first; the other stays
        // on the trie.
        whole.sort_unstable();
        whole.dedup_by_key(|&mut (key, _)| key);
        shorter.sort_unstable();
        shorter.dedup();
        steps.sort_unstable();
        steps.dedup();
        let entries = whole.len() + shorter.len();
        // Load at most 0.8: most probes are for keys that are there (the filters turn most
        // others away first), and a smaller table misses the cache and the TLB less.
        let n_slots = (entries * 5 / 4 + 1).next_power_of_two().max(16);
        let mut table = Self {
            slots: HugeSlice::zeroed(n_slots),
            mask: n_slots - 1,
            shift: 64 - n_slots.trailing_zeros(),
            next_filters: HugeSlice::zeroed(0),
            records: HugeSlice::zeroed(0),
            longest_gap,
        };
        let mut records = Vec::new();
        for &(key, i) in &whole {
            let record = if held(&patterns[i], key) && i < (HELD - 1) as usize {
                HELD | i as u32
            } else {
                let Some(record) = u32::try_from(records.len()).ok().filter(|&r| r < HELD) else {
                    continue; // past 2 GiB of records: the rest stay on the trie
                };
                let bytes = patterns[i].as_bytes();
                records.extend_from_slice(&(i as u32).to_le_bytes());
                records.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
                records.extend_from_slice(bytes);
                record
            };
            let slot = table.slot_for(key);
            table.slots[slot] = Slot {
                key,
                record,
                next: NO_NEXT,
            };
            taken[i] = true;
        }
        // The first filter passes every run: for slots past the offsets a `next` can hold.
        let mut next_filters: Vec<u64> = vec![u64::MAX];
        for group in steps.chunk_by(|a, b| a.0 == b.0) {
            let key = group[0].0;
            let slot = table.slot_for(key);
            let entry = &mut table.slots[slot];
            if entry.key == 0 {
                *entry = Slot {
                    key,
                    record: NO_TEXT,
                    next: NO_NEXT,
                };
            }
            if let Some(inline) = inline_next(group.iter().map(|&(_, next)| next)) {
                entry.next = inline;
                continue;
            }
            // About four next runs a 64-bit word: ~1.5% pass that are not there.
            let words = group.len().div_ceil(4).next_power_of_two();
            let offset = next_filters.len();
            next_filters.resize(offset + words, 0);
            for &(_, next) in group {
                let (word, bits) = next_bits(next, words);
                next_filters[offset + word] |= bits;
            }
            // Past 2^26 filter words (never for a real lexicon) the first, which passes all.
            let at = offset << NEXT_SIZE_BITS;
            table.slots[slot].next = match u32::try_from(at) {
                Ok(at) if at < INLINE => at | words.trailing_zeros(),
                _ => 0,
            };
        }
        table.next_filters = HugeSlice::copy_of(&next_filters);
        drop(next_filters);
        table.records = HugeSlice::copy_of(&records);
        drop(records);
        (table, taken)
    }
    /// The slot holding `key`, or the empty slot where it would go.
    #[inline(always)]
    fn slot_for(&self, key: u64) -> usize {
        let mut slot = self.home_slot(key);
        loop {
            let entry = self.slots[slot];
            if entry.key == key || entry.key == 0 {
                return slot;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// The pattern recorded at `record` if its bytes are `span`; `one_word` says whether
    /// `span` is the one word whose key found the slot (a held pattern's key is its proof).
    #[inline]
    fn pattern_if(&self, record: u32, span: &[u8], one_word: bool) -> Option<PatternID> {
        if record == NO_TEXT {
            return None;
        }
        if record & HELD != 0 {
            return (one_word && span.len() <= 8)
                .then(|| PatternID::new_unchecked((record & !HELD) as usize));
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
    /// word ends at `first_end` and has the key `first`, as (end, pattern), shortest first,
    /// appended to `found`: its slot, then the slots of its runs with the next words while the
    /// table has longer patterns. A pattern's last word must end where the text's word ends.
    /// `second` is the end of the text's next word and the key of the run of the two, when
    /// that word is near enough to go on with a pattern. Apart from the loop over the text's
    /// words (for the words that the filter of openings let through), so that the loop stays
    /// small.
    #[inline(never)]
    pub(super) fn walk(
        &self,
        text: &str,
        start: usize,
        (first_end, first): (usize, u64),
        second: Option<(usize, u64)>,
        found: &mut Vec<(usize, PatternID)>,
    ) {
        let bytes = text.as_bytes();
        let mut end = first_end;
        let mut entry = self.slots[self.slot_for(first)];
        let mut next = second;
        loop {
            if entry.key == 0 {
                return;
            }
            if let Some(p) = self.pattern_if(entry.record, &bytes[start..end], end == first_end) {
                found.push((end, p));
            }
            if entry.next == NO_NEXT {
                return;
            }
            let Some((next_end, key)) = next else {
                return;
            };
            if !self.may_follow(entry.next, key) {
                return;
            }
            entry = self.slots[self.slot_for(key)];
            next = word_after(text, next_end, self.longest_gap)
                .map(|(at, end, hash)| (end, run_key(key, &bytes[next_end..at], hash)));
            end = next_end;
        }
    }

    /// Asks the processor to bring in the slot where a run of words with `key` would be (a
    /// cache miss for a large table), for a look-up that is coming.
    #[inline(always)]
    pub(super) fn prefetch_slot(&self, key: u64) {
        prefetch(&self.slots[self.home_slot(key)]);
    }

    /// The slot where the search for `key` begins.
    #[inline(always)]
    fn home_slot(&self, key: u64) -> usize {
        (key >> self.shift) as usize & self.mask
    }

    /// Whether the run of words with `key` may be one of the next runs `next` of a slot (not
    /// `NO_NEXT`): its fingerprint one of those held there, or its bits in their filter.
    #[inline(always)]
    fn may_follow(&self, next: u32, key: u64) -> bool {
        if next & INLINE != 0 {
            return if next & ONE != 0 {
                next & !(INLINE | ONE) == long_fingerprint(key)
            } else {
                let short = short_fingerprint(key);
                next & 0x7FFF == short || (next >> 15) & 0x7FFF == short
            };
        }
        let words = 1 << (next & ((1 << NEXT_SIZE_BITS) - 1));
        let offset = (next >> NEXT_SIZE_BITS) as usize;
        let (word, bits) = next_bits(key, words);
        self.next_filters[offset + word] & bits == bits
    }

    /// The longest run of non-word characters between two words of a pattern, in bytes.
    #[cfg(test)]
    pub(super) fn longest_gap(&self) -> usize {
        self.longest_gap
    }
}

/// A slot's `next` that holds the next runs with `keys` themselves (`INLINE`), where they are
/// one or two: the one's 30-bit fingerprint, or the two's of 15 bits. The fingerprints come
/// from the keys' top bits, which the slots of a table of fewer than 2^30 slots share with
/// them only in part. `None` for more runs (their filter then), and for the one run in 2^30
/// whose fingerprint would read as `NO_NEXT`.
fn inline_next(mut keys: impl Iterator<Item = u64>) -> Option<u32> {
    let first = keys.next()?;
    match (keys.next(), keys.next()) {
        (None, _) => Some(INLINE | ONE | long_fingerprint(first)).filter(|&n| n != NO_NEXT),
        (Some(second), None) => {
            Some(INLINE | short_fingerprint(first) | short_fingerprint(second) << 15)
        }
        _ => None,
    }
}

/// The 30-bit fingerprint of a run's key that a slot with one next run holds.
#[inline(always)]
fn long_fingerprint(key: u64) -> u32 {
    (key >> 34) as u32
}

/// The 15-bit fingerprint of a run's key that a slot with two next runs holds.
#[inline(always)]
fn short_fingerprint(key: u64) -> u32 {
    (key >> 49) as u32
}

/// The word after byte `from` (the end of a word) if it starts no more than `longest_gap`
/// bytes away: its start, end and `hash_word`.
#[inline]
pub(super) fn word_after(
    text: &str,
    from: usize,
    longest_gap: usize,
) -> Option<(usize, usize, u64)> {
    let at = next_word_start(text, from, longest_gap)?;
    if at == text.len() {
        return None;
    }
    let end = word_end(text, at);
    Some((at, end, hash_word(&text.as_bytes()[at..end])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(patterns: &[&str]) -> (WordSequences, Vec<bool>, Vec<String>) {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        let (table, taken) = WordSequences::new(&patterns, &vec![true; patterns.len()]);
        (table, taken, patterns)
    }

    /// The patterns at `start`, found by a walk from the first word's key and the next word.
    fn at(table: &WordSequences, text: &str, start: usize) -> Vec<(usize, usize)> {
        let first_end = word_end(text, start);
        let first = key_of(hash_word(&text.as_bytes()[start..first_end]));
        let second = word_after(text, first_end, table.longest_gap()).map(|(at, end, hash)| {
            let gap = &text.as_bytes()[first_end..at];
            (end, run_key(first, gap, hash))
        });
        let mut found = Vec::new();
        table.walk(text, start, (first_end, first), second, &mut found);
        found.into_iter().map(|(e, p)| (e, p.as_usize())).collect()
    }

    #[test]
    fn openings_are_the_keys_of_the_first_words() {
        let first = key_of(hash_word(b"new"));
        let pair = run_key(first, b" ", hash_word(b"york"));
        assert_eq!(opening_of("new york city"), Some((first, Some((pair, 1)))));
        assert_eq!(opening_of("new"), Some((first, None)));
        let a = key_of(hash_word(b"a"));
        let ab = run_key(a, b".", hash_word(b"b"));
        assert_eq!(opening_of("a.b.s."), Some((a, Some((ab, 1)))));
        assert_eq!(opening_of("new."), Some((first, None)));
        assert_eq!(opening_of("(old) town"), None);
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
        assert_eq!(at(&t, "new york city!", 0), [(3, 0), (8, 1), (13, 2)]);
        assert_eq!(at(&t, "new  york", 0), [(3, 0)]);
        assert_eq!(at(&t, "newark", 0), []);
        assert_eq!(at(&t, "new yorker", 0), [(3, 0)]);
        assert_eq!(at(&t, "o'brien's", 0), [(7, 3)]);
        assert_eq!(at(&t, "saint-denis", 0), [(11, 4)]);
        assert_eq!(
            at(&t, "x köln am rhein", 2),
            [(2 + "köln am rhein".len(), 8)]
        );
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
        let patterns: Vec<String> = ["invad", "paris", "x.", "-x"].map(String::from).to_vec();
        let (t, taken) = WordSequences::new(&patterns, &[false, true, true, true]);
        assert_eq!(taken, [false, true, false, false]);
        assert_eq!(at(&t, "paris", 0), [(5, 1)]);
    }

    /// A short word's key is proof of its bytes (`held`): no two words of one to eight bytes
    /// without a zero byte share a `hash_word`. Checked on every word of up to three of 38
    /// letters, digits and bytes of accented letters, and on many random words up to eight.
    #[test]
    fn short_words_never_share_a_key() {
        let alphabet: Vec<u8> = (b'a'..=b'z')
            .chain(b'0'..=b'9')
            .chain([0xc3, 0xa9])
            .collect();
        let mut seen = std::collections::HashMap::new();
        let mut check = |word: Vec<u8>| {
            let key = key_of(hash_word(&word));
            if let Some(other) = seen.insert(key, word.clone()) {
                assert_eq!(other, word, "two words with one key");
            }
        };
        for &a in &alphabet {
            check(vec![a]);
            for &b in &alphabet {
                check(vec![a, b]);
                for &c in &alphabet {
                    check(vec![a, b, c]);
                }
            }
        }
        let mut random = crate::matcher::tests::Lcg(11);
        for _ in 0..200_000 {
            let len = 4 + random.below(5);
            check(
                (0..len)
                    .map(|_| alphabet[random.below(alphabet.len())])
                    .collect(),
            );
        }
    }

    #[test]
    fn short_words_are_held_in_their_slots_and_found_only_as_one_word() {
        let (t, taken, _) = table(&[
            "paris",
            "new",
            "new york",
            "saint-denis",
            "kyiv",
            "abcdefghi",
        ]);
        assert!(taken.iter().all(|&t| t));
        // Only the patterns of more than one word or more than eight bytes need a record.
        let recorded = ["new york", "saint-denis", "abcdefghi"]
            .iter()
            .map(|p| 8 + p.len())
            .sum::<usize>();
        assert_eq!(t.records.len(), recorded);
        assert_eq!(at(&t, "paris", 0), [(5, 0)]);
        assert_eq!(at(&t, "new york", 0), [(3, 1), (8, 2)]);
        assert_eq!(at(&t, "kyiv.", 0), [(4, 4)]);
        assert_eq!(at(&t, "abcdefghi", 0), [(9, 5)]);
        assert_eq!(at(&t, "parisx", 0), []);
        assert_eq!(at(&t, "pari", 0), []);
    }

    /// The next runs a slot holds itself (one or two fingerprints) pass every run they hold and
    /// nearly no other; three or more go to a filter of their own. Checked on random keys, and
    /// on a table whose runs go on with one, two and five next words.
    #[test]
    fn next_runs_held_in_the_slot_pass_theirs_and_few_others() {
        let (t, _, _) = table(&["a b", "c d", "c e", "f g", "f h", "f i", "f j", "f k"]);
        let mut random = crate::matcher::tests::Lcg(3);
        let mut key = || key_of(hash_word(&(random.below(1 << 30) as u64).to_le_bytes()));
        for held in 1..=2 {
            for _ in 0..2_000 {
                let runs: Vec<u64> = (0..held).map(|_| key()).collect();
                let Some(next) = inline_next(runs.iter().copied()) else {
                    assert_eq!(held, 1, "two runs are always held");
                    continue;
                };
                assert!(runs.iter().all(|&run| t.may_follow(next, run)));
                let others = (0..20).filter(|_| t.may_follow(next, key())).count();
                assert!(others <= 1, "{others} of 20 other runs passed");
            }
        }
        assert_eq!(inline_next([1, 2, 3].into_iter()), None);
        assert_eq!(inline_next(std::iter::empty()), None);
        assert_eq!(at(&t, "a b", 0), [(3, 0)]);
        assert_eq!(at(&t, "c e", 0), [(3, 2)]);
        assert_eq!(at(&t, "f k", 0), [(3, 7)]);
        assert_eq!(at(&t, "f x", 0), []);
    }

    /// Distinct gaps give distinct `gap_key`s: every gap of up to three of a few separators
    /// (a zero byte among them, so that length matters), and long gaps by their hash.
    #[test]
    fn gaps_keep_apart() {
        let bytes = [b' ', b',', b'.', b'-', 0, b'\n'];
        let mut gaps: Vec<Vec<u8>> = Vec::new();
        for &a in &bytes {
            gaps.push(vec![a]);
            for &b in &bytes {
                gaps.push(vec![a, b]);
                for &c in &bytes {
                    gaps.push(vec![a, b, c]);
                }
            }
        }
        gaps.push(b" -- and -- ".to_vec());
        gaps.push(b"        ".to_vec());
        gaps.push(b"         ".to_vec());
        let keys: std::collections::HashSet<u64> = gaps.iter().map(|g| gap_key(g)).collect();
        assert_eq!(keys.len(), gaps.len());
    }
}
