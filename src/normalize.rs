//! Folding of documents and aliases into one comparable form, with a map back to the original
//! (docs/matching.md §2–3).
//!
//! Pure-ASCII documents take a byte loop whose offset map is a short list of shifts (only
//! collapsed whitespace moves offsets); everything else takes the Unicode path with a per-byte
//! table. Both produce the same folded text for the same input.

use crate::chars::{is_accent_mark, is_dash, is_ignorable, is_word_char, straight_quote};
use caseless::Caseless;
use unicode_normalization::char::decompose_canonical;

/// Which folding steps apply on top of the typographic ones, which always apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FoldOptions {
    /// Unicode full case folding (`ß` → `ss`).
    pub case_fold: bool,
    /// Removal of combining diacritics after canonical decomposition (`é` → `e`).
    pub accent_fold: bool,
}

const NONE: u32 = u32::MAX;

/// How folded byte positions map back to byte offsets of the original text.
#[derive(Debug)]
enum OffsetMap {
    /// ASCII input: from folded position `.0` on, original = folded + `.1`.
    Ascii(Vec<(u32, u32)>),
    /// Any input: `starts[p]` / `ends[p]` is the original byte offset where the output of an
    /// original character begins / ends at folded position `p`, or `NONE` inside an output.
    Table { starts: Vec<u32>, ends: Vec<u32> },
}

/// A folded copy of a text with the way back to the original.
///
/// ```
/// use lexiscan::normalize::{fold_with_offsets, FoldOptions};
/// let opts = FoldOptions { case_fold: true, accent_fold: true };
/// let folded = fold_with_offsets("Ms. SHERMAN’s\n  Straße", opts);
/// assert_eq!(folded.text(), "ms. sherman's strasse");
/// assert_eq!(folded.original_start(14), Some(18)); // `strasse` begins at byte 18 (`S`)
/// ```
#[derive(Debug)]
pub struct Folded {
    text: String,
    map: OffsetMap,
}

impl Folded {
    /// The folded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Original byte offset of a match starting at folded byte `pos`, or `None` when `pos` is
    /// inside the output of one original character.
    #[inline]
    pub fn original_start(&self, pos: usize) -> Option<usize> {
        match &self.map {
            OffsetMap::Ascii(shifts) => Some(pos + ascii_shift(shifts, pos)),
            OffsetMap::Table { starts, .. } => some_offset(starts[pos]),
        }
    }

    /// Original byte offset one past a match ending at folded byte `end` (exclusive), or `None`
    /// when `end` is inside the output of one original character.
    #[inline]
    pub fn original_end(&self, end: usize) -> Option<usize> {
        match &self.map {
            OffsetMap::Ascii(shifts) if end > 0 => Some(end + ascii_shift(shifts, end - 1)),
            OffsetMap::Ascii(_) => Some(0),
            OffsetMap::Table { ends, .. } => some_offset(ends[end]),
        }
    }

    /// The folded character just before folded byte `pos`.
    #[inline]
    pub fn char_before(&self, pos: usize) -> Option<char> {
        self.text[..pos].chars().next_back()
    }

    /// The folded character starting at folded byte `pos`.
    #[inline]
    pub fn char_at(&self, pos: usize) -> Option<char> {
        self.text[pos..].chars().next()
    }
}

#[inline]
fn some_offset(v: u32) -> Option<usize> {
    (v != NONE).then_some(v as usize)
}

#[inline]
fn ascii_shift(shifts: &[(u32, u32)], pos: usize) -> usize {
    let i = shifts.partition_point(|&(from, _)| from as usize <= pos);
    if i == 0 {
        0
    } else {
        shifts[i - 1].1 as usize
    }
}

/// Fold a document, keeping the offset map. Texts must be shorter than 4 GiB (checked by callers).
pub fn fold_with_offsets(text: &str, opts: FoldOptions) -> Folded {
    if text.is_ascii() {
        fold_ascii(text.as_bytes(), opts)
    } else {
        fold_unicode(text, opts)
    }
}

