//! A filter of how the word-sequence table's patterns open (`word_sequences`): for each first
//! word, whether it must be looked up on its own, and which second words may follow it.
//!
//! Half the words of English news begin some alias of a million place names (`the`, `to`,
//! `in`, `a`), yet nearly all of them begin only aliases of several words whose second word is
//! not the text's next word (`the valley`, `to kwa wan`). A filter of first words alone lets
//! them all through to the table and to their next word; this filter asks about the first word
//! *and* the next one in one probe of one cache line, chosen by the first word, that holds
//! - a mark for the first words that need the table anyway: those that are whole one-word
//!   patterns, and those that begin so many longer ones (`the`: hundreds) that their second
//!   words would fill a line (the table's own filter of next runs then sorts them out);
//! - for every other first word of the table, a mark that it begins patterns of several words,
//!   and a mark for each (first word, gap, second word) opening of them (the key of that
//!   two-word run in the table).
//!
//! So a text word that begins no pattern, or begins only patterns of several words none of
//! which goes on with the text's next word, costs one probe of a filter that stays in the L2
//! cache (about a megabyte for a million aliases). The filter never rejects a word that opens
//! a pattern of the table, so the table then finds exactly what it found before.

/// First words with more two-word openings than this are marked as needing the table instead:
/// their openings would crowd the line they share with other first words.
const MAX_OPENINGS_IN_LINE: usize = 48;

/// Bits of the filter per mark, at least (8 to 16: about 2% to 0.3% of probes pass that should
/// not, per test; a megabyte, half the L2 cache, for a million aliases).
const BITS_PER_MARK: usize = 8;

/// One cache line of the filter: eight 64-bit words; a mark sets three bits in one of them.
#[derive(Clone, Copy, Debug, Default)]
#[repr(align(64))]
struct Line([u64; 8]);

/// The filter: a line per first word (shared with others), marks inside it.
#[derive(Clone, Debug)]
pub(super) struct Openings {
    lines: Box<[Line]>,
    /// Shift that takes a first word's key to its line (its top bits).
    shift: u32,
}

/// The word of a line and the three bits in it that stand for `key`. The bits come from the
/// key's middle (the line from its top, the table's filters of next runs from its low and
/// high-middle bits), so that the tests stay independent.
#[inline(always)]
fn mark(key: u64) -> (usize, u64) {
    let word = (key >> 20) as usize & 7;
    let bits = 1 << ((key >> 23) & 63) | 1 << ((key >> 29) & 63) | 1 << ((key >> 35) & 63);
    (word, bits)
}

/// The mark of a first word that needs the table: its key remixed (the product's middle bits
/// come from the key's low bits, not from the top bits that chose the line), so that it
/// differs from any opening's mark in the same line.
#[inline(always)]
fn needs_table_mark(key: u64) -> u64 {
    (key ^ 0x5851_F42D_4C95_7F2D).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The mark of a first word whose two-word openings are in its line: remixed another way.
#[inline(always)]
fn opens_mark(key: u64) -> u64 {
    (key ^ 0x2127_599B_F432_5C37).wrapping_mul(0xD6E8_FEB8_6659_FD93)
}

/// What the filter says of a text word as a first word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Opening {
    /// It begins no pattern of the table.
    Nothing,
    /// It may be a whole pattern, or begins many: look it up.
    Table,
    /// It may begin patterns of several words: look it up if `may_pair` passes its opening
    /// with the text's next word.
    Pairs,
}

impl Openings {
    /// The filter of first words (`needs_table`: their keys) that are whole patterns or
    /// that begin patterns of several words, and of the two-word openings (`openings`: the
    /// key of the first word, the key of the first two words). Keys are the table's.
    pub(super) fn new(mut needs_table: Vec<u64>, mut openings: Vec<(u64, u64)>) -> Self {
        openings.sort_unstable();
        openings.dedup();
        let mut in_lines: Vec<(u64, u64)> = Vec::with_capacity(openings.len());
        for group in openings.chunk_by(|a, b| a.0 == b.0) {
            if group.len() > MAX_OPENINGS_IN_LINE {
                needs_table.push(group[0].0);
            } else {
                in_lines.extend_from_slice(group);
            }
        }
        needs_table.sort_unstable();
        needs_table.dedup();
        // A mark per first word and per opening in the lines.
        let first_words_in_lines = in_lines.chunk_by(|a, b| a.0 == b.0).count();
        let marks = needs_table.len() + first_words_in_lines + in_lines.len();
        // A power of two, at least two lines (the shift to a line stays under 64).
        let n_lines = (marks * BITS_PER_MARK / 512).max(2).next_power_of_two();
        let mut filter = Self {
            lines: vec![Line::default(); n_lines].into_boxed_slice(),
            shift: 64 - n_lines.trailing_zeros(),
        };
        for key in needs_table {
            filter.set(key, needs_table_mark(key));
        }
        for (first, opening) in in_lines {
            filter.set(first, opens_mark(first));
            filter.set(first, opening);
        }
        filter
    }

