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

use super::first_words::{hash_short, hash_word};
use super::word_starts::AnchoredAutomaton;
use aho_corasick::PatternID;

pub(super) const FUSED: bool = true;

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
    finder: PlaceFinder,
    /// Bit `i`: the trie is to be walked at place `i`.
    on_trie: u64,
    /// What the table's filter said of each place (`AnchoredAutomaton::filter_place`).
    #[allow(clippy::option_option)]
    on_table: [Option<Option<(usize, u64)>>; BLOCK],
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
            on_trie: 0,
            on_table: [None; BLOCK],
            finder: PlaceFinder {
                window: Window::EMPTY,
                long_way_until: usize::MAX,
            },
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
                let filtered = (self.on_trie >> i & 1 == 1, self.on_table[i]);
                automaton.patterns_at_filtered(text, place.start, place.word(), filtered, found);
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
        automaton.prefetch_filters(hash);
        self.places[self.len] = Place { start, end, hash };
        self.len += 1;
    }

    /// Stages 1 and 2: the places after the first up to a full block and its look-ahead, and
    /// what the filters say of each.
    fn fill(&mut self, automaton: &AnchoredAutomaton, text: &str) {
        let bytes = text.as_bytes();
        let mut window = Window::EMPTY;
        // Windows say nothing of spaces: a pattern that began with one would need the long way.
        let mut long_way_until = if automaton.begins_other(b' ') {
            usize::MAX
        } else {
            0
        };
        while self.len <= BLOCK {
            let last = self.places[self.len - 1];
            let mut after = automaton.after_place(text, last.start, last.word());
            // ASCII text 64 bytes at a time: the next place and its word's end from bit masks.
            let place = loop {
                if !window.holds(after) {
                    if after < long_way_until {
                        break None;
                    }
                    window = Window::at(bytes, after);
                    if !window.holds(after) {
                        // Not ASCII, or near the end: places the long way for a while.
                        long_way_until = after + 64;
                        break None;
                    }
                }
                match window.next_place(automaton, bytes, after) {
                    Ok(place) => break Some(place),
                    Err(next) => after = next,
                }
            };
            let place = match place {
                Some(place) => place,
                None => match automaton.scan_to_start(text, after) {
                    Some(start) => {
                        self.push(automaton, text, start);
                        continue;
                    }
                    None => {
                        self.ended = true;
                        break;
                    }
                },
            };
            let place = if place.end == usize::MAX {
                // The word goes on past the window.
                let end = super::word_starts::word_end(text, place.start);
                Place {
                    start: place.start,
                    end,
                    hash: hash_word(&bytes[place.start..end]),
                }
            } else {
                place
            };
            automaton.prefetch_filters(place.hash);
            self.places[self.len] = place;
            self.len += 1;
        }
        self.known = if self.ended { self.len } else { BLOCK };
        let (mut candidates, mut on_trie) = (0, 0);
        for i in 0..self.known {
            let place = self.places[i];
            let (trie, table) =
                automaton.filter_place(text, place.start, place.word(), self.following(i));
            self.on_table[i] = table;
            on_trie |= u64::from(trie) << i;
            candidates |= u64::from(trie | table.is_some()) << i;
        }
        self.candidates = candidates;
        self.on_trie = on_trie;
    }
}

/// The places of a text one after another, ASCII text found 64 bytes at a time (`Window`).
#[derive(Clone, Copy, Debug)]
pub(super) struct PlaceFinder {
    window: Window,
    /// Places before this byte are found the long way (`scan_to_start`, `word_at`).
    long_way_until: usize,
}

impl PlaceFinder {
    pub(super) fn new(automaton: &AnchoredAutomaton) -> Self {
        Self {
            window: Window::EMPTY,
            // Windows say nothing of spaces: a pattern that began with one needs the long way.
            long_way_until: if automaton.begins_other(b' ') {
                usize::MAX
            } else {
                0
            },
        }
    }

    /// The first place at or after `after` (a byte not inside a word).
    #[inline(always)]
    fn next(&mut self, automaton: &AnchoredAutomaton, text: &str, mut after: usize) -> Option<Place> {
        let bytes = text.as_bytes();
        let place = loop {
            if !self.window.holds(after) {
                if after < self.long_way_until {
                    break None;
                }
                self.window = Window::at(bytes, after);
                if !self.window.holds(after) {
                    // Not ASCII, or near the end: places the long way for a while.
                    self.long_way_until = after + 64;
                    break None;
                }
            }
            match self.window.next_place(automaton, bytes, after) {
                Ok(place) => break Some(place),
                Err(next) => after = next,
            }
        };
        let Some(place) = place else {
            let start = automaton.scan_to_start(text, after)?;
            let (end, hash) = automaton.word_at(text, start).unwrap_or((start, 0));
            return Some(Place { start, end, hash });
        };
        if place.end != usize::MAX {
            return Some(place);
        }
        // The word goes on past the window.
        let end = super::word_starts::word_end(text, place.start);
        Some(Place {
            start: place.start,
            end,
            hash: hash_word(&bytes[place.start..end]),
        })
    }
}

