//! Byte offsets of the few code-point offsets (Python `str` indices) that the rules reading a
//! document's text look at: found in one walk that counts the first bytes of characters a
//! block at a time, or none where the text is known to be ASCII (then the two are equal).

/// Byte offsets of sorted code-point offsets, in buffers a worker reuses.
#[derive(Default)]
pub(super) struct ByteOffsets {
    ascii: bool,
    chars: Vec<u64>,
    bytes: Vec<usize>,
}

impl ByteOffsets {
    /// Start again for `text`; then `want` each offset to convert and call [`Self::walk`].
    pub fn reset(&mut self, ascii: bool) {
        self.ascii = ascii;
        self.chars.clear();
        self.bytes.clear();
    }

    /// Ask for the byte offset of code point `char_offset`.
    pub fn want(&mut self, char_offset: u64) {
        if !self.ascii {
            self.chars.push(char_offset);
        }
    }

    /// Find the offsets asked for, in one walk over `text` up to the last of them.
    pub fn walk(&mut self, text: &str) {
        if self.ascii {
            debug_assert!(text.is_ascii());
            return;
        }
        self.chars.sort_unstable();
        self.chars.dedup();
        let (mut at_char, mut at_byte) = (0u64, 0usize);
        for &target in &self.chars {
            at_byte = skip_chars(text.as_bytes(), at_byte, (target - at_char) as usize);
            at_char = target;
            self.bytes.push(at_byte);
        }
    }

    /// The byte offset of `char_offset`, one asked for before the walk.
    pub fn of(&self, char_offset: u64) -> usize {
        if self.ascii {
            return char_offset as usize;
        }
        self.bytes[self
            .chars
            .binary_search(&char_offset)
            .expect("offsets of the mentions")]
    }
}

/// The byte offset `n` characters after `from` (a character boundary) in UTF-8 `bytes`, or
/// their end.
fn skip_chars(bytes: &[u8], from: usize, n: usize) -> usize {
    const BLOCK: usize = 32;
    let is_first = |b: u8| (b as i8) >= -0x40;
    let (mut at, mut left) = (from, n);
    while left > 0 && at < bytes.len() {
        if let Some(block) = bytes.get(at..at + BLOCK) {
            let firsts: usize = block.iter().map(|&b| usize::from(is_first(b))).sum();
            if firsts <= left {
                at += BLOCK;
                left -= firsts;
                continue;
            }
        }
        if is_first(bytes[at]) {
            left -= 1;
        }
        at += 1;
    }
    // Past the last character counted: on to the first byte of the next one.
    while at < bytes.len() && !is_first(bytes[at]) {
        at += 1;
    }
    at.min(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipping_characters_lands_where_char_indices_does() {
        let text = "a’b ".repeat(20) + "Тбілісі, Грузія — ça 😀 va ".repeat(5).as_str();
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for (from_char, &from) in starts.iter().enumerate() {
            for n in [0, 1, 2, 5, 31, 32, 33, 100, 1000] {
                let expected = starts.get(from_char + n).copied().unwrap_or(text.len());
                assert_eq!(
                    skip_chars(text.as_bytes(), from, n),
                    expected,
                    "{from} + {n}"
                );
            }
        }
    }

    #[test]
    fn offsets_asked_for_in_any_order_are_found() {
        let text = "Über Paris, Texas — ça va";
        let mut offsets = ByteOffsets::default();
        offsets.reset(false);
        for c in [11, 5, 0, 25, 5] {
            offsets.want(c);
        }
        offsets.walk(text);
        let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(i, _)| i);
        for c in [0, 5, 11, 25] {
            assert_eq!(offsets.of(c as u64), byte(c));
        }
    }
}
