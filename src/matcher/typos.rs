//! Typo-tolerant matching (`MatchOptions::max_edits`, off by default): a run of words that is
//! an alias but for up to `max_edits` edits inside one of its words ("Sergei Lavrov" written
//! "Sergei Lavrow") — docs/matching.md §7.
//!
//! The search is bounded, as for near misses: a symmetric-deletion index (as in SymSpell) maps
//! every string that a long alias word (`typo_min_chars`) gives with up to `max_edits`
//! characters deleted to that word, and the word to its places in the aliases. A word of the text then needs only its own deletions looked up;
//! each hit is confirmed by the alias's other words, which must be there exactly, and by a
//! real edit distance (Damerau–Levenshtein, from `strsim`: a swap of two letters is one edit). Exact matches always win: a typo match never overlaps one.

use super::{Candidate, Pattern};
use crate::chars::is_word_char;
use crate::normalize::Folded;
use std::collections::{HashMap, HashSet};

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
    /// The distinct alias words that take typos, each with its (phrase, word index) places.
    words: Vec<(String, Vec<(u32, u16)>)>,
    /// A deletion variant -> the words (indices into `words`) that give it.
    by_deletion: HashMap<String, Vec<u32>>,
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
        let mut words: Vec<(String, Vec<(u32, u16)>)> = Vec::new();
        let mut word_ids: HashMap<String, u32> = HashMap::new();
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
                let word_id = *word_ids.entry((*word).to_owned()).or_insert_with(|| {
                    words.push(((*word).to_owned(), Vec::new()));
                    (words.len() - 1) as u32
                });
                words[word_id as usize].1.push((id, i as u16));
            }
            phrases.push(Phrase {
                pattern,
                words: alias_words.iter().map(|w| (*w).to_owned()).collect(),
                separators: separators.iter().map(|s| (*s).to_owned()).collect(),
            });
        }
        let mut by_deletion: HashMap<String, Vec<u32>> = HashMap::new();
        for (word_id, (word, _)) in words.iter().enumerate() {
            for variant in deletions(word, max_edits) {
                by_deletion.entry(variant).or_default().push(word_id as u32);
            }
        }
        Self {
            max_edits,
            min_chars,
            phrases,
            words,
            by_deletion,
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
        // The furthest end among the first i + 1 exact spans (they come by start).
        let furthest_end: Vec<usize> = exact
            .iter()
            .scan(0, |furthest, &(_, end)| {
                *furthest = end.max(*furthest);
                Some(*furthest)
            })
            .collect();
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
                if overlaps(exact, &furthest_end, orig_start, orig_end) {
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
    /// equal to it (equal words are the exact matcher's).
    fn lookup(&self, word: &str) -> Vec<(u32, u16, u8)> {
        let mut out = Vec::new();
        // Alias words have at least `min_chars` characters: shorter words cannot reach them.
        if word.chars().count() + self.max_edits < self.min_chars {
            return out;
        }
        let mut seen: Vec<u32> = Vec::new();
        for_each_deletion(word, self.max_edits, &mut |variant| {
            for &word_id in self.by_deletion.get(variant).into_iter().flatten() {
                if seen.contains(&word_id) {
                    continue;
                }
                seen.push(word_id);
                let (target, places) = &self.words[word_id as usize];
                if !looks_like_a_typo(word, target) {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(word, target);
                if distance > 0 && distance <= self.max_edits {
                    out.extend(places.iter().map(|&(p, i)| (p, i, distance as u8)));
                }
            }
        });
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

/// A typo keeps the first letter and is not the word with letters added or cut at its end:
/// those are other words or other forms of it (`russian`, `exercised` for `russia`,
/// `exercise`; `old` for `cold`), not misspellings.
fn looks_like_a_typo(word: &str, target: &str) -> bool {
    word.chars().next() == target.chars().next()
        && !word.starts_with(target)
        && !target.starts_with(word)
}

/// Whether the span overlaps one of `spans` (sorted by start; `furthest_end[i]` is the
/// furthest end among the first i + 1).
fn overlaps(spans: &[(usize, usize)], furthest_end: &[usize], start: usize, end: usize) -> bool {
    let before_end = spans.partition_point(|&(s, _)| s < end);
    before_end > 0 && furthest_end[before_end - 1] > start
}

/// Byte spans of the runs of word characters of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), open) {
            (true, None) => open = Some(i),
            (false, Some(start)) => {
                spans.push((start, i));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        spans.push((start, text.len()));
    }
    spans
}

/// The words of a folded alias that begins and ends with a word character, and the
/// separators between them.
fn split_words(text: &str) -> (Vec<&str>, Vec<&str>) {
    let spans = word_spans(text);
    let words = spans.iter().map(|&(s, e)| &text[s..e]).collect();
    let separators = spans.windows(2).map(|w| &text[w[0].1..w[1].0]).collect();
    (words, separators)
}

/// Call `f` on `word` and on every string it gives with up to `edits` characters deleted
/// (some more than once), without a set or a string per variant.
fn for_each_deletion(word: &str, edits: usize, f: &mut impl FnMut(&str)) {
    f(word);
    if edits == 0 {
        return;
    }
    let mut shorter = String::with_capacity(word.len());
    for (i, c) in word.char_indices() {
        shorter.clear();
        shorter.push_str(&word[..i]);
        shorter.push_str(&word[i + c.len_utf8()..]);
        for_each_deletion(&shorter, edits - 1, f);
    }
}

/// `word` and every string it gives with up to `edits` characters deleted.
pub(crate) fn deletions(word: &str, edits: usize) -> HashSet<String> {
    let mut all: HashSet<String> = HashSet::from([word.to_owned()]);
    let mut frontier = vec![word.to_owned()];
    for _ in 0..edits {
        let mut next = Vec::new();
        for w in &frontier {
            for (i, c) in w.char_indices() {
                let shorter = format!("{}{}", &w[..i], &w[i + c.len_utf8()..]);
                if all.insert(shorter.clone()) {
                    next.push(shorter);
                }
            }
        }
        frontier = next;
    }
    all
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
        assert_eq!(word_spans("(ab) c"), [(1, 3), (5, 6)]);
    }

    #[test]
    fn typos_keep_the_first_letter_and_are_no_other_word_form() {
        assert!(looks_like_a_typo("formin", "fomin"));
        assert!(looks_like_a_typo("lavrow", "lavrov"));
        assert!(!looks_like_a_typo("russian", "russia"));
        assert!(!looks_like_a_typo("russ", "russia"));
        assert!(!looks_like_a_typo("old", "cold"));
    }

    #[test]
    fn every_deletion_is_visited() {
        for edits in 0..3 {
            let mut seen = HashSet::new();
            for_each_deletion("abcé", edits, &mut |v| {
                seen.insert(v.to_owned());
            });
            assert_eq!(seen, deletions("abcé", edits));
        }
    }

    #[test]
    fn overlap_checks_every_earlier_span() {
        let spans = [(0, 10), (2, 3), (20, 25)];
        let furthest = [10, 10, 25];
        assert!(overlaps(&spans, &furthest, 5, 6));
        assert!(overlaps(&spans, &furthest, 24, 30));
        assert!(!overlaps(&spans, &furthest, 10, 20));
        assert!(!overlaps(&spans, &furthest, 25, 26));
    }
}
