//! Folding of documents and aliases into one comparable form, with a map back to the original
//! (docs/matching.md §2–3).
//!
//! One pass over the bytes: ASCII bytes take a short branch and extend a *linear* piece of the
//! offset map (folded byte `p` is original byte `orig + (p - folded)`), so pure-ASCII documents
//! pay no Unicode work and their map is a handful of pieces. A non-ASCII character whose folded
//! form is one character of the same UTF-8 length (most Cyrillic, Greek, CJK) extends the linear
//! piece too; any other character gets a piece of its own, which is where a match may start or
//! end only at its edges.

use crate::chars::{is_accent_mark, is_dash, is_ignorable, is_word_char, straight_quote};
use caseless::Caseless;
use unicode_normalization::char::decompose_canonical;

/// Which folding steps apply on top of the typographic ones, which always apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FoldOptions {
    /// Unicode full case folding (`ß` → `ss`).
    pub case_fold: bool,
    /// Removal of combining diacritics after canonical decomposition (`é` → `e`).
    pub accent_fold: bool,
}

/// One piece of the offset map, starting at folded byte `folded`.
#[derive(Clone, Copy, Debug)]
struct Piece {
    folded: u32,
    orig: u32,
    /// 0: a linear piece, running to the next piece. Otherwise the folded length of the output
    /// of one original character (or whitespace run), which ends at original byte `orig_end`.
    unit_len: u32,
    orig_end: u32,
}

/// A folded copy of a text with the way back to the original.
///
/// ```
/// use lexiscan::normalize::{fold_with_offsets, FoldOptions};
/// let opts = FoldOptions { case_fold: true, accent_fold: true };
/// let folded = fold_with_offsets("Ms. SHERMAN’s\n  Straße", opts);
/// assert_eq!(folded.text(), "ms. sherman's strasse");
/// assert_eq!(folded.original_start(14), Some(18)); // `strasse` begins at byte 18 (`S`)
/// ```
#[derive(Debug)]
pub struct Folded {
    text: String,
    pieces: Vec<Piece>,
    original_is_ascii: bool,
}

impl Folded {
    /// The folded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the original text was all ASCII (its byte offsets are its code-point offsets),
    /// known from the fold without reading the text again.
    pub fn original_is_ascii(&self) -> bool {
        self.original_is_ascii
    }

    #[inline]
    fn piece_at(&self, pos: usize) -> &Piece {
        let i = self.pieces.partition_point(|p| p.folded as usize <= pos);
        &self.pieces[i.saturating_sub(1)]
    }

    /// Original byte offset of a match starting at folded byte `pos`, or `None` when `pos` is
    /// inside the output of one original character.
    #[inline]
    pub fn original_start(&self, pos: usize) -> Option<usize> {
        let piece = self.piece_at(pos);
        let offset = pos - piece.folded as usize;
        match piece.unit_len {
            0 => Some(piece.orig as usize + offset),
            _ => (offset == 0).then_some(piece.orig as usize),
        }
    }

    /// Original byte offset one past a match ending at folded byte `end` (exclusive), or `None`
    /// when `end` is inside the output of one original character.
    #[inline]
    pub fn original_end(&self, end: usize) -> Option<usize> {
        let piece = self.piece_at(end.checked_sub(1)?);
        let offset = end - piece.folded as usize;
        match piece.unit_len {
            0 => Some(piece.orig as usize + offset),
            len => (offset == len as usize).then_some(piece.orig_end as usize),
        }
    }

    /// The first folded position whose original offset is at or after original byte `orig`
    /// (where a search must resume after a match that ended at `orig`).
    pub fn folded_at_or_after(&self, orig: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.orig as usize <= orig);
        if i == 0 {
            return 0;
        }
        let piece = &self.pieces[i - 1];
        let next_folded = self
            .pieces
            .get(i)
            .map_or(self.text.len(), |p| p.folded as usize);
        let offset = orig - piece.orig as usize;
        let folded = match piece.unit_len {
            0 => piece.folded as usize + offset,
            _ if offset == 0 => piece.folded as usize,
            _ => next_folded,
        };
        folded.min(next_folded)
    }

    /// The folded character just before folded byte `pos`.
    #[inline]
    pub fn char_before(&self, pos: usize) -> Option<char> {
        self.text[..pos].chars().next_back()
    }

    /// The folded character starting at folded byte `pos`.
    #[inline]
    pub fn char_at(&self, pos: usize) -> Option<char> {
        self.text[pos..].chars().next()
    }
}

