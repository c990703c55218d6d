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
//! A document held elsewhere (`TextPieces`) is read a piece at a time on a thread of its own
//! while the pieces read before it are matched, each cut after the last such byte it holds
//! (the rest waits for the next piece), so that no more than a few pieces are ever in memory.

use super::code_points::Match;
use super::pass::Pass;
use crate::error::{Error, Result};
use crate::scan::TextPieces;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

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
const PIECES_AT_ONCE_PER_THREAD: usize = 4;

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
    mut sink: impl FnMut(Vec<Match>),
) -> Result<()> {
    let cuts = cut_points(text.as_bytes(), cut_after, piece_bytes.max(1));
    let group = rayon::current_num_threads().max(1) * PIECES_AT_ONCE_PER_THREAD;
    let mut chars = 0;
    for first in (0..cuts.len().saturating_sub(1)).step_by(group) {
        let last = (first + group).min(cuts.len() - 1);
        let found: Vec<(Vec<Match>, usize)> = cuts[first..=last]
            .par_windows(2)
            .map(|w| {
                let piece = &text[w[0]..w[1]];
                Ok((find(piece)?, piece.chars().count()))
            })
            .collect::<Result<_>>()?;
        for ((mut matches, piece_chars), &byte) in found.into_iter().zip(&cuts[first..]) {
            for m in &mut matches {
                m.start += chars;
                m.end += chars;
                m.byte_start += byte;
                m.byte_end += byte;
            }
            sink(matches);
            chars += piece_chars;
        }
    }
    Ok(())
}

/// The matches of the text `source` holds, as `find` gives them for the whole text: read
/// `read_chars` characters at a time on a thread of its own while the pieces read before are
/// matched in parallel on the current rayon pool, cut after bytes of `cut_after`. Each
/// piece's matches go to `sink` in order, with the piece: their code-point offsets are in the
/// whole text, their byte offsets in the piece. `cancel` is looked at between groups of pieces.
pub(super) fn for_matches_in_stream(
    source: &dyn TextPieces,
    cut_after: &[bool; 128],
    read_chars: usize,
    cancel: &AtomicBool,
    find: impl Fn(&str) -> Result<Vec<Match>> + Sync,
    mut sink: impl FnMut(&str, Vec<Match>),
) -> Result<()> {
    let group = rayon::current_num_threads().max(1) * PIECES_AT_ONCE_PER_THREAD;
    std::thread::scope(|scope| {
        // Pieces waiting to be matched: one group while the group before is matched.
        let (send, pieces) = mpsc::sync_channel::<Result<String>>(group);
        scope.spawn(move || read_pieces(source, cut_after, read_chars.max(1), &send));
        let mut chars = 0;
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            let batch: Vec<String> = pieces.iter().take(group).collect::<Result<_>>()?;
            if batch.is_empty() {
                return Ok(());
            }
            let found: Vec<(Vec<Match>, usize)> = batch
                .par_iter()
                .map(|piece| Ok((find(piece)?, piece.chars().count())))
                .collect::<Result<_>>()?;
            for (piece, (mut matches, piece_chars)) in batch.iter().zip(found) {
                for m in &mut matches {
                    m.start += chars;
                    m.end += chars;
                }
                sink(piece, matches);
                chars += piece_chars;
            }
        }
        // Leaving early drops `pieces`: the reader's next send fails and it stops.
    })
}

/// Read `source` to its end into pieces that end just after a byte of `cut_after` (the last
/// piece: at the end of the text) and send them in order; stop at the first error (sent on)
/// or when nobody listens any more.
fn read_pieces(
    source: &dyn TextPieces,
    cut_after: &[bool; 128],
    read_chars: usize,
    send: &mpsc::SyncSender<Result<String>>,
) {
    let total = source.chars();
    let (mut from, mut text) = (0, String::new());
    while from < total {
        match source.read(from, read_chars, &mut text) {
            Ok(0) => {
                let stuck = Error::InvalidArgument(format!(
                    "a document stopped giving text at character {from} of {total}"
                ));
                let _ = send.send(Err(stuck));
                return;
            }
            Ok(n) => from += n,
            Err(error) => {
                let _ = send.send(Err(error));
                return;
            }
        }
        let cut = if from >= total {
            text.len()
        } else {
            text.bytes()
                .rposition(|b| b < 128 && cut_after[usize::from(b)])
                .map_or(0, |at| at + 1)
        };
        if cut > 0 {
            let rest = text[cut..].to_owned();
            text.truncate(cut);
            if send.send(Ok(std::mem::replace(&mut text, rest))).is_err() {
                return;
            }
        }
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
