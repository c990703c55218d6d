//! Whole-word matching when every alias begins with a letter or digit: a match can then start
//! only where a word starts, so instead of running an unanchored automaton over every byte, an
//! anchored walk from each word start follows the trie of aliases until it dies. Most words
//! leave the trie after a byte or two and the rest of the word is skipped without the
//! automaton; one walk also lists every alias at that start (shortest first), which the
//! leftmost-longest choice needs anyway. With a large gazetteer this is about twice as fast as
//! the unanchored search, whose failure transitions wander over the whole automaton.

use crate::chars::is_word_char;
use crate::error::{Error, Result};
use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{nfa, Anchored, MatchKind, PatternID};

/// An anchored contiguous NFA with standard semantics, so that every state on a walk reports
/// the aliases ending there. (A DFA is no faster here: the walks stay near the root, which
/// the NFA keeps dense and in cache.)
#[derive(Clone, Debug)]
pub(super) struct AnchoredAutomaton {
    nfa: nfa::contiguous::NFA,
    start: StateID,
    /// First bytes of the patterns that begin with something other than a letter or digit
    /// (`'s-Hertogenbosch`, `(Old) Town`): those may start anywhere their first byte appears.
    other_starts: Box<[bool; 256]>,
    all_start_with_word: bool,
}

impl AnchoredAutomaton {
    pub(super) fn build(patterns: &[String]) -> Result<Self> {
        let error = |e: String| Error::Automaton(e);
        let nfa = nfa::contiguous::NFA::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .map_err(|e| error(e.to_string()))?;
        let start = nfa
            .start_state(Anchored::Yes)
            .map_err(|e| error(e.to_string()))?;
        let mut other_starts = Box::new([false; 256]);
        for pattern in patterns {
            if !pattern.chars().next().is_some_and(is_word_char) {
                other_starts[usize::from(pattern.as_bytes()[0])] = true;
            }
        }
        let all_start_with_word = !other_starts.contains(&true);
        Ok(Self {
            nfa,
            start,
            other_starts,
            all_start_with_word,
        })
    }

    /// Whether every pattern begins with a letter or digit (so none starts inside a word).
    pub(super) fn all_start_with_word(&self) -> bool {
        self.all_start_with_word
    }

    /// The first byte at or after `from` where a pattern may start: where a word starts, or
    /// a byte that begins one of the patterns that do not begin with a word character.
    #[inline]
    pub(super) fn next_start(&self, text: &str, from: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut at = from;
        // Just after a word character no word starts until a non-word character.
        if at > 0 && at < bytes.len() && text[..at].chars().next_back().is_some_and(is_word_char) {
            at = word_end(text, at);
        }
        while at < bytes.len() {
            let b = bytes[at];
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() || self.other_starts[usize::from(b)] {
                    return Some(at);
                }
                at += 1;
                continue;
            }
            let c = text[at..].chars().next().expect("at is on a char boundary");
            if is_word_char(c) || self.other_starts[usize::from(b)] {
                return Some(at);
            }
            at += c.len_utf8();
        }
        None
    }

    /// Every pattern that starts at byte `start` of `hay`, as (end, pattern), shortest first.
    #[inline]
    pub(super) fn patterns_at(&self, hay: &[u8], start: usize, out: &mut Vec<(usize, PatternID)>) {
        walk(&self.nfa, self.start, hay, start, out);
    }
}

#[inline(always)]
fn walk<A: Automaton>(
    aut: &A,
    mut sid: StateID,
    hay: &[u8],
    start: usize,
    out: &mut Vec<(usize, PatternID)>,
) {
    for (at, &byte) in hay.iter().enumerate().skip(start) {
        sid = aut.next_state(Anchored::Yes, sid, byte);
        if !aut.is_special(sid) {
            continue;
        }
        if aut.is_dead(sid) {
            return;
        }
        if aut.is_match(sid) {
            let len = at + 1 - start;
            for i in 0..aut.match_len(sid) {
                let pattern = aut.match_pattern(sid, i);
                // Standard semantics also report aliases that are suffixes of the walk.
                if aut.pattern_len(pattern) == len {
                    out.push((at + 1, pattern));
                }
            }
        }
    }
}

/// The end of the run of word characters starting at byte `from`.
#[inline]
pub(super) fn word_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                return at;
            }
            at += 1;
            continue;
        }
        let c = text[at..].chars().next().expect("at is on a char boundary");
        if !is_word_char(c) {
            return at;
        }
        at += c.len_utf8();
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_are_word_starts_and_first_bytes_of_other_patterns() {
        let patterns: Vec<String> = ["ab", "(old) town"].map(String::from).to_vec();
        let aut = AnchoredAutomaton::build(&patterns).unwrap();
        let text = "ab, ça-va 7x (old";
        let next = |s: usize| {
            let after = if text.as_bytes()[s] == b'(' {
                s + 1
            } else {
                word_end(text, s)
            };
            aut.next_start(text, after)
        };
        let starts: Vec<usize> =
            std::iter::successors(aut.next_start(text, 0), |&s| next(s)).collect();
        assert_eq!(starts, [0, 4, 8, 11, 14, 15]);
        assert_eq!(aut.next_start(text, 1), Some(4));
        assert_eq!(aut.next_start(text, 2), Some(4));
    }

    #[test]
    fn walks_list_every_alias_at_a_start() {
        let patterns: Vec<String> = ["new", "new york", "york", "new york city"]
            .map(String::from)
            .to_vec();
        {
            let aut = AnchoredAutomaton::build(&patterns).unwrap();
            let mut out = Vec::new();
            aut.patterns_at(b"new york city!", 0, &mut out);
            let ends: Vec<(usize, usize)> = out.iter().map(|&(e, p)| (e, p.as_usize())).collect();
            assert_eq!(ends, [(3, 0), (8, 1), (13, 3)]);
            out.clear();
            aut.patterns_at(b"new york city!", 4, &mut out);
            assert_eq!(out.len(), 1);
            out.clear();
            aut.patterns_at(b"newark", 0, &mut out);
            assert_eq!(out.len(), 1); // "new", whose end the caller then finds glued
        }
    }
}
