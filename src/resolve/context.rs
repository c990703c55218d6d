//! Context phrases near a mention: one small matcher over every entity's `context` list, built
//! once per resolver and run only over a few hundred bytes around each ambiguous mention.

use crate::chars::is_word_char;
use crate::error::Result;
use crate::lexicon::{EntityId, Lexicon};
use crate::matcher::{MatchOptions, Matcher};
use std::collections::HashMap;

/// Bytes looked at on each side of a mention per word of the window: generous for English and
/// Cyrillic words with their spaces; the word count below is the real limit.
const BYTES_PER_WORD: usize = 16;

/// The context phrases of a lexicon, as a matcher whose entities are the phrases.
pub(super) struct ContextPhrases {
    matcher: Matcher,
    /// For each phrase (an entity of `matcher`'s lexicon), the entities it vouches for.
    vouches_for: Vec<Vec<EntityId>>,
    /// Whether each entity of the scanned lexicon has context phrases at all.
    has_context: Vec<bool>,
}

/// Where to look for context around one mention: its byte span in the document.
#[derive(Clone, Copy, Debug)]
pub(super) struct Around {
    pub byte_start: usize,
    pub byte_end: usize,
}

impl ContextPhrases {
    /// None when no entity has context phrases.
    pub fn new(lexicon: &Lexicon) -> Result<Option<Self>> {
        let mut phrases = Lexicon::new();
        let mut vouches_for: Vec<Vec<EntityId>> = Vec::new();
        let mut has_context = vec![false; lexicon.entities().len()];
        // Phrases that differ only in case are one phrase (the matcher folds case anyway).
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (id, entity) in lexicon.entities().iter().enumerate() {
            for phrase in &entity.context {
                let key = phrase.to_lowercase();
                let index = match seen.get(&key) {
                    Some(&index) => index,
                    None => {
                        let index = phrases.add(&key, &[] as &[&str], None, false)? as usize;
                        debug_assert_eq!(index, vouches_for.len());
                        vouches_for.push(Vec::new());
                        seen.insert(key, index);
                        index
                    }
                };
                if !vouches_for[index].contains(&(id as EntityId)) {
                    vouches_for[index].push(id as EntityId);
                }
                has_context[id] = true;
            }
        }
        if vouches_for.is_empty() {
            return Ok(None);
        }
        let matcher = Matcher::new(phrases, MatchOptions::default())?;
        Ok(Some(Self {
            matcher,
            vouches_for,
            has_context,
        }))
    }

    pub fn has_context(&self, entity: EntityId) -> bool {
        self.has_context[entity as usize]
    }

    /// The entities that context phrases vouch for near each mention of `text`, at most
    /// `window` words away (a phrase overlapping the mention does not count): for mention `k`,
    /// (phrase, entity) pairs, each phrase once, in `found.pairs(k)`.
    pub fn near(
        &self,
        text: &str,
        mentions: &[Around],
        window: usize,
        found: &mut Near,
    ) -> Result<()> {
        let reach = window
            .saturating_mul(BYTES_PER_WORD)
            .saturating_add(BYTES_PER_WORD);
        // Pieces of text around the mentions, those that overlap joined, so that no byte is
        // searched twice where mentions stand close together.
        let Near {
            pieces,
            piece_of,
            pairs,
            ends,
        } = found;
        pieces.clear();
        piece_of.clear();
        pairs.clear();
        ends.clear();
        for m in mentions {
            let from = word_start_at_or_after(text, m.byte_start.saturating_sub(reach));
            let to = word_end_at_or_before(text, m.byte_end.saturating_add(reach));
            match pieces.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => pieces.push((from, to)),
            }
            piece_of.push(pieces.len() - 1);
        }
        let texts: Vec<&str> = pieces.iter().map(|&(a, b)| &text[a..b]).collect();
        let in_pieces = self.matcher.find_many(&texts)?;
        for (m, &piece) in mentions.iter().zip(piece_of.iter()) {
            let from = pieces[piece].0;
            let first = pairs.len();
            for phrase in &in_pieces[piece] {
                let (start, end) = (from + phrase.byte_start, from + phrase.byte_end);
                let between = if end <= m.byte_start && end + reach >= m.byte_start {
                    &text[end..m.byte_start]
                } else if start >= m.byte_end && start <= m.byte_end + reach {
                    &text[m.byte_end..start]
                } else {
                    continue; // overlapping the mention, or beyond its reach
                };
                if count_words(between) > window {
                    continue;
                }
                for &entity in &self.vouches_for[phrase.entity as usize] {
                    if !pairs[first..].contains(&(phrase.entity, entity)) {
                        pairs.push((phrase.entity, entity));
                    }
                }
            }
            ends.push(pairs.len());
        }
        Ok(())
    }
}

