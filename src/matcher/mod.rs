//! Finding the aliases of a lexicon in one text (docs/matching.md §3–6).
//!
//! Overlapping mode collects every candidate from a standard automaton. Non-overlapping mode
//! (the default) walks a leftmost-longest automaton instead, so it never generates the
//! candidates that the greedy choice would throw away (see `longest`).

mod lockstep;
mod longest;
mod prefixes;
mod split;
mod table;
mod typos;
mod word_starts;

use crate::chars::is_word_char;
use crate::error::{Error, Result};
use crate::lexicon::{AliasId, EntityId, Lexicon};
use crate::normalize::{fold_alias, fold_with_offsets, FoldOptions, Folded};
use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, nfa, AhoCorasick, AhoCorasickKind, MatchKind, StartKind};
use prefixes::Prefixes;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use typos::TypoIndex;
use word_starts::AnchoredAutomaton;

/// Whether letter case matters for every alias or only for those added as case-sensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseMode {
    Insensitive,
    Sensitive,
}

/// Whether diacritics are removed before matching.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccentMode {
    Fold,
    Keep,
}

/// How a [`Matcher`] matches; the defaults are the ones users get from Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchOptions {
    pub case: CaseMode,
    pub accents: AccentMode,
    pub whole_words: bool,
    pub overlapping: bool,
    /// Typo tolerance: also match aliases with up to this many edits inside one of their
    /// words (0: off, the default; at most [`MAX_EDITS`]).
    #[serde(default)]
    pub max_edits: u8,
    /// Only alias words of at least this many (folded) characters take typos.
    #[serde(default = "default_typo_min_chars")]
    pub typo_min_chars: u8,
}

/// The most edits typo-tolerant matching allows.
pub const MAX_EDITS: u8 = 2;

fn default_typo_min_chars() -> u8 {
    5
}

impl Default for MatchOptions {
    fn default() -> Self {
        Self {
            case: CaseMode::Insensitive,
            accents: AccentMode::Fold,
            whole_words: true,
            overlapping: false,
            max_edits: 0,
            typo_min_chars: default_typo_min_chars(),
        }
    }
}

/// One match in one text. `start`/`end` are code points (Python `str` indices), end exclusive;
/// `byte_start`/`byte_end` the same span in UTF-8 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub entity: EntityId,
    pub alias: AliasId,
    /// 0 for an exact match; the edits of a typo match (`MatchOptions::max_edits`).
    pub edits: u8,
}

/// What is known about one folded pattern of an automaton.
#[derive(Debug)]
struct Pattern {
    /// Aliases folding to this pattern, in lexicon order, with whether each is a prefix entry.
    aliases: Vec<(AliasId, EntityId, bool)>,
    word_at_start: bool,
    word_at_end: bool,
}

/// How a pass finds its patterns.
#[derive(Debug)]
enum Search {
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
enum NextStart {
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
struct Pass {
    fold: FoldOptions,
    search: Search,
    patterns: Vec<Pattern>,
    /// Whether any alias is a prefix entry (only those can outgrow their pattern).
    has_prefix: bool,
    /// The ASCII bytes that occur in its patterns.
    ascii_in_patterns: [bool; 128],
    /// Typo-tolerant matching, when asked for.
    typos: Option<TypoIndex>,
}

/// A lexicon compiled for matching. Immutable, so one matcher is safe to share between threads.
///
/// ```
/// use lexiscan::{Lexicon, Matcher, MatchOptions};
/// let mut lex = Lexicon::new();
/// lex.add("Russia", &["Russian Federation"], Some("GPE"), false).unwrap();
/// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
/// let text = "Russian troops; NATO–Russia talks; Russia’s envoy";
/// let found: Vec<_> = m.find(text).unwrap().iter().map(|x| (x.start, x.end)).collect();
/// assert_eq!(found, [(21, 27), (35, 41)]);
/// ```
#[derive(Debug)]
pub struct Matcher {
    lexicon: Arc<Lexicon>,
    options: MatchOptions,
    passes: Vec<Pass>,
    /// ASCII bytes after which a document may be cut into pieces (`split`).
    cut_after: [bool; 128],
}

/// A match before its offsets are turned into code points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Candidate {
    start: usize,
    end: usize,
    entity: EntityId,
    alias: AliasId,
    edits: u8,
}

impl Matcher {
    /// Compile `lexicon` with `options`. A shared lexicon (`Arc`) is kept, not copied.
    pub fn new(lexicon: impl Into<Arc<Lexicon>>, options: MatchOptions) -> Result<Self> {
        Self::with_search(lexicon.into(), options, SearchChoice::Auto)
    }

