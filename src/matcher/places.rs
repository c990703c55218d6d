//! The loop of the search from word starts (`word_starts`) over the places of a text where a
//! pattern may start: word starts, and the bytes that begin the patterns that begin with
//! something other than a word character.
//!
//! With a lexicon past the DFA, most of a scan is this loop: find the next place, the end of
//! its word and the word's hash, ask the filters about it, and only rarely look it up. In
//! ASCII text (most windows of English news once folded) the places and word ends of 64 bytes
//! come from three bit masks made at once (letters and digits, spaces, the rest: SSE2 on
//! x86-64), each next place and word end is then a count of trailing zeros, and a word of
//! eight bytes or fewer is hashed from one load (`first_words::hash_short`). Elsewhere (a
//! window with a non-ASCII byte, the last 64 bytes of a text, a lexicon with a pattern that
//! begins with a space) places are found a byte or a character at a time as before. Both ways
//! give the same places, word ends and hashes, so the search finds what it found before.
//!
//! Most words need nothing but the filter of openings (`openings`): it rejects them from the
//! word and the next one. Over such words the search runs a lean loop of its own
//! (`pass_quiet_words`) that takes a window's words together (`Batch`): their starts and ends
//! popped from two masks, each hashed from one load, each asked of the filter with the word
//! after it, the answers or-ed into a mask without a branch, so that the words' questions do
//! not wait on one another. Where the processor has AVX-512 the batch takes its words eight
//! at a time (`Batch::words_eight_at_once`): starts and ends compressed out of the masks, the
//! words' and gaps' bytes permuted out of the window, hashes and keys computed in lanes, the
//! filter's words gathered; the one-by-one loop stays as the reference it is tested against
//! and as the way elsewhere. The loop hands back to the full step (the next place, the
//! look-ups, the trie) only where the filter passes a word or the window cannot say, and goes
//! on from the word after it with the answers it already has. Whether a word may begin a
//! prefix-entry stem is asked once a window for all its bytes (`Window::stem_heads`), so that
//! a word asks its own question only where one may. The look-ups themselves stay one place at
//! a time: looking a block of places up only after all were found measured slower; see
//! docs/performance.md.

#[cfg(target_arch = "x86_64")]
use super::first_words::hash_word_x8;
use super::first_words::{hash_short, hash_word, FirstWords};
use super::openings::Openings;
use super::word_sequences::{gap_key, key_of, run_key_of_gap, short_gap_key};
#[cfg(target_arch = "x86_64")]
use super::word_sequences::{key_of_x8, run_key_of_short_gap_x8};
use super::word_starts::{word_end, AnchoredAutomaton};
use aho_corasick::PatternID;

/// A place where a pattern may start: its byte, and the end and `hash_word` of the word
/// there (`end == start` at a place that is not a word start).
#[derive(Clone, Copy, Debug)]
struct Place {
    start: usize,
    end: usize,
    hash: u64,
}

impl Place {
    /// The place at `start`, its word found the long way.
    #[inline(always)]
    fn at(automaton: &AnchoredAutomaton, text: &str, start: usize) -> Place {
        let (end, hash) = automaton.word_at(text, start).unwrap_or((start, 0));
        Place { start, end, hash }
    }

    #[inline(always)]
    fn word(self) -> Option<(usize, u64)> {
        (self.end > self.start).then_some((self.end, self.hash))
    }
}

/// The search's state in one text, kept between the calls of `next_hit`.
#[derive(Clone, Debug)]
pub(super) struct Places {
    /// The text the state is of (its address and length): another text starts afresh.
    text: (usize, usize),
    /// The bit masks of the window last read.
    window: Window,
    /// Places before this byte are found the long way (`scan_to_start`, `word_at`).
    long_way_until: usize,
    /// The place found after the last hit's, with the byte it was looked for from: the next
    /// call, which mostly starts between the two, begins there without finding it again.
    ahead: Option<(usize, Place)>,
    /// The words of the window last read by the lean loop, and which of them the filters
    /// pass: after a pass the loop goes on from the word after it with the answers it has.
    batch: Batch,
    /// Whether the batch takes its words eight at a time (`Batch::words_eight_at_once`).
    eight_at_once: bool,
}

impl Default for Places {
    fn default() -> Self {
        Self {
            text: (0, usize::MAX),
            window: Window::EMPTY,
            long_way_until: 0,
            ahead: None,
            batch: Batch::EMPTY,
            eight_at_once: false,
        }
    }
}