/// Builds the folded text and its pieces.
struct Folder {
    out: String,
    pieces: Vec<Piece>,
    /// `orig - folded` of the open linear piece, if the last piece is linear.
    linear_delta: Option<isize>,
    /// Folded and original start of the last character that produced output.
    last_char: (usize, usize),
}

impl Folder {
    #[inline]
    fn linear(&mut self, c: char, orig: usize) {
        let folded = self.out.len();
        let delta = orig as isize - folded as isize;
        if self.linear_delta != Some(delta) {
            self.pieces.push(Piece {
                folded: folded as u32,
                orig: orig as u32,
                unit_len: 0,
                orig_end: 0,
            });
            self.linear_delta = Some(delta);
        }
        self.last_char = (folded, orig);
        self.out.push(c);
    }

    /// Copy the run of plain ASCII bytes and single spaces that starts at `text[orig]`, which
    /// fold one to one; return its length.
    #[inline]
    fn linear_run(&mut self, text: &str, orig: usize, case_fold: bool) -> usize {
        let folded = self.out.len();
        let delta = orig as isize - folded as isize;
        if self.linear_delta != Some(delta) {
            self.pieces.push(Piece {
                folded: folded as u32,
                orig: orig as u32,
                unit_len: 0,
                orig_end: 0,
            });
            self.linear_delta = Some(delta);
        }
        let len = copy_plain_run(&mut self.out, &text[orig..], case_fold);
        self.last_char = (self.out.len() - 1, orig + len - 1);
        len
    }

    /// Record output `out[folded..]` as the output of the original bytes `orig..orig_end`.
    #[inline]
    fn unit(&mut self, folded: usize, orig: usize, orig_end: usize) {
        let unit_len = (self.out.len() - folded) as u32;
        self.pieces.push(Piece {
            folded: folded as u32,
            orig: orig as u32,
            unit_len,
            orig_end: orig_end as u32,
        });
        self.linear_delta = None;
        self.last_char = (folded, orig);
    }

    /// A removed accent belongs to the character before it: that character's output now ends
    /// at `orig_end` in the original.
    fn extend_last_char(&mut self, orig_end: usize) {
        if self.out.is_empty() {
            return;
        }
        let (folded, orig) = self.last_char;
        match self.pieces.last_mut() {
            Some(last) if last.folded as usize == folded => {
                last.unit_len = (self.out.len() - folded) as u32;
                last.orig = orig as u32;
                last.orig_end = orig_end as u32;
            }
            _ => {
                let unit_len = (self.out.len() - folded) as u32;
                self.pieces.push(Piece {
                    folded: folded as u32,
                    orig: orig as u32,
                    unit_len,
                    orig_end: orig_end as u32,
                });
            }
        }
        self.linear_delta = None;
    }
}

