//! One large document held elsewhere (`TextPieces`), read and matched in pieces on every core.
//!
//! The text is taken as ranges of `read_chars` characters, and each range becomes one piece
//! that a worker reads (makes UTF-8), matches and hands on, so the reading is spread over the
//! workers like the matching. A piece must end where no match can cross (just after a cut
//! byte, `split`), and each worker must find its edges without waiting for its neighbours: the
//! piece of a range runs from just after the first cut byte at or after the range's start (the
//! first piece from the text's start) to just after the first cut byte at or after the next
//! range's start (the last piece to the text's end). So a worker reads its range, skips up to
//! its first cut, and reads on past the range's end up to the next one; what two workers both
//! read is the few characters up to the first cut of a range. A range with no cut byte in it
//! gives an empty piece (its text is read by the piece before).
//!
//! When the pool leaves a core idle (one thread on two cores), a helper thread reads pieces
//! ahead of the workers, so the reading rides the spare core instead of being in series with
//! the matching. The pieces read but not yet handed on are at most a few groups (`split`'s
//! `PIECES_AT_ONCE_PER_THREAD` per worker), whatever the size of the document.
//!
//! A worker keeps of a piece only the text its matches cover (their surfaces) and reads its
//! next piece into the same buffer, still in its cache: a new buffer for each piece, held until
//! the group was handed on, made every write of the conversion miss the cache.

use super::code_points::Match;
use super::split::CutBytes;
use crate::error::{Error, Result};
use crate::scan::TextPieces;
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::Range;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

/// One piece of the text: `text[skip..]`, which starts at code point `first_char`.
struct Piece {
    text: String,
    skip: usize,
    first_char: usize,
}

/// The matches of a piece that starts at code point `first_char`, their byte offsets in
/// `surfaces`: the text each matched, one after the other.
struct Found {
    surfaces: String,
    matches: Vec<Match>,
    first_char: usize,
}

impl Found {
    /// The matches of `text` (a piece that starts at code point `first_char`), with only the
    /// text they cover.
    fn keep_surfaces(text: &str, mut matches: Vec<Match>, first_char: usize) -> Self {
        let mut surfaces =
            String::with_capacity(matches.iter().map(|m| m.byte_end - m.byte_start).sum());
        for m in &mut matches {
            let start = surfaces.len();
            surfaces.push_str(&text[m.byte_start..m.byte_end]);
            (m.byte_start, m.byte_end) = (start, surfaces.len());
        }
        Found {
            surfaces,
            matches,
            first_char,
        }
    }
}

/// For each thread of the pool (and one for any other thread), the buffer of the last piece it
/// matched, for the next piece it reads; dropped when the document is done.
struct Spares(Vec<Mutex<String>>);

impl Spares {
    fn new() -> Self {
        Self(
            (0..=rayon::current_num_threads())
                .map(|_| Mutex::new(String::new()))
                .collect(),
        )
    }

    fn mine(&self) -> MutexGuard<'_, String> {
        let at =
            rayon::current_thread_index().map_or(self.0.len() - 1, |i| i.min(self.0.len() - 1));
        self.0[at].lock().unwrap_or_else(|e| e.into_inner())
    }

    fn take(&self) -> String {
        std::mem::take(&mut *self.mine())
    }

    fn put(&self, buffer: String) {
        *self.mine() = buffer;
    }
}

/// The first characters after a range are read this many at a time (doubling) while looking
/// for its end: a cut byte is usually a few words away.
const TAIL_CHARS: usize = 256;

/// How a text held elsewhere is taken in pieces.
pub(super) struct Schedule {
    /// Characters a piece is read from (its range).
    pub read_chars: usize,
    /// Pieces matched at once, between two looks at the cancel flag.
    pub group: usize,
    /// Whether a helper thread reads pieces ahead of the workers.
    pub read_ahead: bool,
}

