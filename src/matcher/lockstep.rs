//! The unanchored leftmost-longest search of several texts as independent searches over their
//! pieces, advanced in lockstep on one thread.
//!
//! A DFA search is bound by the latency of one table lookup per byte: each lookup needs the
//! state the previous one produced. Searches over different pieces do not depend on each
//! other, so stepping four (or eight) of them in one loop keeps that many lookups in flight
//! (the DFA is our copy of the crate's, `table`). The streams search pieces of several texts,
//! queued: each text is cut where no match can cross (`split`), so the
//! matches of its pieces, in piece order, are the matches of the whole text, and one long text
//! still fills the streams.
//!
//! Each stream follows the crate's own leftmost-longest search (`find_fwd`): remember the last
//! match state seen, stop at the dead state (or the end of the piece) and report it; a match
//! state from which every byte leads to the dead state is reported at once. After a report
//! the caller decides where that stream resumes.

use super::table::{State, Table, CACHE_RESIDENT_BYTES};
use aho_corasick::PatternID;

/// At most this many streams.
pub(super) const MAX_STREAMS: usize = 8;

/// Pieces shorter than this are not worth a stream of their own (in tests, any piece is, so
/// that short random texts exercise the cuts).
pub(super) const MIN_STREAM_BYTES: usize = if cfg!(test) { 1 } else { 256 };

/// A match the automaton reports: folded byte span and pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub start: usize,
    pub end: usize,
    pub pattern: PatternID,
}

impl From<aho_corasick::Match> for Found {
    fn from(m: aho_corasick::Match) -> Self {
        Found {
            start: m.start(),
            end: m.end(),
            pattern: m.pattern(),
        }
    }
}

/// A stretch `start..end` of one folded text for one stream to search.
#[derive(Clone, Copy, Debug)]
pub(super) struct Piece<'a> {
    pub hay: &'a [u8],
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Copy, Debug)]
struct Stream<'a> {
    /// Which piece (its index in the queue).
    piece: usize,
    hay: &'a [u8],
    at: usize,
    end: usize,
    state: State,
    last: Option<Found>,
}

/// Searches over a queue of pieces, up to `width` of them stepped together; a stream that
/// finishes its piece takes the next one from the queue.
pub(super) struct Lockstep<'a> {
    table: &'a Table,
    pieces: &'a [Piece<'a>],
    queued: usize,
    /// Live streams first (`live` of them).
    streams: [Stream<'a>; MAX_STREAMS],
    live: usize,
}

impl<'a> Lockstep<'a> {
    /// `width`: streams stepped together, 1 to [`MAX_STREAMS`].
    pub(super) fn new(table: &'a Table, pieces: &'a [Piece<'a>], width: usize) -> Self {
        assert!(
            (1..=MAX_STREAMS).contains(&width),
            "1 to {MAX_STREAMS} streams"
        );
        let idle = Stream {
            piece: 0,
            hay: &[],
            at: 0,
            end: 0,
            state: table.start_at(&[], 0),
            last: None,
        };
        let mut search = Self {
            table,
            pieces,
            queued: 0,
            streams: [idle; MAX_STREAMS],
            live: 0,
        };
        while search.live < width && search.queued < pieces.len() {
            search.streams[search.live] = search.stream_for_next_piece();
            search.live += 1;
        }
        search
    }

    fn stream_for_next_piece(&mut self) -> Stream<'a> {
        let piece = self.pieces[self.queued];
        self.queued += 1;
        Stream {
            piece: self.queued - 1,
            hay: piece.hay,
            at: piece.start,
            end: piece.end,
            state: self.table.start_at(piece.hay, piece.start),
            last: None,
        }
    }

    /// The next match of some stream, with its piece. That stream waits until [`Self::resume`].
    pub(super) fn next_match(&mut self) -> Option<(usize, Found)> {
        loop {
            if let Some(found) = self.take_event() {
                return Some(found);
            }
            match self.live {
                0 => return None,
                1 => self.step::<1>(),
                2 => self.step::<2>(),
                3 => self.step::<3>(),
                4 => self.step::<4>(),
                5 => self.step::<5>(),
                6 => self.step::<6>(),
                7 => self.step::<7>(),
                _ => self.step::<8>(),
            }
        }
    }

    /// Restart the search of `piece` at folded byte `at` (within the piece: no match crosses a
    /// cut, and the resume points of `longest` stay inside the match or word they skip).
    pub(super) fn resume(&mut self, piece: usize, at: usize) {
        let table = self.table;
        if let Some(s) = self.streams[..self.live]
            .iter_mut()
            .find(|s| s.piece == piece)
        {
            debug_assert!(at <= s.end, "resume past the end of piece {piece}");
            s.at = at.min(s.end);
            s.state = table.start_at(s.hay, s.at);
            s.last = None;
        }
    }

