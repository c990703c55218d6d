//! One large document on several cores: it is cut where no match can cross, and the pieces
//! are matched in parallel.
//!
//! A match covers a span of folded text equal to one pattern (plus, for a prefix entry, the
//! word characters after it). So at a punctuation byte that folds to itself and occurs in no
//! pattern, no match can cross: cutting just after it changes nothing. Such a byte is not a
//! word character, so the whole-word checks at the cut see the same "no word character" on
//! both sides, and it is neither whitespace nor a dash, whose folding looks at neighbours, nor
//! an apostrophe, which the whole-word checks look across ("O'Brien" is one word).
//!
//! A document held elsewhere (`TextPieces`) is cut at the same bytes, but its pieces are read
//! by the workers too (`stream`). Either way a piece is searched as smaller parts cut at the
//! same bytes, together, the way many documents are (`find_in_parts`).

use super::code_points::Match;
use super::pass::Pass;
use crate::error::Result;
use rayon::prelude::*;

/// ASCII punctuation that folds to itself and is neither whitespace, a dash nor an apostrophe.
fn may_cut_after(byte: u8) -> bool {
    byte.is_ascii_punctuation() && byte != b'-' && byte != b'\''
}

/// The bytes after which a text may be cut (those no pass has in its patterns), and the search
/// for the next of them.
///
/// A million place names use nearly every ASCII punctuation byte, so the few left (`%`, `|`,
/// `{`) come tens of kilobytes apart in news text: finding the next one reads every byte in
/// between, once for the pieces and once for the parts of each, so it must go at the speed of
/// memory, thirty-two bytes a step, not a byte at a time. Each byte is looked up by its two
/// halves: `low[b & 15]` has bit `h` set when the byte with high half `h` and low half
/// `b & 15` is a cut byte, and the high half picks that bit (none for bytes from 0x80, which
/// are never cut bytes).
#[derive(Clone, Debug)]
pub(super) struct CutBytes {
    table: [bool; 128],
    low: [u8; 16],
}

impl CutBytes {
    /// The cut bytes of a matcher's passes.
    pub(super) fn new(passes: &[Pass]) -> Self {
        let mut cut = [false; 128];
        for byte in 0..128u8 {
            let used = passes
                .iter()
                .any(|p| p.ascii_in_patterns[usize::from(byte)]);
            cut[usize::from(byte)] = may_cut_after(byte) && !used;
        }
        Self::from_table(cut)
    }

    fn from_table(table: [bool; 128]) -> Self {
        let mut low = [0u8; 16];
        for (byte, _) in table.iter().enumerate().filter(|(_, &cut)| cut) {
            low[byte & 15] |= 1 << (byte >> 4);
        }
        Self { table, low }
    }

    /// Whether `byte` is a cut byte.
    #[inline]
    fn is_cut(&self, byte: u8) -> bool {
        byte < 128 && self.table[usize::from(byte)]
    }

    /// Where the first cut byte of `bytes` is.
    pub(super) fn first_in(&self, bytes: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2 (checked just above).
            return unsafe { self.first_in_avx2(bytes) };
        }
        self.first_in_bytewise(bytes, 0)
    }

    /// `first_in`, a byte at a time from `from`.
    fn first_in_bytewise(&self, bytes: &[u8], from: usize) -> Option<usize> {
        bytes[from..]
            .iter()
            .position(|&b| self.is_cut(b))
            .map(|at| from + at)
    }

    /// `first_in`, thirty-two bytes at a time.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn first_in_avx2(&self, bytes: &[u8]) -> Option<usize> {
        use std::arch::x86_64::{
            __m256i, _mm256_and_si256, _mm256_broadcastsi128_si256, _mm256_cmpeq_epi8,
            _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_set1_epi8, _mm256_setzero_si256,
            _mm256_shuffle_epi8, _mm256_srli_epi16, _mm_loadu_si128,
        };
        const HIGH_BIT: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 0, 0, 0, 0, 0, 0, 0, 0];
        // SAFETY: each load reads 16 or 32 bytes within the array or slice it names.
        unsafe {
            let low_table = _mm256_broadcastsi128_si256(_mm_loadu_si128(self.low.as_ptr().cast()));
            let high_table = _mm256_broadcastsi128_si256(_mm_loadu_si128(HIGH_BIT.as_ptr().cast()));
            let nibble = _mm256_set1_epi8(0x0F);
            let mut at = 0;
            while at + 32 <= bytes.len() {
                let chunk = _mm256_loadu_si256(bytes[at..].as_ptr().cast::<__m256i>());
                let low = _mm256_and_si256(chunk, nibble);
                let high = _mm256_and_si256(_mm256_srli_epi16::<4>(chunk), nibble);
                let hits = _mm256_and_si256(
                    _mm256_shuffle_epi8(low_table, low),
                    _mm256_shuffle_epi8(high_table, high),
                );
                let misses = _mm256_movemask_epi8(_mm256_cmpeq_epi8(hits, _mm256_setzero_si256()));
                let found = !(misses as u32);
                if found != 0 {
                    return Some(at + found.trailing_zeros() as usize);
                }
                at += 32;
            }
            self.first_in_bytewise(bytes, at)
        }
    }
}

