//! Which keys appear together: in the same unit (document, sentence) or within N words.

use super::context::{sentence_index, word_index};
use super::documents::per_match;
use crate::error::{Error, Result};
use crate::scan::ScanResult;
use std::collections::HashMap;
use std::str::FromStr;

/// Where two mentions count as together: the same document, the same sentence (Unicode
/// sentence boundaries), or at most N words apart in the same document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    Document,
    Sentence,
    Words(u64),
}

impl Window {
    /// Whether the documents' text is needed (sentences and words are found in it).
    pub fn needs_text(self) -> bool {
        self != Window::Document
    }
}

impl FromStr for Window {
    type Err = Error;

    /// "document", "sentence", or a number of words.
    ///
    /// ```
    /// use lexiscan::analysis::cooccurrence::Window;
    /// assert_eq!("sentence".parse::<Window>().unwrap(), Window::Sentence);
    /// assert_eq!("5".parse::<Window>().unwrap(), Window::Words(5));
    /// assert!("page".parse::<Window>().is_err());
    /// ```
    fn from_str(window: &str) -> Result<Self> {
        match window {
            "document" => Ok(Window::Document),
            "sentence" => Ok(Window::Sentence),
            other => other.parse().map(Window::Words).map_err(|_| {
                Error::InvalidArgument(format!(
                    "window={other:?}: use 'document', 'sentence' or a number of words"
                ))
            }),
        }
    }
}

/// Pairs of distinct keys `a < b` and how often they appear together, sorted by `(a, b)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PairCounts {
    pub a: Vec<u32>,
    pub b: Vec<u32>,
    pub n: Vec<u64>,
}

/// Co-occurrence of the keys of `result`'s matches (`key`: one per match) within `window`.
/// `texts` are the documents by position (needed unless the window is a document); the
/// sentences and words of documents are found in parallel on the pool of `n_threads`.
///
/// ```
/// use lexiscan::analysis::cooccurrence::{cooccurrence, Window};
/// use lexiscan::{scan::scan, Lexicon, MatchOptions, Matcher};
/// let mut lex = Lexicon::new();
/// for name in ["NATO", "Russia", "Kyiv"] {
///     lex.add(name, &[name], None, false).unwrap();
/// }
/// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
/// let texts = [Some("NATO met Russia. Kyiv waited.")];
/// let result = scan(&m, &texts, 0, Some(1)).unwrap();
/// let key: Vec<u32> = (0..result.len()).map(|i| result.entity(i)).collect();
/// let pairs = cooccurrence(&result, &texts, &key, Window::Sentence, Some(1)).unwrap();
/// assert_eq!((pairs.a, pairs.b, pairs.n), (vec![0], vec![1], vec![1]));
/// ```
pub fn cooccurrence(
    result: &ScanResult,
    texts: &[Option<&str>],
    key: &[u32],
    window: Window,
    n_threads: Option<usize>,
) -> Result<PairCounts> {
    if key.len() != result.len() {
        return Err(Error::InvalidArgument(format!(
            "key has {} values for {} matches",
            key.len(),
            result.len()
        )));
    }
    let pairs = match window {
        Window::Document => in_same_unit(&result.docs().collect::<Vec<_>>(), key),
        Window::Words(words) => {
            let word: Vec<u64> = per_match(result, texts, n_threads, word_index)?.concat();
            within_words(&result.docs().collect::<Vec<_>>(), &word, key, words)
        }
        Window::Sentence => {
            // Sentences numbered across the corpus: each document's after the previous one's.
            let mut unit = Vec::with_capacity(result.len());
            let mut first = 0;
            for sentences in per_match(result, texts, n_threads, sentence_index)? {
                let next = first + sentences.iter().max().map_or(0, |&s| s + 1);
                unit.extend(sentences.into_iter().map(|s| first + s));
                first = next;
            }
            in_same_unit(&unit, key)
        }
    };
    let mut out = PairCounts::default();
    for (a, b, n) in pairs {
        out.a.push(a);
        out.b.push(b);
        out.n.push(n);
    }
    Ok(out)
}

