//! Character classes used by normalisation and the whole-word rule (docs/matching.md §1–2).
//!
//! All tables come from crates (`unicode-general-category`, std `char`), never typed by hand;
//! only the short lists of quotes, ignorables and accent blocks are ours, because they are policy.

use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// A letter, mark or number: the characters a whole-word match may not be glued to.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
            | Gc::NonspacingMark
            | Gc::SpacingMark
            | Gc::EnclosingMark
            | Gc::DecimalNumber
            | Gc::LetterNumber
            | Gc::OtherNumber
    )
}

/// Any dash or hyphen (General Category `Pd`) and the minus sign.
#[inline]
pub fn is_dash(c: char) -> bool {
    if c.is_ascii() {
        return c == '-';
    }
    c == '\u{2212}' || get_general_category(c) == Gc::DashPunctuation
}

/// Invisible characters that scraped text is full of and that must not break a word.
#[inline]
pub fn is_ignorable(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Typographic quotes folded to their ASCII form.
#[inline]
pub fn straight_quote(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => Some('"'),
        _ => None,
    }
}

/// Combining marks that accent folding removes: the diacritic blocks only, so the vowel signs
/// of Indic scripts or Arabic harakat (also marks) are never stripped.
#[inline]
pub fn is_accent_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_chars_are_letters_marks_and_numbers() {
        assert!(crate::chars::is_word_char('é'));
        assert!(crate::chars::is_word_char('7'));
        assert!(!crate::chars::is_word_char('’'));
    }

    #[test]
    fn classes() {
        for c in ['a', 'Z', 'é', 'Ж', 'σ', '中', '٣', '\u{0301}', 'ा'] {
            assert!(is_word_char(c), "{c:?} is a word char");
        }
        for c in [' ', '-', '.', '\'', '’', '😀', '_', '$'] {
            assert!(!is_word_char(c), "{c:?} is not a word char");
        }
        for c in ['-', '‐', '‑', '–', '—', '―', '−'] {
            assert!(is_dash(c), "{c:?} is a dash");
        }
        assert!(!is_dash('_'));
        assert_eq!(straight_quote('’'), Some('\''));
        assert_eq!(straight_quote('“'), Some('"'));
        assert!(is_accent_mark('\u{0301}'));
        assert!(!is_accent_mark('ा'));
    }
}