/// The matches of the text `source` holds, as `find` gives them for the whole text, found in
/// pieces that the current rayon pool's workers read and match (see the module docs), a group
/// at a time. Each piece's matches go to `sink` in order, with the text they matched, one
/// after the other: their code-point offsets are in the whole text, their byte offsets in that
/// text. A group's matches are handed on while the next group is read and matched. `cancel` is
/// looked at between groups.
pub(super) fn for_matches_in_stream(
    source: &dyn TextPieces,
    cut_after: &CutBytes,
    schedule: Schedule,
    cancel: &AtomicBool,
    find: impl Fn(&str) -> Result<Vec<Match>> + Sync,
    mut sink: impl FnMut(&str, Vec<Match>) + Send,
) -> Result<()> {
    let read_chars = schedule.read_chars.max(1);
    let group = schedule.group.max(1);
    let read_ahead = schedule.read_ahead;
    let ranges = source.chars().div_ceil(read_chars);
    let range = |k: usize| k * read_chars..((k + 1) * read_chars).min(source.chars());
    let spares = Spares::new();
    let read = |k: usize| read_piece(source, cut_after, range(k), spares.take());
    let pieces = ReadPieces::new(group);
    std::thread::scope(|scope| {
        if read_ahead && ranges > 1 {
            scope.spawn(|| pieces.read_ahead(ranges, read));
        }
        // Stops the helper however this ends (a panic too), so that the scope can join it.
        let _stop = StopOnDrop(&pieces);
        (|| {
            let mut done: Vec<Found> = Vec::new();
            for first in (0..ranges).step_by(group) {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::Cancelled);
                }
                pieces.start_group(first);
                let last = (first + group).min(ranges);
                let ((), found) = rayon::join(
                    || hand_on(std::mem::take(&mut done), &mut sink),
                    || {
                        (first..last)
                            .into_par_iter()
                            .map(|k| {
                                let Some(piece) = pieces.take(k, read)? else {
                                    return Ok(None);
                                };
                                let text = &piece.text[piece.skip..];
                                let matches = find(text)?;
                                let found = Found::keep_surfaces(text, matches, piece.first_char);
                                spares.put(piece.text);
                                Ok(Some(found))
                            })
                            .collect::<Result<Vec<_>>>()
                    },
                );
                done = found?.into_iter().flatten().collect();
            }
            hand_on(done, &mut sink);
            Ok(())
        })()
    })
}

/// Calls [`ReadPieces::stop`] when dropped.
struct StopOnDrop<'a>(&'a ReadPieces);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// Give each piece's matches to `sink`, in order, with code-point offsets in the whole text.
fn hand_on(done: Vec<Found>, sink: &mut impl FnMut(&str, Vec<Match>)) {
    for mut found in done {
        for m in &mut found.matches {
            m.start += found.first_char;
            m.end += found.first_char;
        }
        sink(&found.surfaces, found.matches);
    }
}

/// The piece of the characters `range` (see the module docs), read into `text`'s buffer; None
/// when it is empty.
fn read_piece(
    source: &dyn TextPieces,
    cut_after: &CutBytes,
    range: Range<usize>,
    mut text: String,
) -> Result<Option<Piece>> {
    let total = source.chars();
    let first_cut = |bytes: &[u8]| cut_after.first_in(bytes);
    // Most characters of most texts are one byte; a little more room saves a copy or two.
    text.clear();
    text.reserve(range.len() + range.len() / 16 + 4 * TAIL_CHARS);
    read_chars(source, range.start, range.end, &mut text)?;
    let skip = if range.start == 0 {
        0
    } else {
        match first_cut(text.as_bytes()) {
            Some(at) => at + 1,
            None => return Ok(None),
        }
    };
    let first_char = range.start + text[..skip].chars().count();
    let (mut at, mut more) = (range.end, TAIL_CHARS);
    while at < total {
        let before = text.len();
        let to = at.saturating_add(more).min(total);
        read_chars(source, at, to, &mut text)?;
        if let Some(cut) = first_cut(&text.as_bytes()[before..]) {
            text.truncate(before + cut + 1);
            break;
        }
        (at, more) = (to, more.saturating_mul(2));
    }
    Ok(Some(Piece {
        text,
        skip,
        first_char,
    }))
}

