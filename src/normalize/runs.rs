//! Runs of plain ASCII: the bytes that fold one to one (to themselves, or their lower case),
//! found and copied sixteen bytes at a time with SSE2 on x86-64 (sixty-four past the first
//! sixteen where the processor has AVX-512 BW) and eight at a time elsewhere. Most text is long
//! runs of these, so this is where folding spends its time.

use crate::swar::{below_space, bytes_equal, word_at, HIGH_BITS};

/// ASCII that folds to itself (or its lower case): not whitespace, not a dash.
#[inline]
pub(super) fn is_plain_ascii(b: u8) -> bool {
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
pub(super) fn copy_plain_run(out: &mut String, rest: &str, case_fold: bool) -> usize {
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
/// one pass over each chunk, with one loop exit to mispredict instead of two. Whole chunks are
/// stored, into capacity reserved past the run that the string's length then leaves out.
/// Returns where the chunks stopped (the first byte that may end the run, as for
/// `stops_in_16`) and `true`, or the bytes copied and `false` when fewer than sixteen are left
/// (a multiple of sixteen, at least sixteen). Past the first chunk, a processor with AVX-512
/// BW takes sixty-four bytes a chunk while they last (`copy_plain_chunks_64`, the same test).
///
/// # Safety
///
/// The processor must have SSE2 (every x86-64 one does). `bytes` must hold 16 bytes or more,
/// and its first byte must be in the run (plain ASCII, or a space that opens no run of
/// whitespace): the copy keeps it without looking, and `out` stays UTF-8 only because every
/// byte it keeps is ASCII.
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
            if j == 16 && bytes.len() >= 16 + 64 && wide_chunks_here() {
                // The processor has AVX-512 BW; `dst` holds `bytes.len()` bytes; byte 15 is
                // in the run.
                let (at, stopped) = copy_plain_chunks_64::<LOWER>(bytes, dst, j);
                j = at;
                if stopped {
                    out.as_mut_vec().set_len(start + j);
                    return (j, true);
                }
            }
        }
        out.as_mut_vec().set_len(start + j);
        (j, false)
    }
}

/// Whether the processor has what `copy_plain_chunks_64` needs (AVX-512 BW).
#[cfg(target_arch = "x86_64")]
#[inline]
fn wide_chunks_here() -> bool {
    std::arch::is_x86_feature_detected!("avx512bw")
}

/// The loop of [`copy_plain_chunks_16`] sixty-four bytes at a time, from `j` (at least 1) while
/// a whole chunk is left: returns where it stopped and `true` (the first byte that may end the
/// run), or where the chunks ran out and `false`. Every chunk read is stored (folded) at the
/// same offset of `dst`.
///
/// # Safety
///
/// The processor must have AVX-512 BW; `dst` must be valid for writes of `bytes.len()` bytes;
/// `j >= 1`, and the bytes before `j` are in the run.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn copy_plain_chunks_64<const LOWER: bool>(
    bytes: &[u8],
    dst: *mut u8,
    mut j: usize,
) -> (usize, bool) {
    use std::arch::x86_64::{
        _mm512_cmpeq_epi8_mask, _mm512_cmplt_epi8_mask, _mm512_cmplt_epu8_mask, _mm512_loadu_si512,
        _mm512_mask_blend_epi8, _mm512_or_si512, _mm512_set1_epi8, _mm512_storeu_si512,
        _mm512_sub_epi8,
    };
    let space = _mm512_set1_epi8(b' ' as i8);
    let dash = _mm512_set1_epi8(b'-' as i8);
    let upper_a = _mm512_set1_epi8(b'A' as i8);
    let letters = _mm512_set1_epi8(26);
    let case_bit = _mm512_set1_epi8(0x20);
    let src = bytes.as_ptr();
    // SAFETY (whole block): a chunk at `j` is read only while `j + 64` is within `bytes`, the
    // bytes before it from `j - 1 >= 0`; each store goes to the same 64 bytes of `dst`.
    unsafe {
        while j + 64 <= bytes.len() {
            let chunk = _mm512_loadu_si512(src.add(j).cast());
            let before = _mm512_loadu_si512(src.add(j - 1).cast());
            // Below a space (signed: non-ASCII too), a dash, or a space after a space.
            let stop = _mm512_cmplt_epi8_mask(chunk, space)
                | _mm512_cmpeq_epi8_mask(chunk, dash)
                | (_mm512_cmpeq_epi8_mask(chunk, space) & _mm512_cmpeq_epi8_mask(before, space));
            let folded = if LOWER {
                let upper = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(chunk, upper_a), letters);
                _mm512_mask_blend_epi8(upper, chunk, _mm512_or_si512(chunk, case_bit))
            } else {
                chunk
            };
            _mm512_storeu_si512(dst.add(j).cast(), folded);
            if stop != 0 {
                return (j + stop.trailing_zeros() as usize, true);
            }
            j += 64;
        }
    }
    (j, false)
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
/// tail. The last chunk may copy bytes past `len`, into spare capacity that the string's
/// length then leaves out.
///
/// # Safety
///
/// The processor must have SSE2 (every x86-64 one does). `bytes` must hold 16 bytes or more,
/// `len <= bytes.len()`, and `bytes[..len]` must be ASCII, so that `out` stays UTF-8.
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

/// The bytes Rust and Unicode call ASCII whitespace, vertical tab included.
pub(super) fn is_ascii_white_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
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
        // around the eight-, sixteen- and sixty-four-byte chunks, ended by each kind of stop or
        // by the end of the text. Half the texts have odd bytes and double spaces rare, so that
        // runs go on for several chunks of sixty-four.
        let dense = ["a", "Z", " ", ".", "Q"];
        let sparse = [
            "a", "Z", ".", "Q", "b", "Y", "7", "k", "m", "P", "q", "x", "o", "e", "W", " ",
        ];
        let odd = [" ", "-", "\n", "\t", "\u{1}", "\u{7F}", "é"];
        let mut state = 3u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
            (state >> 33) as usize
        };
        for _ in 0..20_000 {
            let len = 1 + next() % 400;
            let (plain, odd_every) = if next() % 2 == 0 {
                (&dense[..], 20)
            } else {
                (&sparse[..], 300)
            };
            let mut text = String::from(if next() % 2 == 0 { "A" } else { " " });
            for _ in 1..len {
                let r = next();
                text.push_str(if r % odd_every == 0 {
                    odd[r / odd_every % odd.len()]
                } else {
                    plain[r / odd_every % plain.len()]
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
}