/// Fold a document, keeping the offset map. Texts must be shorter than 4 GiB (checked by callers).
pub fn fold_with_offsets(text: &str, opts: FoldOptions) -> Folded {
    let bytes = text.as_bytes();
    let mut f = Folder {
        out: String::with_capacity(text.len() + 16),
        pieces: Vec::new(),
        linear_delta: None,
        last_char: (0, 0),
    };
    let mut prev_is_word = false;
    let mut original_is_ascii = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_plain_ascii(b) || (b == b' ' && !f.out.ends_with(' ')) {
            let run = f.linear_run(text, i, opts.case_fold);
            prev_is_word = bytes[i + run - 1].is_ascii_alphanumeric();
            i += run;
            continue;
        }
        if b.is_ascii() {
            let c = if is_ascii_white_space(b) {
                if f.out.ends_with(' ') {
                    i += 1;
                    prev_is_word = false;
                    continue;
                }
                ' '
            } else if b == b'-' {
                if prev_is_word && next_is_word(text, i + 1) {
                    ' '
                } else {
                    '-'
                }
            } else if opts.case_fold {
                b.to_ascii_lowercase() as char
            } else {
                b as char
            };
            f.linear(c, i);
            prev_is_word = b.is_ascii_alphanumeric();
            i += 1;
            continue;
        }
        original_is_ascii = false;
        let c = text[i..].chars().next().expect("i is on a char boundary");
        let end = i + c.len_utf8();
        let before = f.out.len();
        if is_ignorable(c) {
            // produces nothing and belongs to nothing
        } else if c.is_whitespace() {
            if !f.out.ends_with(' ') {
                f.out.push(' ');
                f.unit(before, i, end);
            }
        } else if is_dash(c) {
            f.out.push(if prev_is_word && next_is_word(text, end) {
                ' '
            } else {
                '-'
            });
            f.unit(before, i, end);
        } else if let Some(q) = straight_quote(c) {
            f.out.push(q);
            f.unit(before, i, end);
        } else {
            let single = push_folded_char(&mut f.out, c, opts);
            let produced = f.out.len() - before;
            if produced == 0 {
                f.extend_last_char(end);
            } else if single && produced == end - i {
                // Same length, one character: offsets stay linear. Undo the push to reuse
                // the linear path's bookkeeping.
                let folded_char = f.out[before..].chars().next().expect("one char was pushed");
                f.out.truncate(before);
                f.linear(folded_char, i);
            } else {
                f.unit(before, i, end);
            }
        }
        prev_is_word = is_word_char(c);
        i = end;
    }
    Folded {
        text: f.out,
        pieces: f.pieces,
        original_is_ascii,
    }
}

#[inline]
fn next_is_word(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(is_word_char)
}

/// Fold an alias: the same rules as documents, then stripped of surrounding spaces.
///
/// ```
/// use lexiscan::normalize::{fold_alias, FoldOptions};
/// let opts = FoldOptions { case_fold: true, accent_fold: true };
/// assert_eq!(fold_alias("  NATO Secretary‑General ", opts), "nato secretary general");
/// ```
pub fn fold_alias(alias: &str, opts: FoldOptions) -> String {
    fold_with_offsets(alias, opts)
        .text
        .trim_matches(' ')
        .to_owned()
}

/// ASCII that folds to itself (or its lower case): not whitespace, not a dash.
#[inline]
fn is_plain_ascii(b: u8) -> bool {
    b.is_ascii() && !is_ascii_white_space(b) && b != b'-'
}

/// Length of the run at the start of `bytes` (which starts with a plain byte or a space that
/// opens no run of whitespace) made of plain bytes and single spaces.
#[inline]
fn plain_run_len(bytes: &[u8]) -> usize {
    let mut j = 1;
    loop {
        // Sixteen bytes at a time where SSE2 is there (every x86-64), then eight (most text is
        // long runs of these), up to the first byte that may end the run: not ASCII, a control
        // or whitespace byte other than a single space, or a dash. That byte and the last few
        // are then looked at one at a time.
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is part of every x86-64 target, so the processor has it.
        while let Some(stop) = unsafe { stops_in_16(bytes, j) } {
            if stop != 0 {
                j += stop.trailing_zeros() as usize;
                break;
            }
            j += 16;
        }
        while let (Some(chunk), Some(before)) = (word_at(bytes, j), word_at(bytes, j - 1)) {
            let stop = (chunk & HIGH_BITS)
                | below_space(chunk)
                | bytes_equal(chunk, b'-')
                | (bytes_equal(chunk, b' ') & bytes_equal(before, b' '));
            if stop != 0 {
                j += (stop.trailing_zeros() / 8) as usize;
                break;
            }
            j += 8;
        }
        let Some(&b) = bytes.get(j) else {
            return j;
        };
        let single_space = b == b' ' && bytes[j - 1] != b' ';
        if !(is_plain_ascii(b) || single_space) {
            return j;
        }
        j += 1;
    }
}

