//! Near misses: words of the corpus that are one or two edits away from a word of an alias
//! ("formin" for Fomin) but matched nothing. Reported apart from the matches, never mixed in.
//!
//! The search is bounded: the alias words go into a symmetric-deletion index
//! (`edits::WordIndex`, as in SymSpell); a corpus word looks up only its own deletions — a few
//! dozen hash lookups — never a comparison with every alias, and candidates are confirmed with
//! a real edit distance.

use super::documents::each_document;
use crate::edits::WordIndex;
use crate::error::{Error, Result};
use crate::lexicon::{EntityId, Lexicon};
use crate::matcher::{AccentMode, Matcher};
use crate::normalize::{fold_alias, fold_with_offsets, FoldOptions};
use crate::scan::ScanResult;
use crate::spans::{word_spans, SortedSpans};
use std::collections::HashMap;

/// The near misses of a corpus, one row per (near miss, entity it may misspell), in document
/// order: see [`near_miss_table`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NearMissTable {
    /// Document position.
    pub doc: Vec<u64>,
    /// The word as written.
    pub word: Vec<String>,
    pub start: Vec<u64>,
    pub end: Vec<u64>,
    /// Index into `alias_words`.
    pub alias_word: Vec<u32>,
    pub distance: Vec<u32>,
    pub entity: Vec<EntityId>,
    /// The alias words (folded) that some row is near, in order of first use.
    pub alias_words: Vec<String>,
}

/// Words of `texts` (documents by position) within `max_edits` (1 or 2) of a word of at least
/// `min_chars` (3 or more) characters of an alias of `matcher`'s lexicon, outside every match of
/// `result`; found per document in parallel on the pool of `n_threads`.
///
/// ```
/// use lexiscan::analysis::near_miss::near_miss_table;
/// use lexiscan::{scan::scan, Lexicon, MatchOptions, Matcher};
/// let mut lex = Lexicon::new();
/// lex.add("Alexander Fomin", &["Fomin"], None, false).unwrap();
/// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
/// let texts = [Some("Fomin spoke."), Some("Deputy minister Alexander formin.")];
/// let result = scan(&m, &texts, 0, Some(1)).unwrap();
/// let near = near_miss_table(&result, &texts, &m, 5, 1, Some(1)).unwrap();
/// assert_eq!((near.doc, near.word, near.alias_words), (vec![1], vec!["formin".to_owned()], vec!["fomin".to_owned()]));
/// assert!(near_miss_table(&result, &texts, &m, 5, 3, None).is_err());
/// ```
pub fn near_miss_table(
    result: &ScanResult,
    texts: &[Option<&str>],
    matcher: &Matcher,
    min_chars: usize,
    max_edits: usize,
    n_threads: Option<usize>,
) -> Result<NearMissTable> {
    if !(1..=2).contains(&max_edits) {
        return Err(Error::InvalidArgument(format!(
            "max_edits must be 1 or 2, not {max_edits}"
        )));
    }
    if min_chars < 3 {
        return Err(Error::InvalidArgument(format!(
            "min_chars must be at least 3 (shorter words are one edit from too many), not \
             {min_chars}"
        )));
    }
    let fold = FoldOptions {
        case_fold: true,
        accent_fold: matcher.options().accents == AccentMode::Fold,
    };
    let index = NearMissIndex::new(matcher.lexicon(), fold, min_chars, max_edits);
    let found = each_document(result, texts, n_threads, |text, rows| {
        let spans: Vec<(u64, u64)> = rows.map(|i| (result.start(i), result.end(i))).collect();
        index.find(text, &spans)
    })?;
    let mut table = NearMissTable::default();
    // Alias words are renumbered to those that occur, so the table's list is short.
    let mut renumbered: Vec<Option<u32>> = Vec::new();
    for (doc, misses) in found.into_iter().enumerate() {
        let text = texts[doc].unwrap_or("");
        for miss in misses {
            let slot = miss.word as usize;
            if renumbered.len() <= slot {
                renumbered.resize(slot + 1, None);
            }
            let alias_word = *renumbered[slot].get_or_insert_with(|| {
                table.alias_words.push(index.word(miss.word).0.to_owned());
                (table.alias_words.len() - 1) as u32
            });
            for &entity in &miss.entities {
                table.doc.push(doc as u64);
                table.word.push(text[miss.bytes.0..miss.bytes.1].to_owned());
                table.start.push(miss.start);
                table.end.push(miss.end);
                table.alias_word.push(alias_word);
                table.distance.push(miss.distance);
                table.entity.push(entity);
            }
        }
    }
    Ok(table)
}

