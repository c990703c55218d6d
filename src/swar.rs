//! Eight bytes at a time in a `u64` ("SIMD within a register"): the byte masks that the
//! folding's run scanning (`normalize`) and the word-end search (`matcher::word_starts`)
//! share. Each mask sets the high bit of every byte that passes its test, exactly: no sum
//! carries from one byte into the next.

/// `0x01` in every byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte.
pub(crate) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
/// The seven low bits of every byte.
pub(crate) const LOW_BITS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The eight bytes at `at`, little-endian (byte `at` in the lowest bits).
#[inline]
pub(crate) fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The high bit of each byte of `x` that equals `b` (exact: no carries between bytes).
#[inline]
pub(crate) fn bytes_equal(x: u64, b: u8) -> u64 {
    let y = x ^ (u64::from(b) * ONES);
    !(((y & LOW_BITS) + LOW_BITS) | y) & HIGH_BITS
}

/// The high bit of each ASCII byte of `x` below 0x20 (controls, tab, newline...).
#[inline]
pub(crate) fn below_space(x: u64) -> u64 {
    !(((x & LOW_BITS) + 0x6060_6060_6060_6060) | x) & HIGH_BITS
}

/// The high bit of each byte of `x` that is ASCII and strictly between `m` and `n`
/// (0 <= m <= 127, n <= 128): exact per byte, as no sum carries into the next byte.
#[inline(always)]
pub(crate) const fn bytes_between(x: u64, m: u8, n: u8) -> u64 {
    let low = x & LOW_BITS;
    (ONES * (127 + n as u64) - low) & !x & (low + ONES * (127 - m as u64)) & HIGH_BITS
}

/// The high bit of each byte of `x` that is not `[A-Za-z0-9]` (non-ASCII bytes included).
#[inline(always)]
pub(crate) const fn not_ascii_alphanumeric(x: u64) -> u64 {
    let alnum = bytes_between(x, b'0' - 1, b'9' + 1)
        | bytes_between(x, b'A' - 1, b'Z' + 1)
        | bytes_between(x, b'a' - 1, b'z' + 1);
    !alnum & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
