//! Code points made UTF-8, for readers of text held elsewhere ([`TextPieces`]) that get a
//! piece's characters as code points (a Python `str` gives them as UCS-4).
//!
//! Text is mostly ASCII even where it is not all ASCII (news has a curly quote or a dash every
//! hundred characters or so), so the code points are taken sixteen at a time: the leading
//! ASCII ones of a block are written as bytes together, and the rest of a block that holds a
//! character that is not ASCII one by one. The blocks do not move with what they hold (a
//! block after a wide character does not start just after it): then the next block's address
//! does not wait on the last block's contents, and the loads run ahead. Writing to the end of
//! the buffer by hand, not with `extend_from_slice`, keeps a call to `memcpy` out of every
//! block.
//!
//! [`TextPieces`]: super::TextPieces

/// The code point that is not a Unicode scalar value (a surrogate, or past U+10FFFF), at this
/// index of the code points given.
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
    // SAFETY: only whole UTF-8 sequences are appended: ASCII bytes and `encode`'s.
    let bytes = unsafe { out.as_mut_vec() };
    let mut blocks = code_points.chunks_exact(16);
    for (i, block) in blocks.by_ref().enumerate() {
        // Room for sixteen characters of four bytes.
        bytes.reserve(64);
        let ascii = push_ascii_prefix(bytes, block.try_into().expect("sixteen"));
        for (j, &c) in block.iter().enumerate().skip(ascii) {
            encode(bytes, c).ok_or(NotAChar(16 * i + j))?;
        }
    }
    let done = code_points.len() - blocks.remainder().len();
    for (j, &c) in blocks.remainder().iter().enumerate() {
        bytes.reserve(4);
        encode(bytes, c).ok_or(NotAChar(done + j))?;
    }
    Ok(())
}

/// Append `c` as UTF-8 (room for four bytes is there); None when it is not a character.
#[inline]
fn encode(bytes: &mut Vec<u8>, c: u32) -> Option<()> {
    let c = char::from_u32(c)?;
    let mut utf8 = [0; 4];
    let len = c.encode_utf8(&mut utf8).len();
    debug_assert!(bytes.capacity() - bytes.len() >= 4);
    // SAFETY: the caller reserved room for four bytes past the end.
    unsafe {
        let end = bytes.as_mut_ptr().add(bytes.len());
        std::ptr::copy_nonoverlapping(utf8.as_ptr(), end, 4);
        bytes.set_len(bytes.len() + len);
    }
    Some(())
}

/// Append the leading ASCII code points of `block` as bytes (room for sixteen is there) and
/// say how many there were.
#[inline]
fn push_ascii_prefix(bytes: &mut Vec<u8>, block: &[u32; 16]) -> usize {
    let (packed, ascii) = ascii_prefix(block);
    debug_assert!(bytes.capacity() - bytes.len() >= 16);
    // SAFETY: the caller reserved room for sixteen bytes past the end; `ascii` <= 16 of them
    // are ASCII, the rest is overwritten or past the length.
    unsafe {
        let end = bytes.as_mut_ptr().add(bytes.len());
        std::ptr::copy_nonoverlapping(packed.as_ptr(), end, 16);
        bytes.set_len(bytes.len() + ascii);
    }
    ascii
}

/// Sixteen code points packed into bytes (those that are not ASCII come out as anything), and
/// how many of them lead that are ASCII (SSE2: four compares, two saturating packs).
#[cfg(target_arch = "x86_64")]
#[inline]
fn ascii_prefix(block: &[u32; 16]) -> ([u8; 16], usize) {
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
        (packed, mask.trailing_ones().min(16) as usize)
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn ascii_prefix(block: &[u32; 16]) -> ([u8; 16], usize) {
    let ascii = block.iter().take_while(|&&c| c < 0x80).count();
    (block.map(|c| c as u8), ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mix_of_ascii_and_wider_characters_comes_out_as_std_makes_it() {
        let pieces = [
            "a", " ", "é", "’", "Ж", "😀", "\u{7f}", "\u{80}", "\u{7ff}", "\u{800}",
        ];
        let mut state = 12345u64;
        for case in 0..3000 {
            let len = case % 70;
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
            let code_points: Vec<u32> = text.chars().map(u32::from).collect();
            let mut out = String::from("so far: ");
            push_utf8(&mut out, &code_points).unwrap();
            assert_eq!(out, format!("so far: {text}"));
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
            }
        }
    }
}
