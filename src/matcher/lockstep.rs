//! The unanchored leftmost-longest search of one text as several independent searches over its
//! pieces, advanced in lockstep on one thread.
//!
//! A DFA search is bound by the latency of one table lookup per byte: each lookup needs the
//! state the previous one produced. Searches over different pieces of the text do not depend on
//! each other, so stepping two to four of them in one loop keeps that many lookups in flight
//! (on the bench_scan corpus, one thread: ~2× with two streams and ~2.5× with four, measured on
//! the crate's DFA alone). Pieces are cut where no match can cross (`split`), so the matches of
//! the pieces, in piece order, are the matches of the whole text.
//!
//! Each stream follows the crate's own leftmost-longest search (`find_fwd`): remember the last
//! match state seen, stop at the dead state (or the end of the piece) and report it. After a
//! report the caller decides where that stream resumes.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{dfa::DFA, Anchored, PatternID};

/// At most this many streams; four hide most of the latency without spilling registers.
pub(super) const STREAMS: usize = 4;

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

#[derive(Clone, Copy, Debug)]
struct Stream {
    /// Which piece (its rank in text order).
    piece: usize,
    at: usize,
    end: usize,
    state: StateID,
    last: Option<Found>,
}

/// Searches over the pieces `bounds[i]..bounds[i + 1]` of `hay`, stepped together.
pub(super) struct Lockstep<'a> {
    dfa: &'a DFA,
    hay: &'a [u8],
    start: StateID,
    /// Live streams first (`live` of them); a finished stream is swapped out.
    streams: [Stream; STREAMS],
    live: usize,
}

impl<'a> Lockstep<'a> {
    /// `bounds`: 0, the cuts, `hay.len()`; at most `STREAMS + 1` of them.
    pub(super) fn new(dfa: &'a DFA, hay: &'a [u8], bounds: &[usize]) -> Self {
        assert!(
            (2..=STREAMS + 1).contains(&bounds.len()),
            "1 to {STREAMS} pieces"
        );
        let start = dfa
            .start_state(Anchored::No)
            .expect("built with an unanchored start state");
        let idle = Stream {
            piece: 0,
            at: 0,
            end: 0,
            state: start,
            last: None,
        };
        let mut streams = [idle; STREAMS];
        for (i, w) in bounds.windows(2).enumerate() {
            streams[i] = Stream {
                piece: i,
                at: w[0],
                end: w[1],
                ..idle
            };
        }
        Self {
            dfa,
            hay,
            start,
            streams,
            live: bounds.len() - 1,
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
                _ => self.step::<4>(),
            }
        }
    }

    /// Restart the search of `piece` at folded byte `at` (within the piece: no match crosses a
    /// cut, and the resume points of `longest` stay inside the match or word they skip).
    pub(super) fn resume(&mut self, piece: usize, at: usize) {
        let start = self.start;
        if let Some(s) = self.streams[..self.live]
            .iter_mut()
            .find(|s| s.piece == piece)
        {
            debug_assert!(at <= s.end, "resume past the end of piece {piece}");
            s.at = at.min(s.end);
            s.state = start;
            s.last = None;
        }
    }

    /// Record match states; report a stream that is done with its match (dead state or end of
    /// piece), and drop the streams that ended without one.
    fn take_event(&mut self) -> Option<(usize, Found)> {
        let (dfa, start) = (self.dfa, self.start);
        let mut i = 0;
        while i < self.live {
            let s = &mut self.streams[i];
            if dfa.is_special(s.state) {
                if dfa.is_dead(s.state) {
                    match s.last.take() {
                        Some(found) => return Some((s.piece, found)),
                        None => s.at = s.end, // nothing more can match here
                    }
                } else if dfa.is_match(s.state) {
                    let pattern = dfa.match_pattern(s.state, 0);
                    s.last = Some(Found {
                        start: s.at - dfa.pattern_len(pattern),
                        end: s.at,
                        pattern,
                    });
                }
            }
            if s.at == s.end {
                if let Some(found) = s.last.take() {
                    s.state = start; // not a match state: a resume is still expected
                    return Some((s.piece, found));
                }
                self.live -= 1;
                self.streams.swap(i, self.live);
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
        let (dfa, hay) = (self.dfa, self.hay);
        let mut state = [self.start; K];
        let mut at = [0; K];
        let mut steps = usize::MAX;
        for k in 0..K {
            state[k] = self.streams[k].state;
            at[k] = self.streams[k].at;
            steps = steps.min(self.streams[k].end - at[k]);
        }
        for _ in 0..steps {
            let mut special = false;
            for k in 0..K {
                let next = dfa.next_state(Anchored::No, state[k], hay[at[k]]);
                state[k] = next;
                at[k] += 1;
                special |= dfa.is_special(next);
            }
            if special {
                break;
            }
        }
        for k in 0..K {
            self.streams[k].state = state[k];
            self.streams[k].at = at[k];
        }
    }
}
