//! A filter of the first words of the patterns, for the walks from word starts
//! (`word_starts`). With whole words a pattern that begins with a letter or digit can only
//! match where the text's word at that start *is* the pattern's first word (or, for a prefix
//! entry of one word such as `invad*`, begins with it). Most words of a text begin no pattern,
//! yet a walk into a large trie waits on a cache miss or two before it dies; one probe of a
//! small Bloom filter, which stays in the L2 cache even for a million aliases, rejects most
//! of them without touching the trie. The filter never rejects a word that begins a pattern,
//! so the walks that remain find exactly what they found before.

use super::word_starts::word_end;

/// Bits of the filter per distinct first word: about 5% false positives with two bits set
/// in one 64-bit word per key (a blocked Bloom filter: one cache line per probe).
const BITS_PER_KEY: usize = 8;

/// The first words of a set of patterns (each pattern's leading run of word characters).
#[derive(Clone, Debug)]
pub(super) struct FirstWords {
    blocks: Box<[u64]>,
    /// `blocks.len() - 1`; the length is a power of two.
    mask: u64,
    /// Byte lengths of the one-word prefix-entry stems: a text word may begin with one.
    stem_lengths: Vec<usize>,
    /// The first two bytes of each stem (any second byte for a stem of one byte), a bit each
    /// of 65,536: eight kilobytes that answer most words without a hash (`may_begin_in`).
    heads: Box<[u64]>,
    /// The stems' first two bytes (the second `None` for a stem of one byte), when they are
    /// few and the processor has AVX-512BW: then a window's bytes are asked all at once
    /// (`heads_in`).
    head_pairs: Option<Box<[HeadPair]>>,
}

impl FirstWords {
    /// The filter of `patterns`; `stem[i]` says whether pattern `i` is the stem of a prefix
    /// entry (it matches the start of a longer word). Patterns that begin with something
    /// other than a word character are not its business: they never start at a word start.
    pub(super) fn new(patterns: &[String], stem: &[bool]) -> Self {
        let mut keys: Vec<u64> = Vec::with_capacity(patterns.len());
        // The stems of one word: a text word may begin with one.
        let mut one_word_stems: Vec<&[u8]> = Vec::new();
        for (pattern, &stem) in patterns.iter().zip(stem) {
            let first_word = word_end(pattern, 0);
            if first_word == 0 {
                continue;
            }
            if stem && first_word == pattern.len() {
                one_word_stems.push(pattern.as_bytes());
            }
            keys.push(hash_word(&pattern.as_bytes()[..first_word]));
        }
        let mut filter = Self::of_hashes(keys);
        if !one_word_stems.is_empty() {
            let mut heads = vec![0u64; HEADS / 64];
            for bytes in &one_word_stems {
                let seconds = match bytes.get(1) {
                    Some(&second) => second..=second,
                    None => 0..=u8::MAX,
                };
                for second in seconds {
                    let head = head_of(bytes[0], second);
                    heads[head / 64] |= 1 << (head % 64);
                }
            }
            filter.heads = heads.into_boxed_slice();
            let mut pairs: Vec<HeadPair> = one_word_stems
                .iter()
                .map(|b| (b[0], b.get(1).copied()))
                .collect();
            pairs.sort_unstable();
            pairs.dedup();
            filter.head_pairs =
                (pairs.len() <= MAX_HEAD_PAIRS && has_avx512bw()).then(|| pairs.into_boxed_slice());
        }
        let mut stem_lengths: Vec<usize> = one_word_stems.iter().map(|b| b.len()).collect();
        stem_lengths.sort_unstable();
        stem_lengths.dedup();
        filter.stem_lengths = stem_lengths;
        filter
    }

    /// A filter of the given `hash_word`s, with no stems.
    fn of_hashes(mut keys: Vec<u64>) -> Self {
        keys.sort_unstable();
        keys.dedup();
        let blocks_len = (keys.len() * BITS_PER_KEY / 64).max(1).next_power_of_two();
        let mut filter = Self {
            blocks: vec![0; blocks_len].into_boxed_slice(),
            mask: blocks_len as u64 - 1,
            stem_lengths: Vec::new(),
            heads: Box::default(),
            head_pairs: None,
        };
        for key in keys {
            let (block, bits) = filter.slot(key);
            filter.blocks[block] |= bits;
        }
        filter
    }