/// The alias words of a lexicon, indexed by their deletions.
#[derive(Debug)]
pub struct NearMissIndex {
    fold: FoldOptions,
    min_chars: usize,
    /// Folded alias words ...
    words: WordIndex,
    /// ... and, by word id, the entities whose aliases contain it.
    entities: Vec<Vec<EntityId>>,
    /// Every word of every alias (even short ones), with the entities it names: these words
    /// are never near misses, and they vouch for a neighbour ("Alexander formin").
    exact: HashMap<String, Vec<EntityId>>,
}

/// One near miss. Offsets are code points in the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearMiss {
    pub start: u64,
    pub end: u64,
    /// The same span in bytes.
    pub bytes: (usize, usize),
    /// Index of the alias word in [`NearMissIndex::word`].
    pub word: u32,
    pub distance: u32,
    /// The entities it may be a misspelling of: all of the alias word's when the word is
    /// capitalised, else those a neighbouring word vouches for.
    pub entities: Vec<EntityId>,
}

impl NearMissIndex {
    /// Index the words of at least `min_chars` characters of every alias.
    ///
    /// ```
    /// use lexiscan::analysis::near_miss::NearMissIndex;
    /// use lexiscan::normalize::FoldOptions;
    /// let mut lex = lexiscan::Lexicon::new();
    /// lex.add("Alexander Fomin", &["Fomin"], None, false).unwrap();
    /// let fold = FoldOptions { case_fold: true, accent_fold: true };
    /// let index = NearMissIndex::new(&lex, fold, 5, 1);
    /// let found = index.find("Minister Alexander formin said", &[]);
    /// assert_eq!(found.len(), 1);
    /// assert_eq!((found[0].start, found[0].end), (19, 25));
    /// assert_eq!(index.word(found[0].word).0, "fomin");
    /// ```
    pub fn new(lexicon: &Lexicon, fold: FoldOptions, min_chars: usize, max_edits: usize) -> Self {
        let mut words = WordIndex::new(max_edits);
        let mut entities: Vec<Vec<EntityId>> = Vec::new();
        let mut exact: HashMap<String, Vec<EntityId>> = HashMap::new();
        for alias in lexicon.aliases() {
            let folded = fold_alias(&alias.text, fold);
            for word in folded.split(|c: char| !crate::chars::is_word_char(c)) {
                if word.is_empty() {
                    continue;
                }
                let owners = exact.entry(word.to_owned()).or_default();
                if !owners.contains(&alias.entity) {
                    owners.push(alias.entity);
                }
                if word.chars().count() < min_chars {
                    continue;
                }
                let id = words.add(word) as usize;
                if entities.len() <= id {
                    entities.resize(id + 1, Vec::new());
                }
                if !entities[id].contains(&alias.entity) {
                    entities[id].push(alias.entity);
                }
            }
        }
        Self {
            fold,
            min_chars,
            words,
            entities,
            exact,
        }
    }

    /// Alias word `i` (folded) and the entities whose aliases contain it.
    pub fn word(&self, i: u32) -> (&str, &[EntityId]) {
        (self.words.word(i), &self.entities[i as usize])
    }

