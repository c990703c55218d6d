//! Descriptions: which match of a describing kind (a title such as "Deputy Secretary of
//! State", a role, an epithet) stands next to which other match — how a document introduces a
//! person ("U.S. Deputy Secretary of State Wendy Sherman", "Wendy R. Sherman, the assistant
//! secretary of state"). Words and sentences are Unicode's (UAX #29), as for co-occurrence.

use super::context::{sentence_index, word_index};
use super::documents::each_document;
use crate::error::{Error, Result};
use crate::scan::ScanResult;

/// Pairs of match rows of a corpus, `describer[i]` describing `described[i]`: see
/// [`description_pairs`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescriptionPairs {
    pub describer: Vec<u64>,
    pub described: Vec<u64>,
}

/// [`descriptions`] in every document of `texts` (by position): each match of an entity
/// marked in `describing` (one flag per entity) with the nearest other match of its sentence
/// at most `window` words away, as rows of `result`; per document in parallel on the pool of
/// `n_threads`.
///
/// ```
/// use lexiscan::analysis::descriptions::description_pairs;
/// use lexiscan::{scan::scan, Lexicon, MatchOptions, Matcher};
/// let mut lex = Lexicon::new();
/// lex.add("Wendy Sherman", &["Wendy Sherman"], None, false).unwrap();
/// lex.add("Deputy Secretary of State", &["Deputy Secretary of State"], None, false).unwrap();
/// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
/// let texts = [Some("U.S. Deputy Secretary of State Wendy Sherman said.")];
/// let result = scan(&m, &texts, 0, Some(1)).unwrap();
/// let pairs = description_pairs(&result, &texts, &[false, true], 3, Some(1)).unwrap();
/// assert_eq!((pairs.describer, pairs.described), (vec![0], vec![1]));
/// ```
pub fn description_pairs(
    result: &ScanResult,
    texts: &[Option<&str>],
    describing: &[bool],
    window: u64,
    n_threads: Option<usize>,
) -> Result<DescriptionPairs> {
    if let Some(entity) = (0..result.len())
        .map(|i| result.entity(i))
        .find(|&e| e as usize >= describing.len())
    {
        return Err(Error::InvalidArgument(format!(
            "describing has {} entities, but the result has entity {entity}",
            describing.len()
        )));
    }
    let found = each_document(result, texts, n_threads, |text, rows| {
        let mentions: Vec<Mention> = rows
            .clone()
            .map(|i| Mention {
                start: result.start(i),
                end: result.end(i),
                describes: describing[result.entity(i) as usize],
            })
            .collect();
        descriptions(text, &mentions, window)
            .into_iter()
            .map(|(d, o)| ((rows.start + d) as u64, (rows.start + o) as u64))
            .collect()
    })?;
    let (describer, described) = found.into_iter().flatten().unzip();
    Ok(DescriptionPairs {
        describer,
        described,
    })
}

/// One match of a document for [`descriptions`]: code-point offsets and whether it is of the
/// describing kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mention {
    pub start: u64,
    pub end: u64,
    pub describes: bool,
}

