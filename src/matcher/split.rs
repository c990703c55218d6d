//! One large document on several cores: it is cut where no match can cross, and the pieces
//! are matched in parallel.
//!
//! A match covers a span of folded text equal to one pattern (plus, for a prefix entry, the
//! word characters after it). So at a punctuation byte that folds to itself and occurs in no
//! pattern, no match can cross: cutting just after it changes nothing. Such a byte is not a
//! word character, so the whole-word checks at the cut see the same "no word character" on
//! both sides, and it is neither whitespace nor a dash, whose folding looks at neighbours.

use super::code_points::Match;
use super::pass::Pass;
use crate::error::Result;
use rayon::prelude::*;

/// ASCII punctuation that folds to itself and is neither whitespace nor a dash.
fn may_cut_after(byte: u8) -> bool {
    byte.is_ascii_punctuation() && byte != b'-'
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

/// All matches in `text` as `find` gives them, found in pieces of about `piece_bytes` cut
/// after bytes of `cut_after`, on the current rayon pool (a text with no place to cut is one
/// piece).
pub(super) fn find_in_pieces(
    text: &str,
    cut_after: &[bool; 128],
    piece_bytes: usize,
    find: impl Fn(&str) -> Result<Vec<Match>> + Sync,
) -> Result<Vec<Match>> {
    let cuts = cut_points(text.as_bytes(), cut_after, piece_bytes.max(1));
    if cuts.len() <= 2 {
        return find(text);
    }
    let pieces: Vec<(Vec<Match>, usize)> = cuts
        .par_windows(2)
        .map(|w| {
            let piece = &text[w[0]..w[1]];
            Ok((find(piece)?, piece.chars().count()))
        })
        .collect::<Result<_>>()?;
    let mut all = Vec::with_capacity(pieces.iter().map(|(m, _)| m.len()).sum());
    let mut chars = 0;
    for ((matches, piece_chars), &byte) in pieces.into_iter().zip(&cuts) {
        all.extend(matches.into_iter().map(|m| Match {
            start: m.start + chars,
            end: m.end + chars,
            byte_start: m.byte_start + byte,
            byte_end: m.byte_end + byte,
            ..m
        }));
        chars += piece_chars;
    }
    Ok(all)
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
