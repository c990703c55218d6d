//! A filter of how the patterns of the search from word starts open: for each first word,
//! whether it must be looked up on its own, and which second words may follow it.
//!
//! Half the words of English news begin some alias of a million place names (`the`, `to`,
//! `in`, `a`), yet nearly all of them begin only aliases of several words whose second word is
//! not the text's next word (`the valley`, `to kwa wan`). A filter of first words alone lets
//! them all through to the look-ups; this filter asks about the first word *and* the next one,
//! mostly in one probe of one cache line chosen by the first word. The line holds
//! - flags of the first word: that it is a whole pattern of the word-sequence table
//!   (`word_sequences`) on its own, that it begins a pattern of the trie (`word_starts`) that
//!   has no second word (`x.`), that it opens patterns of two words or more and which of the
//!   two structures hold them;
//! - a mark per opening (first word, gap, second word: the key of that two-word run) of the
//!   first words with few openings. A first word with many (`the`: hundreds) is flagged busy
//!   instead, and its openings go to a filter of their own (`busy`), a second probe, so that
//!   they do not crowd the line that other first words share.
//!
//! So a text word that begins no pattern, or begins only patterns of several words none of
//! which goes on with the text's next word, costs one or two probes of filters that stay in the
//! L2 cache (two megabytes for a million aliases, far less for fewer), and that test
//! (`may_open`) has no branch for the word loop to mispredict. The filter never rejects a word that opens a pattern, so
//! the look-ups then find exactly what they found before.
//!
//! The flags of a first word share their bit positions and differ in the word of the line they
//! are in: one mixing of the key gives them all.

/// First words with more two-word openings than this are flagged busy: their openings would
/// crowd the line they share with other first words.
const MAX_OPENINGS_IN_LINE: usize = 48;

/// Bits of the filter per mark, where the lines fit in `MOST_LINES` (8, 16, 32: about 2%,
/// 0.3%, 0.01% of probes pass that should not, per test): a probe that passes wrongly costs a
/// look-up in the table, far more than a probe of lines that stay in the L2 cache.
const BITS_PER_MARK: usize = 32;

/// The most lines that `BITS_PER_MARK` may ask for (2 MiB): beyond that, fewer bits a mark,
/// down to `LEAST_BITS_PER_MARK`.
const MOST_LINES: usize = 1 << 15;

/// Bits of the filter per mark, at least, however many marks there are.
const LEAST_BITS_PER_MARK: usize = 8;

/// Bits of the busy first words' filter per opening (an opening's four `mark` bits in one 64-bit
/// word: about 1% of probes pass that should not).
const BITS_PER_BUSY_OPENING: usize = 16;

/// One cache line of the filter: eight 64-bit words; a mark sets four bits in one of them.
#[derive(Clone, Copy, Debug, Default)]
#[repr(align(64))]
struct Line([u64; 8]);

/// What a first word's flags say: each is the word of the line it is in, relative to the
/// word of the first word's mark.
#[derive(Clone, Copy)]
enum Flag {
    /// The word on its own is a pattern of the word-sequence table, or begins a pattern of
    /// the trie with no second word.
    Alone = 0,
    /// The word begins a pattern of the trie with no second word.
    Trie = 1,
    /// Its openings are marked in its line.
    Opens = 2,
    /// Its openings are in the busy filter.
    Busy = 3,
    /// It opens patterns of the trie of two words or more.
    TrieOpens = 4,
}

/// How the patterns of a search open, as a filter (see the module's documentation).
#[derive(Clone, Debug)]
pub(super) struct Openings {
    lines: Box<[Line]>,
    /// Shift that takes a first word's key to its line (its top bits).
    shift: u32,
    /// The openings of the busy first words, a blocked Bloom filter.
    busy: Box<[u64]>,
    /// `busy.len() - 1`; the length is a power of two.
    busy_mask: u64,
}

/// The word of a line and the four bits in it that stand for `key`: of a first word's flags
/// (the word then relative), or of an opening. The bits come from the key's middle (the line
/// from its top, the word of the busy filter from above the middle), so that the tests stay
/// independent; keys are well-mixed hashes, so no further mixing is needed.
#[inline(always)]
fn mark(key: u64) -> (usize, u64) {
    let word = (key >> 20) as usize & 7;
    let bits = 1 << ((key >> 23) & 63)
        | 1 << ((key >> 29) & 63)
        | 1 << ((key >> 35) & 63)
        | 1 << ((key >> 41) & 63);
    (word, bits)
}

/// The word of the busy filter that stands for the opening `key` (its bits are those of its
/// `mark`: the word comes from other bits of the key).
#[inline(always)]
fn busy_word(key: u64, mask: u64) -> usize {
    ((key >> 47) & mask) as usize
}

/// Which structures may have a pattern at a word start (`Openings::walks`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Walks {
    pub table: bool,
    pub trie: bool,
}