    /// The near misses of one document; `matched` are the code-point spans of its matches, in
    /// order of start, whose words are not near misses. A near miss must also look like part of a name:
    /// capitalised in the text, or next to another word of the same entity's aliases
    /// ("Alexander formin") — so that "would" is not reported as a misspelt "World".
    pub fn find(&self, text: &str, matched: &[(u64, u64)]) -> Vec<NearMiss> {
        let folded = fold_with_offsets(text, self.fold);
        let hay = folded.text();
        let words = word_spans(hay);
        let matched = SortedSpans::new(matched);
        let mut out = Vec::new();
        let mut cache: HashMap<&str, Vec<(u32, u32)>> = HashMap::new();
        let mut chars_before = CharCounter::new(text);
        for (i, &(start, end)) in words.iter().enumerate() {
            let word = &hay[start..end];
            let hits = cache.entry(word).or_insert_with(|| self.lookup(word));
            if hits.is_empty() {
                continue;
            }
            let (Some(b0), Some(b1)) = (folded.original_start(start), folded.original_end(end))
            else {
                continue;
            };
            let (first, stop) = (chars_before.at(b0), chars_before.at(b1));
            if matched.overlaps(first, stop) {
                continue;
            }
            let capitalised = text[b0..].chars().next().is_some_and(char::is_uppercase);
            let neighbours = [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|j| words.get(j))
                .map(|&(s, e)| &hay[s..e])
                // Only a distinctive word vouches: "of" in "Revolution of Dignity" does not.
                .filter(|w| w.chars().count() >= self.min_chars)
                .filter_map(|w| self.exact.get(w))
                .collect::<Vec<_>>();
            for &(alias_word, distance) in hits.iter() {
                let entities: Vec<EntityId> = self.entities[alias_word as usize]
                    .iter()
                    .copied()
                    .filter(|e| capitalised || neighbours.iter().any(|owners| owners.contains(e)))
                    .collect();
                if !entities.is_empty() {
                    out.push(NearMiss {
                        start: first,
                        end: stop,
                        bytes: (b0, b1),
                        word: alias_word,
                        distance,
                        entities,
                    });
                }
            }
        }
        out
    }

    /// Alias words within `max_edits` of `word` (folded), closest first; none for a word of
    /// an alias.
    fn lookup(&self, word: &str) -> Vec<(u32, u32)> {
        if self.exact.contains_key(word) {
            return Vec::new();
        }
        let near = self.words.near(word);
        near.into_iter().map(|(i, d)| (i, d as u32)).collect()
    }
}

/// Code points before increasing byte offsets, counted incrementally.
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: u64,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> u64 {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count() as u64;
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(aliases: &[&str], max_edits: usize) -> NearMissIndex {
        let mut lex = Lexicon::new();
        for (i, a) in aliases.iter().enumerate() {
            lex.add(&format!("E{i}"), &[*a], None, false).unwrap();
        }
        let fold = FoldOptions {
            case_fold: true,
            accent_fold: true,
        };
        NearMissIndex::new(&lex, fold, 5, max_edits)
    }

    fn words(index: &NearMissIndex, text: &str) -> Vec<(String, String, u32)> {
        let chars: Vec<char> = text.chars().collect();
        index
            .find(text, &[])
            .into_iter()
            .map(|m| {
                let found: String = chars[m.start as usize..m.end as usize].iter().collect();
                (found, index.word(m.word).0.to_owned(), m.distance)
            })
            .collect()
    }

    #[test]
    fn typos_but_not_other_forms_or_exact_words() {
        let idx = index(&["Alexander Fomin", "Russia", "Stoltenberg"], 1);
        assert_eq!(
            words(
                &idx,
                "Formin, Fomni; Russian, Russias; Stoltenbreg ALEXANDER Fomin"
            ),
            [
                ("Formin".into(), "fomin".into(), 1),
                ("Fomni".into(), "fomin".into(), 1),
                ("Stoltenbreg".into(), "stoltenberg".into(), 1),
            ]
        );
        assert!(words(&idx, "Frmn Stoltnbrg").is_empty());
        // Lower case and alone: a word of its own, not a misspelt name.
        assert!(words(&idx, "the stoltenbreg said").is_empty());
        assert_eq!(words(&idx, "Alexander formin said").len(), 1);
        assert_eq!(words(&index(&["Stoltenberg"], 2), "Stoltnbrg").len(), 1);
    }

    #[test]
    fn words_inside_matches_are_skipped_and_offsets_are_code_points() {
        let idx = index(&["Fomin"], 1);
        let text = "“Formin” and Formín";
        let found = idx.find(text, &[(1, 7)]);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].start, found[0].end), (13, 19));
    }
}
