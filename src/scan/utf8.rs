//! Code units made UTF-8, for readers of text held elsewhere ([`TextPieces`]): a Python `str`
//! keeps its characters as Latin-1 bytes, UCS-2 or UCS-4 code units ([`CodeUnits`]), or gives
//! them as UCS-4 code points when only the stable ABI reaches them ([`push_utf8`]).
//!
//! Text is mostly ASCII even where it is not all ASCII (news has a curly quote or a dash every
//! thousand characters or so), so the code units are taken sixteen at a time, packed into
//! sixteen bytes: a block of ASCII is written as those bytes at once, and in a block that
//! holds wider characters each run of ASCII between them is written as bytes together and only
//! the wide characters one by one. The blocks do not move with what they hold (a block after
//! a wide character does not start just after it): then the next block's address does not
//! wait on the last block's contents, and the loads run ahead. Writing to the end of the
//! buffer by hand, not with `extend_from_slice`, keeps a call to `memcpy` out of every block.
//!
//! [`TextPieces`]: super::TextPieces

use super::TextPieces;
use crate::error::Error;
use std::ops::Range;

/// The code unit that is not a Unicode scalar value (a surrogate, or past U+10FFFF), at this
/// index of the code units given.
#[derive(Debug, PartialEq, Eq)]
pub struct NotAChar(pub usize);

/// Append `code_points` to `out` as UTF-8. At a code point that is not a character, stop with
/// its index: what was appended before it is whole characters.
///
/// ```
/// use lexiscan::scan::{push_utf8, NotAChar};
/// let mut out = String::from(">");
/// let text = "Київ’s “Kyiv” 😀 and plain ASCII text";
/// let code_points: Vec<u32> = text.chars().map(u32::from).collect();
/// push_utf8(&mut out, &code_points).unwrap();
/// assert_eq!(out, format!(">{text}"));
/// assert_eq!(push_utf8(&mut out, &[0x41, 0xD800]), Err(NotAChar(1)));
/// assert!(out.ends_with("textA"));
/// ```
pub fn push_utf8(out: &mut String, code_points: &[u32]) -> Result<(), NotAChar> {
    push_units(out, code_points)
}

