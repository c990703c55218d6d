//! One pass: the patterns of the aliases that share one folding, and the search chosen for
//! them. Which search a pass gets depends on the options and on the lexicon's size
//! ([`build_pass`]); the searches themselves live in the sibling modules.

use super::huge_pages;
use super::options::MatchOptions;
use super::prefixes::Prefixes;
use super::table::{self, Table};
use super::typos::TypoIndex;
use super::unfolded;
use super::word_starts::AnchoredAutomaton;
use crate::chars::is_word_char;
use crate::error::{Error, Result};
use crate::lexicon::{AliasId, EntityId, Lexicon};
use crate::normalize::{fold_alias, FoldOptions};
use crate::scan::thread_pool;
use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, nfa, AhoCorasick, AhoCorasickKind, MatchKind, StartKind};
use rayon::prelude::*;

/// An alias of a pattern: its id, its entity, and whether it is a prefix entry.
pub(super) type PatternAlias = (AliasId, EntityId, bool);

/// The aliases of a pattern, in lexicon order. Nearly every pattern has one, kept inside the
/// pattern itself: with a million patterns, a list on the heap was a second cache miss on
/// every match (the pattern's record, then its list), after the table's.
#[derive(Debug)]
pub(super) enum Aliases {
    One(PatternAlias),
    Many(Box<[PatternAlias]>),
}

impl Aliases {
    fn new(list: &[PatternAlias]) -> Self {
        match list {
            [one] => Aliases::One(*one),
            _ => Aliases::Many(list.into()),
        }
    }
}

impl std::ops::Deref for Aliases {
    type Target = [PatternAlias];
    #[inline]
    fn deref(&self) -> &[PatternAlias] {
        match self {
            Aliases::One(alias) => std::slice::from_ref(alias),
            Aliases::Many(list) => list,
        }
    }
}

