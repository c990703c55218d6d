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

/// `c`, or the ASCII quote it folds to.
#[inline]
fn as_straight_quote(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    straight_quote(c).unwrap_or(c)
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

/// English endings that an apostrophe may start at a word's end ("Russia's", "can't").
const ENDINGS: [&str; 7] = ["s", "t", "ll", "re", "ve", "d", "m"];
/// Elided words that an apostrophe may end before a word ("l'Ukraine", "dell'Ucraina").
const ELISIONS: [&str; 14] = [
    "l", "d", "qu", "j", "n", "s", "c", "m", "t", "dell", "all", "nell", "sull", "dall",
];

/// Whether a word of folded `text` runs on across byte `at` from the left, when a word
/// character starts at `at`: the character before is a word character, or an apostrophe after
/// a word that is not an elision — an apostrophe between two word characters is inside the
/// word ("O'Brien", "бар'єр"), except after `l'`, `d'`, `dell'`, ... (docs/matching.md §4).
///
/// Typographic quotes count as the apostrophe they fold to, so that the text may also be an
/// original whose folding changes nothing else these checks see (`matcher::unfolded`).
pub fn glued_before(text: &str, at: usize) -> bool {
    let mut before = text[..at].chars().rev();
    match before.next().map(as_straight_quote) {
        Some('\'') => {
            // The word before the apostrophe, up to one character longer than any elision.
            let word: Vec<char> = before.take_while(|&c| is_word_char(c)).take(5).collect();
            let word: String = word.iter().rev().collect::<String>().to_lowercase();
            !word.is_empty() && !ELISIONS.contains(&word.as_str())
        }
        Some(c) => is_word_char(c),
        None => false,
    }
}

/// Whether a word of folded `text` runs on across byte `at` to the right, when a word
/// character ends just before `at`: the character at `at` is a word character, or an
/// apostrophe before a word that is not an English ending (`'s`, `'t`, `'ll`, `'re`, `'ve`,
/// `'d`, `'m`).
///
/// Typographic quotes count as the apostrophe they fold to, as in [`glued_before`].
pub fn glued_after(text: &str, at: usize) -> bool {
    let mut after = text[at..].chars();
    match after.next().map(as_straight_quote) {
        Some('\'') => {
            let word: String = after.take_while(|&c| is_word_char(c)).take(3).collect();
            let word = word.to_lowercase();
            !word.is_empty() && !ENDINGS.contains(&word.as_str())
        }
        Some(c) => is_word_char(c),
        None => false,
    }
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

    #[test]
    fn apostrophes_between_word_characters_are_inside_the_word() {
        assert!(glued_before("o'brien", 2) && glued_before("ab", 1));
        assert!(glued_before("бар'єр", "бар'".len()));
        assert!(!glued_before("l'ukraine", 2) && !glued_before("dell'ucraina", 5));
        assert!(!glued_before("qu'il", 3) && !glued_before("D'Europe", 2));
        assert!(!glued_before(" 'x", 2) && !glued_before("a b", 2) && !glued_before("x", 0));
        assert!(glued_after("lviv'iany", 4) && glued_after("ab", 1));
        assert!(glued_after("львів'яни", "львів".len()));
        assert!(!glued_after("russia's", 6) && !glued_after("russians' ", 8));
        assert!(!glued_after("a b", 1) && !glued_after("can'T!", 3) && !glued_after("x'", 1));
        assert!(glued_after("they'llx", 4) && !glued_after("they'll be", 4));
    }
}