/// Pieces matched at once per worker: enough to keep every worker busy, few enough that the
/// matches waiting to be handed on stay small beside the result they go to.
pub(super) const PIECES_AT_ONCE_PER_THREAD: usize = 4;

/// All matches in `text` as `find` gives them, found in pieces of about `piece_bytes` cut
/// after bytes of `cut_after`, on the current rayon pool (a text with no place to cut is one
/// piece), and handed to `sink` a few pieces at a time, in order, with offsets in `text`: what
/// waits in memory is one group of pieces' matches, not the whole text's (a 1 GB document has
/// some 20 million, ~1 GB as `Match`es, which the caller's result then holds once more).
pub(super) fn for_matches_in_pieces(
    text: &str,
    cut_after: &CutBytes,
    piece_bytes: usize,
    find: impl Fn(&str) -> Result<Vec<Match>> + Sync,
    mut sink: impl FnMut(Vec<Match>) + Send,
) -> Result<()> {
    let cuts = cut_points(text.as_bytes(), cut_after, piece_bytes.max(1));
    let group = rayon::current_num_threads().max(1) * PIECES_AT_ONCE_PER_THREAD;
    let (mut chars, mut done) = (0, Vec::new());
    for first in (0..cuts.len().saturating_sub(1)).step_by(group) {
        let last = (first + group).min(cuts.len() - 1);
        // The group before is handed on while this one is matched.
        let ((), found) = rayon::join(
            || hand_on(std::mem::take(&mut done), &mut chars, &mut sink),
            || {
                cuts[first..=last]
                    .par_windows(2)
                    .map(|w| {
                        let piece = &text[w[0]..w[1]];
                        Ok((find(piece)?, w[0], piece.chars().count()))
                    })
                    .collect::<Result<Vec<_>>>()
            },
        );
        done = found?;
    }
    hand_on(done, &mut chars, &mut sink);
    Ok(())
}

/// A piece is searched as parts of about this many bytes, as many documents are searched
/// together (`find_in_parts`).
pub(super) const PART_BYTES: usize = 1 << 14;

/// All matches in `text` as `find_many` gives them for it whole, found in parts of about
/// `part_bytes` cut after bytes of `cut_after`, searched together. A piece of a large document
/// then searches like as many documents: a part that holds only ASCII and typographic
/// characters is searched on its own bytes (`unfolded`), where the whole piece, with one
/// letter that folds (an "é" somewhere in a mebibyte), would be folded first. `find_many`
/// gives each part's matches and its length in characters (the search knows it from its
/// look at the part's wide characters: no pass to count them).
pub(super) fn find_in_parts(
    text: &str,
    cut_after: &CutBytes,
    part_bytes: usize,
    find_many: impl Fn(&[&str]) -> Result<(Vec<Vec<Match>>, Vec<usize>)>,
) -> Result<Vec<Match>> {
    let cuts = cut_points(text.as_bytes(), cut_after, part_bytes.max(1));
    let parts: Vec<&str> = cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    let (mut found, part_chars) = find_many(&parts)?;
    if let [one] = found.as_mut_slice() {
        return Ok(std::mem::take(one));
    }
    let mut all = Vec::with_capacity(found.iter().map(Vec::len).sum());
    let mut chars = 0;
    for (((matches, &byte), part_chars), part) in
        found.into_iter().zip(&cuts).zip(part_chars).zip(&parts)
    {
        debug_assert_eq!(part_chars, part.chars().count(), "{part:?}");
        all.extend(matches.into_iter().map(|m| Match {
            start: m.start + chars,
            end: m.end + chars,
            byte_start: m.byte_start + byte,
            byte_end: m.byte_end + byte,
            ..m
        }));
        chars += part_chars;
    }
    Ok(all)
}

