//! What a scan reads: documents whose UTF-8 text is in memory, and documents held elsewhere
//! in another form (a Python `str` stores 1, 2 or 4 bytes a character) that are read as UTF-8
//! a piece at a time, so that a huge one is never copied whole.

use crate::error::Result;

/// Text held elsewhere, read in order as UTF-8 a piece at a time.
///
/// ```
/// use lexiscan::scan::{scan, TextPieces};
/// use lexiscan::{Lexicon, Matcher, MatchOptions};
/// /// A text read one character at a time.
/// struct Slowly(Vec<char>);
/// impl TextPieces for Slowly {
///     fn chars(&self) -> usize {
///         self.0.len()
///     }
///     fn read(&self, from: usize, _max: usize, out: &mut String) -> lexiscan::Result<usize> {
///         out.push(self.0[from]);
///         Ok(1)
///     }
/// }
/// let mut lex = Lexicon::new();
/// lex.add("Kyiv", &["Kiev"], None, false).unwrap();
/// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
/// let text = Slowly("Київ; Kiev. KYIV".chars().collect());
/// let found = scan(&m, &[Some(&text as &dyn TextPieces)], 0, Some(1)).unwrap();
/// assert_eq!((found.starts(), found.surface(1)), (&[6, 12][..], "KYIV"));
/// ```
pub trait TextPieces: Sync {
    /// Its length in characters (Unicode scalar values).
    fn chars(&self) -> usize;

    /// Append the UTF-8 text of up to `max_chars` characters from character `from` on to
    /// `out`, and say how many were appended: at least one while `from < chars()`.
    fn read(&self, from: usize, max_chars: usize, out: &mut String) -> Result<usize>;

    /// The most characters the scan should take as one piece (it takes fewer when its own
    /// size is smaller). Tests ask for tiny pieces, so that matches meet the edges between.
    fn max_piece_chars(&self) -> usize {
        usize::MAX
    }
}

/// A document as [`scan`](super::scan) takes it: its UTF-8 text, or a way to read it in
/// pieces. Every `AsRef<str>` is one (`&str`, `String`, ...), and so is a `&dyn TextPieces`.
pub trait ScanDocument: Sync {
    /// The whole UTF-8 text, when it is in memory.
    fn text(&self) -> Option<&str>;

    /// The text in pieces, when [`ScanDocument::text`] is None.
    fn pieces(&self) -> Option<&dyn TextPieces> {
        None
    }

    /// About how many bytes the document is, to spread documents evenly over the workers.
    fn size_hint(&self) -> usize {
        match (self.text(), self.pieces()) {
            (Some(text), _) => text.len(),
            (None, Some(pieces)) => pieces.chars(),
            (None, None) => 0,
        }
    }
}

impl<S: AsRef<str> + Sync> ScanDocument for S {
    fn text(&self) -> Option<&str> {
        Some(self.as_ref())
    }
}

impl ScanDocument for &dyn TextPieces {
    fn text(&self) -> Option<&str> {
        None
    }

    fn pieces(&self) -> Option<&dyn TextPieces> {
        Some(*self)
    }
}
