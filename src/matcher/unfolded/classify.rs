//! **Which documents** may be searched unfolded: those whose characters are ASCII,
//! typographic quotes and dashes of U+2010–U+201F and U+2032–U+2033 (three bytes,
//! `E2 80 xx`), or other characters that fold to themselves and are neither letters, marks,
//! numbers, whitespace nor ignorable (`…`, `•`, `€`): [`classify`] tells, from one look at
//! the non-ASCII characters. Everything else (`é`, a no-break space, a soft hyphen) is folded
//! as before. What a typographic character folds to ([`Third`], read from its third byte) is
//! also what the lockstep table (`super::folding_table`) does with it.

use crate::chars::{is_dash, is_ignorable, is_word_char, straight_quote};
use crate::normalize::{fold_with_offsets, CodePoints, FoldOptions};

/// How a document can be searched.
#[derive(Debug)]
pub(in crate::matcher) enum Unfoldable {
    /// All ASCII: offsets are code points.
    Ascii,
    /// Searchable unfolded, with these multi-byte characters.
    Typographic(CodePoints),
    /// To be folded.
    No,
}

/// Whether `text` can be searched unfolded for a pass that folds with `fold`.
pub(in crate::matcher) fn classify(text: &str, fold: FoldOptions) -> Unfoldable {
    let bytes = text.as_bytes();
    let Some(mut at) = next_non_ascii(bytes, 0) else {
        return Unfoldable::Ascii;
    };
    let mut code_points = CodePoints::default();
    loop {
        let c = text[at..].chars().next().expect("a character starts here");
        let len = c.len_utf8();
        let typographic = len == 3
            && bytes[at] == 0xE2
            && bytes[at + 1] == 0x80
            && third_byte_role(bytes[at + 2]) != Third::Itself;
        if !typographic && !folds_to_itself_between_words(c, fold) {
            return Unfoldable::No;
        }
        code_points.record(at + len, len);
        match next_non_ascii(bytes, at + len) {
            Some(next) => at = next,
            None => return Unfoldable::Typographic(code_points),
        }
    }
}

/// A character that folding leaves as it is and that the search may treat as bytes of no
/// pattern: not a word character (no dash turns into a space next to it), not whitespace,
/// not ignorable, not a dash or quote.
fn folds_to_itself_between_words(c: char, fold: FoldOptions) -> bool {
    if is_word_char(c) || c.is_whitespace() || is_ignorable(c) || is_dash(c) {
        return false;
    }
    if straight_quote(c).is_some() {
        return false;
    }
    let mut own = [0u8; 4];
    let own = c.encode_utf8(&mut own);
    fold_with_offsets(own, fold).text() == own
}

/// The first byte at or after `from` that is not ASCII.
#[inline]
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    const HIGH: u128 = u128::from_ne_bytes([0x80; 16]);
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 16) {
        let chunk = u128::from_le_bytes(chunk.try_into().expect("sixteen bytes"));
        let high = chunk & HIGH;
        if high != 0 {
            return Some(at + (high.trailing_zeros() / 8) as usize);
        }
        at += 16;
    }
    bytes[at.min(bytes.len())..]
        .iter()
        .position(|&b| b >= 0x80)
        .map(|p| at + p)
}

/// What the character `E2 80 byte` (U+2000 to U+203F) folds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Third {
    Apostrophe,
    Quote,
    Dash,
    /// Itself (or, in documents [`classify`] refuses, something else).
    Itself,
}

pub(super) fn third_byte_role(byte: u8) -> Third {
    let Some(c) = (0x80..=0xBF)
        .contains(&byte)
        .then(|| char::from_u32(0x2000 + u32::from(byte & 0x3F)))
        .flatten()
    else {
        return Third::Itself;
    };
    match straight_quote(c) {
        Some('\'') => Third::Apostrophe,
        Some(_) => Third::Quote,
        None if is_dash(c) => Third::Dash,
        None => Third::Itself,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOLD_ALL: FoldOptions = FoldOptions {
        case_fold: true,
        accent_fold: true,
    };

    #[test]
    fn documents_are_classified_by_their_non_ascii_characters() {
        assert!(matches!(
            classify("NATO  said-", FOLD_ALL),
            Unfoldable::Ascii
        ));
        for text in ["Russia’s “war” — said… •", "a\u{2013}b", "x\u{2032}"] {
            assert!(
                matches!(classify(text, FOLD_ALL), Unfoldable::Typographic(_)),
                "{text:?}"
            );
        }
        for text in [
            "Émile",
            "a\u{a0}b",
            "a\u{2009}b",
            "soft\u{ad}hyphen",
            "a\u{2212}b",
            "Ж",
            "x\u{2028}y",
            "a\u{2ba}",
            "\u{200b}",
        ] {
            assert!(
                matches!(classify(text, FOLD_ALL), Unfoldable::No),
                "{text:?}"
            );
        }
    }
}
