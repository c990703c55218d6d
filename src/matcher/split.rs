//! One large document on several cores: it is cut where no match can cross, and the pieces
//! are matched in parallel.
//!
//! A match covers a span of folded text equal to one pattern (plus, for a prefix entry, the
//! word characters after it). So at a punctuation byte that folds to itself and occurs in no
//! pattern, no match can cross: cutting just after it changes nothing. Such a byte is not a
//! word character, so the whole-word checks at the cut see the same "no word character" on
//! both sides, and it is neither whitespace nor a dash, whose folding looks at neighbours, nor
//! an apostrophe, which the whole-word checks look across ("O'Brien" is one word).
//!
//! A document held elsewhere (`TextPieces`) is cut at the same bytes, but its pieces are read
//! by the workers too (`stream`). Either way a piece is searched as smaller parts cut at the
//! same bytes, together, the way many documents are (`find_in_parts`).

use super::code_points::Match;
use super::pass::Pass;
use crate::error::Result;
use rayon::prelude::*;

/// ASCII punctuation that folds to itself and is neither whitespace, a dash nor an apostrophe.
fn may_cut_after(byte: u8) -> bool {
    byte.is_ascii_punctuation() && byte != b'-' && byte != b'\''
}

/// The bytes after which a text may be cut: those no pass has in its patterns.
pub(super) fn cut_bytes(passes: &[Pass]) -> [bool; 128] {
    let mut cut = [false; 128];
    for byte in 0..128u8 {
        let used = passes
            .iter()
            .any(|p| p.ascii_in_patterns[usize::from(byte)]);
        cut[usize::from(byte)] = may_cut_after(byte) && !used;
    }
    cut
}

/// Pieces matched at once per worker: enough to keep every worker busy, few enough that the
/// matches waiting to be handed on stay small beside the result they go to.
pub(super) const PIECES_AT_ONCE_PER_THREAD: usize = 4;

/// All matches in `text` as `find` gives them, found in pieces of about `piece_bytes` cut
/// after bytes of `cut_after`, on the current rayon pool (a text with no place to cut is one
/// piece), and handed to `sink` a few pieces at a time, in order, with offsets in `text`: what
/// waits in memory is one group of pieces' matches, not the whole text's (a 1 GB document has
/// some 20 million, ~1 GB as `Match`es, which the caller's result then holds once more).
pub(super) fn for_matches_in_pieces(
    text: &str,
    cut_after: &[bool; 128],
    piece_bytes: usize,
    find: impl Fn(&str) -> Result<Vec<Match>> + Sync,
    mut sink: impl FnMut(Vec<Match>) + Send,
) -> Result<()> {
    let cuts = cut_points(text.as_bytes(), cut_after, piece_bytes.max(1));
    let group = rayon::current_num_threads().max(1) * PIECES_AT_ONCE_PER_THREAD;
    let (mut chars, mut done) = (0, Vec::new());
    for first in (0..cuts.len().saturating_sub(1)).step_by(group) {
        let last = (first + group).min(cuts.len() - 1);
        // The group before is handed on while this one is matched.
        let ((), found) = rayon::join(
            || hand_on(std::mem::take(&mut done), &mut chars, &mut sink),
            || {
                cuts[first..=last]
                    .par_windows(2)
                    .map(|w| {
                        let piece = &text[w[0]..w[1]];
                        Ok((find(piece)?, w[0], piece.chars().count()))
                    })
                    .collect::<Result<Vec<_>>>()
            },
        );
        done = found?;
    }
    hand_on(done, &mut chars, &mut sink);
    Ok(())
}

/// A piece is searched as parts of about this many bytes, as many documents are searched
/// together (`find_in_parts`).
pub(super) const PART_BYTES: usize = 1 << 14;

/// All matches in `text` as `find_many` gives them for it whole, found in parts of about
/// `part_bytes` cut after bytes of `cut_after`, searched together. A piece of a large document
/// then searches like as many documents: a part that holds only ASCII and typographic
/// characters is searched on its own bytes (`unfolded`), where the whole piece, with one
/// letter that folds (an "é" somewhere in a mebibyte), would be folded first. `find_many`
/// gives each part's matches and its length in characters (the search knows it from its
/// look at the part's wide characters: no pass to count them).
pub(super) fn find_in_parts(
    text: &str,
    cut_after: &[bool; 128],
    part_bytes: usize,
    find_many: impl Fn(&[&str]) -> Result<(Vec<Vec<Match>>, Vec<usize>)>,
) -> Result<Vec<Match>> {
    let cuts = cut_points(text.as_bytes(), cut_after, part_bytes.max(1));
    let parts: Vec<&str> = cuts.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    let (mut found, part_chars) = find_many(&parts)?;
    if let [one] = found.as_mut_slice() {
        return Ok(std::mem::take(one));
    }
    let mut all = Vec::with_capacity(found.iter().map(Vec::len).sum());
    let mut chars = 0;
    for (((matches, &byte), part_chars), part) in
        found.into_iter().zip(&cuts).zip(part_chars).zip(&parts)
    {
        debug_assert_eq!(part_chars, part.chars().count(), "{part:?}");
        all.extend(matches.into_iter().map(|m| Match {
            start: m.start + chars,
            end: m.end + chars,
            byte_start: m.byte_start + byte,
            byte_end: m.byte_end + byte,
            ..m
        }));
        chars += part_chars;
    }
    Ok(all)
}

/// Give each piece's matches (with the piece's first byte and its length in characters) to
/// `sink`, in order, with offsets in the whole text; `chars`: the characters before them.
fn hand_on(
    done: Vec<(Vec<Match>, usize, usize)>,
    chars: &mut usize,
    sink: &mut impl FnMut(Vec<Match>),
) {
    for (mut matches, byte, piece_chars) in done {
        for m in &mut matches {
            m.start += *chars;
            m.end += *chars;
            m.byte_start += byte;
            m.byte_end += byte;
        }
        sink(matches);
        *chars += piece_chars;
    }
}

/// 0, then cuts just after a byte of `cut_after` about every `piece_bytes`, then `bytes.len()`.
/// Cut bytes fold to themselves, so this cuts an original text and its folding alike.
pub(super) fn cut_points(bytes: &[u8], cut_after: &[bool; 128], piece_bytes: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    let mut at = piece_bytes;
    while at < bytes.len() {
        let Some(offset) = bytes[at..]
            .iter()
            .position(|&b| b < 128 && cut_after[usize::from(b)])
        else {
            break;
        };
        let cut = at + offset + 1;
        if cut < bytes.len() {
            cuts.push(cut);
        }
        at = cut + piece_bytes;
    }
    cuts.push(bytes.len());
    cuts
}