/// Give each piece's matches (with the piece's first byte and its length in characters) to
/// `sink`, in order, with offsets in the whole text; `chars`: the characters before them.
fn hand_on(
    done: Vec<(Vec<Match>, usize, usize)>,
    chars: &mut usize,
    sink: &mut impl FnMut(Vec<Match>),
) {
    for (mut matches, byte, piece_chars) in done {
        for m in &mut matches {
            m.start += *chars;
            m.end += *chars;
            m.byte_start += byte;
            m.byte_end += byte;
        }
        sink(matches);
        *chars += piece_chars;
    }
}

/// 0, then cuts just after a byte of `cut_after` about every `piece_bytes`, then `bytes.len()`.
/// Cut bytes fold to themselves, so this cuts an original text and its folding alike.
pub(super) fn cut_points(bytes: &[u8], cut_after: &CutBytes, piece_bytes: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    let mut at = piece_bytes;
    while at < bytes.len() {
        let Some(offset) = cut_after.first_in(&bytes[at..]) else {
            break;
        };
        let cut = at + offset + 1;
        if cut < bytes.len() {
            cuts.push(cut);
        }
        at = cut + piece_bytes;
    }
    cuts.push(bytes.len());
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matcher::tests::Lcg;

    /// The search thirty-two bytes at a time finds what a byte at a time finds: random sets of
    /// cut bytes (any of the 128 ASCII bytes, not only punctuation, and the empty set) over
    /// random bytes of every value, at every length around the chunk's and from every start.
    #[test]
    fn first_cut_byte_is_found_as_byte_by_byte() {
        let mut rng = Lcg(0x5EED);
        let mut found = 0;
        for round in 0..400 {
            let mut table = [false; 128];
            let wanted = if round % 10 == 0 { 0 } else { 1 + rng.below(6) };
            for _ in 0..wanted {
                table[rng.below(128)] = true;
            }
            let cut = CutBytes::from_table(table);
            let len = rng.below(200);
            // Mostly bytes that are no cut byte, so that the first is often far in.
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.below(40) {
                    0 => rng.below(128) as u8,
                    1 => 0x80 | rng.below(128) as u8,
                    _ => b'a' + rng.below(26) as u8,
                })
                .collect();
            for from in [0, 1, len / 3, len.saturating_sub(33)] {
                let from = from.min(len);
                let expected = bytes[from..]
                    .iter()
                    .position(|&b| b < 128 && table[usize::from(b)]);
                assert_eq!(
                    cut.first_in(&bytes[from..]),
                    expected,
                    "{bytes:?} from {from}"
                );
                found += usize::from(expected.is_some());
            }
        }
        assert!(found > 300, "{found}");
    }

    /// Bytes from 0x80 are never cut bytes, whatever bits the table's halves hold.
    #[test]
    fn no_byte_from_0x80_is_a_cut_byte() {
        let cut = CutBytes::from_table([true; 128]);
        let high: Vec<u8> = (0x80..=0xFF).chain(0x80..=0xFF).collect();
        assert_eq!(cut.first_in(&high), None);
        assert_eq!(
            cut.first_in(&[0xFF; 40].iter().chain(b"x").copied().collect::<Vec<_>>()),
            Some(40)
        );
    }
}