impl<'a> IntoIterator for &'a Aliases {
    type Item = &'a PatternAlias;
    type IntoIter = std::slice::Iter<'a, PatternAlias>;
    #[inline]
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// What is known about one folded pattern of an automaton.
#[derive(Debug)]
pub(super) struct Pattern {
    /// Aliases folding to this pattern, in lexicon order, with whether each is a prefix entry.
    pub(super) aliases: Aliases,
    pub(super) word_at_start: bool,
    pub(super) word_at_end: bool,
    /// Whether its span in an original searched unfolded may be longer than it (it holds a
    /// space or a quote, which a run of whitespace or a typographic character folds to).
    pub(super) may_stretch: bool,
}

/// How a pass finds its patterns.
#[derive(Debug)]
pub(super) enum Search {
    /// Overlapping mode: every candidate, from a standard unanchored automaton.
    Overlapping(AhoCorasick),
    /// The next start from a leftmost-longest unanchored automaton (which reports the longest
    /// alias there); the shorter aliases at that start, when needed, from that alias's
    /// prefixes.
    Unanchored { next: NextStart, prefixes: Prefixes },
    /// Whole words with a lexicon too large for a DFA: anchored walks from word starts only.
    WordStarts(Box<AnchoredAutomaton>),
}

/// The leftmost-longest unanchored automaton of a pass.
#[derive(Debug)]
pub(super) enum NextStart {
    /// A DFA as our own table (`table`), searched over pieces of the texts in lockstep
    /// (`lockstep`), or one piece at a time where several foldings are merged.
    Table(Box<table::Table>),
    /// A DFA the crate gave a prefilter (a few patterns, or rare bytes, which SIMD finds
    /// faster than any walk of the automaton): searched by the crate, which uses it.
    Prefiltered(Box<dfa::DFA>),
    /// The crate's own search, for a lexicon too large for a DFA (and as tests' reference).
    OneStream(AhoCorasick),
}

/// One automaton over one folding of the document.
#[derive(Debug)]
pub(super) struct Pass {
    pub(super) fold: FoldOptions,
    pub(super) search: Search,
    pub(super) patterns: Vec<Pattern>,
    /// Whether any alias is a prefix entry (only those can outgrow their pattern).
    pub(super) has_prefix: bool,
    /// The ASCII bytes that occur in its patterns.
    pub(super) ascii_in_patterns: [bool; 128],
    /// Typo-tolerant matching, when asked for.
    pub(super) typos: Option<TypoIndex>,
    /// The lockstep table over original bytes, for documents searched unfolded (`unfolded`),
    /// where the pass allows it.
    pub(super) unfolded: Option<Box<Table>>,
}

/// Up to this many bytes of folded patterns (~25,000 names) the automaton is a DFA.
const DFA_MAX_PATTERN_BYTES: usize = 300_000;

/// Which search a non-overlapping whole-word pass uses; tests force each to compare them.
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SearchChoice {
    /// The unanchored search on a DFA while the lexicon is small enough for one; walks from
    /// word starts on an NFA beyond.
    Auto,
    /// Walks from word starts whatever the size.
    Walks,
    /// The unanchored leftmost-longest search, as without whole words; in lockstep even where
    /// a prefilter would be used.
    Unanchored,
    /// The same, by the crate's own search over the whole text instead of in lockstep.
    OneStream,
    /// The unanchored search in lockstep with whole words on a word-start table
    /// (`Table::for_word_starts`) whatever the size.
    WordStartTable,
}

pub(super) fn build_pass(
    lexicon: &Lexicon,
    fold: FoldOptions,
    options: MatchOptions,
    choice: SearchChoice,
    wanted: impl Fn(bool) -> bool,
) -> Result<Option<Pass>> {
    let (texts, slots) = folded_patterns(lexicon, fold, wanted)?;
    let (starts, aliases) = aliases_by_pattern(texts.len(), &slots);
    drop(slots);
    // Read at random, one entry a match: on huge pages, a TLB miss less for each.
    let mut patterns: Vec<Pattern> = Vec::with_capacity(texts.len());
    huge_pages::advise_huge(&patterns);
    patterns.extend(
        texts
            .iter()
            .zip(starts.windows(2))
            .map(|(text, range)| Pattern {
                aliases: Aliases::new(&aliases[range[0] as usize..range[1] as usize]),
                word_at_start: text.chars().next().is_some_and(is_word_char),
                word_at_end: text.chars().next_back().is_some_and(is_word_char),
                may_stretch: text.bytes().any(|b| matches!(b, b' ' | b'\'' | b'"')),
            }),
    );
    drop((starts, aliases));
    if texts.is_empty() {
        return Ok(None);
    }
    // A DFA searches several times faster than the contiguous NFA but takes far more memory;
    // the crate picks it only for tiny pattern sets, so choose it ourselves while it is small.
    let pattern_bytes: usize = texts.iter().map(String::len).sum();
    let small = pattern_bytes <= DFA_MAX_PATTERN_BYTES;
    let has_prefix = patterns
        .iter()
        .any(|p| p.aliases.iter().any(|&(_, _, prefix)| prefix));
    // Walks from word starts skip the inside of words, where the unanchored search runs the
    // automaton over every byte and stops at aliases glued to other letters (`oman` in
    // `woman`), and they touch only the top of the trie, where the unanchored search of a big
    // automaton wanders over all of it. But each walk waits on its own lookups, while the
    // unanchored DFA's streams (`lockstep`) keep several in flight, which is faster. So walks
    // are for lexicons too large for a DFA.
    let word_starts = match choice {
        SearchChoice::Auto => !small,
        SearchChoice::Walks => true,
        SearchChoice::Unanchored | SearchChoice::OneStream | SearchChoice::WordStartTable => false,
    };
    // The bytes that occur in the patterns.
    let mut in_patterns = [false; 256];
    for &byte in texts.iter().flat_map(|t| t.as_bytes()) {
        in_patterns[usize::from(byte)] = true;
    }
    let unanchored = |match_kind, start_kind| {
        AhoCorasick::builder()
            .match_kind(match_kind)
            .start_kind(start_kind)
            .kind(small.then_some(AhoCorasickKind::DFA))
            .build(&texts)
            .map_err(|e| Error::Automaton(e.to_string()))
    };
    let search = if options.overlapping {
        Search::Overlapping(unanchored(MatchKind::Standard, StartKind::Unanchored)?)
    } else if options.whole_words && word_starts {
        // Prefix-entry stems may begin a longer word.
        let stem: Vec<bool> = patterns
            .iter()
            .map(|p| p.aliases.iter().any(|&(_, _, prefix)| prefix))
            .collect();
        Search::WordStarts(Box::new(AnchoredAutomaton::for_word_starts(&texts, &stem)?))
    } else {
        // Unanchored only: an automaton with both start kinds is twice the size, and the
        // aliases at a start are the longest one's prefixes (`prefixes`).
        let next = if small && choice != SearchChoice::OneStream {
            // Tests force the lockstep on the small lexicons that would get a prefilter.
            let prefilter = !matches!(
                choice,
                SearchChoice::Unanchored | SearchChoice::WordStartTable
            );
            let dfa = |patterns: &[String]| {
                dfa::DFA::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Unanchored)
                    .prefilter(prefilter)
                    .build(patterns)
                    .map_err(|e| Error::Automaton(e.to_string()))
            };
            let word_start_table = options.whole_words
                && match choice {
                    SearchChoice::WordStartTable => true,
                    SearchChoice::Unanchored => false,
                    _ => table::word_starts_pay(pattern_bytes, &in_patterns),
                };
            if word_start_table {
                // The crate gives its prefilter to the NFA it builds a DFA from: asking the
                // NFA is enough to know, and cheaper than a DFA the table would not use.
                let gets_prefilter = prefilter
                    && nfa::noncontiguous::NFA::builder()
                        .match_kind(MatchKind::LeftmostLongest)
                        .build(&texts)
                        .map_err(|e| Error::Automaton(e.to_string()))?
                        .prefilter()
                        .is_some();
                if gets_prefilter {
                    NextStart::Prefiltered(Box::new(dfa(&texts)?))
                } else {
                    let starts_with_word: Vec<bool> =
                        patterns.iter().map(|p| p.word_at_start).collect();
                    NextStart::Table(Box::new(Table::for_word_starts(
                        &texts,
                        &starts_with_word,
                        &in_patterns,
                    )?))
                }
            } else {
                let dfa = dfa(&texts)?;
                if dfa.prefilter().is_some() {
                    NextStart::Prefiltered(Box::new(dfa))
                } else {
                    NextStart::Table(Box::new(Table::new(&dfa, &in_patterns)))
                }
            }
        } else {
            NextStart::OneStream(unanchored(
                MatchKind::LeftmostLongest,
                StartKind::Unanchored,
            )?)
        };
        Search::Unanchored {
            next,
            prefixes: Prefixes::new(&texts, &AnchoredAutomaton::build(&texts)?),
        }
    };
    let ascii_in_patterns: [bool; 128] = std::array::from_fn(|b| in_patterns[b]);
    // Documents are searched unfolded only by the lockstep, and only for exact matches.
    let unfolded = match &search {
        Search::Unanchored {
            next: NextStart::Table(table),
            ..
        } if options.max_edits == 0 => {
            unfolded::table(table, fold.case_fold, &in_patterns).map(Box::new)
        }
        _ => None,
    };
    let typos = (options.max_edits > 0).then(|| {
        TypoIndex::new(
            &texts,
            &patterns,
            usize::from(options.max_edits),
            usize::from(options.typo_min_chars),
        )
    });
    Ok(Some(Pass {
        fold,
        search,
        patterns,
        has_prefix,
        ascii_in_patterns,
        typos,
        unfolded,
    }))
}

