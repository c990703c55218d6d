//! Typo-tolerant matching (`MatchOptions::max_edits`, off by default): a run of words that is
//! an alias but for up to `max_edits` edits inside one of its words ("Sergei Lavrov" written
//! "Sergei Lavrow") — docs/matching.md §7.
//!
//! The search is bounded, as for near misses: the long alias words (`typo_min_chars`) go into
//! a symmetric-deletion index (`edits::WordIndex`), each with its places in the aliases; a word
//! of the text looks up only its own deletions, and each hit is confirmed by the alias's other
//! words, which must be there exactly. Exact matches always win: a typo match never overlaps
//! one.

use super::code_points::Candidate;
use super::pass::Pattern;
use crate::edits::WordIndex;
use crate::normalize::Folded;
use crate::spans::{word_spans, SortedSpans};
use std::collections::HashMap;

/// An alias as words and what separates them, all folded.
#[derive(Debug)]
struct Phrase {
    pattern: usize,
    words: Vec<String>,
    /// `separators[i]` stands between `words[i]` and `words[i + 1]`.
    separators: Vec<String>,
}

/// The phrases of one folding, indexed by the deletions of their long words.
#[derive(Debug)]
pub(super) struct TypoIndex {
    max_edits: usize,
    min_chars: usize,
    phrases: Vec<Phrase>,
    /// The distinct alias words that take typos ...
    words: WordIndex,
    /// ... and, by word id, their (phrase, word index) places.
    places: Vec<Vec<(u32, u16)>>,
}

impl TypoIndex {
    /// Index the words of at least `min_chars` characters of the patterns (folded aliases)
    /// that begin and end with a word character; prefix entries (`invad*`) take no typos.
    pub(super) fn new(
        texts: &[String],
        patterns: &[Pattern],
        max_edits: usize,
        min_chars: usize,
    ) -> Self {
        let mut phrases = Vec::new();
        let mut words = WordIndex::new(max_edits);
        let mut places: Vec<Vec<(u32, u16)>> = Vec::new();
        for (pattern, (text, info)) in texts.iter().zip(patterns).enumerate() {
            let eligible = info.word_at_start
                && info.word_at_end
                && info.aliases.iter().any(|&(_, _, prefix)| !prefix);
            if !eligible {
                continue;
            }
            let (alias_words, separators) = split_words(text);
            let long = |w: &&str| w.chars().count() >= min_chars;
            if alias_words.len() > usize::from(u16::MAX) || !alias_words.iter().any(long) {
                continue;
            }
            let id = phrases.len() as u32;
            for (i, word) in alias_words.iter().enumerate().filter(|(_, w)| long(w)) {
                let word_id = words.add(word) as usize;
                if places.len() <= word_id {
                    places.resize(word_id + 1, Vec::new());
                }
                places[word_id].push((id, i as u16));
            }
            phrases.push(Phrase {
                pattern,
                words: alias_words.iter().map(|w| (*w).to_owned()).collect(),
                separators: separators.iter().map(|s| (*s).to_owned()).collect(),
            });
        }
        Self {
            max_edits,
            min_chars,
            phrases,
            words,
            places,
        }
    }

    /// Every typo match in `folded` that overlaps none of `exact` (original byte spans, by
    /// start), as candidates in no particular order; the caller chooses among them.
    pub(super) fn find(
        &self,
        folded: &Folded,
        patterns: &[Pattern],
        exact: &[(usize, usize)],
    ) -> Vec<Candidate> {
        let mut out = Vec::new();
        if self.phrases.is_empty() {
            return out;
        }
        let hay = folded.text();
        let words = word_spans(hay);
        let exact = SortedSpans::new(exact);
        let mut cache: HashMap<&str, Vec<(u32, u16, u8)>> = HashMap::new();
        for (j, &(start, end)) in words.iter().enumerate() {
            let word = &hay[start..end];
            let found = cache.entry(word).or_insert_with(|| self.lookup(word));
            for &(phrase, i, edits) in found.iter() {
                let phrase = &self.phrases[phrase as usize];
                let i = usize::from(i);
                let Some(first) = j.checked_sub(i) else {
                    continue;
                };
                let last = first + phrase.words.len() - 1;
                if last >= words.len() || !rest_is_exact(phrase, hay, &words, first, i) {
                    continue;
                }
                let (Some(orig_start), Some(orig_end)) = (
                    folded.original_start(words[first].0),
                    folded.original_end(words[last].1),
                ) else {
                    continue;
                };
                if exact.overlaps(orig_start, orig_end) {
                    continue;
                }
                for &(alias, entity, prefix) in &patterns[phrase.pattern].aliases {
                    if !prefix {
                        out.push(Candidate {
                            start: orig_start,
                            end: orig_end,
                            entity,
                            alias,
                            edits,
                        });
                    }
                }
            }
        }
        out
    }

    /// The (phrase, word index, edits) whose word is within `max_edits` of `word`, but not
    /// equal to it (equal words are the exact matcher's) nor another form of it.
    fn lookup(&self, word: &str) -> Vec<(u32, u16, u8)> {
        // Alias words have at least `min_chars` characters: shorter words cannot reach them.
        if word.chars().count() + self.max_edits < self.min_chars {
            return Vec::new();
        }
        let first = word.chars().next();
        let mut out = Vec::new();
        for (id, distance) in self.words.near(word) {
            // A typo keeps the first letter (`old` is no typo of `cold`).
            if self.words.word(id).chars().next() == first {
                let places = &self.places[id as usize];
                out.extend(places.iter().map(|&(p, i)| (p, i, distance as u8)));
            }
        }
        out
    }
}

/// Whether the words of `phrase` other than word `typo` stand exactly, with exactly its
/// separators, from word `first` of the text on.
fn rest_is_exact(
    phrase: &Phrase,
    hay: &str,
    words: &[(usize, usize)],
    first: usize,
    typo: usize,
) -> bool {
    let n = phrase.words.len();
    (0..n).all(|k| {
        let (start, end) = words[first + k];
        let word_ok = k == typo || hay[start..end] == phrase.words[k];
        let separator_ok = k + 1 == n || hay[end..words[first + k + 1].0] == phrase.separators[k];
        word_ok && separator_ok
    })
}

/// The words of a folded alias that begins and ends with a word character, and the
/// separators between them.
fn split_words(text: &str) -> (Vec<&str>, Vec<&str>) {
    let spans = word_spans(text);
    let words = spans.iter().map(|&(s, e)| &text[s..e]).collect();
    let separators = spans.windows(2).map(|w| &text[w[0].1..w[1].0]).collect();
    (words, separators)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_separators() {
        assert_eq!(
            split_words("st. louis-park"),
            (vec!["st", "louis", "park"], vec![". ", "-"])
        );
    }
}