    fn with_search(
        lexicon: Arc<Lexicon>,
        options: MatchOptions,
        choice: SearchChoice,
    ) -> Result<Self> {
        if options.max_edits > MAX_EDITS {
            return Err(Error::InvalidOption {
                name: "max_edits",
                value: options.max_edits.to_string(),
                allowed: "0 (off), 1, 2",
            });
        }
        if options.typo_min_chars == 0 {
            return Err(Error::InvalidOption {
                name: "typo_min_chars",
                value: "0".into(),
                allowed: "1 to 255",
            });
        }
        let accent_fold = options.accents == AccentMode::Fold;
        let mut passes = Vec::new();
        for case_fold in [true, false] {
            let fold = FoldOptions {
                case_fold,
                accent_fold,
            };
            let wanted = |sensitive: bool| {
                let alias_case_fold = !sensitive && options.case == CaseMode::Insensitive;
                alias_case_fold == case_fold
            };
            if let Some(pass) = build_pass(&lexicon, fold, options, choice, wanted)? {
                passes.push(pass);
            }
        }
        let cut_after = split::cut_bytes(&passes);
        Ok(Self {
            lexicon,
            options,
            passes,
            cut_after,
        })
    }

    /// The lexicon this matcher was compiled from.
    pub fn lexicon(&self) -> &Arc<Lexicon> {
        &self.lexicon
    }

    /// The options this matcher was compiled with.
    pub fn options(&self) -> MatchOptions {
        self.options
    }

    /// All matches in `text`, ordered by start, longest first, then entity order.
    pub fn find(&self, text: &str) -> Result<Vec<Match>> {
        Ok(self
            .find_many(&[text])?
            .pop()
            .expect("one text in, one out"))
    }

    /// The matches of each text, as [`Matcher::find`] gives them. Texts searched together
    /// keep more of the processor busy than one at a time (`lockstep`). A text of 4 GiB or
    /// more is refused, with its index as `doc`.
    ///
    /// ```
    /// use lexiscan::{Lexicon, Matcher, MatchOptions};
    /// let mut lex = Lexicon::new();
    /// lex.add("Kyiv", &["Kiev"], None, false).unwrap();
    /// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    /// let found = m.find_many(&["Kiev, Kyiv", "nothing", "KYIV"]).unwrap();
    /// let counts: Vec<usize> = found.iter().map(Vec::len).collect();
    /// assert_eq!(counts, [2, 0, 1]);
    /// ```
    pub fn find_many(&self, texts: &[&str]) -> Result<Vec<Vec<Match>>> {
        if let Some((doc, text)) = texts
            .iter()
            .enumerate()
            .find(|(_, t)| t.len() >= u32::MAX as usize)
        {
            return Err(Error::DocumentTooLarge {
                doc,
                bytes: text.len(),
            });
        }
        // Each pass's folding of each text, made once for the exact and the typo matches.
        let folded: Vec<Vec<Folded>> = texts
            .iter()
            .map(|text| {
                self.passes
                    .iter()
                    .map(|p| fold_with_offsets(text, p.fold))
                    .collect()
            })
            .collect();
        let exact = if self.options.overlapping {
            folded
                .iter()
                .map(|f| self.select(self.candidates(f)))
                .collect()
        } else {
            longest::find_many(
                &self.passes,
                &folded,
                self.options.whole_words,
                &self.cut_after,
            )
        };
        let found = texts
            .iter()
            .zip(&folded)
            .zip(exact)
            .map(|((text, folded), exact)| {
                let found = self.with_typos(folded, exact);
                // The fold saw every byte; a second look at a text that left the cache long
                // ago was ~2% of a scan (10,000 aliases).
                let ascii = folded
                    .first()
                    .map_or_else(|| text.is_ascii(), Folded::original_is_ascii);
                if ascii {
                    with_byte_offsets(found)
                } else if self.options.overlapping {
                    to_code_points(text, found)
                } else {
                    to_code_points_in_order(text, found)
                }
            });
        Ok(found.collect())
    }