/// Append the run of plain bytes and single spaces at the start of `rest` (which starts with
/// one) to `out`, in lower case when `case_fold`; return its length.
#[inline]
fn copy_plain_run(out: &mut String, rest: &str, case_fold: bool) -> usize {
    #[cfg(target_arch = "x86_64")]
    if rest.len() >= 16 {
        // SAFETY: SSE2 is part of every x86-64 target; `rest` has 16 bytes or more.
        let (copied, ended) = unsafe {
            if case_fold {
                copy_plain_chunks_16::<true>(out, rest.as_bytes())
            } else {
                copy_plain_chunks_16::<false>(out, rest.as_bytes())
            }
        };
        // The chunks stop at every control byte; those that are not whitespace are plain.
        let at_stop = rest.as_bytes().get(copied);
        if ended && !at_stop.is_some_and(|&b| is_plain_ascii(b)) {
            return copied;
        }
        // A plain control byte, or fewer than sixteen bytes left; byte `copied - 1` is in the
        // run (the first byte of `rest` is, and no chunk stops at it).
        let more = plain_run_len(&rest.as_bytes()[copied - 1..]) - 1;
        push_ascii(out, &rest[copied..], more, case_fold);
        return copied + more;
    }
    let len = plain_run_len(rest.as_bytes());
    push_ascii(out, rest, len, case_fold);
    len
}

/// The sixteen-byte part of [`copy_plain_run`]: finding the end of the run and copying it are
/// one pass over each chunk, with one loop exit to mispredict instead of two (runs are 130
/// bytes at the median in the bench_scan corpus; 100 aliases, one thread: +5-9% end to end,
/// both builds side by side on the two cores). Whole chunks are stored, into capacity reserved
/// past the run that the string's length then leaves out. Returns where the chunks stopped
/// (the first byte that may end the run, as for `stops_in_16`) and `true`, or the bytes copied
/// and `false` when fewer than sixteen are left (a multiple of sixteen, at least sixteen).
/// `bytes` has 16 or more.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
unsafe fn copy_plain_chunks_16<const LOWER: bool>(out: &mut String, bytes: &[u8]) -> (usize, bool) {
    use std::arch::x86_64::{_mm_loadu_si128, _mm_slli_si128, _mm_storeu_si128};
    out.reserve(bytes.len());
    let start = out.len();
    // SAFETY (whole block): reads stay in `bytes` (a chunk at `j` is read only while `j + 16`
    // is within it, the bytes before it from `j - 1`); writes stay in the `bytes.len()` bytes
    // reserved past `start`; the bytes up to the returned length are the run, ASCII, so the
    // string stays UTF-8.
    unsafe {
        let src = bytes.as_ptr();
        let dst = out.as_mut_vec().as_mut_ptr().add(start);
        let mut j = 0;
        while j + 16 <= bytes.len() {
            let chunk = _mm_loadu_si128(src.add(j).cast());
            let stop = if j == 0 {
                // The first byte is in the run by the caller's word; the byte before each
                // other one is in the chunk.
                run_stops_16(chunk, _mm_slli_si128(chunk, 1)) & !1
            } else {
                run_stops_16(chunk, _mm_loadu_si128(src.add(j - 1).cast()))
            };
            let folded = if LOWER { ascii_lower_16(chunk) } else { chunk };
            _mm_storeu_si128(dst.add(j).cast(), folded);
            if stop != 0 {
                j += stop.trailing_zeros() as usize;
                out.as_mut_vec().set_len(start + j);
                return (j, true);
            }
            j += 16;
        }
        out.as_mut_vec().set_len(start + j);
        (j, false)
    }
}

/// Append `rest[..len]`, which is ASCII, to `out`, in lower case when `case_fold`.
#[inline]
fn push_ascii(out: &mut String, rest: &str, len: usize, case_fold: bool) {
    let run = &rest[..len];
    debug_assert!(run.is_ascii());
    #[cfg(target_arch = "x86_64")]
    if case_fold && rest.len() >= 16 {
        // SAFETY: SSE2 is part of every x86-64 target; `rest` has the 16 bytes it reads.
        unsafe { push_ascii_lowercase_16(out, rest.as_bytes(), len) };
        return;
    }
    let start = out.len();
    out.push_str(run);
    if case_fold {
        out[start..].make_ascii_lowercase();
    }
}