    #[inline(always)]
    fn slot(&self, key: u64) -> (usize, u64) {
        let block = ((key >> 32) & self.mask) as usize;
        let bits = (1 << (key & 63)) | (1 << ((key >> 6) & 63));
        (block, bits)
    }

    /// Whether `key` (a `hash_word`) may be one of the filter's. False only when it is not.
    #[inline(always)]
    pub(super) fn contains_hash(&self, key: u64) -> bool {
        let (block, bits) = self.slot(key);
        self.blocks[block] & bits == bits
    }

    /// Whether some pattern may start with the text word `word` (a whole run of word
    /// characters). False only when none does.
    #[cfg(test)]
    pub(super) fn may_begin(&self, word: &str) -> bool {
        self.may_begin_hashed(word, hash_word(word.as_bytes()))
    }

    /// Whether the text word `bytes[start..end]` (ASCII, with `hash_word` `hash`) may begin
    /// with one of the stems and go on past it; false only when it does not. For the word
    /// loop: it first asks, without a branch, whether the word is longer than the shortest
    /// stem and its first two bytes are a stem's, so most words need no hash of a prefix
    /// (and a long word is too common for a guess at the length to pay).
    #[inline(always)]
    pub(super) fn may_begin_in(
        &self,
        bytes: &[u8],
        (start, end): (usize, usize),
        hash: u64,
    ) -> bool {
        let Some(&shortest) = self.stem_lengths.first() else {
            return false;
        };
        let head = head_of(bytes[start], bytes.get(start + 1).copied().unwrap_or(0));
        let head_is_a_stems = self.heads[head / 64] >> (head % 64) & 1 != 0;
        if (end - start > shortest) & head_is_a_stems {
            let word = std::str::from_utf8(&bytes[start..end]).expect("a word of ASCII bytes");
            return self.may_begin_hashed(word, hash);
        }
        false
    }

    /// Bit `i`: byte `i` of `chunk` and the byte after it may be the first two bytes of a
    /// stem (the last byte's: whenever it may be a stem's first); `u64::MAX` where the
    /// processor cannot say all at once. Asked once a window by the word loop, so that most
    /// words need no question of their own.
    #[inline]
    pub(super) fn heads_in(&self, chunk: &[u8; 64]) -> u64 {
        #[cfg(target_arch = "x86_64")]
        if let Some(pairs) = &self.head_pairs {
            // SAFETY: `head_pairs` is only set where the processor has AVX-512BW.
            return unsafe { heads_in_avx512(pairs, chunk) };
        }
        let _ = chunk;
        u64::MAX
    }

    /// `may_begin` of a word whose `hash_word` the caller has already.
    #[inline]
    pub(super) fn may_begin_hashed(&self, word: &str, hash: u64) -> bool {
        if self.contains_hash(hash) {
            return true;
        }
        self.stem_lengths.iter().any(|&len| {
            len < word.len()
                && word.is_char_boundary(len)
                && self.contains_hash(hash_word(&word.as_bytes()[..len]))
        })
    }
}

/// A stem's first byte and its second (`None` for a stem of one byte).
type HeadPair = (u8, Option<u8>);

/// Up to this many stems' first two bytes, a window asks them all at once (`heads_in`).
const MAX_HEAD_PAIRS: usize = 8;

/// Whether the processor has AVX-512BW (compares of 64 bytes into a mask).
fn has_avx512bw() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx512bw");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// `FirstWords::heads_in` with AVX-512BW: two compares of the 64 bytes a stem.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512bw")]
unsafe fn heads_in_avx512(pairs: &[HeadPair], chunk: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{_mm512_cmpeq_epi8_mask, _mm512_loadu_si512, _mm512_set1_epi8};
    // SAFETY: the load reads the 64 bytes of `chunk`.
    let bytes = unsafe { _mm512_loadu_si512(chunk.as_ptr().cast()) };
    let mut found = 0;
    for &(first, second) in pairs {
        let firsts = _mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8(first as i8));
        let seconds = match second {
            // The byte after the last is not in the window: it may be any.
            Some(second) => {
                _mm512_cmpeq_epi8_mask(bytes, _mm512_set1_epi8(second as i8)) >> 1 | 1 << 63
            }
            None => u64::MAX,
        };
        found |= firsts & seconds;
    }
    found
}