/// Append the characters `from..to` of `source` to `out`.
fn read_chars(source: &dyn TextPieces, from: usize, to: usize, out: &mut String) -> Result<()> {
    let mut at = from;
    while at < to {
        match source.read(at, to - at, out)? {
            0 => {
                return Err(Error::InvalidArgument(format!(
                    "a document stopped giving text at character {at} of {}",
                    source.chars()
                )))
            }
            n => at += n,
        }
    }
    Ok(())
}

/// Who reads which piece: a worker reads its own, unless the helper has read it or is
/// reading it (then the worker takes it, waiting if need be). The helper stays at most two
/// groups ahead of the group the workers are on.
struct ReadPieces {
    state: Mutex<ReadState>,
    changed: Condvar,
    group: usize,
}

#[derive(Default)]
struct ReadState {
    /// The first piece of the group the workers are on; pieces before it are handed on.
    first: usize,
    /// Pieces from `first` on that someone has started reading, with the helper's results.
    claimed: HashMap<usize, Claim>,
    stopped: bool,
}

enum Claim {
    Worker,
    HelperReading,
    HelperRead(Result<Option<Piece>>),
}

impl ReadPieces {
    fn new(group: usize) -> Self {
        Self {
            state: Mutex::new(ReadState::default()),
            changed: Condvar::new(),
            group,
        }
    }

    fn lock(&self) -> MutexGuard<'_, ReadState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The workers start on the group that begins with piece `first`.
    fn start_group(&self, first: usize) {
        let mut state = self.lock();
        state.first = first;
        state.claimed.retain(|&k, _| k >= first);
        self.changed.notify_all();
    }

    /// No more pieces are wanted: the helper stops after the piece it is reading.
    fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }

    /// Piece `k`, read by the helper or else here with `read`.
    fn take(
        &self,
        k: usize,
        read: impl Fn(usize) -> Result<Option<Piece>>,
    ) -> Result<Option<Piece>> {
        let mut state = self.lock();
        loop {
            match state.claimed.remove(&k) {
                None => {
                    state.claimed.insert(k, Claim::Worker);
                    drop(state);
                    return read(k);
                }
                Some(Claim::HelperRead(piece)) => return piece,
                Some(claim) => {
                    state.claimed.insert(k, claim);
                    state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
                }
            }
        }
    }

    /// The helper: read the pieces no worker has started, in order, up to two groups ahead.
    fn read_ahead(&self, ranges: usize, read: impl Fn(usize) -> Result<Option<Piece>>) {
        let mut k = 0;
        loop {
            let mut state = self.lock();
            loop {
                k = k.max(state.first);
                if state.stopped || k >= ranges {
                    return;
                }
                if k < state.first + 2 * self.group {
                    break;
                }
                state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            if state.claimed.contains_key(&k) {
                k += 1;
                continue;
            }
            state.claimed.insert(k, Claim::HelperReading);
            drop(state);
            // A worker may wait for this piece: it gets an error if the reading panics.
            let piece = std::panic::catch_unwind(AssertUnwindSafe(|| read(k)));
            let (piece, panic) = match piece {
                Ok(piece) => (piece, None),
                Err(panic) => {
                    let failed = Error::InvalidArgument("reading a document panicked".into());
                    (Err(failed), Some(panic))
                }
            };
            self.lock().claimed.insert(k, Claim::HelperRead(piece));
            self.changed.notify_all();
            if let Some(panic) = panic {
                std::panic::resume_unwind(panic);
            }
            k += 1;
        }
    }
}