/// [`push_ascii`] with case folding, sixteen bytes at a time: one pass, and no byte-by-byte
/// tail (the copy and the lower-casing after it were each a pass with such a tail, ~half of
/// the folding time on the bench_scan corpus). The last chunk may copy bytes past `len`,
/// into spare capacity that the string's length then leaves out. `bytes` has 16 or more.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
unsafe fn push_ascii_lowercase_16(out: &mut String, bytes: &[u8], len: usize) {
    use std::arch::x86_64::{_mm_loadu_si128, _mm_storeu_si128};
    out.reserve(len + 16);
    let start = out.len();
    // SAFETY (whole block): reads stay in `bytes` (each chunk starts at most 16 bytes before
    // its end); writes stay in the `len + 16` bytes reserved past `start`; the bytes up to
    // `start + len` are the ASCII run in lower case, so the string stays UTF-8.
    unsafe {
        let dst = out.as_mut_vec().as_mut_ptr().add(start);
        let mut k = 0;
        while k < len {
            let at = k.min(bytes.len() - 16);
            let chunk = _mm_loadu_si128(bytes.as_ptr().add(at).cast());
            _mm_storeu_si128(dst.add(at).cast(), ascii_lower_16(chunk));
            k = at + 16;
        }
        out.as_mut_vec().set_len(start + len);
    }
}

/// Bit `i` set when byte `j + i` (of sixteen) may end a plain run, as the eight-byte masks of
/// `plain_run_len` say; `None` past the end. `j` must be at least 1 (the byte before counts).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn stops_in_16(bytes: &[u8], j: usize) -> Option<u32> {
    use std::arch::x86_64::_mm_set_epi64x;
    let (low, high) = (word_at(bytes, j)?, word_at(bytes, j + 8)?);
    let (low_before, high_before) = (word_at(bytes, j - 1)?, word_at(bytes, j + 7)?);
    let chunk = _mm_set_epi64x(high as i64, low as i64);
    let before = _mm_set_epi64x(high_before as i64, low_before as i64);
    Some(run_stops_16(chunk, before))
}

/// Bit `i` set when byte `i` of `chunk` may end a plain run: below a space (signed, so
/// non-ASCII too), a dash, or a space after a space (`before` is the chunk one byte earlier).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn run_stops_16(chunk: std::arch::x86_64::__m128i, before: std::arch::x86_64::__m128i) -> u32 {
    use std::arch::x86_64::{
        _mm_and_si128, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    let space = _mm_set1_epi8(b' ' as i8);
    let below_space_or_not_ascii = _mm_cmplt_epi8(chunk, space);
    let dash = _mm_cmpeq_epi8(chunk, _mm_set1_epi8(b'-' as i8));
    let second_space = _mm_and_si128(_mm_cmpeq_epi8(chunk, space), _mm_cmpeq_epi8(before, space));
    let stop = _mm_or_si128(_mm_or_si128(below_space_or_not_ascii, dash), second_space);
    _mm_movemask_epi8(stop) as u32
}

