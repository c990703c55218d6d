//! The lockstep table over a document's own bytes: it steps them exactly as the folded
//! table (`crate::matcher::table`) steps the folded copy, for the documents that
//! `super::classify` lets through (ASCII, typographic quotes and dashes, characters that fold
//! to themselves).
//!
//! **What folding does to such a document** (`normalize::fold`): an ASCII letter becomes its
//! lower case (with case folding), other ASCII bytes that are not whitespace or `-` stay; a
//! run of whitespace becomes one space, or one `\n` when it holds two line breaks or more
//! (`\r\n` counting as one); a `-` or a typographic dash becomes a space between two word
//! characters (ASCII letters and digits here), else `-`; a typographic quote becomes `'` or
//! `"`; other characters stay. So each original byte's output depends on no more than the
//! bytes before it in the same run or character, and, for a dash, on whether the byte after
//! it is a letter or digit.
//!
//! **The table.** Its states are pairs (state of the folded table, what is pending): nothing
//! (after a word character or after anything else), a dash after a word character, a run of
//! whitespace with its line breaks so far (0, 1, 1 ending in `\r`, 2 or more), or the first
//! one or two bytes of an `E2` character. A byte steps the pair: it settles what was pending
//! now that the byte is known (a run's space or `\n`, a dash's space or `-`), steps the
//! folded table over that output and then over its own output, or makes its own output
//! pending. So after each original byte that ends a character, run or dash, the table's state
//! is exactly the folded table's state after the folded bytes those original bytes make, and
//! in between the pending output is all that is not yet stepped.
//!
//! **Why the matches are the same.** The lockstep search (`crate::matcher::lockstep`) only reads match states,
//! the dead state and the end of a piece. A pending output is never the last byte of a
//! pattern (no pattern ends in a space and none holds `\n` or `-`; [`table`] refuses a table
//! where a settled output would skip a match state), so the search sees every match state the
//! folded search sees, at the original byte that completes the match, in the same order; and
//! an output left pending at the end of a piece can only reach the dead state, which changes
//! nothing reported. A state where what is pending cannot change the future (a space, a `-`
//! and a `\n` lead to the same state, as they do wherever no pattern goes on with a space) is
//! merged with the state it leads to, which keeps the table near the folded one's size.

use super::classify::{third_byte_role, Third};
use crate::matcher::table::{RowKind, State, Table};
use std::collections::HashMap;

/// What an original byte does to the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    /// Folds to `folded` (one representative of its class in the folded table); `word`: an
    /// ASCII letter or digit.
    Plain {
        folded: u8,
        word: bool,
    },
    /// Whitespace that is no line break.
    Space,
    LineFeed,
    CarriageReturn,
    Hyphen,
    /// `E2`, the first byte of the typographic characters.
    Lead,
    /// A continuation byte: the second byte of an `E2 80` character when `second_80`, and
    /// `third` as the third.
    Continuation {
        second_80: bool,
        third: Third,
    },
}

/// What is pending after the bytes stepped so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Mode {
    /// Nothing, after a byte that is no word character.
    Other,
    /// Nothing, after an ASCII letter or digit.
    Word,
    /// A dash after a word character: a space if a letter or digit follows, else `-`.
    Dash,
    /// A run of whitespace (one space) with `breaks` line breaks so far, the last byte `\r`.
    Run { breaks: u8, after_cr: bool },
    /// A run of whitespace with two line breaks or more (`\n`).
    Paragraph,
    /// `E2`, after a word character or not.
    Lead { word: bool },
    /// `E2 80`, after a word character or not.
    Lead80 { word: bool },
}

/// A byte of no pattern (the patterns are ASCII).
const OTHER: u8 = 0x80;

/// More states than this many times the folded table's is not worth building (never seen).
const MAX_GROWTH: usize = 8;