/// The folded text of every wanted alias once (`texts`, in order of first appearance), and
/// for each wanted alias in lexicon order the index of its text, its id, entity and whether it
/// is a prefix entry. The folding runs on the lexiscan pool (a million aliases: the larger
/// part of a build's own work); an alias that folds to nothing is an error, the first in
/// lexicon order.
#[allow(clippy::type_complexity)]
fn folded_patterns(
    lexicon: &Lexicon,
    fold: FoldOptions,
    wanted: impl Fn(bool) -> bool,
) -> Result<(Vec<String>, Vec<(usize, AliasId, EntityId, bool)>)> {
    let aliases = lexicon.aliases();
    let ids: Vec<usize> = (0..aliases.len())
        .filter(|&id| wanted(aliases[id].case_sensitive))
        .collect();
    let fold_one = |&id: &usize| {
        let (text, prefix) = split_prefix_entry(&aliases[id].text);
        (fold_alias(text, fold), prefix)
    };
    let (mut folded, prefixes): (Vec<String>, Vec<bool>) = if ids.len() < PARALLEL_FOLD_MIN_ALIASES
    {
        ids.iter().map(fold_one).unzip()
    } else {
        thread_pool(None)?.install(|| ids.par_iter().map(fold_one).unzip())
    };
    if let Some(at) = folded.iter().position(String::is_empty) {
        let alias = &aliases[ids[at]];
        return Err(Error::EmptyAlias {
            entity: lexicon.entities()[alias.entity as usize].name.clone(),
            alias: alias.text.clone(),
        });
    }
    // Texts are numbered in order of first appearance; each keeps the String of its first
    // alias, moved to the front of `folded` after the map that borrows them is gone.
    let mut slots = Vec::with_capacity(ids.len());
    let mut first_of_slot: Vec<usize> = Vec::new();
    {
        let mut by_text: hashbrown::HashMap<&str, usize> =
            hashbrown::HashMap::with_capacity(folded.len());
        for (at, ((&id, text), &prefix)) in ids.iter().zip(&folded).zip(&prefixes).enumerate() {
            let next = by_text.len();
            let slot = *by_text.entry(text.as_str()).or_insert(next);
            if slot == next {
                first_of_slot.push(at);
            }
            let entity = aliases[id].entity;
            slots.push((slot, id as AliasId, entity, prefix));
        }
    }
    // In place (the k-th first appearance is at k or after it), not into a new vector:
    // freeing this one (~25 MB with a million aliases) would raise glibc's threshold for
    // giving a block pages of its own to its size, and more of the search's growing vectors
    // would then grow inside the heap, leaving holes (13 MB of that build's peak).
    for (k, &at) in first_of_slot.iter().enumerate() {
        folded.swap(k, at);
    }
    folded.truncate(first_of_slot.len());
    Ok((folded, slots))
}