/// Pairs (describer, described) of indices into `mentions` (one document's matches, by
/// start): each describing mention goes with the nearest other mention of its sentence (no
/// sentence boundary between them) at most `window` words away, before or after it, not
/// overlapping it; on a tie the one after
/// it (a title comes before a name more often than after). A mention can be described more
/// than once ("Deputy Foreign Minister Sergei Ryabkov, the chief negotiator").
///
/// ```
/// use lexiscan::analysis::descriptions::{descriptions, Mention};
/// let text = "Deputy Secretary of State Wendy Sherman met Sergei Ryabkov, Russia's deputy foreign minister.";
/// let m = |start, end, describes| Mention { start, end, describes };
/// let mentions = [m(0, 25, true), m(26, 39, false), m(44, 58, false), m(69, 92, true)];
/// assert_eq!(descriptions(text, &mentions, 3), [(0, 1), (3, 2)]);
/// ```
pub fn descriptions(text: &str, mentions: &[Mention], window: u64) -> Vec<(usize, usize)> {
    if !mentions.iter().any(|m| m.describes) {
        return Vec::new();
    }
    let starts: Vec<u64> = mentions.iter().map(|m| m.start).collect();
    let ends: Vec<u64> = mentions.iter().map(|m| m.end).collect();
    // Two mentions share a sentence when the first ends in the sentence where the second
    // starts: a sentence boundary inside a name ("Wendy R. Sherman": UAX #29 ends a sentence
    // after "R.") does not part it from its title.
    let sentence_of_start = sentence_index(text, &starts);
    let sentence_of_end = sentence_index(text, &ends);
    // Words that begin before a match start, and before its end: the words strictly between
    // a match ending at `a` and one starting at `b` are word(b) - word_end(a).
    let first_word = word_index(text, &starts);
    let after_word = word_index(text, &ends);
    // The most words (and sentence boundaries) one match spans: how far back a match ending
    // near a title may start.
    let longest = (0..mentions.len())
        .map(|i| after_word[i] - first_word[i])
        .max()
        .unwrap_or(0);
    let widest = (0..mentions.len())
        .map(|i| sentence_of_end[i] - sentence_of_start[i])
        .max()
        .unwrap_or(0);
    let mut pairs = Vec::new();
    for (d, describer) in mentions.iter().enumerate().filter(|(_, m)| m.describes) {
        let mut best: Option<(u64, bool, usize)> = None; // (gap, before it, index)
        let mut consider = |o: usize, gap: u64, before: bool| {
            let other = &mentions[o];
            let overlaps = other.start < describer.end && describer.start < other.end;
            if !other.describes
                && !overlaps
                && gap <= window
                && best.is_none_or(|b| (gap, before) < (b.0, b.1))
            {
                best = Some((gap, before, o));
            }
        };
        // Mentions come by start: walk out from this one, within its sentence and window.
        for o in d + 1..mentions.len() {
            if sentence_of_start[o] > sentence_of_end[d] || first_word[o] > after_word[d] + window {
                break;
            }
            if mentions[o].start >= describer.end && sentence_of_start[o] == sentence_of_end[d] {
                consider(o, first_word[o] - after_word[d], false);
            }
        }
        for o in (0..d).rev() {
            let too_far = sentence_of_start[o] + widest < sentence_of_start[d]
                || first_word[d] > first_word[o] + longest + window;
            if too_far {
                break;
            }
            if mentions[o].end <= describer.start && sentence_of_end[o] == sentence_of_start[d] {
                consider(o, first_word[d].saturating_sub(after_word[o]), true);
            }
        }
        if let Some((_, _, o)) = best {
            pairs.push((d, o));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(start: u64, end: u64, describes: bool) -> Mention {
        Mention {
            start,
            end,
            describes,
        }
    }

    #[test]
    fn the_nearest_in_the_sentence_and_the_window() {
        let text = "Minister Ann Lee. Minister, said Bob to Carl.";
        //          0        9   13 16  19      27   32  36 39  44
        let mentions = [
            mention(0, 8, true),
            mention(9, 16, false),
            mention(18, 26, true),
            mention(33, 36, false),
            mention(40, 44, false),
        ];
        // The second title is one word from Bob, three from Carl; Ann Lee is another sentence.
        assert_eq!(descriptions(text, &mentions, 3), [(0, 1), (2, 3)]);
        assert_eq!(descriptions(text, &mentions, 0), [(0, 1)]);
        assert!(descriptions(text, &mentions[1..2], 3).is_empty());
        // A sentence boundary inside a name does not part it from its title.
        let text = "Wendy R. Sherman, the envoy.";
        let mentions = [mention(0, 16, false), mention(22, 27, true)];
        assert_eq!(descriptions(text, &mentions, 3), [(1, 0)]);
    }
}