/// The table that steps original bytes as this module's doc says, or `None` where the
/// pass does not allow it: `folded` must be a plain table (no word-start marks) of ASCII
/// patterns (`in_patterns`) without `-`.
pub(in crate::matcher) fn table(
    folded: &Table,
    case_fold: bool,
    in_patterns: &[bool; 256],
) -> Option<Table> {
    if !folded.starts_anywhere() || in_patterns[128..].iter().any(|&b| b) || in_patterns[45] {
        return None;
    }
    // One representative byte per class of the folded table.
    let mut representative = [None; 256];
    for byte in 0..=255u8 {
        representative[usize::from(folded.class(byte))].get_or_insert(byte);
    }
    let plain = |folded_byte: u8, word: bool| Kind::Plain {
        folded: representative[usize::from(folded.class(folded_byte))].expect("a class"),
        word,
    };
    let kinds: [Kind; 256] = std::array::from_fn(|b| {
        let b = b as u8;
        match b {
            b'\n' => Kind::LineFeed,
            b'\r' => Kind::CarriageReturn,
            b' ' | b'\t' | 0x0B | 0x0C => Kind::Space,
            b'-' => Kind::Hyphen,
            0xE2 => Kind::Lead,
            0x80..=0xBF => Kind::Continuation {
                second_80: b == 0x80,
                third: third_byte_role(b),
            },
            _ if b.is_ascii() => {
                let f = if case_fold { b.to_ascii_lowercase() } else { b };
                plain(f, b.is_ascii_alphanumeric())
            }
            _ => plain(OTHER, false),
        }
    });
    let mut class_kinds: Vec<Kind> = Vec::new();
    let mut classes = [0u8; 256];
    for (byte, kind) in kinds.iter().enumerate() {
        let class = match class_kinds.iter().position(|k| k == kind) {
            Some(class) => class,
            None => {
                class_kinds.push(*kind);
                class_kinds.len() - 1
            }
        };
        classes[byte] = class as u8;
    }
    let product = Product { folded };
    let stride = class_kinds.len();

    // Breadth first from the start, as the folded table is laid out.
    let dead = (folded.dead(), Mode::Other);
    let start = product.canonical(folded.start_at(&[], 0), Mode::Other)?;
    let mut order = vec![dead];
    let mut place: HashMap<(State, Mode), u32> = HashMap::from([(dead, 0)]);
    if start != dead {
        order.push(start);
        place.insert(start, 1);
    }
    let most = MAX_GROWTH * (folded.memory_usage() / 4 + 1);
    let mut successors: Vec<u32> = Vec::new();
    let mut visited = 0;
    while visited < order.len() {
        let (state, mode) = order[visited];
        visited += 1;
        for &kind in &class_kinds {
            let (next, next_mode) = product.step(state, mode, kind)?;
            let next = product.canonical(next, next_mode)?;
            let at = *place.entry(next).or_insert_with(|| {
                order.push(next);
                (order.len() - 1) as u32
            });
            successors.push(at);
        }
        if order.len() * stride > most {
            return None;
        }
    }
    // Rows: the dead state, the final match states, the other match states, the rest, each
    // in breadth-first order.
    let is_match = |&(state, mode): &(State, Mode)| {
        matches!(mode, Mode::Other | Mode::Word) && product.is_match(state)
    };
    let kind = |at: usize| match (at, is_match(&order[at])) {
        (0, _) => RowKind::Dead,
        (_, true)
            if successors[at * stride..(at + 1) * stride]
                .iter()
                .all(|&t| t == 0) =>
        {
            RowKind::FinalMatch
        }
        (_, true) => RowKind::Match,
        (_, false) => RowKind::Other,
    };
    let mut row_of = vec![0u32; order.len()];
    let mut rows = vec![0usize];
    let mut final_matches = 0;
    for want in [RowKind::FinalMatch, RowKind::Match, RowKind::Other] {
        for (at, row) in row_of.iter_mut().enumerate().skip(1) {
            if kind(at) == want {
                *row = rows.len() as u32;
                rows.push(at);
                final_matches += usize::from(want == RowKind::FinalMatch);
            }
        }
    }
    let mut trans = vec![0u32; rows.len() * stride];
    let mut matches = Vec::new();
    for (row, &at) in rows.iter().enumerate() {
        if is_match(&order[at]) {
            let (pattern, len) = folded.match_of(order[at].0);
            matches.push((pattern, len as u32));
        }
        let targets = &successors[at * stride..(at + 1) * stride];
        for (entry, &target) in trans[row * stride..].iter_mut().zip(targets) {
            *entry = row_of[target as usize] * stride as u32;
        }
    }
    Some(Table::from_rows(
        trans,
        classes,
        stride,
        row_of[place[&start] as usize] as usize,
        matches,
        final_matches,
    ))
}

/// The pairs (folded state, pending) and their steps.
struct Product<'a> {
    folded: &'a Table,
}