/// What [`ContextPhrases::near`] found, in buffers a worker reuses from document to document.
#[derive(Default)]
pub(super) struct Near {
    pieces: Vec<(usize, usize)>,
    piece_of: Vec<usize>,
    /// (phrase, entity) pairs of every mention, back to back; mention `k`'s end at `ends[k]`.
    pairs: Vec<(u32, EntityId)>,
    ends: Vec<usize>,
}

impl Near {
    /// The (phrase, entity) pairs near mention `k`.
    pub fn pairs(&self, k: usize) -> &[(u32, EntityId)] {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.pairs[start..self.ends[k]]
    }
}

/// Runs of word characters in `text`.
fn count_words(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        let word = is_word_char(c);
        if word && !in_word {
            words += 1;
        }
        in_word = word;
    }
    words
}

/// The first char boundary at or after `at` that does not cut a word (a piece cut inside a
/// word would let a phrase match the word's tail).
fn word_start_at_or_after(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    let before = text[..at].chars().next_back();
    if before.is_some_and(is_word_char) {
        at += text[at..]
            .char_indices()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(text.len() - at, |(i, _)| i);
    }
    at
}

/// The last char boundary at or before `at` that does not cut a word.
fn word_end_at_or_before(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let after = text[at..].chars().next();
    if after.is_some_and(is_word_char) {
        at = text[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_never_cut_a_word() {
        let text = "Sakartvelo, Tbilisi and the Caucasus";
        for at in 0..=text.len() {
            let start = word_start_at_or_after(text, at);
            let end = word_end_at_or_before(text, at);
            assert!(start >= at.min(text.len()) && end <= at);
            for cut in [start, end] {
                let glued = text[..cut].chars().next_back().is_some_and(is_word_char)
                    && text[cut..].chars().next().is_some_and(is_word_char);
                assert!(!glued, "cut at {cut} of {at}");
            }
        }
    }

    #[test]
    fn phrases_count_within_the_window_only() {
        let mut lex = Lexicon::new();
        let country = lex
            .add("Georgia", &[] as &[&str], Some("COUNTRY"), false)
            .unwrap();
        let state = lex
            .add("Georgia", &[] as &[&str], Some("STATE"), false)
            .unwrap();
        lex.set_resolution_info(country, None, None, &["Tbilisi", "Caucasus"])
            .unwrap();
        lex.set_resolution_info(state, None, None, &["Atlanta", "tbilisi"])
            .unwrap();
        let phrases = ContextPhrases::new(&lex).unwrap().unwrap();
        let text = "Tbilisi is far. one two three Georgia x Caucasus";
        let at = text.find("Georgia").unwrap();
        let around = [Around {
            byte_start: at,
            byte_end: at + 7,
        }];
        let mut near = Near::default();
        phrases.near(text, &around, 3, &mut near).unwrap();
        // Tbilisi is 5 words away: out of a window of 3; Caucasus is 1 word away.
        assert_eq!(near.pairs(0), [(1, country)]);
        phrases.near(text, &around, 6, &mut near).unwrap();
        assert_eq!(near.pairs(0), [(0, country), (0, state), (1, country)]);
        assert_eq!(count_words("  a-b, c "), 3);
    }
}