    /// Record match states; report a stream that is done with its match (dead state or end of
    /// piece); give a stream that ended without one the next piece, or drop it.
    fn take_event(&mut self) -> Option<(usize, Found)> {
        let table = self.table;
        let mut i = 0;
        while i < self.live {
            let s = &mut self.streams[i];
            if table.is_special(s.state) {
                if table.is_dead(s.state) {
                    match s.last.take() {
                        Some(found) => return Some((s.piece, found)),
                        None => s.at = s.end, // nothing more can match here
                    }
                } else {
                    let (pattern, len) = table.match_of(s.state);
                    let found = Found {
                        start: s.at - len,
                        end: s.at,
                        pattern,
                    };
                    if table.is_final_match(s.state) {
                        // The next byte would reach the dead state and report this match.
                        s.last = None;
                        return Some((s.piece, found));
                    }
                    s.last = Some(found);
                }
            }
            if s.at == s.end {
                if let Some(found) = s.last.take() {
                    s.state = table.start_at(s.hay, s.at); // a resume is still expected
                    return Some((s.piece, found));
                }
                if self.queued < self.pieces.len() {
                    self.streams[i] = self.stream_for_next_piece();
                } else {
                    self.live -= 1;
                    self.streams.swap(i, self.live);
                }
                continue;
            }
            i += 1;
        }
        None
    }

    /// Advance the first `K` streams together until one reaches a special state or the end of
    /// its piece.
    #[inline(always)]
    fn step<const K: usize>(&mut self) {
        let table = self.table.stepper();
        let mut state = [self.streams[0].state; K];
        let mut rest: [&[u8]; K] = [&[]; K];
        let mut steps = usize::MAX;
        for k in 0..K {
            let s = &self.streams[k];
            state[k] = s.state;
            rest[k] = &s.hay[s.at..s.end];
            steps = steps.min(rest[k].len());
        }
        let mut taken = 0;
        let mut special = false;
        // The loop is bound by the loads it issues. With four streams or fewer (a table in the
        // cache), eight bytes of each piece are read with one load and shifted out of a
        // register. With more, neither those words nor the pieces' pointers fit in registers;
        // sixteen bytes of each piece are copied to the stack instead, where one offset reaches
        // every stream's byte (docs/performance.md has the measurements).
        if K <= 4 {
            'blocks: while taken + 8 <= steps {
                let mut words = [0u64; K];
                for k in 0..K {
                    let block: [u8; 8] = rest[k][taken..taken + 8].try_into().expect("8 bytes");
                    words[k] = u64::from_le_bytes(block);
                }
                for j in 0..8 {
                    for k in 0..K {
                        let next = table.next(state[k], (words[k] >> (8 * j)) as u8);
                        state[k] = next;
                        special |= table.is_special(next);
                    }
                    if special {
                        taken += j + 1;
                        break 'blocks;
                    }
                }
                taken += 8;
            }
        } else {
            'copies: while taken + 16 <= steps {
                let mut copied = [[0u8; 16]; K];
                for k in 0..K {
                    copied[k] = rest[k][taken..taken + 16].try_into().expect("16 bytes");
                }
                #[allow(clippy::needless_range_loop)] // `j` indexes every stream's copy
                for j in 0..16 {
                    for k in 0..K {
                        let next = table.next(state[k], copied[k][j]);
                        state[k] = next;
                        special |= table.is_special(next);
                    }
                    if special {
                        taken += j + 1;
                        break 'copies;
                    }
                }
                taken += 16;
            }
        }
        while !special && taken < steps {
            for k in 0..K {
                // SAFETY: `taken < steps`, the length of the shortest piece. The compiler kept
                // a bounds check per stream (a length reloaded from the stack and a branch).
                let byte = unsafe { *rest[k].get_unchecked(taken) };
                let next = table.next(state[k], byte);
                state[k] = next;
                special |= table.is_special(next);
            }
            taken += 1;
        }
        for (s, state) in self.streams.iter_mut().zip(state) {
            s.state = state;
            s.at += taken;
        }
    }
}

/// How many streams to step together over `table`: four while it stays in the cache (more
/// spill registers), eight beyond, where each lookup waits on memory.
pub(super) fn width_for(table: &Table) -> usize {
    #[cfg(test)]
    if let Some(width) = FORCED_WIDTH.get() {
        return width;
    }
    if table.memory_usage() <= CACHE_RESIDENT_BYTES {
        4
    } else {
        MAX_STREAMS
    }
}

#[cfg(test)]
thread_local! {
    /// Tests set the number of streams, to check each against one stream: the small lexicons
    /// of tests would always get four.
    pub(super) static FORCED_WIDTH: std::cell::Cell<Option<usize>> =
        const { std::cell::Cell::new(None) };
}