/// Where the patterns of an opening, or of a first word alone, are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kept {
    Table,
    Trie,
}

impl Openings {
    /// The filter of the first words that are patterns of the table, or begin patterns of the
    /// trie with no second word, on their own (`alone`: their keys and where), and of the two-word openings (`openings`:
    /// the key of the first word, the key of the first two words, where their patterns are).
    /// Keys are the word-sequence table's (`word_sequences`).
    pub(super) fn new(mut alone: Vec<(u64, Kept)>, mut openings: Vec<(u64, u64, Kept)>) -> Self {
        // One entry per first word alone: the trie's where any of its patterns is there.
        alone.sort_unstable_by_key(|&(key, kept)| (key, std::cmp::Reverse(kept)));
        alone.dedup_by_key(|&mut (key, _)| key);
        openings.sort_unstable();
        openings.dedup();
        let groups = || openings.chunk_by(|a, b| a.0 == b.0);
        // An opening may be both the table's and the trie's: count its second word once.
        let seconds = |group: &[(u64, u64, Kept)]| group.chunk_by(|a, b| a.1 == b.1).count();
        // Count the marks first, so that the filter is sized without a list of them (a
        // million aliases: tens of megabytes less at the build's peak).
        let mut marks = alone.len() + alone.iter().filter(|o| o.1 == Kept::Trie).count();
        let mut busy_openings = 0;
        for group in groups() {
            marks += 1 + usize::from(group.iter().any(|o| o.2 == Kept::Trie));
            match seconds(group) {
                n if n > MAX_OPENINGS_IN_LINE => busy_openings += n,
                n => marks += n,
            }
        }
        // A power of two, at least two lines (the shift to a line stays under 64).
        let lines_for =
            |bits_per_mark: usize| (marks * bits_per_mark / 512).max(2).next_power_of_two();
        let n_lines = lines_for(BITS_PER_MARK)
            .min(MOST_LINES)
            .max(lines_for(LEAST_BITS_PER_MARK));
        let busy_words = (busy_openings * BITS_PER_BUSY_OPENING / 64)
            .max(1)
            .next_power_of_two();
        let mut filter = Self {
            lines: vec![Line::default(); n_lines].into_boxed_slice(),
            shift: 64 - n_lines.trailing_zeros(),
            busy: vec![0; busy_words].into_boxed_slice(),
            busy_mask: busy_words as u64 - 1,
        };
        for &(key, kept) in &alone {
            filter.set_flag(key, Flag::Alone);
            if kept == Kept::Trie {
                filter.set_flag(key, Flag::Trie);
            }
        }
        for group in groups() {
            let first = group[0].0;
            if group.iter().any(|o| o.2 == Kept::Trie) {
                filter.set_flag(first, Flag::TrieOpens);
            }
            if seconds(group) > MAX_OPENINGS_IN_LINE {
                filter.set_flag(first, Flag::Busy);
                for &(_, second, _) in group {
                    let (_, bits) = mark(second);
                    filter.busy[busy_word(second, filter.busy_mask)] |= bits;
                }
            } else {
                filter.set_flag(first, Flag::Opens);
                let line = filter.line_of(first);
                for &(_, second, _) in group {
                    let (word, bits) = mark(second);
                    filter.lines[line].0[word] |= bits;
                }
            }
        }
        filter
    }

    fn set_flag(&mut self, key: u64, flag: Flag) {
        let line = self.line_of(key);
        let (word, bits) = mark(key);
        self.lines[line].0[word ^ flag as usize] |= bits;
    }

    #[inline(always)]
    fn line_of(&self, first: u64) -> usize {
        (first >> self.shift) as usize
    }

    /// The line of a first word with key `first`, and a test of its flags there.
    #[inline(always)]
    fn flags_of(&self, first: u64) -> (&[u64; 8], impl Fn(Flag) -> bool + '_) {
        let line = &self.lines[self.line_of(first)].0;
        let (word, bits) = mark(first);
        (line, move |flag: Flag| {
            line[word ^ flag as usize] & bits == bits
        })
    }

    /// Whether a pattern may begin with a text word with key `first` followed by the run of
    /// two words with key `pair` (any value where no word follows near enough: the filter
    /// then passes only what needs no second word, and a few others). False only when none
    /// does. No branch: the word loop asks this of every word.
    #[inline(always)]
    pub(super) fn may_open(&self, first: u64, pair: u64) -> bool {
        let (line, flag) = self.flags_of(first);
        let (pair_word, pair_bits) = mark(pair);
        let in_line = line[pair_word] & pair_bits == pair_bits;
        // The busy filter's word only for a busy first word (else its first word, which stays
        // in the cache): most text words would otherwise miss the cache there for nothing.
        let busy = flag(Flag::Busy);
        let busy_at = if busy {
            busy_word(pair, self.busy_mask)
        } else {
            0
        };
        let in_busy = self.busy[busy_at] & pair_bits == pair_bits;
        flag(Flag::Alone) | (flag(Flag::Opens) & in_line) | (busy & in_busy)
    }

