//! Matches as users see them: byte offsets (what the searches find) turned into code-point
//! offsets (Python `str` indices) with one walk over the text.

use crate::lexicon::{AliasId, EntityId};
use crate::normalize::CodePoints;

/// One match in one text. `start`/`end` are code points (Python `str` indices), end exclusive;
/// `byte_start`/`byte_end` the same span in UTF-8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub entity: EntityId,
    pub alias: AliasId,
    /// 0 for an exact match; the edits of a typo match (`MatchOptions::max_edits`).
    pub edits: u8,
}

/// A match before its offsets are turned into code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Candidate {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) entity: EntityId,
    pub(super) alias: AliasId,
    pub(super) edits: u8,
}

pub(super) fn with_byte_offsets(found: Vec<Candidate>) -> Vec<Match> {
    found
        .iter()
        .map(|c| Match {
            start: c.start,
            end: c.end,
            byte_start: c.start,
            byte_end: c.end,
            entity: c.entity,
            alias: c.alias,
            edits: c.edits,
        })
        .collect()
}

/// Code points in `text[from..to]` (offsets on character boundaries). std counts a word of
/// bytes at a time, far faster than a byte-by-byte filter.
#[inline]
fn count_chars(text: &str, from: usize, to: usize) -> usize {
    text[from..to].chars().count()
}

/// Turn byte offsets into code-point offsets with one walk over the text, for matches that do
/// not overlap and come in order (rows of one span next to each other).
pub(super) fn to_code_points_in_order(text: &str, found: Vec<Candidate>) -> Vec<Match> {
    let (mut byte, mut chars) = (0usize, 0usize);
    in_order(found, |to| {
        debug_assert!(to >= byte, "matches overlap or are out of order");
        chars += count_chars(text, byte, to);
        byte = to;
        chars
    })
}

/// Turn byte offsets into code-point offsets with the fold's table of the text's multi-byte
/// characters, for matches that do not overlap and come in order: no walk over the text.
pub(super) fn with_code_point_table(table: &CodePoints, found: Vec<Candidate>) -> Vec<Match> {
    let mut walker = table.walker();
    in_order(found, |to| walker.at(to))
}

/// Code-point offsets for matches in order, each byte offset asked of `code_point_at` once and
/// in increasing order (rows of one span take the span's offsets without asking again).
fn in_order(found: Vec<Candidate>, mut code_point_at: impl FnMut(usize) -> usize) -> Vec<Match> {
    let mut matches = with_byte_offsets(found);
    let mut previous: Option<Match> = None;
    for m in &mut matches {
        if let Some(p) =
            previous.filter(|p| (p.byte_start, p.byte_end) == (m.byte_start, m.byte_end))
        {
            (m.start, m.end) = (p.start, p.end);
            continue;
        }
        m.start = code_point_at(m.byte_start);
        m.end = code_point_at(m.byte_end);
        previous = Some(*m);
    }
    matches
}

/// Turn byte offsets into code-point offsets with one walk over the text (any order).
pub(super) fn to_code_points(text: &str, found: Vec<Candidate>) -> Vec<Match> {
    let mut matches = with_byte_offsets(found);
    let mut marks: Vec<(usize, usize)> = Vec::with_capacity(matches.len() * 2);
    for (i, m) in matches.iter().enumerate() {
        marks.push((m.start, 2 * i));
        marks.push((m.end, 2 * i + 1));
    }
    marks.sort_unstable();
    let (mut byte, mut chars) = (0usize, 0usize);
    for (offset, slot) in marks {
        chars += count_chars(text, byte, offset);
        byte = offset;
        let m = &mut matches[slot / 2];
        if slot % 2 == 0 {
            m.start = chars;
        } else {
            m.end = chars;
        }
    }
    matches
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{fold_with_offsets, FoldOptions};

    /// Spans over every few characters of `text`, in order, as the searches give them.
    fn spans(text: &str, every: usize) -> Vec<Candidate> {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let mut out = Vec::new();
        for w in bounds.chunks(every).collect::<Vec<_>>().windows(2) {
            let (start, end) = (w[0][0], w[1][0]);
            for entity in 0..2 {
                // Two rows of one span, as one span's rows come.
                out.push(Candidate {
                    start,
                    end,
                    entity,
                    alias: entity,
                    edits: 0,
                });
            }
        }
        out
    }

    #[test]
    fn the_folds_table_gives_the_code_points_a_walk_over_the_text_gives() {
        let opts = FoldOptions {
            case_fold: true,
            accent_fold: true,
        };
        let sparse = format!(
            "{}“Émile” — Zola’s Straße 😀 end",
            "plain words ".repeat(20)
        );
        let texts = [
            "plain ASCII only".to_owned(),
            sparse.clone(),
            format!("{sparse}{sparse}"),
            "МОСКВА и Κύπρος 😀😀".to_owned(), // too many multi-byte characters for a table
            "a\u{200B}b\u{301} c".repeat(30),
        ];
        let mut tabled = 0;
        for text in &texts {
            let folded = fold_with_offsets(text, opts);
            for every in [1, 2, 3, 7] {
                let found = spans(text, every);
                let walked = to_code_points_in_order(text, found.clone());
                for (m, c) in walked.iter().zip(&found) {
                    assert_eq!(text[..c.start].chars().count(), m.start, "{text:?}");
                }
                if let Some(table) = folded.code_points() {
                    tabled += 1;
                    assert_eq!(with_code_point_table(table, found), walked, "{text:?}");
                }
            }
        }
        assert!(tabled >= 8, "the sparse texts get a table");
        assert!(fold_with_offsets(&texts[3], opts).code_points().is_none());
    }
}