/// A text's characters as fixed-width code units, the way CPython stores a `str` (PEP 393):
/// one byte a character when all are below U+0100, two when all are below U+10000 (then no
/// surrogate pairs: a surrogate is a lone one), else four. It reads as UTF-8 a piece at a time
/// ([`TextPieces`]), with no copy of the whole text.
///
/// ```
/// use lexiscan::scan::{CodeUnits, NotAChar, TextPieces};
/// let text = "Київ’s “Kyiv”";
/// let ucs2: Vec<u16> = text.chars().map(|c| c as u16).collect();
/// let units = CodeUnits::Ucs2(&ucs2);
/// let mut out = String::new();
/// units.push_utf8(2..7, &mut out).unwrap();
/// assert_eq!(out, "їв’s ");
/// assert_eq!(units.read(7, 100, &mut out).unwrap(), text.chars().count() - 7);
/// assert_eq!(out, "їв’s “Kyiv”");
/// assert_eq!(CodeUnits::Ucs2(&[0x41, 0xDC00]).push_utf8(0..2, &mut out), Err(NotAChar(1)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeUnits<'a> {
    /// One byte a character: U+0000 to U+00FF.
    Latin1(&'a [u8]),
    /// Two bytes a character: U+0000 to U+FFFF.
    Ucs2(&'a [u16]),
    /// Four bytes a character.
    Ucs4(&'a [u32]),
}

impl CodeUnits<'_> {
    /// The number of code units (characters, when the text is valid).
    pub fn len(&self) -> usize {
        match self {
            CodeUnits::Latin1(units) => units.len(),
            CodeUnits::Ucs2(units) => units.len(),
            CodeUnits::Ucs4(units) => units.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Append the code units `range` to `out` as UTF-8. At one that is not a character (a
    /// surrogate), stop with its index in `range`: what was appended before it is whole
    /// characters.
    pub fn push_utf8(&self, range: Range<usize>, out: &mut String) -> Result<(), NotAChar> {
        match self {
            CodeUnits::Latin1(units) => push_units(out, &units[range]),
            CodeUnits::Ucs2(units) => push_units(out, &units[range]),
            CodeUnits::Ucs4(units) => push_units(out, &units[range]),
        }
    }
}

impl TextPieces for CodeUnits<'_> {
    fn chars(&self) -> usize {
        self.len()
    }

    fn read(&self, from: usize, max_chars: usize, out: &mut String) -> crate::Result<usize> {
        let to = from.saturating_add(max_chars).min(self.len());
        self.push_utf8(from..to, out).map_err(|NotAChar(at)| {
            Error::InvalidArgument(format!(
                "the text is not valid Unicode: code unit {} is not a character (a lone \
                 surrogate?)",
                from + at
            ))
        })?;
        Ok(to - from)
    }
}

/// A fixed-width code unit: a Latin-1 byte, a UCS-2 or a UCS-4 unit.
trait CodeUnit: Copy {
    /// The most bytes one unit takes as UTF-8.
    const MAX_UTF8: usize;

    fn code_point(self) -> u32;

    /// Sixteen units packed into bytes (those that are not ASCII come out as anything), and a
    /// mask of those that are not ASCII (bit `j` for unit `j`).
    fn pack(block: &[Self; 16]) -> ([u8; 16], u32);
}

fn push_units<U: CodeUnit>(out: &mut String, units: &[U]) -> Result<(), NotAChar> {
    // SAFETY: only whole UTF-8 sequences are appended: ASCII bytes and `encode`'s.
    let bytes = unsafe { out.as_mut_vec() };
    for (k, segment) in units.chunks(SEGMENT_UNITS).enumerate() {
        // The most the segment can take, and sixteen bytes that a block may write past it.
        bytes.reserve(U::MAX_UTF8 * segment.len() + 16);
        let start = bytes.len();
        // SAFETY: the room was reserved just above.
        let (written, stopped) = unsafe { write_utf8(bytes.as_mut_ptr().add(start), segment) };
        // SAFETY: `write_utf8` wrote that many bytes of whole characters.
        unsafe { bytes.set_len(start + written) };
        if let Some(at) = stopped {
            return Err(NotAChar(k * SEGMENT_UNITS + at));
        }
    }
    Ok(())
}

/// Units converted between two looks at the output's capacity: the loop over a segment keeps
/// its write position in a register.
const SEGMENT_UNITS: usize = 1 << 12;

/// Write `units` as UTF-8 at `to`, and say how many bytes that took; at a unit that is not a
/// character, stop there with its index.
///
/// # Safety
///
/// `to` has room for `U::MAX_UTF8` bytes a unit and sixteen more.
#[inline]
unsafe fn write_utf8<U: CodeUnit>(to: *mut u8, units: &[U]) -> (usize, Option<usize>) {
    let mut len = 0;
    let mut blocks = units.chunks_exact(16);
    for (i, block) in blocks.by_ref().enumerate() {
        prefetch(
            block
                .as_ptr()
                .wrapping_add(PREFETCH_BYTES / std::mem::size_of::<U>()),
        );
        let block: &[U; 16] = block.try_into().expect("sixteen");
        let (packed, mut wide) = U::pack(block);
        // SAFETY (all writes): the units before took at most `MAX_UTF8` bytes each, so
        // sixteen bytes from `len` are within the room (those past the ASCII written are
        // overwritten or past the end), and so are four before each unit.
        unsafe { std::ptr::copy_nonoverlapping(packed.as_ptr(), to.add(len), 16) };
        if wide == 0 {
            len += 16;
            continue;
        }
        // The packed block, then room to write sixteen bytes from any unit of it.
        let mut runs = [0u8; 32];
        runs[..16].copy_from_slice(&packed);
        let mut from = 0;
        loop {
            // The ASCII from `from` up to the next wide unit is written already.
            let at = wide.trailing_zeros() as usize;
            len += at - from;
            match unsafe { encode(to.add(len), block[at].code_point()) } {
                Some(n) => len += n,
                None => return (len, Some(16 * i + at)),
            }
            from = at + 1;
            wide &= wide - 1;
            unsafe { std::ptr::copy_nonoverlapping(runs.as_ptr().add(from), to.add(len), 16) };
            if wide == 0 {
                len += 16 - from;
                break;
            }
        }
    }
    let done = units.len() - blocks.remainder().len();
    for (j, &c) in blocks.remainder().iter().enumerate() {
        // SAFETY: as above.
        match unsafe { encode(to.add(len), c.code_point()) } {
            Some(n) => len += n,
            None => return (len, Some(done + j)),
        }
    }
    (len, None)
}

/// How far ahead of the block being converted its text is asked for: a large text is read from
/// memory, not the cache, and the hardware's own prefetcher stops at the end of every page.
const PREFETCH_BYTES: usize = 2048;

/// Ask for the cache line at `at` (a hint: an address past the text is harmless).
#[inline]
fn prefetch<U>(at: *const U) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing and never faults.
    unsafe {
        use std::arch::x86_64::*;
        _mm_prefetch::<_MM_HINT_T0>(at.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// Write `c` as UTF-8 at `to` and say how many bytes it took; None when it is not a character.
///
/// # Safety
///
/// `to` has room for four bytes.
#[inline]
unsafe fn encode(to: *mut u8, c: u32) -> Option<usize> {
    let c = char::from_u32(c)?;
    let mut utf8 = [0; 4];
    let len = c.encode_utf8(&mut utf8).len();
    // SAFETY: the caller gives room for four bytes.
    unsafe { std::ptr::copy_nonoverlapping(utf8.as_ptr(), to, 4) };
    Some(len)
}

impl CodeUnit for u32 {
    const MAX_UTF8: usize = 4;

    #[inline]
    fn code_point(self) -> u32 {
        self
    }

    /// SSE2: four compares, two saturating packs.
    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn pack(block: &[u32; 16]) -> ([u8; 16], u32) {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86_64; the four unaligned loads read the block's 64 bytes.
        unsafe {
            let p = block.as_ptr().cast::<__m128i>();
            let (a, b) = (_mm_loadu_si128(p), _mm_loadu_si128(p.add(1)));
            let (c, d) = (_mm_loadu_si128(p.add(2)), _mm_loadu_si128(p.add(3)));
            let not_ascii = _mm_set1_epi32(!0x7f);
            let ascii = |v| {
                let is = _mm_cmpeq_epi32(_mm_and_si128(v, not_ascii), _mm_setzero_si128());
                _mm_movemask_ps(_mm_castsi128_ps(is)) as u32
            };
            let mask = ascii(a) | (ascii(b) << 4) | (ascii(c) << 8) | (ascii(d) << 12);
            let packed = _mm_packus_epi16(_mm_packs_epi32(a, b), _mm_packs_epi32(c, d));
            let packed = std::mem::transmute::<__m128i, [u8; 16]>(packed);
            (packed, !mask & 0xffff)
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    #[inline]
    fn pack(block: &[u32; 16]) -> ([u8; 16], u32) {
        scalar_pack(block)
    }
}

impl CodeUnit for u16 {
    const MAX_UTF8: usize = 3;

    #[inline]
    fn code_point(self) -> u32 {
        u32::from(self)
    }

    /// SSE2: two compares, one pack of the masks and one of the units.
    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn pack(block: &[u16; 16]) -> ([u8; 16], u32) {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86_64; the two unaligned loads read the block's 32 bytes.
        unsafe {
            let p = block.as_ptr().cast::<__m128i>();
            let (a, b) = (_mm_loadu_si128(p), _mm_loadu_si128(p.add(1)));
            let not_ascii = _mm_set1_epi16(!0x7f);
            let is = |v| _mm_cmpeq_epi16(_mm_and_si128(v, not_ascii), _mm_setzero_si128());
            let mask = _mm_movemask_epi8(_mm_packs_epi16(is(a), is(b))) as u32;
            let packed = std::mem::transmute::<__m128i, [u8; 16]>(_mm_packus_epi16(a, b));
            (packed, !mask & 0xffff)
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    #[inline]
    fn pack(block: &[u16; 16]) -> ([u8; 16], u32) {
        scalar_pack(block)
    }
}

impl CodeUnit for u8 {
    const MAX_UTF8: usize = 2;

    #[inline]
    fn code_point(self) -> u32 {
        u32::from(self)
    }

    /// SSE2: the top bit of each byte says it is not ASCII.
    #[cfg(target_arch = "x86_64")]
    #[inline]
    fn pack(block: &[u8; 16]) -> ([u8; 16], u32) {
        use std::arch::x86_64::*;
        // SAFETY: SSE2 is part of x86_64; the unaligned load reads the block's 16 bytes.
        let not_ascii = unsafe { _mm_movemask_epi8(_mm_loadu_si128(block.as_ptr().cast())) };
        (*block, not_ascii as u32)
    }

    #[cfg(not(target_arch = "x86_64"))]
    #[inline]
    fn pack(block: &[u8; 16]) -> ([u8; 16], u32) {
        scalar_pack(block)
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn scalar_pack<U: CodeUnit>(block: &[U; 16]) -> ([u8; 16], u32) {
    let wide = (0..16).filter(|&j| block[j].code_point() >= 0x80);
    (
        block.map(|c| c.code_point() as u8),
        wide.fold(0, |mask, j| mask | 1 << j),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each way `text`'s characters can be stored (the narrow ones where they fit), as UTF-8.
    fn every_width(text: &str) -> Vec<String> {
        let ucs4: Vec<u32> = text.chars().map(u32::from).collect();
        let ucs2: Vec<u16> = ucs4.iter().map(|&c| c as u16).collect();
        let latin1: Vec<u8> = ucs4.iter().map(|&c| c as u8).collect();
        let widest = ucs4.iter().copied().max().unwrap_or(0);
        let mut units = vec![CodeUnits::Ucs4(&ucs4)];
        if widest < 0x1_0000 {
            units.push(CodeUnits::Ucs2(&ucs2));
        }
        if widest < 0x100 {
            units.push(CodeUnits::Latin1(&latin1));
        }
        let mut made: Vec<String> = units
            .iter()
            .map(|units| {
                let mut out = String::from("so far: ");
                units.push_utf8(0..units.len(), &mut out).unwrap();
                out
            })
            .collect();
        let mut out = String::from("so far: ");
        push_utf8(&mut out, &ucs4).unwrap();
        made.push(out);
        made
    }

    #[test]
    fn every_mix_of_ascii_and_wider_characters_comes_out_as_std_makes_it() {
        let latin1 = ["a", " ", "é", "\u{7f}", "\u{80}", "\u{ff}"];
        let bmp = ["’", "Ж", "\u{7ff}", "\u{800}", "\u{ffff}", "\u{e000}"];
        let astral = ["😀", "\u{10000}", "\u{10ffff}"];
        let mut state = 12345u64;
        for case in 0..3000 {
            let len = case % 70;
            // Texts of each width: Latin-1 only, up to the BMP, and any character.
            let pieces: Vec<&str> = match case % 3 {
                0 => latin1.to_vec(),
                1 => [&latin1[..], &bmp[..]].concat(),
                _ => [&latin1[..], &bmp[..], &astral[..]].concat(),
            };
            let text: String = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Mostly ASCII, as text is.
                    let pick = (state >> 33) as usize % (pieces.len() * 3);
                    pieces.get(pick).copied().unwrap_or("x")
                })
                .collect();
            for out in every_width(&text) {
                assert_eq!(out, format!("so far: {text}"));
            }
        }
    }

    #[test]
    fn a_surrogate_stops_after_the_whole_characters_before_it() {
        for at in [0, 5, 15, 16, 17, 40] {
            for bad in [0xD800, 0xDFFF, 0x11_0000] {
                let mut code_points = vec![u32::from('k'); 50];
                code_points[at] = bad;
                let mut out = String::new();
                assert_eq!(push_utf8(&mut out, &code_points), Err(NotAChar(at)));
                assert_eq!(out, "k".repeat(at));
                if bad < 0x1_0000 {
                    let ucs2: Vec<u16> = code_points.iter().map(|&c| c as u16).collect();
                    let mut out = String::new();
                    let units = CodeUnits::Ucs2(&ucs2);
                    assert_eq!(units.push_utf8(0..50, &mut out), Err(NotAChar(at)));
                    assert_eq!(out, "k".repeat(at));
                }
            }
        }
    }

    #[test]
    fn code_units_read_as_pieces_give_the_text_whatever_the_piece_size() {
        let text = "Kyiv’s “Київ” é 😀 ".repeat(20);
        let ucs4: Vec<u32> = text.chars().map(u32::from).collect();
        let units = CodeUnits::Ucs4(&ucs4);
        for max in [1, 3, 16, 17, 1000] {
            let (mut out, mut at) = (String::new(), 0);
            while at < units.chars() {
                at += units.read(at, max, &mut out).unwrap();
            }
            assert_eq!(out, text, "{max}");
        }
        let bad = [0x41, 0xD800];
        let error = CodeUnits::Ucs4(&bad).read(0, 2, &mut String::new());
        assert!(error.unwrap_err().to_string().contains("code unit 1"));
    }
}