    /// The exact matches and, with `max_edits`, the typo matches that overlap none of them,
    /// in result order (non-overlapping mode: leftmost-longest among the typo matches too);
    /// one row per (span, entity), the fewest edits first, then the alias added first.
    fn with_typos(&self, folded: &[Folded], exact: Vec<Candidate>) -> Vec<Candidate> {
        if !self.passes.iter().any(|p| p.typos.is_some()) {
            return exact;
        }
        let spans: Vec<(usize, usize)> = exact.iter().map(|c| (c.start, c.end)).collect();
        let mut typos = Vec::new();
        for (pass, folded) in self.passes.iter().zip(folded) {
            if let Some(index) = &pass.typos {
                typos.extend(index.find(folded, &pass.patterns, &spans));
            }
        }
        if typos.is_empty() {
            return exact;
        }
        typos.sort_unstable_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.entity, c.edits));
        if !self.options.overlapping {
            // Leftmost-longest among the typo matches too (all rows of the span taken).
            let mut taken: Option<(usize, usize)> = None;
            typos.retain(|c| match taken {
                Some(span) if span == (c.start, c.end) => true,
                Some((_, end)) if c.start < end => false,
                _ => {
                    taken = Some((c.start, c.end));
                    true
                }
            });
        }
        let mut all = exact;
        all.extend(typos);
        all.sort_by_key(|c| {
            (
                c.start,
                std::cmp::Reverse(c.end),
                c.entity,
                c.edits,
                c.alias,
            )
        });
        // One row per (span, entity): an exact row, or the one with the fewest edits.
        all.dedup_by_key(|c| (c.start, c.end, c.entity));
        all
    }

    fn candidates(&self, folded: &[Folded]) -> Vec<Candidate> {
        let mut found = Vec::new();
        for (pass, folded) in self.passes.iter().zip(folded) {
            let Search::Overlapping(automaton) = &pass.search else {
                unreachable!("overlapping mode builds an overlapping search")
            };
            for m in automaton.find_overlapping_iter(folded.text()) {
                let pattern = &pass.patterns[m.pattern().as_usize()];
                let Some(start) = folded.original_start(m.start()) else {
                    continue;
                };
                let exact_end = folded.original_end(m.end());
                let glued_before = self.options.whole_words
                    && pattern.word_at_start
                    && folded.char_before(m.start()).is_some_and(is_word_char);
                if glued_before {
                    continue;
                }
                let glued_after = self.options.whole_words
                    && pattern.word_at_end
                    && folded.char_at(m.end()).is_some_and(is_word_char);
                for &(alias, entity, prefix) in &pattern.aliases {
                    let end = if prefix {
                        // A prefix entry takes in the rest of the word it starts.
                        let word_end = m.end()
                            + folded.text()[m.end()..]
                                .chars()
                                .take_while(|&c| is_word_char(c))
                                .map(char::len_utf8)
                                .sum::<usize>();
                        match folded.original_end(word_end) {
                            Some(end) => end,
                            None => continue,
                        }
                    } else {
                        match exact_end {
                            Some(end) if !glued_after => end,
                            _ => continue,
                        }
                    };
                    found.push(Candidate {
                        start,
                        end,
                        entity,
                        alias,
                        edits: 0,
                    });
                }
            }
        }
        found
    }

    /// Overlapping mode: every candidate, in result order, one row per (span, entity).
    fn select(&self, mut found: Vec<Candidate>) -> Vec<Candidate> {
        found.sort_unstable_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.entity, c.alias));
        // One row per (span, entity): the alias added first.
        found.dedup_by_key(|c| (c.start, c.end, c.entity));
        found
    }
}

/// Up to this many bytes of folded patterns (~25,000 names) the automaton is a DFA.
const DFA_MAX_PATTERN_BYTES: usize = 300_000;

