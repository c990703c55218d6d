//! Words within a few edits of a set of words, without comparing each with every one: a
//! symmetric-deletion index (as in SymSpell). Every indexed word, and every string it gives with
//! up to `max_edits` characters deleted, maps to that word; a word looked up needs only its own
//! deletions, and each candidate is confirmed by a real distance (Damerau–Levenshtein from
//! `strsim`: a swap of two letters is one edit). Used by typo-tolerant matching
//! (`matcher::typos`) and by near misses (`analysis::near_miss`).

use std::collections::HashMap;

/// Distinct words, indexed by their deletions.
#[derive(Debug, Default)]
pub struct WordIndex {
    max_edits: usize,
    words: Vec<String>,
    ids: HashMap<String, u32>,
    by_deletion: HashMap<String, Vec<u32>>,
}

impl WordIndex {
    /// An empty index for words up to `max_edits` apart.
    pub fn new(max_edits: usize) -> Self {
        Self {
            max_edits,
            ..Self::default()
        }
    }

    /// The id of `word`, added if new.
    pub fn add(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(word.to_owned());
        self.ids.insert(word.to_owned(), id);
        for_each_deletion(word, self.max_edits, &mut |variant| {
            let slot = self.by_deletion.entry(variant.to_owned()).or_default();
            if slot.last() != Some(&id) {
                slot.push(id);
            }
        });
        id
    }

    /// Word `id`.
    pub fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }

    /// The indexed words within `max_edits` of `word` that are not merely another form of it,
    /// as (id, distance), closest first. Another form is a word that only adds to or drops the
    /// end of the other ("Russian", "NATOs"; the word itself): whole-word matching leaves those
    /// out on purpose, and they are no misspellings.
    pub fn near(&self, word: &str) -> Vec<(u32, usize)> {
        let mut hits: Vec<(u32, usize)> = Vec::new();
        let mut seen: Vec<u32> = Vec::new();
        for_each_deletion(word, self.max_edits, &mut |variant| {
            for &id in self.by_deletion.get(variant).into_iter().flatten() {
                if seen.contains(&id) {
                    continue;
                }
                seen.push(id);
                let target = self.word(id);
                if target.starts_with(word) || word.starts_with(target) {
                    continue;
                }
                let distance = strsim::damerau_levenshtein(word, target);
                if distance <= self.max_edits {
                    hits.push((id, distance));
                }
            }
        });
        hits.sort_unstable_by_key(|&(id, d)| (d, id));
        hits
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_words_leave_out_other_forms() {
        use crate::edits::WordIndex;
        let mut index = WordIndex::new(1);
        let fomin = index.add("fomin");
        index.add("russia");
        assert_eq!(index.near("formin"), [(fomin, 1)]);
        assert!(index.near("russian").is_empty());
        assert!(index.near("fomin").is_empty());
    }
    use std::collections::HashSet;

    #[test]
    fn every_deletion_is_visited() {
        for edits in 0..3 {
            let mut seen = HashSet::new();
            for_each_deletion("abcé", edits, &mut |v| {
                seen.insert(v.to_owned());
            });
            // By brute force: every way of deleting up to `edits` of the four characters.
            let chars: Vec<char> = "abcé".chars().collect();
            let mut want = HashSet::new();
            for mask in 0u32..16 {
                if mask.count_ones() as usize <= edits {
                    let kept: String = (0..4)
                        .filter(|i| mask & (1 << i) == 0)
                        .map(|i| chars[i])
                        .collect();
                    want.insert(kept);
                }
            }
            assert_eq!(seen, want, "{edits} edits");
        }
    }

    #[test]
    fn near_words_by_distance_then_id() {
        let mut index = WordIndex::new(2);
        let lavrov = index.add("lavrov");
        let lavrova = index.add("lavrova");
        assert_eq!(index.add("lavrov"), lavrov);
        // A swap is one edit; the closest come first.
        assert_eq!(index.near("lavorv"), [(lavrov, 1), (lavrova, 2)]);
        assert_eq!(index.near("lavrrva"), [(lavrova, 1), (lavrov, 2)]);
        // Another form of an indexed word is not near it, whatever the distance.
        assert_eq!(index.near("lavro"), []);
    }
}
