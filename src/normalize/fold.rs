//! The folding rules: what each character of a document or alias becomes (docs/matching.md
//! §2). Runs of plain ASCII go to `runs`; everything else is decided here one character at a
//! time, and recorded in the offset map (`offsets`).

use super::offsets::{Folded, Folder};
use super::runs::{is_ascii_white_space, is_plain_ascii};
use super::FoldOptions;
use crate::chars::{is_accent_mark, is_dash, is_ignorable, is_word_char, straight_quote};
use caseless::Caseless;
use unicode_normalization::char::decompose_canonical;

/// Fold a document, keeping the offset map. Texts must be shorter than 4 GiB (checked by callers).
pub fn fold_with_offsets(text: &str, opts: FoldOptions) -> Folded {
    let bytes = text.as_bytes();
    let mut f = Folder::with_capacity(text.len());
    let mut prev_is_word = false;
    let mut original_is_ascii = true;
    let mut run = WhiteRun::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_plain_ascii(b) || (b == b' ' && !ends_in_space(&f.out)) {
            let run = f.linear_run(text, i, opts.case_fold);
            prev_is_word = bytes[i + run - 1].is_ascii_alphanumeric();
            i += run;
            continue;
        }
        if b.is_ascii() {
            if is_ascii_white_space(b) {
                run.white(&mut f, text, i, 1);
                prev_is_word = false;
                i += 1;
                continue;
            }
            let c = if b == b'-' {
                if prev_is_word && next_is_word(text, i + 1) {
                    ' '
                } else {
                    '-'
                }
            } else if opts.case_fold {
                b.to_ascii_lowercase() as char
            } else {
                b as char
            };
            f.linear(c, i);
            prev_is_word = b.is_ascii_alphanumeric();
            i += 1;
            continue;
        }
        original_is_ascii = false;
        let c = text[i..].chars().next().expect("i is on a char boundary");
        let end = i + c.len_utf8();
        f.multi_byte_char(end, c.len_utf8());
        let before = f.out.len();
        if is_ignorable(c) {
            // produces nothing and belongs to nothing
        } else if c.is_whitespace() {
            run.white(&mut f, text, i, c.len_utf8());
        } else if is_dash(c) {
            f.out.push(if prev_is_word && next_is_word(text, end) {
                ' '
            } else {
                '-'
            });
            f.unit(before, i, end);
        } else if let Some(q) = straight_quote(c) {
            f.out.push(q);
            f.unit(before, i, end);
        } else {
            let single = push_folded_char(&mut f.out, c, opts);
            let produced = f.out.len() - before;
            if produced == 0 {
                f.extend_last_char(end);
            } else if single && produced == end - i {
                // Same length, one character: offsets stay linear. Undo the push to reuse
                // the linear path's bookkeeping.
                let folded_char = f.out[before..].chars().next().expect("one char was pushed");
                f.out.truncate(before);
                f.linear(folded_char, i);
            } else {
                f.unit(before, i, end);
            }
        }
        prev_is_word = is_word_char(c);
        i = end;
    }
    f.finish(original_is_ascii)
}

/// What a paragraph break folds to: a byte no folded alias holds (an alias's own breaks fold
/// to a space), so no match crosses it, and not a word character, so words end there.
pub const PARAGRAPH: char = '\n';

/// Whether the folded text ends with a run of whitespace (a space or a paragraph break).
#[inline]
fn ends_in_space(out: &str) -> bool {
    out.ends_with(' ') || out.ends_with(PARAGRAPH)
}

/// The whitespace run the folded text ends with: where its one space is, and the line breaks
/// it holds. Two or more (`\r\n` counting as one), or any U+2029, make it a paragraph break.
#[derive(Default)]
struct WhiteRun {
    at: Option<usize>,
    breaks: u32,
}

impl WhiteRun {
    /// Fold the whitespace character of `len` bytes at `i` of `text`.
    fn white(&mut self, f: &mut Folder, text: &str, i: usize, len: usize) {
        if ends_in_space(&f.out) {
            let last = f.out.len() - 1;
            if self.at != Some(last) {
                // A space copied with a plain ASCII run starts this run.
                *self = WhiteRun {
                    at: Some(last),
                    breaks: 0,
                };
            }
        } else {
            let before = f.out.len();
            if len == 1 {
                f.linear(' ', i);
            } else {
                f.out.push(' ');
                f.unit(before, i, i + len);
            }
            *self = WhiteRun {
                at: Some(before),
                breaks: 0,
            };
        }
        let c = text[i..].chars().next().expect("a char boundary");
        let crlf = c == '\n' && i > 0 && text.as_bytes()[i - 1] == b'\r';
        if matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}') && !crlf {
            self.breaks += 1;
        }
        if c == '\u{2029}' || self.breaks >= 2 {
            let at = self.at.expect("set above");
            f.out.replace_range(at..at + 1, "\n");
        }
    }
}

#[inline]
fn next_is_word(text: &str, at: usize) -> bool {
    text[at..].chars().next().is_some_and(is_word_char)
}

/// Fold an alias: the same rules as documents, with a paragraph break as a plain space, then
/// stripped of surrounding spaces.
///
/// ```
/// use lexiscan::normalize::{fold_alias, FoldOptions};
/// let opts = FoldOptions { case_fold: true, accent_fold: true };
/// assert_eq!(fold_alias("  NATO Secretary‑General ", opts), "nato secretary general");
/// ```
pub fn fold_alias(alias: &str, opts: FoldOptions) -> String {
    fold_with_offsets(alias, opts)
        .text()
        .replace(PARAGRAPH, " ")
        .trim_matches(' ')
        .to_owned()
}