impl Places {
    /// The first place at or after `from` where at least one pattern of `automaton` starts,
    /// with those patterns in `found` as (end, pattern), shortest first. A `from` inside a
    /// word moves to the end of that word first.
    pub(super) fn next_hit(
        &mut self,
        automaton: &AnchoredAutomaton,
        text: &str,
        from: usize,
        found: &mut Vec<(usize, PatternID)>,
    ) -> Option<usize> {
        let this_text = (text.as_ptr() as usize, text.len());
        if self.text != this_text {
            self.text = this_text;
            self.ahead = None;
            self.window = Window::EMPTY;
            self.batch = Batch::EMPTY;
            self.eight_at_once = eight_at_once_here();
            // Windows say nothing of spaces: a pattern that begins with one needs the long way.
            self.long_way_until = if automaton.begins_other(b' ') {
                usize::MAX
            } else {
                0
            };
        }
        // No place lies between where the last place after a hit was looked for and that
        // place, so a call from there on to it starts at that place.
        let mut place = match self.ahead.take() {
            Some((after, ahead)) if after <= from && from <= ahead.start => ahead,
            _ => Place::at(automaton, text, automaton.next_start(text, from)?),
        };
        let openings = automaton.openings();
        loop {
            let mut known_next = None;
            if let Some(filters) = openings {
                if place.end > place.start {
                    (place, known_next) = self.pass_quiet_words(automaton, filters, text, place);
                }
            }
            let after = automaton.after_place(text, place.start, place.word());
            let next = known_next.or_else(|| self.next_place(automaton, text, after));
            if let Some(next) = next {
                automaton.prefetch_filters(next.hash);
            }
            let following = next.map(|n| (n.start, n.word()));
            automaton.patterns_at_start(text, place.start, place.word(), following, found);
            if !found.is_empty() {
                self.ahead = next.map(|next| (after, next));
                return Some(place.start);
            }
            place = next?;
        }
    }

    /// From the word place `place`, the first word place that the filter of openings does
    /// not reject on its own (with the word after it), and that next word, which is the next
    /// place; or the last word place before the search needs more than the filter: a byte
    /// that begins a pattern of the trie, a window that is not ASCII, a word that runs on past
    /// 64 bytes. The loop of the search where most of its time goes, kept lean: a window's
    /// words are found in its bit masks, hashed from one load each and tested together without
    /// a branch (`Batch`, `Openings::may_open`).
    #[inline(always)]
    fn pass_quiet_words(
        &mut self,
        automaton: &AnchoredAutomaton,
        (openings, stems): (&Openings, Option<&FirstWords>),
        text: &str,
        mut place: Place,
    ) -> (Place, Option<Place>) {
        if place.end < self.long_way_until {
            return (place, None);
        }
        let bytes = text.as_bytes();
        let mut window = self.window;
        loop {
            if !window.holds(place.end) {
                window = Window::at(automaton, bytes, place.end);
                if !window.holds(place.end) {
                    break;
                }
            }
            let from_word = match self.batch.index_of(window.at, place) {
                Some(i) => i,
                None => {
                    self.batch
                        .fill(&window, bytes, (openings, stems), place, self.eight_at_once);
                    0
                }
            };
            let (reached, passed) = self.batch.answer(from_word);
            if let Some(next) = passed {
                // The look-up that follows reads the table's slot first: on its way meanwhile.
                automaton.prefetch_table(key_of(reached.hash));
                self.window = window;
                return (reached, Some(next));
            }
            place = reached;
            let from = place.end;
            let offset = from - window.at;
            let words = window.word >> offset;
            let start = from + words.trailing_zeros() as usize;
            let len = if words == 0 {
                0
            } else {
                (!(window.word >> (start - window.at))).trailing_zeros() as usize
            };
            if words != 0 && start + len < window.end {
                // The batch took every word of the window up to the first byte that begins a
                // pattern of the trie: the next word is whole, so that byte is in its gap.
                debug_assert!(window.starts >> offset & ((1 << (start - from)) - 1) != 0);
                self.window = window;
                return (place, None);
            }
            // The gap or the next word runs on past the window: a window from the gap, but
            // only once.
            if window.at == from {
                break;
            }
            window = Window::EMPTY;
        }
        self.window = window;
        (place, None)
    }

    /// The first place at or after `after`, a byte that is not inside a word.
    #[inline(always)]
    fn next_place(
        &mut self,
        automaton: &AnchoredAutomaton,
        text: &str,
        mut after: usize,
    ) -> Option<Place> {
        let bytes = text.as_bytes();
        let place = loop {
            if !self.window.holds(after) {
                if after < self.long_way_until {
                    break None;
                }
                self.window = Window::at(automaton, bytes, after);
                if !self.window.holds(after) {
                    // Not ASCII, or near the end: the long way for the next 64 bytes.
                    self.long_way_until = after + 64;
                    break None;
                }
            }
            match self.window.next_place(bytes, after) {
                Ok(place) => break Some(place),
                Err(next) => after = next,
            }
        };
        let Some(place) = place else {
            let start = automaton.scan_to_start(text, after)?;
            return Some(Place::at(automaton, text, start));
        };
        if place.end != usize::MAX {
            return Some(place);
        }
        // The word goes on past the window.
        let end = word_end(text, place.start);
        Some(Place {
            start: place.start,
            end,
            hash: hash_word(&bytes[place.start..end]),
        })
    }
}

