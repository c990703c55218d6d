//! The offset map of a folded text: folded byte offsets back to the original's.
//!
//! The map is a sorted list of pieces. A *linear* piece covers a stretch where folded byte `p`
//! is original byte `orig + (p - folded)` (ASCII, and characters that fold to one character of
//! the same UTF-8 length); any other character's output is a piece of its own, which a match
//! may start or end only at its edges. [`Folder`] builds the folded text and its map together.

use super::runs::copy_plain_run;

/// One piece of the offset map, starting at folded byte `folded`.
#[derive(Clone, Copy, Debug)]
struct Piece {
    folded: u32,
    orig: u32,
    /// 0: a linear piece, running to the next piece. Otherwise the folded length of the output
    /// of one original character (or whitespace run), which ends at original byte `orig_end`.
    unit_len: u32,
    orig_end: u32,
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
    pieces: Vec<Piece>,
    original_is_ascii: bool,
    /// The original's code points, where it has few multi-byte characters (`code_points`).
    code_points: Option<CodePoints>,
}

/// Where a text's multi-byte characters end, and how many bytes beyond one each character up
/// to there takes: byte offsets become code-point offsets without a walk over the text.
#[derive(Debug, Default)]
pub(crate) struct CodePoints {
    /// (byte offset just past a multi-byte character, extra bytes up to and including it)
    ends: Vec<(u32, u32)>,
}

/// A text with more multi-byte characters than one in this many bytes gets no table (its
/// code points are counted instead): the table stays small beside the text.
const BYTES_PER_MULTI_BYTE_CHAR_AT_LEAST: usize = 16;

impl CodePoints {
    /// Record a multi-byte character of `len` bytes ending at byte `end`, after those before.
    #[inline]
    pub(crate) fn record(&mut self, end: usize, len: usize) {
        let before = self.ends.last().map_or(0, |&(_, extra)| extra);
        self.ends.push((end as u32, before + len as u32 - 1));
    }

    /// The extra bytes of every multi-byte character recorded: a text's bytes less its
    /// characters, when all of its multi-byte characters are recorded.
    pub(crate) fn extra_bytes(&self) -> usize {
        self.ends.last().map_or(0, |&(_, extra)| extra as usize)
    }

    /// A walk from the start of the text turning byte offsets into code-point offsets.
    pub(crate) fn walker(&self) -> CodePointWalker<'_> {
        CodePointWalker {
            ends: &self.ends,
            next: 0,
            extra: 0,
        }
    }
}

/// Turns ascending byte offsets into code-point offsets (`CodePoints::walker`).
pub(crate) struct CodePointWalker<'a> {
    ends: &'a [(u32, u32)],
    next: usize,
    extra: usize,
}

impl CodePointWalker<'_> {
    /// The code-point offset of byte offset `byte`, a character boundary at or after the last
    /// one asked for.
    #[inline]
    pub(crate) fn at(&mut self, byte: usize) -> usize {
        while let Some(&(end, extra)) = self.ends.get(self.next) {
            if end as usize > byte {
                break;
            }
            self.extra = extra as usize;
            self.next += 1;
        }
        byte - self.extra
    }
}

impl Folded {
    /// The folded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the original text was all ASCII (its byte offsets are its code-point offsets),
    /// known from the fold without reading the text again.
    pub fn original_is_ascii(&self) -> bool {
        self.original_is_ascii
    }

    /// The original's code points as the fold saw them, unless it has many multi-byte
    /// characters (then count them in the text).
    pub(crate) fn code_points(&self) -> Option<&CodePoints> {
        self.code_points.as_ref()
    }

    /// How many pieces the offset map has (tests check that ASCII needs few).
    #[cfg(test)]
    pub(super) fn piece_count(&self) -> usize {
        self.pieces.len()
    }

    #[inline]
    fn piece_at(&self, pos: usize) -> &Piece {
        let i = self.pieces.partition_point(|p| p.folded as usize <= pos);
        &self.pieces[i.saturating_sub(1)]
    }

    /// Original byte offset of a match starting at folded byte `pos`, or `None` when `pos` is
    /// inside the output of one original character.
    #[inline]
    pub fn original_start(&self, pos: usize) -> Option<usize> {
        let piece = self.piece_at(pos);
        let offset = pos - piece.folded as usize;
        match piece.unit_len {
            0 => Some(piece.orig as usize + offset),
            _ => (offset == 0).then_some(piece.orig as usize),
        }
    }

    /// Original byte offset one past a match ending at folded byte `end` (exclusive), or `None`
    /// when `end` is inside the output of one original character.
    #[inline]
    pub fn original_end(&self, end: usize) -> Option<usize> {
        let piece = self.piece_at(end.checked_sub(1)?);
        let offset = end - piece.folded as usize;
        match piece.unit_len {
            0 => Some(piece.orig as usize + offset),
            len => (offset == len as usize).then_some(piece.orig_end as usize),
        }
    }