    fn set(&mut self, first: u64, key: u64) {
        let line = self.line_of(first);
        let (word, bits) = mark(key);
        self.lines[line].0[word] |= bits;
    }

    #[inline(always)]
    fn line_of(&self, first: u64) -> usize {
        (first >> self.shift) as usize
    }

    /// Whether a text word with the table's key `first` may begin a pattern of the table.
    /// `Nothing` only when it begins none.
    #[inline(always)]
    pub(super) fn opening(&self, first: u64) -> Opening {
        let line = &self.lines[self.line_of(first)].0;
        let has = |key: u64| {
            let (word, bits) = mark(key);
            line[word] & bits == bits
        };
        if has(needs_table_mark(first)) {
            Opening::Table
        } else if has(opens_mark(first)) {
            Opening::Pairs
        } else {
            Opening::Nothing
        }
    }

    /// Whether `second`, the key of a text word with key `first` and the next word, may be
    /// an opening of the filter; false only when it is not (for first words that `opening`
    /// says `Pairs` of).
    #[inline(always)]
    pub(super) fn may_pair(&self, first: u64, second: u64) -> bool {
        let (word, bits) = mark(second);
        self.lines[self.line_of(first)].0[word] & bits == bits
    }

    /// The line that `opening` and `may_pair` read for a first word with key `first` (to prefetch it).
    #[inline(always)]
    pub(super) fn line_for(&self, first: u64) -> &[u64; 8] {
        &self.lines[self.line_of(first)].0
    }

    /// The filter's size in bytes.
    #[cfg(test)]
    pub(super) fn size(&self) -> usize {
        self.lines.len() * std::mem::size_of::<Line>()
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

    #[test]
    fn marked_words_and_openings_pass_and_few_others_do() {
        // 1,100 whole one-word patterns; 1,100 first words with three openings each (5,500
        // marks: 128 lines, about 12 bits a mark); one first word with many.
        let needs_table: Vec<u64> = (0..1100).map(key).collect();
        let mut openings: Vec<(u64, u64)> = (0..3300)
            .map(|i| (key(10_000 + i / 3), key(20_000 + i)))
            .collect();
        let busy = key(99);
        openings.extend((0..100).map(|i| (busy, key(50_000 + i))));
        let filter = Openings::new(needs_table.clone(), openings.clone());
        assert!(filter.size() <= 8 * 1024);
        for &first in &needs_table {
            assert_eq!(filter.opening(first), Opening::Table);
        }
        for &(first, second) in &openings {
            // `Table` for a few, whose mark another's bits make (a look-up then says no).
            match filter.opening(first) {
                Opening::Pairs => assert!(filter.may_pair(first, second)),
                Opening::Table => {}
                Opening::Nothing => panic!("an opening's first word was rejected"),
            }
        }
        // The busy word is marked as needing the table: its second words are not in the line.
        assert_eq!(filter.opening(busy), Opening::Table);
        let passed = (0..10_000)
            .filter(|&i| filter.may_pair(key(10_000 + i % 1100), key(90_000 + i)))
            .count();
        assert!(passed < 400, "{passed} of 10,000 wrong second words passed");
        let passed = (0..10_000)
            .filter(|&i| filter.opening(key(200_000 + i)) != Opening::Nothing)
            .count();
        assert!(passed < 600, "{passed} of 10,000 other first words passed");
        let tiny = Openings::new(vec![key(1)], Vec::new());
        assert_eq!(tiny.opening(key(1)), Opening::Table);
    }
}