impl Product<'_> {
    #[inline]
    fn next(&self, state: State, byte: u8) -> State {
        self.folded.stepper().next(state, byte)
    }

    fn is_match(&self, state: State) -> bool {
        self.folded.is_special(state) && !self.folded.is_dead(state)
    }

    /// `state` after a settled output `byte` that another step follows: `None` if that would
    /// pass over a match state unseen (never, for the patterns a table is built for).
    fn settle(&self, state: State, byte: u8) -> Option<State> {
        let next = self.next(state, byte);
        (!self.is_match(next)).then_some(next)
    }

    /// The pair after one original byte of `kind`.
    fn step(&self, state: State, mode: Mode, kind: Kind) -> Option<(State, Mode)> {
        let next_is_word = matches!(kind, Kind::Plain { word: true, .. });
        let white = matches!(kind, Kind::Space | Kind::LineFeed | Kind::CarriageReturn);
        // What was pending, settled now that this byte is known (or continued by it).
        let (state, word) = match mode {
            Mode::Other => (state, false),
            Mode::Word => (state, true),
            Mode::Dash => (
                self.settle(state, if next_is_word { b' ' } else { b'-' })?,
                false,
            ),
            Mode::Run { breaks, after_cr } if white => {
                // `\r\n` is one line break.
                let counted = kind != Kind::Space && !(kind == Kind::LineFeed && after_cr);
                let breaks = breaks + u8::from(counted);
                let mode = if breaks >= 2 {
                    Mode::Paragraph
                } else {
                    Mode::Run {
                        breaks,
                        after_cr: kind == Kind::CarriageReturn,
                    }
                };
                return Some((state, mode));
            }
            Mode::Run { .. } => (self.settle(state, b' ')?, false),
            Mode::Paragraph if white => return Some((state, Mode::Paragraph)),
            Mode::Paragraph => (self.settle(state, b'\n')?, false),
            Mode::Lead { word } => {
                return Some(match kind {
                    Kind::Continuation {
                        second_80: true, ..
                    } => (state, Mode::Lead80 { word }),
                    // Another character of `E2`, which folds to itself: bytes of no pattern.
                    _ => (self.next(self.next(state, OTHER), OTHER), Mode::Other),
                });
            }
            Mode::Lead80 { word } => {
                let third = match kind {
                    Kind::Continuation { third, .. } => third,
                    _ => Third::Itself,
                };
                return Some(match third {
                    Third::Apostrophe => (self.next(state, b'\''), Mode::Other),
                    Third::Quote => (self.next(state, b'"'), Mode::Other),
                    Third::Dash if word => (state, Mode::Dash),
                    Third::Dash => (self.next(state, b'-'), Mode::Other),
                    Third::Itself => {
                        let other = |s| self.next(s, OTHER);
                        (other(other(other(state))), Mode::Other)
                    }
                });
            }
        };
        // The byte's own output, or what it leaves pending.
        Some(match kind {
            Kind::Plain { folded, word } => (
                self.next(state, folded),
                if word { Mode::Word } else { Mode::Other },
            ),
            Kind::Space => (
                state,
                Mode::Run {
                    breaks: 0,
                    after_cr: false,
                },
            ),
            Kind::LineFeed => (
                state,
                Mode::Run {
                    breaks: 1,
                    after_cr: false,
                },
            ),
            Kind::CarriageReturn => (
                state,
                Mode::Run {
                    breaks: 1,
                    after_cr: true,
                },
            ),
            Kind::Hyphen if word => (state, Mode::Dash),
            Kind::Hyphen => (self.next(state, b'-'), Mode::Other),
            Kind::Lead => (state, Mode::Lead { word }),
            Kind::Continuation { .. } => (self.next(state, OTHER), Mode::Other),
        })
    }

    /// The pair that behaves as (`state`, `mode`) on any bytes to come, with nothing pending
    /// where what is pending cannot matter (`Option` only for the callers' convenience).
    fn canonical(&self, state: State, mode: Mode) -> Option<(State, Mode)> {
        if self.folded.is_dead(state) {
            return Some((state, Mode::Other));
        }
        let space = self.next(state, b' ');
        // A space and a `-` lead to the same state: whether a dash is between words is moot.
        let dash_moot = space == self.next(state, b'-');
        // A state that whitespace and bytes of no pattern leave as it is: what a pending run
        // or character settles to, whatever more of it comes. Where the state moves, the
        // pair stays as it is.
        let fixed = |s: State| {
            let stays =
                self.next(s, b' ') == s && self.next(s, b'\n') == s && self.next(s, OTHER) == s;
            Some(if stays {
                (s, Mode::Other)
            } else {
                (state, mode)
            })
        };
        match mode {
            Mode::Other => Some((state, Mode::Other)),
            Mode::Word if dash_moot => Some((state, Mode::Other)),
            Mode::Word => Some((state, Mode::Word)),
            Mode::Dash if dash_moot => Some((space, Mode::Other)),
            Mode::Dash => Some((state, Mode::Dash)),
            Mode::Run { .. } if space == self.next(state, b'\n') => fixed(space),
            Mode::Run { .. } => Some((state, mode)),
            Mode::Paragraph => fixed(self.next(state, b'\n')),
            Mode::Lead { word } | Mode::Lead80 { word } => {
                let other = self.next(state, OTHER);
                let moot = dash_moot
                    && space == other
                    && self.next(state, b'\'') == other
                    && self.next(state, b'"') == other;
                if moot {
                    return fixed(other);
                }
                let word = word && !dash_moot;
                Some(match mode {
                    Mode::Lead { .. } => (state, Mode::Lead { word }),
                    _ => (state, Mode::Lead80 { word }),
                })
            }
        }
    }
}