    /// `may_open` of eight pairs of keys at once (lanes of 64 bits), for the lanes of `lanes`:
    /// bit `i` of the answer is lane `i`'s. The word loop's batch asks this (`places`).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    #[inline]
    pub(super) fn may_open_x8(
        &self,
        first: std::arch::x86_64::__m512i,
        pair: std::arch::x86_64::__m512i,
        lanes: std::arch::x86_64::__mmask8,
    ) -> std::arch::x86_64::__mmask8 {
        use std::arch::x86_64::{
            __m512i, __mmask8, _mm512_and_si512, _mm512_mask_cmpeq_epi64_mask,
            _mm512_mask_i64gather_epi64, _mm512_or_si512, _mm512_set1_epi64, _mm512_setzero_si512,
            _mm512_slli_epi64, _mm512_sllv_epi64, _mm512_srli_epi64, _mm512_srlv_epi64,
            _mm512_xor_si512,
        };
        // `mark` of eight keys: the word of the line, and the four bits.
        let mark = |key: __m512i| {
            let word = _mm512_and_si512(_mm512_srli_epi64::<20>(key), _mm512_set1_epi64(7));
            let six = _mm512_set1_epi64(63);
            let one = _mm512_set1_epi64(1);
            let bit = |shifted: __m512i| _mm512_sllv_epi64(one, _mm512_and_si512(shifted, six));
            let bits = _mm512_or_si512(
                _mm512_or_si512(
                    bit(_mm512_srli_epi64::<23>(key)),
                    bit(_mm512_srli_epi64::<29>(key)),
                ),
                _mm512_or_si512(
                    bit(_mm512_srli_epi64::<35>(key)),
                    bit(_mm512_srli_epi64::<41>(key)),
                ),
            );
            (word, bits)
        };
        let words = self.lines.as_ptr().cast::<i64>();
        // The first word of each key's line, counted in 64-bit words: every key has a line
        // (`shift` keeps exactly the bits that number them).
        let line = _mm512_slli_epi64::<3>(_mm512_srlv_epi64(
            first,
            _mm512_set1_epi64(i64::from(self.shift)),
        ));
        let (word, bits) = mark(first);
        // SAFETY (all the gathers): every index is a word of a line (line < lines, word < 8),
        // or of the busy filter (masked by `busy_mask`).
        let read = |at: __m512i, lanes: __mmask8| unsafe {
            _mm512_mask_i64gather_epi64::<8>(_mm512_setzero_si512(), lanes, at, words)
        };
        let has = |word: __m512i, bits: __m512i, lanes: __mmask8| {
            _mm512_mask_cmpeq_epi64_mask(lanes, _mm512_and_si512(word, bits), bits)
        };
        let flag = |flag: Flag| {
            let at = _mm512_or_si512(line, _mm512_xor_si512(word, _mm512_set1_epi64(flag as i64)));
            has(read(at, lanes), bits, lanes)
        };
        let alone = flag(Flag::Alone);
        let opens = flag(Flag::Opens);
        let busy = flag(Flag::Busy);
        // The second word's tests read for every lane, not only where the first word's flags
        // ask for them: so they do not wait on the flags' loads (the busy filter's word then
        // read for every word, which the one-by-one test avoids: there it would miss the
        // cache on most words, here the eight lanes' misses overlap).
        let (pair_word, pair_bits) = mark(pair);
        let in_line = has(
            read(_mm512_or_si512(line, pair_word), lanes),
            pair_bits,
            lanes,
        );
        let busy_at = _mm512_and_si512(
            _mm512_srli_epi64::<47>(pair),
            _mm512_set1_epi64(self.busy_mask as i64),
        );
        // SAFETY: as above.
        let busy_words = unsafe {
            _mm512_mask_i64gather_epi64::<8>(
                _mm512_setzero_si512(),
                lanes,
                busy_at,
                self.busy.as_ptr().cast::<i64>(),
            )
        };
        let in_busy: __mmask8 = has(busy_words, pair_bits, lanes);
        alone | (opens & in_line) | (busy & in_busy)
    }