/// Push the case-folded, decomposed, accent-stripped form of `c`; true if it is one character.
fn push_folded_char(out: &mut String, c: char, opts: FoldOptions) -> bool {
    let mut count = 0;
    let mut push_decomposed = |f: char| {
        decompose_canonical(f, |d| {
            if !(opts.accent_fold && is_accent_mark(d)) {
                out.push(d);
                count += 1;
            }
        })
    };
    if opts.case_fold {
        std::iter::once(c)
            .default_case_fold()
            .for_each(&mut push_decomposed);
    } else {
        push_decomposed(c);
    }
    count == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOLD_ALL: FoldOptions = FoldOptions {
        case_fold: true,
        accent_fold: true,
    };
    const KEEP_CASE: FoldOptions = FoldOptions {
        case_fold: false,
        accent_fold: true,
    };
    const KEEP_ACCENTS: FoldOptions = FoldOptions {
        case_fold: true,
        accent_fold: false,
    };

    #[test]
    fn paragraph_breaks_fold_to_a_line_break_and_single_breaks_to_a_space() {
        let opts = FoldOptions {
            case_fold: true,
            accent_fold: true,
        };
        let cases = [
            ("a\n\nb", "a\nb"),
            ("a\r\n\r\nb", "a\nb"),
            ("a\r\nb", "a b"),
            ("a\r\rb", "a\nb"),
            ("a \n \u{a0}\n b", "a\nb"),
            ("a\u{2029}b", "a\nb"),
            ("a \u{2029}", "a\n"),
            ("a\u{2028}\u{85}b", "a\nb"),
            ("a\n\u{200b}\nb", "a\nb"),
            ("a\nb\nc", "a b c"),
            ("a\n b \nc", "a b c"),
            ("NATO\n\n\n\nRussia", "nato\nrussia"),
        ];
        for (text, folded) in cases {
            let f = fold_with_offsets(text, opts);
            assert_eq!(f.text(), folded, "{text:?}");
        }
        assert_eq!(fold_alias("Coach\n\nAndy\u{2029}", opts), "coach andy");
    }

    #[test]
    fn folds_like_the_spec_says() {
        let cases: &[(&str, FoldOptions, &str)] = &[
            ("ÉMILE", FOLD_ALL, "emile"),
            ("Straße", FOLD_ALL, "strasse"),
            ("STRASSE", FOLD_ALL, "strasse"),
            ("МОСКВА", FOLD_ALL, "москва"),
            ("ΟΔΥΣΣΕΥΣ", FOLD_ALL, "οδυσσευσ"),
            ("Οδυσσεύς", FOLD_ALL, "οδυσσευσ"),
            ("détente", KEEP_ACCENTS, "de\u{301}tente"),
            ("Russia’s", FOLD_ALL, "russia's"),
            ("“NATO”", FOLD_ALL, "\"nato\""),
            ("Secretary-General", FOLD_ALL, "secretary general"),
            ("NATO–Russia", KEEP_CASE, "NATO Russia"),
            ("a - b", FOLD_ALL, "a - b"),
            ("Alexander\nFomin", FOLD_ALL, "alexander fomin"),
            ("a \u{00A0}\n\t b", FOLD_ALL, "a b"),
            ("Stolten\u{00AD}berg", FOLD_ALL, "stoltenberg"),
            ("US", KEEP_CASE, "US"),
        ];
        for &(input, opts, want) in cases {
            assert_eq!(
                fold_with_offsets(input, opts).text(),
                want,
                "folding {input:?}"
            );
        }
    }

    #[test]
    fn ascii_bytes_fold_the_same_next_to_unicode() {
        let ascii = "  NATO-Russia \n\n Council -  said- U.S.-led ";
        let with_unicode = format!("{ascii}é");
        let a = fold_with_offsets(ascii, FOLD_ALL);
        let u = fold_with_offsets(&with_unicode, FOLD_ALL);
        assert_eq!(format!("{}e", a.text()), u.text());
        assert!(a.original_is_ascii() && !u.original_is_ascii());
        // A character that folds to nothing still makes code points differ from bytes.
        assert!(!fold_with_offsets("a\u{200B}b", FOLD_ALL).original_is_ascii());
        for p in 0..a.text().len() {
            assert_eq!(a.original_start(p), u.original_start(p), "start at {p}");
            assert_eq!(a.original_end(p + 1), u.original_end(p + 1), "end at {p}");
        }
        assert!(a.piece_count() <= 4, "ASCII text needs few pieces: {a:?}");
    }

    #[test]
    fn offsets_point_back_into_the_original() {
        let text = "Der STRASSE-Straße\u{00A0}Émile";
        let f = fold_with_offsets(text, FOLD_ALL);
        assert_eq!(f.text(), "der strasse strasse emile");
        let at = f.text().find("emile").unwrap();
        let (s, e) = (
            f.original_start(at).unwrap(),
            f.original_end(at + 5).unwrap(),
        );
        assert_eq!(&text[s..e], "Émile");
        // the second `s` of `ß` is not where a character's output begins
        let sz = f.text().rfind("ss").unwrap();
        assert_eq!(f.original_start(sz + 1), None);
        // a removed combining accent belongs to the letter before it
        let decomposed = "Jose\u{301} said";
        let f = fold_with_offsets(decomposed, FOLD_ALL);
        assert_eq!(f.text(), "jose said");
        assert_eq!(&decomposed[0..f.original_end(4).unwrap()], "Jose\u{301}");
    }
}