/// Fold an alias: the same rules as documents, then stripped of surrounding spaces.
///
/// ```
/// use lexiscan::normalize::{fold_alias, FoldOptions};
/// let opts = FoldOptions { case_fold: true, accent_fold: true };
/// assert_eq!(fold_alias("  NATO Secretary‑General ", opts), "nato secretary general");
/// ```
pub fn fold_alias(alias: &str, opts: FoldOptions) -> String {
    fold_with_offsets(alias, opts)
        .text
        .trim_matches(' ')
        .to_owned()
}

fn is_ascii_white_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

fn fold_ascii(bytes: &[u8], opts: FoldOptions) -> Folded {
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut shifts: Vec<(u32, u32)> = Vec::new();
    let mut shift = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        let folded = if is_ascii_white_space(b) {
            if out.last() == Some(&b' ') {
                continue;
            }
            b' '
        } else if b == b'-' {
            let between_words = i > 0
                && bytes[i - 1].is_ascii_alphanumeric()
                && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
            if between_words {
                b' '
            } else {
                b'-'
            }
        } else if opts.case_fold {
            b.to_ascii_lowercase()
        } else {
            b
        };
        if i - out.len() != shift {
            shift = i - out.len();
            shifts.push((out.len() as u32, shift as u32));
        }
        out.push(folded);
    }
    // Every byte pushed is ASCII, so this cannot fail.
    let text = String::from_utf8(out).expect("ASCII folding yields ASCII");
    Folded {
        text,
        map: OffsetMap::Ascii(shifts),
    }
}

fn fold_unicode(text: &str, opts: FoldOptions) -> Folded {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut starts: Vec<u32> = Vec::with_capacity(out.capacity() + 1);
    let mut ends: Vec<u32> = Vec::with_capacity(out.capacity() + 1);
    ends.push(NONE);
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let end = at + c.len_utf8();
        let before = out.len();
        if is_ignorable(c) {
            // produces nothing and belongs to nothing
        } else if c.is_whitespace() {
            if out.ends_with(' ') {
                *ends.last_mut().expect("ends is never empty") = end as u32;
            } else {
                out.push(' ');
            }
        } else if is_dash(c) {
            let between_words = prev.is_some_and(is_word_char) && next.is_some_and(is_word_char);
            out.push(if between_words { ' ' } else { '-' });
        } else if let Some(q) = straight_quote(c) {
            out.push(q);
        } else if c.is_ascii() {
            out.push(if opts.case_fold {
                c.to_ascii_lowercase()
            } else {
                c
            });
        } else {
            push_folded_char(&mut out, c, opts);
            if out.len() == before {
                // A removed accent belongs to the character before it.
                if before > 0 {
                    *ends.last_mut().expect("ends is never empty") = end as u32;
                }
            }
        }
        let produced = out.len() - before;
        if produced > 0 {
            starts.push(at as u32);
            starts.extend(std::iter::repeat_n(NONE, produced - 1));
            ends.extend(std::iter::repeat_n(NONE, produced - 1));
            ends.push(end as u32);
        }
        prev = Some(c);
    }
    starts.push(NONE);
    Folded {
        text: out,
        map: OffsetMap::Table { starts, ends },
    }
}

fn push_folded_char(out: &mut String, c: char, opts: FoldOptions) {
    let mut push_decomposed = |f: char| {
        decompose_canonical(f, |d| {
            if !(opts.accent_fold && is_accent_mark(d)) {
                out.push(d);
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
    fn ascii_and_unicode_paths_agree() {
        let ascii = "  NATO-Russia \n\n Council -  said- U.S.-led ";
        let with_unicode = format!("{ascii}é");
        let a = fold_with_offsets(ascii, FOLD_ALL);
        let u = fold_with_offsets(&with_unicode, FOLD_ALL);
        assert_eq!(format!("{}e", a.text()), u.text());
        // (the end of a collapsed whitespace run is never a match end, so it may differ)
        for p in (0..a.text().len()).filter(|&p| &a.text()[p..=p] != " ") {
            assert_eq!(a.original_start(p), u.original_start(p), "start at {p}");
            assert_eq!(a.original_end(p + 1), u.original_end(p + 1), "end at {p}");
        }
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