    /// Which of the two structures may hold a pattern that begins with a text word with key
    /// `first`, followed by the run of two words with key `pair` when a word follows near
    /// enough. Each false only when that structure holds none.
    #[inline]
    pub(super) fn walks(&self, first: u64, pair: Option<u64>) -> Walks {
        let (line, flag) = self.flags_of(first);
        // Both ways, not one or the other: a flag may also pass for a word without it.
        let opening = pair.is_some_and(|pair| {
            let (pair_word, pair_bits) = mark(pair);
            let busy_at = busy_word(pair, self.busy_mask);
            (flag(Flag::Opens) && line[pair_word] & pair_bits == pair_bits)
                || (flag(Flag::Busy) && self.busy[busy_at] & pair_bits == pair_bits)
        });
        Walks {
            table: flag(Flag::Alone) || opening,
            trie: flag(Flag::Trie) || (opening && flag(Flag::TrieOpens)),
        }
    }

    /// Whether a text word with key `first` may open patterns of two words or more, so that
    /// `walks` needs the key of its run with the next word.
    #[inline(always)]
    pub(super) fn may_pair(&self, first: u64) -> bool {
        let (_, flag) = self.flags_of(first);
        flag(Flag::Opens) | flag(Flag::Busy)
    }

    /// The line that the tests read for a first word with key `first` (to prefetch it).
    #[inline(always)]
    pub(super) fn line_for(&self, first: u64) -> &[u64; 8] {
        &self.lines[self.line_of(first)].0
    }

    /// The filter's size in bytes.
    #[cfg(test)]
    pub(super) fn size(&self) -> usize {
        (self.lines.len() * std::mem::size_of::<Line>()) + self.busy.len() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A well-mixed key (splitmix64), never 0.
    fn key(i: u64) -> u64 {
        let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)).max(1)
    }

    const TABLE: Kept = Kept::Table;
    const TRIE: Kept = Kept::Trie;

    #[test]
    fn marked_words_and_openings_pass_and_few_others_do() {
        // 1,000 whole one-word patterns of the table, 100 first words of trie patterns alone;
        // 1,100 first words with three openings each, of the table and the trie; one first
        // word with many.
        let mut alone: Vec<(u64, Kept)> = (0..1000).map(|i| (key(i), TABLE)).collect();
        alone.extend((1000..1100).map(|i| (key(i), TRIE)));
        let kept = |i: u64| {
            if i.is_multiple_of(5) {
                Kept::Trie
            } else {
                Kept::Table
            }
        };
        let mut openings: Vec<(u64, u64, Kept)> = (0..3300)
            .map(|i| (key(10_000 + i / 3), key(20_000 + i), kept(i)))
            .collect();
        // An opening that both structures have (`new york` and `new york.`).
        openings.push((key(10_000), key(20_001), Kept::Trie));
        // Many busy words, so that some pass a flag of their line that they lack (here about
        // 2% a flag): their openings must pass all the same.
        let busy = key(99_999);
        openings.extend((0..100).map(|i| (busy, key(50_000 + i), Kept::Table)));
        for b in 0..200u64 {
            let kept = if b.is_multiple_of(4) {
                Kept::Trie
            } else {
                Kept::Table
            };
            openings.extend((0..50).map(|i| (key(400_000 + b), key(500_000 + 50 * b + i), kept)));
        }
        let filter = Openings::new(alone.clone(), openings.clone());
        assert!(filter.size() <= 64 * 1024);
        let nothing = key(1_000_000);
        for &(first, kind) in &alone {
            assert!(filter.may_open(first, nothing));
            let walks = filter.walks(first, None);
            assert!(walks.table || kind == Kept::Trie);
            assert!(walks.trie || kind == Kept::Table);
        }
        for &(first, second, kept) in &openings {
            assert!(filter.may_open(first, second));
            assert!(filter.may_pair(first));
            let walks = filter.walks(first, Some(second));
            match kept {
                Kept::Table => assert!(walks.table),
                Kept::Trie => assert!(walks.trie),
            }
        }
        // Wrong second words, other first words: few pass (here about 2% a test: a wrong
        // second word passes its line's test, or the first word passes a flag it lacks).
        let passed = (0..10_000)
            .filter(|&i| filter.may_open(key(10_000 + i % 1100), key(90_000 + i)))
            .count();
        assert!(passed < 600, "{passed} of 10,000 wrong second words passed");
        let passed = (0..10_000)
            .filter(|&i| filter.may_open(busy, key(90_000 + i)))
            .count();
        assert!(
            passed < 300,
            "{passed} of 10,000 wrong second words of the busy word"
        );
        let passed = (0..10_000)
            .filter(|&i| filter.may_open(key(200_000 + i), key(300_000 + i)))
            .count();
        assert!(passed < 300, "{passed} of 10,000 other first words passed");
        let walks = (0..10_000)
            .filter(|&i| filter.walks(key(200_000 + i), Some(key(300_000 + i))) != NONE)
            .count();
        assert!(walks < 500, "{walks} of 10,000 other first words walk");
        let tiny = Openings::new(vec![(key(1), TABLE)], Vec::new());
        assert!(tiny.may_open(key(1), nothing));
    }

    const NONE: Walks = Walks {
        table: false,
        trie: false,
    };
}