/// `chunk` with `A`..=`Z` in lower case.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[inline]
fn ascii_lower_16(chunk: std::arch::x86_64::__m128i) -> std::arch::x86_64::__m128i {
    use std::arch::x86_64::{
        _mm_add_epi8, _mm_and_si128, _mm_cmplt_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // `A`..=`Z` moved to the 26 lowest signed bytes, so one signed comparison finds them.
    let shift = _mm_set1_epi8((0x80u8.wrapping_sub(b'A')) as i8);
    let below = _mm_set1_epi8((0x80u8 + 26) as i8);
    let upper = _mm_cmplt_epi8(_mm_add_epi8(chunk, shift), below);
    _mm_or_si128(chunk, _mm_and_si128(upper, _mm_set1_epi8(0x20)))
}

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const LOW_BITS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The eight bytes at `at`, little-endian (byte `at` in the lowest bits).
#[inline]
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of each byte of `x` that equals `b` (exact: no carries between bytes).
#[inline]
fn bytes_equal(x: u64, b: u8) -> u64 {
    let y = x ^ (u64::from(b) * 0x0101_0101_0101_0101);
    !(((y & LOW_BITS) + LOW_BITS) | y) & HIGH_BITS
}

/// The high bit of each ASCII byte of `x` below 0x20 (controls, tab, newline...).
#[inline]
fn below_space(x: u64) -> u64 {
    !(((x & LOW_BITS) + 0x6060_6060_6060_6060) | x) & HIGH_BITS
}

fn is_ascii_white_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// Push the case-folded, decomposed, accent-stripped form of `c`; true if it is one character.
fn push_folded_char(out: &mut String, c: char, opts: FoldOptions) -> bool {
    let mut count = 0;
    let mut push_decomposed = |f: char| {
        decompose_canonical(f, |d| {
            if !(opts.accent_fold && is_accent_mark(d)) {
                out.push(d);
                count += 1;
            }
        })
    };
    if opts.case_fold {
        std::iter::once(c)
            .default_case_fold()
            .for_each(&mut push_decomposed);
    } else {
        push_decomposed(c);
    }
    count == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-at-a-time definition that the eight-byte fast path must agree with.
    fn plain_run_len_bytewise(bytes: &[u8]) -> usize {
        let mut j = 1;
        while j < bytes.len()
            && (is_plain_ascii(bytes[j]) || bytes[j] == b' ' && bytes[j - 1] != b' ')
        {
            j += 1;
        }
        j
    }

    #[test]
    fn eight_byte_masks_are_exact() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut chunk = [b'a'; 8];
                chunk[pos] = b;
                let x = u64::from_le_bytes(chunk);
                let bit = 0x80u64 << (8 * pos);
                assert_eq!(bytes_equal(x, b'-') & bit != 0, b == b'-', "{b:#x}");
                assert_eq!(bytes_equal(x, b' ') & bit != 0, b == b' ', "{b:#x}");
                assert_eq!(below_space(x) & bit != 0, b < 0x20, "{b:#x}");
                assert_eq!(x & HIGH_BITS & bit != 0, b >= 0x80, "{b:#x}");
            }
        }
    }

    #[test]
    fn ascii_runs_are_copied_in_lower_case_wherever_they_end() {
        let text: String = (0..200u32)
            .map(|i| char::from(b"aZ .Q7z@[`{"[(i * 7 % 11) as usize]))
            .chain("é".chars())
            .collect();
        for from in 0..text.len() - 2 {
            for len in 0..(text.len() - 2 - from).min(40) {
                for case_fold in [true, false] {
                    let mut out = String::from("x");
                    push_ascii(&mut out, &text[from..], len, case_fold);
                    let run = &text[from..from + len];
                    let expected = if case_fold {
                        run.to_ascii_lowercase()
                    } else {
                        run.to_owned()
                    };
                    assert_eq!(out, format!("x{expected}"), "{from} {len}");
                }
            }
        }
    }

    #[test]
    fn plain_runs_are_found_and_copied_as_the_bytewise_definition_says() {
        // Mostly plain bytes, so that chunks with one odd byte are common: runs of every length
        // around the eight- and sixteen-byte chunks, ended by each kind of stop or by the end
        // of the text.
        let plain = ["a", "Z", " ", ".", "Q"];
        let odd = [" ", "-", "\n", "\t", "\u{1}", "\u{7F}", "é"];
        let mut state = 3u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            (state >> 33) as usize
        };
        for _ in 0..20_000 {
            let len = 1 + next() % 70;
            let mut text = String::from(if next() % 2 == 0 { "A" } else { " " });
            for _ in 1..len {
                let r = next();
                text.push_str(if r % 20 == 0 {
                    odd[r / 20 % odd.len()]
                } else {
                    plain[r / 20 % plain.len()]
                });
            }
            let expected_len = plain_run_len_bytewise(text.as_bytes());
            assert_eq!(plain_run_len(text.as_bytes()), expected_len, "{text:?}");
            for case_fold in [true, false] {
                let mut out = String::from("x");
                let len = copy_plain_run(&mut out, &text, case_fold);
                assert_eq!(len, expected_len, "{text:?}");
                let run = &text[..len];
                let expected = if case_fold {
                    run.to_ascii_lowercase()
                } else {
                    run.to_owned()
                };
                assert_eq!(out, format!("x{expected}"), "{text:?}");
            }
        }
    }

    const FOLD_ALL: FoldOptions = FoldOptions {
        case_fold: true,
        accent_fold: true,
    };
    const KEEP_CASE: FoldOptions = FoldOptions {
        case_fold: false,
        accent_fold: true,
    };
    const KEEP_ACCENTS: FoldOptions = FoldOptions {
        case_fold: true,
        accent_fold: false,
    };

    #[test]
    fn folds_like_the_spec_says() {
        let cases: &[(&str, FoldOptions, &str)] = &[
            ("ÉMILE", FOLD_ALL, "emile"),
            ("Straße", FOLD_ALL, "strasse"),
            ("STRASSE", FOLD_ALL, "strasse"),
            ("МОСКВА", FOLD_ALL, "москва"),
            ("ΟΔΥΣΣΕΥΣ", FOLD_ALL, "οδυσσευσ"),
            ("Οδυσσεύς", FOLD_ALL, "οδυσσευσ"),
            ("détente", KEEP_ACCENTS, "de\u{301}tente"),
            ("Russia’s", FOLD_ALL, "russia's"),
            ("“NATO”", FOLD_ALL, "\"nato\""),
            ("Secretary-General", FOLD_ALL, "secretary general"),
            ("NATO–Russia", KEEP_CASE, "NATO Russia"),
            ("a - b", FOLD_ALL, "a - b"),
            ("Alexander\nFomin", FOLD_ALL, "alexander fomin"),
            ("a \u{00A0}\n\t b", FOLD_ALL, "a b"),
            ("Stolten\u{00AD}berg", FOLD_ALL, "stoltenberg"),
            ("US", KEEP_CASE, "US"),
        ];
        for &(input, opts, want) in cases {
            assert_eq!(
                fold_with_offsets(input, opts).text(),
                want,
                "folding {input:?}"
            );
        }
    }

    #[test]
    fn ascii_bytes_fold_the_same_next_to_unicode() {
        let ascii = "  NATO-Russia \n\n Council -  said- U.S.-led ";
        let with_unicode = format!("{ascii}é");
        let a = fold_with_offsets(ascii, FOLD_ALL);
        let u = fold_with_offsets(&with_unicode, FOLD_ALL);
        assert_eq!(format!("{}e", a.text()), u.text());
        assert!(a.original_is_ascii() && !u.original_is_ascii());
        // A character that folds to nothing still makes code points differ from bytes.
        assert!(!fold_with_offsets("a\u{200B}b", FOLD_ALL).original_is_ascii());
        for p in 0..a.text().len() {
            assert_eq!(a.original_start(p), u.original_start(p), "start at {p}");
            assert_eq!(a.original_end(p + 1), u.original_end(p + 1), "end at {p}");
        }
        assert!(
            a.pieces.len() <= 4,
            "ASCII text needs few pieces: {:?}",
            a.pieces
        );
    }

    #[test]
    fn offsets_point_back_into_the_original() {
        let text = "Der STRASSE-Straße\u{00A0}Émile";
        let f = fold_with_offsets(text, FOLD_ALL);
        assert_eq!(f.text(), "der strasse strasse emile");
        let at = f.text().find("emile").unwrap();
        let (s, e) = (
            f.original_start(at).unwrap(),
            f.original_end(at + 5).unwrap(),
        );
        assert_eq!(&text[s..e], "Émile");
        // the second `s` of `ß` is not where a character's output begins
        let sz = f.text().rfind("ss").unwrap();
        assert_eq!(f.original_start(sz + 1), None);
        // a removed combining accent belongs to the letter before it
        let decomposed = "Jose\u{301} said";
        let f = fold_with_offsets(decomposed, FOLD_ALL);
        assert_eq!(f.text(), "jose said");
        assert_eq!(&decomposed[0..f.original_end(4).unwrap()], "Jose\u{301}");
    }
}
