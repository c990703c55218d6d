//! The spans of matches found in an original searched unfolded.
//!
//! **Offsets.** The original's offsets are its byte offsets. A match ends at the original byte
//! that completed it; its start is found by walking back over its folded length, a run of
//! whitespace or a typographic character counting as one folded byte (only for patterns with a
//! space or a quote: other patterns take one byte per folded byte). The whole-word checks
//! read the original: a letter or digit is one there as in the folded text, whitespace and
//! dashes are not, and the typographic quotes count as the apostrophe they fold to
//! (`chars::glued_before`). Pieces are cut after the same punctuation bytes (`crate::matcher::split`), which
//! leave nothing pending.

/// An original text searched unfolded (`super::classify` said it may be).
pub(in crate::matcher) struct Unfolded<'a> {
    pub(in crate::matcher) text: &'a str,
}

#[inline]
fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

impl Unfolded<'_> {
    /// Where the span of `len` folded bytes that ends at byte `end` starts: a run of
    /// whitespace, and a typographic quote or dash (three bytes), are one folded byte.
    pub(in crate::matcher) fn start_before(&self, end: usize, len: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = end;
        for _ in 0..len {
            let b = bytes[at - 1];
            if is_white(b) {
                while at > 0 && is_white(bytes[at - 1]) {
                    at -= 1;
                }
            } else if b >= 0x80 {
                at -= 3;
            } else {
                at -= 1;
            }
        }
        at
    }

    /// Where the span of `len` folded bytes that starts at byte `start` ends.
    pub(in crate::matcher) fn end_after(&self, start: usize, len: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = start;
        for _ in 0..len {
            let b = bytes[at];
            if is_white(b) {
                while at < bytes.len() && is_white(bytes[at]) {
                    at += 1;
                }
            } else if b >= 0x80 {
                at += 3;
            } else {
                at += 1;
            }
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_walked_over_runs_and_typographic_characters() {
        let text = "x New \r\n\t York’s  “NATO”—Russia";
        let u = Unfolded { text };
        let end = text.find("York").unwrap() + 4;
        assert_eq!(u.start_before(end, "new york".len()), 2);
        assert_eq!(u.end_after(2, "new york".len()), end);
        let end = text.find("Russia").unwrap() + 6;
        let start = text.find('“').unwrap();
        assert_eq!(u.start_before(end, "\"nato\" russia".len()), start);
        assert_eq!(u.end_after(start, "\"nato\" russia".len()), end);
    }
}