/// Which search a non-overlapping whole-word pass uses; tests force each to compare them.
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SearchChoice {
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

fn build_pass(
    lexicon: &Lexicon,
    fold: FoldOptions,
    options: MatchOptions,
    choice: SearchChoice,
    wanted: impl Fn(bool) -> bool,
) -> Result<Option<Pass>> {
    let mut by_text: HashMap<String, usize> = HashMap::new();
    let mut texts: Vec<String> = Vec::new();
    let mut patterns: Vec<Pattern> = Vec::new();
    for (id, alias) in lexicon.aliases().iter().enumerate() {
        if !wanted(alias.case_sensitive) {
            continue;
        }
        let (text, prefix) = split_prefix_entry(&alias.text);
        let folded = fold_alias(text, fold);
        if folded.is_empty() {
            return Err(Error::EmptyAlias {
                entity: lexicon.entities()[alias.entity as usize].name.clone(),
                alias: alias.text.clone(),
            });
        }
        let slot = *by_text.entry(folded.clone()).or_insert_with(|| {
            let word_at_start = folded.chars().next().is_some_and(is_word_char);
            let word_at_end = folded.chars().next_back().is_some_and(is_word_char);
            patterns.push(Pattern {
                aliases: Vec::new(),
                word_at_start,
                word_at_end,
            });
            texts.push(folded);
            patterns.len() - 1
        });
        patterns[slot]
            .aliases
            .push((id as AliasId, alias.entity, prefix));
    }
    if texts.is_empty() {
        return Ok(None);
    }
    // A DFA searches ~3x faster than the contiguous NFA but takes far more memory; the crate
    // picks it only for tiny pattern sets, so choose it ourselves while it stays small.
    let pattern_bytes: usize = texts.iter().map(String::len).sum();
    let small = pattern_bytes <= DFA_MAX_PATTERN_BYTES;
    let has_prefix = patterns
        .iter()
        .any(|p| p.aliases.iter().any(|&(_, _, prefix)| prefix));
    // Walks from word starts skip the inside of words, where the unanchored search runs the
    // automaton over every byte and stops at aliases glued to other letters (`oman` in
    // `woman`), and they touch only the top of the trie, where the unanchored search of a big
    // automaton wanders over all of it. But each walk waits on its own lookups, while the
    // unanchored DFA's streams (`lockstep`) keep several in flight: 100 MB of the bench_scan
    // corpus, one thread, 10,000 aliases: ~150 MB/s walking a DFA, ~250 in lockstep. So walks
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
        Search::WordStarts(Box::new(AnchoredAutomaton::build(&texts)?))
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
                    NextStart::Table(Box::new(table::Table::for_word_starts(
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
                    NextStart::Table(Box::new(table::Table::new(&dfa, &in_patterns)))
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
    }))
}

/// `invad*` is a prefix entry (quanteda's and LIWC's glob): it matches `invade`, `invading`...
/// A `*` counts only at the end, after a letter, mark or digit, so `M*A*S*H` is literal.
///
/// ```
/// use lexiscan::matcher::split_prefix_entry;
/// assert_eq!(split_prefix_entry("invad*"), ("invad", true));
/// assert_eq!(split_prefix_entry("M*A*S*H"), ("M*A*S*H", false));
/// assert_eq!(split_prefix_entry("*"), ("*", false));
/// ```
pub fn split_prefix_entry(alias: &str) -> (&str, bool) {
    let trimmed = alias.trim_end();
    match trimmed.strip_suffix('*') {
        Some(stem) if stem.chars().next_back().is_some_and(is_word_char) => (stem, true),
        _ => (alias, false),
    }
}

fn with_byte_offsets(found: Vec<Candidate>) -> Vec<Match> {
    found
        .iter()
        .map(|c| Match {
            start: c.start,
            end: c.end,
            byte_start: c.start,
            byte_end: c.end,
            entity: c.entity,
            alias: c.alias,
            edits: c.edits,
        })
        .collect()
}

/// Code points in `text[from..to]` (offsets on character boundaries). std counts a word of
/// bytes at a time: the byte-by-byte filter this replaced was ~10% of a scan with 10,000
/// aliases (perf, bench_scan corpus, one thread).
#[inline]
fn count_chars(text: &str, from: usize, to: usize) -> usize {
    text[from..to].chars().count()
}

/// Turn byte offsets into code-point offsets with one walk over the text, for matches that do
/// not overlap and come in order (rows of one span next to each other).
fn to_code_points_in_order(text: &str, found: Vec<Candidate>) -> Vec<Match> {
    let mut matches = with_byte_offsets(found);
    let (mut byte, mut chars) = (0usize, 0usize);
    let mut previous: Option<Match> = None;
    for m in &mut matches {
        if let Some(p) =
            previous.filter(|p| (p.byte_start, p.byte_end) == (m.byte_start, m.byte_end))
        {
            (m.start, m.end) = (p.start, p.end);
            continue;
        }
        debug_assert!(m.byte_start >= byte, "matches overlap or are out of order");
        chars += count_chars(text, byte, m.byte_start);
        m.start = chars;
        chars += count_chars(text, m.byte_start, m.byte_end);
        m.end = chars;
        byte = m.byte_end;
        previous = Some(*m);
    }
    matches
}

/// Turn byte offsets into code-point offsets with one walk over the text (any order).
fn to_code_points(text: &str, found: Vec<Candidate>) -> Vec<Match> {
    let mut matches = with_byte_offsets(found);
    let mut marks: Vec<(usize, usize)> = Vec::with_capacity(matches.len() * 2);
    for (i, m) in matches.iter().enumerate() {
        marks.push((m.start, 2 * i));
        marks.push((m.end, 2 * i + 1));
    }
    marks.sort_unstable();
    let (mut byte, mut chars) = (0usize, 0usize);
    for (offset, slot) in marks {
        chars += count_chars(text, byte, offset);
        byte = offset;
        let m = &mut matches[slot / 2];
        if slot % 2 == 0 {
            m.start = chars;
        } else {
            m.end = chars;
        }
    }
    matches
}

#[cfg(test)]
mod tests;