    /// The first folded position whose original offset is at or after original byte `orig`
    /// (where a search must resume after a match that ended at `orig`).
    pub fn folded_at_or_after(&self, orig: usize) -> usize {
        let i = self.pieces.partition_point(|p| p.orig as usize <= orig);
        if i == 0 {
            return 0;
        }
        let piece = &self.pieces[i - 1];
        let next_folded = self
            .pieces
            .get(i)
            .map_or(self.text.len(), |p| p.folded as usize);
        let offset = orig - piece.orig as usize;
        let folded = match piece.unit_len {
            0 => piece.folded as usize + offset,
            _ if offset == 0 => piece.folded as usize,
            _ => next_folded,
        };
        folded.min(next_folded)
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

/// Builds the folded text and its pieces.
pub(super) struct Folder {
    /// The folded text so far.
    pub(super) out: String,
    pieces: Vec<Piece>,
    /// `orig - folded` of the open linear piece, if the last piece is linear.
    linear_delta: Option<isize>,
    /// Folded and original start of the last character that produced output.
    last_char: (usize, usize),
    /// The multi-byte characters seen, while there are few (`CodePoints`).
    code_points: Option<CodePoints>,
    /// Extra bytes of the multi-byte characters seen, and how many may be recorded.
    extra: u32,
    most_multi_byte: usize,
}

impl Folder {
    /// An empty builder for the folding of a text of `len` bytes.
    pub(super) fn with_capacity(len: usize) -> Self {
        Folder {
            out: String::with_capacity(len + 16),
            pieces: Vec::new(),
            linear_delta: None,
            last_char: (0, 0),
            code_points: Some(CodePoints::default()),
            extra: 0,
            most_multi_byte: len / BYTES_PER_MULTI_BYTE_CHAR_AT_LEAST,
        }
    }

    /// The folded text and its map.
    pub(super) fn finish(self, original_is_ascii: bool) -> Folded {
        Folded {
            text: self.out,
            pieces: self.pieces,
            original_is_ascii,
            code_points: self.code_points,
        }
    }

    /// The original's character of `len` bytes ending at byte `end` is a multi-byte one.
    #[inline]
    pub(super) fn multi_byte_char(&mut self, end: usize, len: usize) {
        if let Some(table) = &mut self.code_points {
            if table.ends.len() < self.most_multi_byte {
                self.extra += len as u32 - 1;
                table.ends.push((end as u32, self.extra));
            } else {
                self.code_points = None;
            }
        }
    }

    /// Text copied one to one from `orig` on lands at `folded`: a new linear piece unless the
    /// last one already maps it (same distance between the two).
    #[inline]
    fn continue_linear(&mut self, folded: usize, orig: usize) {
        let delta = orig as isize - folded as isize;
        if self.linear_delta != Some(delta) {
            self.pieces.push(Piece {
                folded: folded as u32,
                orig: orig as u32,
                unit_len: 0,
                orig_end: 0,
            });
            self.linear_delta = Some(delta);
        }
    }

    #[inline]
    pub(super) fn linear(&mut self, c: char, orig: usize) {
        let folded = self.out.len();
        self.continue_linear(folded, orig);
        self.last_char = (folded, orig);
        self.out.push(c);
    }

    /// Copy the run of plain ASCII bytes and single spaces that starts at `text[orig]`, which
    /// fold one to one; return its length.
    #[inline]
    pub(super) fn linear_run(&mut self, text: &str, orig: usize, case_fold: bool) -> usize {
        let folded = self.out.len();
        self.continue_linear(folded, orig);
        let len = copy_plain_run(&mut self.out, &text[orig..], case_fold);
        self.last_char = (self.out.len() - 1, orig + len - 1);
        len
    }

    /// Record output `out[folded..]` as the output of the original bytes `orig..orig_end`.
    #[inline]
    pub(super) fn unit(&mut self, folded: usize, orig: usize, orig_end: usize) {
        let unit_len = (self.out.len() - folded) as u32;
        self.pieces.push(Piece {
            folded: folded as u32,
            orig: orig as u32,
            unit_len,
            orig_end: orig_end as u32,
        });
        self.linear_delta = None;
        self.last_char = (folded, orig);
    }

    /// A removed accent belongs to the character before it: that character's output now ends
    /// at `orig_end` in the original.
    pub(super) fn extend_last_char(&mut self, orig_end: usize) {
        if self.out.is_empty() {
            return;
        }
        let (folded, orig) = self.last_char;
        match self.pieces.last_mut() {
            Some(last) if last.folded as usize == folded => {
                last.unit_len = (self.out.len() - folded) as u32;
                last.orig = orig as u32;
                last.orig_end = orig_end as u32;
            }
            _ => {
                let unit_len = (self.out.len() - folded) as u32;
                self.pieces.push(Piece {
                    folded: folded as u32,
                    orig: orig as u32,
                    unit_len,
                    orig_end: orig_end as u32,
                });
            }
        }
        self.linear_delta = None;
    }
}