/// Number of units in which each pair of distinct keys both appear, as `(a, b, n)` with
/// `a < b`, sorted. `unit` must be non-decreasing (documents in scan order, or sentences
/// numbered in that order).
///
/// ```
/// use lexiscan::analysis::cooccurrence::in_same_unit;
/// // unit 0 has keys 1, 2, 2; unit 1 has 1, 2; unit 2 has 3
/// assert_eq!(in_same_unit(&[0, 0, 0, 1, 1, 2], &[1, 2, 2, 2, 1, 3]), [(1, 2, 2)]);
/// ```
pub fn in_same_unit(unit: &[u64], key: &[u32]) -> Vec<(u32, u32, u64)> {
    let mut pairs: HashMap<(u32, u32), u64> = HashMap::new();
    let mut keys: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < unit.len() {
        let u = unit[i];
        keys.clear();
        while i < unit.len() && unit[i] == u {
            keys.push(key[i]);
            i += 1;
        }
        keys.sort_unstable();
        keys.dedup();
        for (x, &a) in keys.iter().enumerate() {
            for &b in &keys[x + 1..] {
                *pairs.entry((a, b)).or_default() += 1;
            }
        }
    }
    sorted(pairs)
}

/// Number of pairs of mentions of two distinct keys at most `window` words apart in the same
/// document, as `(a, b, n)` with `a < b`, sorted. `word` is each mention's word position.
///
/// ```
/// use lexiscan::analysis::cooccurrence::within_words;
/// // key 1 at word 0, key 2 at word 3, key 1 at word 9 (all in doc 0)
/// assert_eq!(within_words(&[0, 0, 0], &[0, 3, 9], &[1, 2, 1], 5), [(1, 2, 1)]);
/// ```
pub fn within_words(doc: &[u64], word: &[u64], key: &[u32], window: u64) -> Vec<(u32, u32, u64)> {
    let mut order: Vec<usize> = (0..doc.len()).collect();
    order.sort_unstable_by_key(|&i| (doc[i], word[i]));
    let mut pairs: HashMap<(u32, u32), u64> = HashMap::new();
    let mut first = 0;
    for x in 0..order.len() {
        let i = order[x];
        while doc[order[first]] != doc[i] || word[i] - word[order[first]] > window {
            first += 1;
        }
        for &j in &order[first..x] {
            let (a, b) = (key[i].min(key[j]), key[i].max(key[j]));
            if a != b {
                *pairs.entry((a, b)).or_default() += 1;
            }
        }
    }
    sorted(pairs)
}

fn sorted(pairs: HashMap<(u32, u32), u64>) -> Vec<(u32, u32, u64)> {
    let mut out: Vec<_> = pairs.into_iter().map(|((a, b), n)| (a, b, n)).collect();
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{scan::scan, Lexicon, MatchOptions, Matcher};

    fn matcher(names: &[&str]) -> Matcher {
        let mut lex = Lexicon::new();
        for name in names {
            lex.add(name, &[name], None, false).unwrap();
        }
        Matcher::new(lex, MatchOptions::default()).unwrap()
    }

    /// Sentences are numbered across documents: the first sentence of one document is never
    /// the first of the next, whatever the thread count; a missing document has no sentence.
    #[test]
    fn sentences_of_different_documents_stay_apart() {
        let m = matcher(&["NATO", "Russia", "Kyiv"]);
        let texts = [
            Some("NATO met Russia. Kyiv waited."),
            None,
            Some("Kyiv. NATO and Kyiv."),
            Some("Russia"),
        ];
        let result = scan(&m, &texts, 0, Some(1)).unwrap();
        let key: Vec<u32> = (0..result.len()).map(|i| result.entity(i)).collect();
        for n in [1, 2] {
            let pairs = cooccurrence(&result, &texts, &key, Window::Sentence, Some(n)).unwrap();
            assert_eq!(
                (pairs.a, pairs.b, pairs.n),
                (vec![0, 0], vec![1, 2], vec![1, 1])
            );
            let words = cooccurrence(&result, &texts, &key, Window::Words(2), Some(n)).unwrap();
            // NATO-Russia 2 words apart, Russia-Kyiv 1; Kyiv-NATO 1 and NATO-Kyiv 2
            let expected = (vec![0, 0, 1], vec![1, 2, 2], vec![1, 2, 1]);
            assert_eq!((words.a, words.b, words.n), expected);
            let docs = cooccurrence(&result, &[], &key, Window::Document, Some(n)).unwrap();
            assert_eq!(
                (docs.a, docs.b, docs.n),
                (vec![0, 0, 1], vec![1, 2, 2], vec![1, 2, 1])
            );
        }
        assert!(cooccurrence(&result, &texts, &key[1..], Window::Document, None).is_err());
    }
}