/// The aliases of each pattern in lexicon order, all in one list: pattern `k`'s are
/// `list[starts[k]..starts[k + 1]]`. A list of its own per pattern was a million small blocks
/// on the heap, freed as soon as the patterns' records were made and left there as holes the
/// search's build could not use (~75 MB of a million-alias build's peak).
fn aliases_by_pattern(
    n_patterns: usize,
    slots: &[(usize, AliasId, EntityId, bool)],
) -> (Vec<u32>, Vec<PatternAlias>) {
    let mut starts = vec![0u32; n_patterns + 1];
    for &(slot, ..) in slots {
        starts[slot + 1] += 1;
    }
    for k in 0..n_patterns {
        starts[k + 1] += starts[k];
    }
    let mut next = starts.clone();
    let mut list = vec![(0, 0, false); slots.len()];
    for &(slot, id, entity, prefix) in slots {
        list[next[slot] as usize] = (id, entity, prefix);
        next[slot] += 1;
    }
    (starts, list)
}

/// Below this many aliases a build folds them on the calling thread.
const PARALLEL_FOLD_MIN_ALIASES: usize = 20_000;

/// `invad*` is a prefix entry (quanteda's and LIWC's glob): it matches `invade`, `invading`...
/// A `*` counts only at the end, after a letter, mark or digit, so `M*A*S*H` is literal.
pub(crate) fn split_prefix_entry(alias: &str) -> (&str, bool) {
    let trimmed = alias.trim_end();
    match trimmed.strip_suffix('*') {
        Some(stem) if stem.chars().next_back().is_some_and(is_word_char) => (stem, true),
        _ => (alias, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_entries_end_in_a_star_after_a_word_character() {
        assert_eq!(split_prefix_entry("invad*"), ("invad", true));
        assert_eq!(split_prefix_entry("invad*  "), ("invad", true));
        assert_eq!(split_prefix_entry("M*A*S*H"), ("M*A*S*H", false));
        assert_eq!(split_prefix_entry("*"), ("*", false));
        assert_eq!(split_prefix_entry("a *"), ("a *", false));
    }

    /// Texts in order of first appearance, each with its aliases in lexicon order, whether
    /// the folding runs on the calling thread or on the pool.
    #[test]
    fn patterns_keep_their_aliases_in_lexicon_order() {
        for filler in [0, PARALLEL_FOLD_MIN_ALIASES] {
            let mut lex = Lexicon::new();
            let rows = ["Zürich", "Genf", "ZURICH", "Zurich*", "genf", "Bern"];
            for (k, alias) in rows.iter().enumerate() {
                lex.add_entity(&format!("e{k}"), &[*alias], None, false, false)
                    .unwrap();
            }
            for k in 0..filler {
                lex.add_entity("filler", &[format!("w{k}")], None, false, false)
                    .unwrap();
            }
            let fold = FoldOptions {
                case_fold: true,
                accent_fold: true,
            };
            let (texts, slots) = folded_patterns(&lex, fold, |_| true).unwrap();
            assert_eq!(texts.len(), 3 + filler);
            assert_eq!(texts[..3], ["zurich", "genf", "bern"]);
            let (starts, list) = aliases_by_pattern(texts.len(), &slots);
            let of = |k: usize| list[starts[k] as usize..starts[k + 1] as usize].to_vec();
            assert_eq!(of(0), [(0, 0, false), (2, 2, false), (3, 3, true)]);
            assert_eq!(of(1), [(1, 1, false), (4, 4, false)]);
            assert_eq!(of(2), [(5, 5, false)]);
            if filler > 0 {
                assert_eq!(texts[3 + filler - 1], format!("w{}", filler - 1));
                assert_eq!(of(3 + filler - 1), [(5 + filler as u32, 6, false)]);
            }
        }
    }
}