/// `WordBlock::next_hit` a place at a time: each place is looked up as soon as the next one
/// is found.
pub(super) fn next_hit_fused(
    automaton: &AnchoredAutomaton,
    text: &str,
    from: usize,
    found: &mut Vec<(usize, PatternID)>,
    kept: &mut WordBlock,
) -> Option<usize> {
    let this_text = (text.as_ptr() as usize, text.len());
    if kept.text != this_text {
        kept.text = this_text;
        kept.finder = PlaceFinder::new(automaton);
    }
    let finder = &mut kept.finder;
    let start = automaton.next_start(text, from)?;
    let (end, hash) = automaton.word_at(text, start).unwrap_or((start, 0));
    let mut place = Place { start, end, hash };
    loop {
        let after = automaton.after_place(text, place.start, place.word());
        let next = finder.next(automaton, text, after);
        if let Some(next) = next {
            automaton.prefetch_filters(next.hash);
        }
        let following = next.map(|n| (n.start, n.word()));
        automaton.patterns_at_start(text, place.start, place.word(), following, found);
        if !found.is_empty() {
            return Some(place.start);
        }
        place = next?;
    }
}

/// 64 bytes of ASCII text from `at`, as bit masks (bit `i` for byte `at + i`): letters and
/// digits (`word`), and the bytes that are neither those nor a space (`other`).
#[derive(Clone, Copy, Debug)]
struct Window {
    at: usize,
    /// `at + 64`, or 0 for no window.
    end: usize,
    word: u64,
    other: u64,
}

impl Window {
    const EMPTY: Window = Window {
        at: 0,
        end: 0,
        word: 0,
        other: 0,
    };

    #[inline(always)]
    fn holds(&self, pos: usize) -> bool {
        self.at <= pos && pos < self.end
    }

    /// The window of `bytes` from `at`, or `EMPTY` where those 64 bytes are not all ASCII or
    /// run past the end.
    #[inline(always)]
    fn at(bytes: &[u8], at: usize) -> Window {
        let Some(chunk) = bytes.get(at..at + 64) else {
            return Window::EMPTY;
        };
        let chunk: &[u8; 64] = chunk.try_into().expect("64 bytes");
        match classify(chunk) {
            Some((word, other)) => Window {
                at,
                end: at + 64,
                word,
                other,
            },
            None => Window::EMPTY,
        }
    }

    /// The first place at or after `from` (not inside a word; held by the window), with its
    /// word's end (`usize::MAX` when the word goes on past the window) and hash; or, when the
    /// window has none, where the next window begins.
    #[inline(always)]
    fn next_place(
        &self,
        automaton: &AnchoredAutomaton,
        bytes: &[u8],
        from: usize,
    ) -> Result<Place, usize> {
        let offset = from - self.at;
        let words = self.word >> offset;
        let mut others = self.other >> offset;
        let word_at = words.trailing_zeros();
        // A byte that begins a pattern of the other kind, before the next word.
        while others != 0 && others.trailing_zeros() < word_at {
            let at = from + others.trailing_zeros() as usize;
            if automaton.begins_other(bytes[at]) {
                return Ok(Place {
                    start: at,
                    end: at,
                    hash: 0,
                });
            }
            others &= others - 1;
        }
        if words == 0 {
            return Err(self.end);
        }
        let start = from + word_at as usize;
        // The word's bytes in the window, then the first byte after them.
        let rest = !(self.word >> (start - self.at));
        let len = rest.trailing_zeros() as usize; // 64 when the word runs to the end
        if start + len >= self.end {
            return Ok(Place {
                start,
                end: usize::MAX,
                hash: 0,
            });
        }
        let end = start + len;
        let hash = match bytes.get(start..start + 8) {
            Some(eight) if len <= 8 => {
                let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
                hash_short(eight & (u64::MAX >> (64 - 8 * len)), len)
            }
            _ => hash_word(&bytes[start..end]),
        };
        Ok(Place { start, end, hash })
    }
}

/// The masks of a `Window` of 64 bytes, or `None` where one is not ASCII.
#[inline(always)]
fn classify(chunk: &[u8; 64]) -> Option<(u64, u64)> {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of every x86-64 processor; the loads are of the 64 bytes of
    // `chunk`, unaligned loads allowed.
    unsafe {
        use std::arch::x86_64::{
            __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
            _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        let mut word = 0u64;
        let mut space = 0u64;
        let mut high = 0u64;
        // Unsigned "x - low < n" as a signed comparison, 0x80 added on both sides.
        let below = |v: __m128i, low: u8, n: u8| {
            let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(low) as i8));
            _mm_cmplt_epi8(shifted, _mm_set1_epi8((0x80u8 + n) as i8))
        };
        for i in 0..4 {
            let v = _mm_loadu_si128(chunk.as_ptr().add(16 * i).cast::<__m128i>());
            let digit = below(v, b'0', 10);
            let letter = below(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
            let is_space = _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8));
            word |= u64::from(_mm_movemask_epi8(_mm_or_si128(digit, letter)) as u16) << (16 * i);
            space |= u64::from(_mm_movemask_epi8(is_space) as u16) << (16 * i);
            high |= u64::from(_mm_movemask_epi8(v) as u16) << (16 * i);
        }
        (high == 0).then_some((word, !word & !space))
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        if !chunk.is_ascii() {
            return None;
        }
        let (mut word, mut space) = (0u64, 0u64);
        for (i, &b) in chunk.iter().enumerate() {
            word |= u64::from(b.is_ascii_alphanumeric()) << i;
            space |= u64::from(b == b' ') << i;
        }
        Some((word, !word & !space))
    }
}