/// How many first two bytes `FirstWords::heads` tells apart.
const HEADS: usize = 1 << 16;

/// The index of a word's first two bytes in `FirstWords::heads`.
#[inline(always)]
fn head_of(first: u8, second: u8) -> usize {
    usize::from(first) | usize::from(second) << 8
}

/// The multiplier of `hash_word`'s mixing step.
const HASH_K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline(always)]
fn hash_mix(h: u64, chunk: u64) -> u64 {
    (h ^ chunk).wrapping_mul(HASH_K).rotate_left(31)
}

/// The multiplier of `hash_finish`.
const FINISH_K: u64 = 0xBF58_476D_1CE4_E5B9;

#[inline(always)]
fn hash_finish(mut h: u64) -> u64 {
    h ^= h >> 29;
    h = h.wrapping_mul(FINISH_K);
    h ^ (h >> 32)
}

/// A 64-bit hash of a short byte string, eight bytes at a time. A string of eight bytes or
/// fewer is hashed as its bytes read as one little-endian number (`hash_short`).
#[inline]
pub(super) fn hash_word(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    if n <= 8 {
        return hash_short(short_number(bytes), n);
    }
    let mut h = n as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        h = hash_mix(
            h,
            u64::from_le_bytes(chunk.try_into().expect("eight bytes")),
        );
    }
    if !chunks.remainder().is_empty() {
        // The last eight bytes, overlapping the chunk before (the length is in the hash).
        let last: [u8; 8] = bytes[n - 8..].try_into().expect("eight bytes");
        h = hash_mix(h, u64::from_le_bytes(last));
    }
    hash_finish(h)
}

/// The bytes of a string of at most eight bytes as one little-endian number (zero above them),
/// from two loads that may overlap rather than a copy byte by byte.
#[inline(always)]
pub(super) fn short_number(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let read4 = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4")));
    let read2 = |at: usize| u64::from(u16::from_le_bytes(bytes[at..at + 2].try_into().expect("2")));
    match n {
        4..=8 => read4(0) | read4(n - 4) << (8 * (n - 4)),
        2 | 3 => read2(0) | read2(n - 2) << (8 * (n - 2)),
        1 => u64::from(bytes[0]),
        _ => 0,
    }
}

/// `hash_word` of a string of `len` bytes (at most eight) given as the little-endian number
/// `bytes` of those bytes (zero above them): a text word read with one load and masked.
#[inline(always)]
pub(super) fn hash_short(bytes: u64, len: usize) -> u64 {
    hash_finish(hash_mix(len as u64, bytes))
}

