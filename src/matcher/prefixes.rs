//! The patterns that start where the longest one starts, known from that one alone.
//!
//! A leftmost-longest search reports the longest pattern at a start. Every other pattern at
//! that start ends earlier, and its bytes are the text's there, which are the longest
//! pattern's: it is a proper prefix of that pattern. So the list is made once per pattern at
//! build time, instead of walking a trie over the text wherever the longest alias fails its
//! checks (`oman` glued in `omani`); those walks missed the cache on nearly every state.

use super::word_starts::AnchoredAutomaton;
use crate::chars::is_word_char;
use aho_corasick::PatternID;

/// For each pattern, the patterns that are proper prefixes of it; and whether any pattern may
/// start inside a word, where the search resumes after a start that fails.
#[derive(Debug)]
pub(super) struct Prefixes {
    /// `entries[first[p]..first[p + 1]]` belong to pattern `p`.
    first: Vec<u32>,
    /// (length, pattern), shortest first.
    entries: Vec<(u32, PatternID)>,
    all_start_with_word: bool,
}

impl Prefixes {
    /// `trie` is built on `patterns` (distinct texts), in the same order.
    pub(super) fn new(patterns: &[String], trie: &AnchoredAutomaton) -> Prefixes {
        let all_start_with_word = patterns
            .iter()
            .all(|p| p.chars().next().is_some_and(is_word_char));
        let mut first = Vec::with_capacity(patterns.len() + 1);
        let mut entries = Vec::new();
        let mut found = Vec::new();
        for pattern in patterns {
            first.push(entries.len() as u32);
            found.clear();
            trie.patterns_at(pattern.as_bytes(), 0, &mut found);
            entries.extend(
                found
                    .iter()
                    .filter(|&&(end, _)| end < pattern.len())
                    .map(|&(end, p)| (end as u32, p)),
            );
        }
        first.push(entries.len() as u32);
        Prefixes {
            first,
            entries,
            all_start_with_word,
        }
    }

    /// Whether every pattern begins with a letter or digit (so none starts inside a word).
    pub(super) fn all_start_with_word(&self) -> bool {
        self.all_start_with_word
    }

    /// Every pattern that starts at `start` when `longest` (ending at `end`) is the longest
    /// there, as (end, pattern), shortest first, `longest` last; appended to `out`.
    #[inline]
    pub(super) fn patterns_at(
        &self,
        start: usize,
        longest: PatternID,
        end: usize,
        out: &mut Vec<(usize, PatternID)>,
    ) {
        let p = longest.as_usize();
        let range = self.first[p] as usize..self.first[p + 1] as usize;
        out.extend(
            self.entries[range]
                .iter()
                .map(|&(len, pattern)| (start + len as usize, pattern)),
        );
        out.push((end, longest));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list from the longest pattern is the list a walk over the text gives.
    #[test]
    fn the_prefixes_of_the_longest_are_the_patterns_at_its_start() {
        let patterns: Vec<String> = ["new", "new york", "york", "new york city", "ne", "é", "éa"]
            .map(String::from)
            .to_vec();
        let trie = AnchoredAutomaton::build(&patterns).unwrap();
        let prefixes = Prefixes::new(&patterns, &trie);
        for text in ["new york city!", "xx new york", "newark", "york", "éa"] {
            for start in 0..text.len() {
                let mut walked = Vec::new();
                trie.patterns_at(text.as_bytes(), start, &mut walked);
                let Some(&(end, longest)) = walked.last() else {
                    continue;
                };
                let mut listed = Vec::new();
                prefixes.patterns_at(start, longest, end, &mut listed);
                assert_eq!(listed, walked, "{text:?} at {start}");
            }
        }
        let ids = |p: usize| {
            let mut out = Vec::new();
            prefixes.patterns_at(0, PatternID::must(p), patterns[p].len(), &mut out);
            out.iter().map(|&(_, q)| q.as_usize()).collect::<Vec<_>>()
        };
        assert_eq!(ids(3), [4, 0, 1, 3]);
        assert_eq!(ids(2), [2]);
        assert_eq!(ids(6), [5, 6]);
    }
}