/// Whether this processor has what `Batch::words_eight_at_once` needs (AVX-512 with its
/// byte permutes and compresses, and BMI2).
fn eight_at_once_here() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::is_x86_feature_detected as has;
        has!("avx512f")
            && has!("avx512bw")
            && has!("avx512dq")
            && has!("avx512vbmi")
            && has!("avx512vbmi2")
            && has!("bmi2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// The words of a window from one word place on, and which of them the filters of openings
/// and stems pass with the word after them. All the window's words are found, hashed and
/// tested before any answer is acted on, each test or-ed into a mask without a branch: the
/// words' tests do not wait on one another, so the processor runs them side by side. A pass
/// hands its word to the full step; the lean loop then goes on from the word after it with
/// the answers it has (`index_of`, `answer`).
#[derive(Clone, Copy, Debug)]
struct Batch {
    /// Where the window of the words begins (`usize::MAX`: no batch).
    window_at: usize,
    /// The word place asked from (word 0).
    first: Place,
    /// The window's words after it (words 1 to `len`): each that ends in the window, up to
    /// the first whose gap has a byte that begins a pattern of the trie; their starts and
    /// ends from the window's start, and their `hash_word`s.
    starts: [u8; 32],
    ends: [u8; 32],
    hashes: [u64; 32],
    /// How many words follow the first.
    len: usize,
    /// Bit `i`: the filters pass word `i` with word `i + 1` after it.
    passes: u64,
    /// The word after the last pass answered: where the search mostly goes on.
    cursor: usize,
}

impl Batch {
    const EMPTY: Batch = Batch {
        window_at: usize::MAX,
        first: Place {
            start: 0,
            end: 0,
            hash: 0,
        },
        starts: [0; 32],
        ends: [0; 32],
        hashes: [0; 32],
        len: 0,
        passes: 0,
        cursor: 0,
    };

    /// Word `i` (0: the place asked from).
    #[inline(always)]
    fn word(&self, i: usize) -> Place {
        match i.checked_sub(1) {
            None => self.first,
            Some(k) => Place {
                start: self.window_at + usize::from(self.starts[k]),
                end: self.window_at + usize::from(self.ends[k]),
                hash: self.hashes[k],
            },
        }
    }

    /// The words of `window` from the word place `place`, whose word ends in the window.
    #[inline(always)]
    fn fill(
        &mut self,
        window: &Window,
        bytes: &[u8],
        (openings, stems): (&Openings, Option<&FirstWords>),
        place: Place,
        eight_at_once: bool,
    ) {
        self.window_at = window.at;
        self.first = place;
        self.len = 0;
        self.passes = 0;
        self.cursor = 0;
        // The window and the eight bytes after it, so that a word or gap of the window reads
        // from one load; zeros past the text's end (a load keeps only its span's bytes).
        let padded: [u8; 72];
        let chunk: &[u8; 72] = match bytes.get(window.at..window.at + 72) {
            Some(chunk) => chunk.try_into().expect("72 bytes"),
            None => {
                let rest = &bytes[window.at..];
                let mut bytes = [0; 72];
                bytes[..rest.len()].copy_from_slice(rest);
                padded = bytes;
                &padded
            }
        };
        let offset = place.end - window.at;
        let after = (u64::MAX << offset) << 1;
        // Bytes of the gaps from `place` on that begin a pattern of the trie: words past the
        // first of them are the full step's.
        let trie = window.starts & (u64::MAX << offset);
        let before_trie = (trie & trie.wrapping_neg()).wrapping_sub(1);
        let starts = window.word & !(window.word << 1) & after & before_trie;
        let ends = !window.word & (window.word << 1) & after;
        let len = starts.count_ones().min(ends.count_ones()) as usize;
        let masks = (starts, ends, len);
        let (mut passes, stem_words) = match eight_at_once {
            // SAFETY: `eight_at_once` only where the processor has what it needs.
            #[cfg(target_arch = "x86_64")]
            true => unsafe {
                self.words_eight_at_once(chunk, masks, place, offset, openings, window.stem_heads)
            },
            _ => self.words_one_by_one(chunk, masks, place, offset, openings, window.stem_heads),
        };
        self.len = len;
        if let Some(stems) = stems {
            // The words that may begin a stem, by the window's answer (`Window::stem_heads`),
            // word 0 by its own where it starts before the window; each then asked in full.
            let first_at = place.start.wrapping_sub(window.at);
            let first = first_at >= 64 || window.stem_heads >> first_at & 1 != 0;
            let words = u64::MAX >> (63 - len) >> 1;
            let mut ask = (stem_words | u64::from(first)) & !passes & words;
            while ask != 0 {
                let i = ask.trailing_zeros() as usize;
                ask &= ask - 1;
                let word = self.word(i);
                let stem = stems.may_begin_in(bytes, (word.start, word.end), word.hash);
                passes |= u64::from(stem) << i;
            }
        }
        self.passes = passes;
    }

    /// The words `(starts, ends, len)` of a window (`chunk`: its bytes and the eight after)
    /// after the word place `place`, whose word ends at `offset` in it: each word's start,
    /// end and hash kept, and each tested with the filter of openings after the word before
    /// it. Returns the passes (bit `i`: word `i` with word `i + 1`) and the words that begin
    /// where the window says a stem may begin (bit `i`: word `i`).
    #[inline(always)]
    fn words_one_by_one(
        &mut self,
        chunk: &[u8; 72],
        (mut starts, mut ends, len): (u64, u64, usize),
        place: Place,
        offset: usize,
        openings: &Openings,
        stem_heads: u64,
    ) -> (u64, u64) {
        let mut first = key_of(place.hash);
        let mut gap_from = offset;
        let mut passes = 0u64;
        let mut stem_words = 0u64;
        for i in 0..len {
            let start = starts.trailing_zeros() as usize;
            let end = ends.trailing_zeros() as usize;
            starts &= starts - 1;
            ends &= ends - 1;
            let hash = match end - start {
                len @ 1..=8 => hash_short(read_short(chunk, start, len), len),
                _ => hash_word(&chunk[start..end]),
            };
            let gap_key = match start - gap_from {
                len @ 1..=8 => short_gap_key(read_short(chunk, gap_from, len), len),
                _ => gap_key(&chunk[gap_from..start]),
            };
            let opens = openings.may_open(first, run_key_of_gap(first, gap_key, hash));
            passes |= u64::from(opens) << i;
            stem_words |= (stem_heads >> start & 1) << (i + 1);
            self.starts[i] = start as u8;
            self.ends[i] = end as u8;
            self.hashes[i] = hash;
            first = key_of(hash);
            gap_from = end;
        }
        (passes, stem_words)
    }

    /// `words_one_by_one` eight words at a time (AVX-512): the words' starts and ends
    /// compressed out of the masks, their bytes and their gaps' permuted out of the window,
    /// hashed, keyed and tested with gathers from the filter's lines, eight lanes together.
    /// A word of more than sixteen bytes or a gap of more than eight (few) is hashed on its
    /// own.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vbmi,avx512vbmi2,bmi2")]
    fn words_eight_at_once(
        &mut self,
        chunk: &[u8; 72],
        (starts, ends, len): (u64, u64, usize),
        place: Place,
        offset: usize,
        openings: &Openings,
        stem_heads: u64,
    ) -> (u64, u64) {
        use std::arch::x86_64::{
            __m512i, _mm256_storeu_si256, _mm512_add_epi8, _mm512_alignr_epi64, _mm512_and_si512,
            _mm512_castsi512_si256, _mm512_cvtepu8_epi64, _mm512_loadu_si512,
            _mm512_mask_cmpgt_epu64_mask, _mm512_maskz_compress_epi8, _mm512_permutex2var_epi8,
            _mm512_set1_epi64, _mm512_shuffle_epi8, _mm512_slli_epi64, _mm512_srlv_epi64,
            _mm512_storeu_si512, _mm512_sub_epi64, _mm512_zextsi128_si512, _mm_loadl_epi64,
            _pext_u64,
        };
        const IOTA: [u8; 64] = {
            let mut iota = [0; 64];
            let mut i = 0;
            while i < 64 {
                iota[i] = i as u8;
                i += 1;
            }
            iota
        };
        // Within each 64-bit lane: its low byte eight times, then plus 0 to 7.
        const LOW_BYTE: [u8; 64] = {
            let mut index = [0; 64];
            let mut i = 0;
            while i < 64 {
                index[i] = (i / 8 % 2 * 8) as u8;
                i += 1;
            }
            index
        };
        // SAFETY (the loads and stores): each reads or writes within the array it names
        // (`chunk` is 72 bytes, `starts` and `ends` 32, `hashes` 32 numbers).
        unsafe {
            let iota = _mm512_loadu_si512(IOTA.as_ptr().cast());
            let low_byte = _mm512_loadu_si512(LOW_BYTE.as_ptr().cast());
            let spread = _mm512_set1_epi64(0x0706_0504_0302_0100);
            let starts_at = _mm512_maskz_compress_epi8(starts, iota);
            let ends_at = _mm512_maskz_compress_epi8(ends, iota);
            _mm256_storeu_si256(
                self.starts.as_mut_ptr().cast(),
                _mm512_castsi512_si256(starts_at),
            );
            _mm256_storeu_si256(
                self.ends.as_mut_ptr().cast(),
                _mm512_castsi512_si256(ends_at),
            );
            let low = _mm512_loadu_si512(chunk.as_ptr().cast());
            // Bytes 64 to 71 (indices 64 to 71 of the two registers together).
            let high = _mm512_zextsi128_si512(_mm_loadl_epi64(chunk[64..].as_ptr().cast()));
            // The eight bytes from each lane's position (at most 63) as one number.
            let eight_at = |at: __m512i| {
                let index = _mm512_add_epi8(_mm512_shuffle_epi8(at, low_byte), spread);
                _mm512_permutex2var_epi8(low, index, high)
            };
            let short = |number: __m512i, len: __m512i| {
                let drop = _mm512_sub_epi64(_mm512_set1_epi64(64), _mm512_slli_epi64::<3>(len));
                _mm512_and_si512(number, _mm512_srlv_epi64(_mm512_set1_epi64(-1), drop))
            };
            let eight = _mm512_set1_epi64(8);
            let mut carry_end = offset as i64;
            let mut carry_hash = place.hash as i64;
            let mut passes = 0u64;
            for group in 0..len.div_ceil(8) {
                let lanes = (u16::MAX >> (16 - (len - 8 * group).min(8))) as u8;
                let start =
                    _mm512_cvtepu8_epi64(_mm_loadl_epi64(self.starts[8 * group..].as_ptr().cast()));
                let end =
                    _mm512_cvtepu8_epi64(_mm_loadl_epi64(self.ends[8 * group..].as_ptr().cast()));
                let word_len = _mm512_sub_epi64(end, start);
                let hashes = self.hashes[8 * group..].as_mut_ptr();
                let last_eight = eight_at(_mm512_sub_epi64(end, eight));
                let mut hash = hash_word_x8(eight_at(start), last_eight, word_len);
                _mm512_storeu_si512(hashes.cast(), hash);
                let mut long = _mm512_mask_cmpgt_epu64_mask(lanes, word_len, _mm512_set1_epi64(16));
                if long != 0 {
                    while long != 0 {
                        let lane = long.trailing_zeros() as usize;
                        long &= long - 1;
                        let i = 8 * group + lane;
                        let word = usize::from(self.starts[i])..usize::from(self.ends[i]);
                        self.hashes[i] = hash_word(&chunk[word]);
                    }
                    hash = _mm512_loadu_si512(hashes.cast());
                }
                let gap_from = _mm512_alignr_epi64::<7>(end, _mm512_set1_epi64(carry_end));
                let gap_len = _mm512_sub_epi64(start, gap_from);
                let first = key_of_x8(_mm512_alignr_epi64::<7>(
                    hash,
                    _mm512_set1_epi64(carry_hash),
                ));
                let pair = run_key_of_short_gap_x8(
                    first,
                    (short(eight_at(gap_from), gap_len), gap_len),
                    hash,
                );
                let mut opens = openings.may_open_x8(first, pair, lanes);
                // A gap of more than eight bytes: its lane asked again with its gap's key.
                let mut long = _mm512_mask_cmpgt_epu64_mask(lanes, gap_len, eight);
                while long != 0 {
                    let lane = long.trailing_zeros() as usize;
                    long &= long - 1;
                    let i = 8 * group + lane;
                    let gap_from = if i == 0 {
                        offset
                    } else {
                        usize::from(self.ends[i - 1])
                    };
                    let first = key_of(if i == 0 {
                        place.hash
                    } else {
                        self.hashes[i - 1]
                    });
                    let gap = gap_key(&chunk[gap_from..usize::from(self.starts[i])]);
                    let pass = openings.may_open(first, run_key_of_gap(first, gap, self.hashes[i]));
                    opens = opens & !(1 << lane) | u8::from(pass) << lane;
                }
                passes |= u64::from(opens) << (8 * group);
                carry_end = i64::from(self.ends[8 * group + 7]);
                carry_hash = self.hashes[8 * group + 7] as i64;
            }
            let words = (u64::MAX >> (63 - len)) >> 1;
            let stem_words = (_pext_u64(stem_heads, starts) & words) << 1;
            (passes, stem_words)
        }
    }

    /// Where `place` is among the words, if they are of the window at `window_at`.
    #[inline(always)]
    fn index_of(&self, window_at: usize, place: Place) -> Option<usize> {
        if window_at != self.window_at {
            return None;
        }
        (self.cursor..=self.len).find(|&i| self.word(i).start == place.start)
    }

    /// From word `i` on, the first word that the filters pass and the word after it; or,
    /// when they pass none, the last word, whose next word the window cannot say (it runs on
    /// past the window, or a byte of its gap begins a pattern of the trie).
    #[inline(always)]
    fn answer(&mut self, i: usize) -> (Place, Option<Place>) {
        match self.passes >> i << i {
            0 => {
                self.cursor = self.len;
                (self.word(self.len), None)
            }
            passes => {
                let pass = passes.trailing_zeros() as usize;
                self.cursor = pass + 1;
                (self.word(pass), Some(self.word(pass + 1)))
            }
        }
    }
}

/// 64 bytes of ASCII text from `at`, as bit masks (bit `i` for byte `at + i`): letters and
/// digits (`word`), and the bytes that are neither those nor a space where a pattern of the
/// other kind may start (`starts`: `AnchoredAutomaton::begins_other_at`, which asks their
/// next bytes too, so that a possessive's apostrophe is not one).
#[derive(Clone, Copy, Debug)]
struct Window {
    at: usize,
    /// `at + 64`, or 0 for no window.
    end: usize,
    word: u64,
    starts: u64,
    /// Bytes that may begin a prefix-entry stem (`FirstWords::heads_in`; all where there are
    /// no stems or the window cannot say).
    stem_heads: u64,
}

impl Window {
    const EMPTY: Window = Window {
        at: 0,
        end: 0,
        word: 0,
        starts: 0,
        stem_heads: u64::MAX,
    };

    #[inline(always)]
    fn holds(&self, pos: usize) -> bool {
        self.at <= pos && pos < self.end
    }

    /// The window of `bytes` from `at`, or `EMPTY` where those 64 bytes are not all ASCII or
    /// run past the end. Which of its other bytes begin a pattern is asked here, once a
    /// window, so that the loops over its words test a gap with one mask and no branch.
    #[inline(always)]
    fn at(automaton: &AnchoredAutomaton, bytes: &[u8], at: usize) -> Window {
        let Some(chunk) = bytes.get(at..at + 64) else {
            return Window::EMPTY;
        };
        let chunk: &[u8; 64] = chunk.try_into().expect("64 bytes");
        let Some((word, mut other)) = classify(chunk) else {
            return Window::EMPTY;
        };
        let mut starts = 0;
        if automaton.begins_any_other() {
            other &= automaton.begins_other_in(chunk);
            while other != 0 {
                let i = other.trailing_zeros();
                starts |= u64::from(automaton.begins_other_at(bytes, at + i as usize)) << i;
                other &= other - 1;
            }
        }
        let stem_heads = automaton
            .openings()
            .and_then(|(_, stems)| stems)
            .map_or(u64::MAX, |stems| stems.heads_in(chunk));
        Window {
            at,
            end: at + 64,
            word,
            starts,
            stem_heads,
        }
    }

    /// The first place at or after `from` (not inside a word; held by the window), with its
    /// word's end (`usize::MAX` when the word goes on past the window) and hash; or, when the
    /// window has none, where the next window begins.
    #[inline(always)]
    fn next_place(&self, bytes: &[u8], from: usize) -> Result<Place, usize> {
        let offset = from - self.at;
        let words = self.word >> offset;
        let starts = self.starts >> offset;
        let word_at = words.trailing_zeros();
        // A byte that begins a pattern of the other kind, before the next word.
        if starts != 0 && starts.trailing_zeros() < word_at {
            return Ok(Place {
                start: from + starts.trailing_zeros() as usize,
                end: from + starts.trailing_zeros() as usize,
                hash: 0,
            });
        }
        if words == 0 {
            return Err(self.end);
        }
        let start = from + word_at as usize;
        // The word's bytes in the window, then the first byte after them.
        let len = (!(self.word >> (start - self.at))).trailing_zeros() as usize;
        if start + len >= self.end {
            return Ok(Place {
                start,
                end: usize::MAX,
                hash: 0,
            });
        }
        let end = start + len;
        Ok(Place {
            start,
            end,
            hash: hash_of_span(bytes, start, end),
        })
    }
}

/// The `len` (1 to 8) bytes of `chunk` from `at` (at most 64) as one little-endian number.
#[inline(always)]
fn read_short(chunk: &[u8; 72], at: usize, len: usize) -> u64 {
    let eight = u64::from_le_bytes(chunk[at..at + 8].try_into().expect("eight bytes"));
    eight & (u64::MAX >> (64 - 8 * len))
}

/// `hash_word` of `bytes[start..end]` (not empty), a short span from one load
/// (`short_span`, `hash_short`).
#[inline(always)]
fn hash_of_span(bytes: &[u8], start: usize, end: usize) -> u64 {
    match short_span(bytes, start, end) {
        Some(number) => hash_short(number, end - start),
        None => hash_word(&bytes[start..end]),
    }
}

/// The bytes of a span of eight bytes or fewer as one little-endian number (zero above
/// them), read with one load and masked where eight bytes can be read from its start.
#[inline(always)]
fn short_span(bytes: &[u8], start: usize, end: usize) -> Option<u64> {
    let len = end - start;
    match bytes.get(start..start + 8) {
        Some(eight) if len <= 8 => {
            let eight = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
            Some(eight & (u64::MAX >> (64 - 8 * len)))
        }
        _ => None,
    }
}

/// The masks of a `Window` of 64 bytes (letters and digits; neither those nor a space), or
/// `None` where a byte is not ASCII.
#[inline(always)]
fn classify(chunk: &[u8; 64]) -> Option<(u64, u64)> {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of every x86-64 processor; the loads read the 64 bytes of `chunk`
    // (unaligned loads allowed).
    unsafe {
        use std::arch::x86_64::{
            __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
            _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        let (mut word, mut space, mut high) = (0u64, 0u64, 0u64);
        // Whether `low <= x < low + n`, unsigned, as a signed comparison with 0x80 added to
        // both sides (exact for ASCII bytes; the others are rejected below).
        let within = |v: __m128i, low: u8, n: u8| {
            let shifted = _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(low) as i8));
            _mm_cmplt_epi8(shifted, _mm_set1_epi8((0x80u8 + n) as i8))
        };
        for i in 0..4 {
            let v = _mm_loadu_si128(chunk.as_ptr().add(16 * i).cast::<__m128i>());
            let digit = within(v, b'0', 10);
            let letter = within(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26);
            let is_space = _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8));
            let mask = |m: __m128i| u64::from(_mm_movemask_epi8(m) as u16) << (16 * i);
            word |= mask(_mm_or_si128(digit, letter));
            space |= mask(is_space);
            high |= mask(v);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_masks_are_exact() {
        for b in 0..128u8 {
            for pos in [0, 7, 15, 16, 40, 63] {
                let mut chunk = [b' '; 64];
                chunk[pos] = b;
                let (word, other) = classify(&chunk).expect("ASCII");
                let bit = 1u64 << pos;
                assert_eq!(word & bit != 0, b.is_ascii_alphanumeric(), "{b:#x}");
                assert_eq!(
                    other & bit != 0,
                    !b.is_ascii_alphanumeric() && b != b' ',
                    "{b:#x}"
                );
                assert_eq!(word & !bit, 0);
            }
        }
        let mut chunk = [b'a'; 64];
        chunk[33] = 0xC3;
        assert!(classify(&chunk).is_none());
    }

    /// Every hit of the search from the start of `text`, moving on past each hit's word as
    /// `longest` does when a start fails, and sometimes from inside a word.
    fn hits(
        mut next_hit: impl FnMut(usize, &mut Vec<(usize, PatternID)>) -> Option<usize>,
        automaton: &AnchoredAutomaton,
        text: &str,
        jumps: &[usize],
    ) -> Vec<(usize, Vec<(usize, PatternID)>)> {
        let mut out = Vec::new();
        let mut found = Vec::new();
        let mut at = 0;
        let mut jumps = jumps.iter();
        while let Some(start) = next_hit(at, &mut found) {
            out.push((start, found.clone()));
            at = automaton.after_start(text, start);
            // Now and then from a later byte, inside a word or not (as after a long match).
            if let Some(&jump) = jumps.next() {
                let to = (at + jump).min(text.len());
                if text.is_char_boundary(to) {
                    at = to;
                }
            }
        }
        out
    }

    #[test]
    fn places_found_by_windows_are_those_found_a_byte_at_a_time() {
        let long = "x".repeat(70);
        let patterns: Vec<String> = [
            "new",
            "new york",
            "new york city",
            "york",
            "(old) town",
            "'s-hertogenbosch",
            ".net",
            "u.s.",
            "köln",
            "köln am rhein",
            "invad",
            "abcdefgh",
            "abcdefghi",
            "saint-denis",
            "o'brien",
            "a",
            "the valley",
            long.as_str(),
            "x1",
            "--",
        ]
        .map(String::from)
        .to_vec();
        let stems: Vec<bool> = patterns.iter().map(|p| p == "invad").collect();
        let automaton = AnchoredAutomaton::for_word_starts(&patterns, &stems).unwrap();
        let words = [
            "new",
            "york",
            "city",
            "the",
            "valley",
            "invaders",
            "invad",
            "abcdefgh",
            "abcdefghi",
            "abcdefg",
            "köln",
            "am",
            "rhein",
            "saint",
            "denis",
            "o",
            "brien",
            "a",
            "x1",
            "net",
            "u",
            "s",
            "old",
            "town",
            "hertogenbosch",
            long.as_str(),
            "zzzzzzzzzzzz",
            "é",
            "naïve",
            "日本",
        ];
        let gaps = [
            " ", " ", " ", "  ", ", ", "-", "'", ".", " (", ") ", "\n", " — ", "--", "'s-",
        ];
        let mut rng = crate::matcher::tests::Lcg(0x2545_F491_4F6C_DD1D);
        for round in 0..400 {
            let mut text = String::new();
            // Mostly ASCII texts, some with a non-ASCII word or gap here and there.
            let ascii_only = round % 3 != 0;
            for _ in 0..rng.below(120) {
                let word = words[rng.below(words.len())];
                let gap = gaps[rng.below(gaps.len())];
                if ascii_only && !(word.is_ascii() && gap.is_ascii()) {
                    continue;
                }
                text.push_str(word);
                text.push_str(gap);
            }
            if rng.below(2) == 0 {
                text.pop();
            }
            let jumps: Vec<usize> = (0..rng.below(6)).map(|_| rng.below(12)).collect();
            let one_at_a_time = hits(
                |at, found| automaton.next_hit(&text, at, found),
                &automaton,
                &text,
                &jumps,
            );
            let mut places = Places::default();
            let by_windows = hits(
                |at, found| places.next_hit(&automaton, &text, at, found),
                &automaton,
                &text,
                &jumps,
            );
            assert_eq!(by_windows, one_at_a_time, "{text:?}");
        }
    }

    /// A window's words taken eight at a time (AVX-512) give what they give one by one: the
    /// same starts, ends and hashes, the same passes of the filter (a small lexicon's filter
    /// has few lines, so that many words pass, rightly or not), the same stem words; with
    /// words of 1 to 19 bytes and gaps of more than eight, up to 32 words in a window, and the first
    /// word's end anywhere in it. Where the processor lacks AVX-512 there is nothing to
    /// compare.
    #[test]
    fn words_eight_at_once_are_words_one_by_one() {
        if !eight_at_once_here() {
            return;
        }
        // `the` opens more patterns than a line holds: a busy first word.
        let mut patterns: Vec<String> = [
            "new",
            "new york",
            "york",
            "the valley",
            "a b",
            "saint-denis",
        ]
        .map(String::from)
        .to_vec();
        patterns.extend((0..60).map(|i| format!("the w{i}")));
        let stems = vec![false; patterns.len()];
        let automaton = AnchoredAutomaton::for_word_starts(&patterns, &stems).expect("automaton");
        let (openings, _) = automaton.openings().expect("word sequences");
        let words = [
            "new",
            "york",
            "the",
            "valley",
            "a",
            "b",
            "saint",
            "denis",
            "x",
            "abcdefgh",
            "abcdefghi",
            "zzzzzzzzzzzzzzzzzzz",
            "7",
            "abcdefghijkl",
            "abcdefghijklmnop",
            "abcdefghijklmnopq",
            "the",
            "w7",
            "w59",
            "w60",
        ];
        let gaps = [
            " ",
            " ",
            ", ",
            "-",
            "'",
            " -- ",
            "\n",
            "          ",
            ". (",
            "?",
        ];
        let mut rng = crate::matcher::tests::Lcg(0x9E37_79B9_7F4A_7C15);
        let mut agreed_on_passes = 0;
        for _ in 0..5000 {
            let mut text = String::new();
            while text.len() < 80 {
                text.push_str(words[rng.below(words.len())]);
                text.push_str(gaps[rng.below(gaps.len())]);
            }
            let chunk: [u8; 72] = text.as_bytes()[..72].try_into().expect("72 bytes");
            let window: [u8; 64] = chunk[..64].try_into().expect("64 bytes");
            let (word, _) = classify(&window).expect("ASCII");
            // The first word's end: a byte after a word character that is none, or the
            // window's start where that is no word character (the window then begins where
            // the first word ends, as `pass_quiet_words` reads one).
            let word_ends: Vec<usize> = (1..64)
                .filter(|&i| word >> (i - 1) & 1 == 1 && word >> i & 1 == 0)
                .chain((word & 1 == 0).then_some(0))
                .collect();
            let offset = word_ends[rng.below(word_ends.len())];
            let after = (u64::MAX << offset) << 1;
            let starts = word & !(word << 1) & after;
            let ends = !word & (word << 1) & after;
            let len = starts.count_ones().min(ends.count_ones()) as usize;
            let place = Place {
                start: 0,
                end: offset,
                hash: (rng.below(1 << 30) as u64) << 34 | rng.below(1 << 30) as u64,
            };
            let stem_heads = (rng.below(1 << 30) as u64) << 32 | rng.below(1 << 30) as u64;
            let mut one = Batch::EMPTY;
            let mut eight = Batch::EMPTY;
            let by_one = one.words_one_by_one(
                &chunk,
                (starts, ends, len),
                place,
                offset,
                openings,
                stem_heads,
            );
            // SAFETY: the processor has AVX-512 (checked above).
            let by_eight = unsafe {
                eight.words_eight_at_once(
                    &chunk,
                    (starts, ends, len),
                    place,
                    offset,
                    openings,
                    stem_heads,
                )
            };
            let text = &text[..72];
            assert_eq!(by_eight, by_one, "{text:?} from {offset}");
            assert_eq!(eight.starts[..len], one.starts[..len], "{text:?}");
            assert_eq!(eight.ends[..len], one.ends[..len], "{text:?}");
            assert_eq!(eight.hashes[..len], one.hashes[..len], "{text:?}");
            agreed_on_passes += usize::from(by_one.0 != 0);
        }
        // The comparison saw passes, not only empty masks.
        assert!(agreed_on_passes > 1000, "{agreed_on_passes}");
    }
}