/// `hash_word` of eight words at once, each of 1 to 16 bytes (other lanes: any value), for the
/// word loop's batch (`places`): `first` the eight bytes from each word's start, `last` the
/// eight bytes that end where it ends (lanes of 64 bits, each read as a little-endian number),
/// `len` the words' lengths. A word of up to eight bytes is its first bytes alone
/// (`hash_short`); a longer one mixes its first eight and its last eight, as `hash_word` does.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
#[inline]
pub(super) fn hash_word_x8(
    first: std::arch::x86_64::__m512i,
    last: std::arch::x86_64::__m512i,
    len: std::arch::x86_64::__m512i,
) -> std::arch::x86_64::__m512i {
    use std::arch::x86_64::{
        __m512i, _mm512_and_si512, _mm512_cmpgt_epu64_mask, _mm512_mask_blend_epi64,
        _mm512_max_epi64, _mm512_mullo_epi64, _mm512_rol_epi64, _mm512_set1_epi64,
        _mm512_setzero_si512, _mm512_slli_epi64, _mm512_srli_epi64, _mm512_srlv_epi64,
        _mm512_sub_epi64, _mm512_xor_si512,
    };
    let mix = |h: __m512i, chunk: __m512i| {
        _mm512_rol_epi64::<31>(_mm512_mullo_epi64(
            _mm512_xor_si512(h, chunk),
            _mm512_set1_epi64(HASH_K as i64),
        ))
    };
    // The first eight bytes, of a short word only its own: the bytes past it dropped.
    let dropped = _mm512_max_epi64(
        _mm512_sub_epi64(_mm512_set1_epi64(64), _mm512_slli_epi64::<3>(len)),
        _mm512_setzero_si512(),
    );
    let first = _mm512_and_si512(first, _mm512_srlv_epi64(_mm512_set1_epi64(-1), dropped));
    let once = mix(len, first);
    let longer = _mm512_cmpgt_epu64_mask(len, _mm512_set1_epi64(8));
    let h = _mm512_mask_blend_epi64(longer, once, mix(once, last));
    // `hash_finish`
    let h = _mm512_xor_si512(h, _mm512_srli_epi64::<29>(h));
    let h = _mm512_mullo_epi64(h, _mm512_set1_epi64(FINISH_K as i64));
    _mm512_xor_si512(h, _mm512_srli_epi64::<32>(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_words_and_stems_pass_and_most_others_do_not() {
        let patterns: Vec<String> = ["new york", "paris", "invad", "(old) town", "u.s."]
            .map(String::from)
            .to_vec();
        let filter = FirstWords::new(&patterns, &[false, false, true, false, false]);
        for word in ["new", "paris", "invad", "invaders", "u"] {
            assert!(filter.may_begin(word), "{word}");
        }
        let others: Vec<String> = (0..1000).map(|i| format!("w{i}")).collect();
        for word in [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdef",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmnopq",
        ] {
            let bytes = word.as_bytes();
            if bytes.len() <= 8 {
                let mut padded = [0u8; 8];
                padded[..bytes.len()].copy_from_slice(bytes);
                let number = u64::from_le_bytes(padded);
                assert_eq!(hash_word(bytes), hash_short(number, bytes.len()), "{word}");
            }
        }
        let passed = others.iter().filter(|w| filter.may_begin(w)).count();
        assert!(passed < 100, "{passed} of 1000 unrelated words passed");
    }

    /// A window's answer (`heads_in`) holds every byte where a stem begins, also one cut by
    /// the window's end, on random windows of a few letters; where the processor can say, it
    /// holds few others.
    #[test]
    fn a_windows_heads_hold_every_stem_start() {
        let stems = ["ab", "c", "bca"];
        let patterns: Vec<String> = stems.iter().map(|s| s.to_string()).collect();
        let filter = FirstWords::new(&patterns, &[true; 3]);
        let mut random = crate::matcher::tests::Lcg(5);
        let mut others = 0;
        for _ in 0..2_000 {
            let chunk: [u8; 64] = std::array::from_fn(|_| b"abcx"[random.below(4)]);
            let heads = filter.heads_in(&chunk);
            for i in 0..64 {
                let begins = stems.iter().any(|stem| {
                    let n = stem.len().min(64 - i).min(2);
                    chunk[i..i + n] == stem.as_bytes()[..n]
                });
                if begins {
                    assert!(
                        heads >> i & 1 == 1,
                        "byte {i} of {:?}",
                        String::from_utf8_lossy(&chunk)
                    );
                }
                others += usize::from(!begins && heads >> i & 1 == 1);
            }
        }
        if filter.head_pairs.is_some() {
            assert_eq!(others, 0, "bytes that begin no stem's first two bytes");
        }
    }

    /// The word loop's question (`may_begin_in`, which asks the first two bytes and the length
    /// first) passes every word that begins with a stem and goes on past it, and otherwise
    /// answers as `may_begin_hashed` does or says no: checked on words made of a few letters
    /// so that many begin with a stem, stems of one to four bytes among them.
    #[test]
    fn the_word_loops_question_passes_every_word_that_begins_with_a_stem() {
        let stems = ["a", "ba", "cab", "abca", "x"];
        let patterns: Vec<String> = stems.iter().map(|s| s.to_string()).collect();
        let filter = FirstWords::new(&patterns, &[true; 5]);
        let mut random = crate::matcher::tests::Lcg(7);
        for _ in 0..20_000 {
            let len = 1 + random.below(7);
            let word: String = (0..len)
                .map(|_| ["a", "b", "c", "x"][random.below(4)])
                .collect();
            let text = format!("{word} ");
            let hash = hash_word(word.as_bytes());
            let asked = filter.may_begin_in(text.as_bytes(), (0, len), hash);
            let begins = stems.iter().any(|s| s.len() < len && word.starts_with(s));
            if begins {
                assert!(asked, "{word}");
            }
            if asked {
                assert!(filter.may_begin_hashed(&word, hash), "{word}");
            }
        }
    }
}
