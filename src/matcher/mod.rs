//! Finding the aliases of a lexicon in one text (docs/matching.md §3–6).
//!
//! Overlapping mode collects every candidate from a standard automaton (`overlapping`).
//! Non-overlapping mode (the default) walks a leftmost-longest automaton instead, so it never
//! generates the candidates that the greedy choice would throw away (`longest`). Each folding
//! of the aliases is one pass (`pass`, which also chooses its search); typo matches are merged
//! in after the exact ones (`merge`); offsets become code points last (`code_points`).
//! Documents whose folding the automaton can do as it steps (ASCII, typographic quotes and
//! dashes) are searched on their own bytes, without a folded copy (`unfolded`).

mod code_points;
mod first_words;
mod heap;
mod huge_pages;
mod lockstep;
mod longest;
mod merge;
mod openings;
mod options;
mod overlapping;
mod pass;
mod places;
mod prefixes;
mod split;
mod stream;
mod table;
mod typos;
mod unfolded;
mod word_sequences;
mod word_starts;

pub use code_points::Match;
pub use options::{AccentMode, CaseMode, MatchOptions, MAX_EDITS};

use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::normalize::{fold_with_offsets, FoldOptions, Folded};
use crate::scan::TextPieces;
use code_points::{
    to_code_points, to_code_points_in_order, with_byte_offsets, with_code_point_table, Candidate,
};
use pass::{build_pass, NextStart, Pass, Search, SearchChoice};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use unfolded::{Unfoldable, Unfolded};

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
    cut_after: split::CutBytes,
}

impl Matcher {
    /// Compile `lexicon` with `options`. A shared lexicon (`Arc`) is kept, not copied. A parent
    /// (`Lexicon::set_resolution_info`) that names no entity, or parents in a cycle, are an error.
    pub fn new(lexicon: impl Into<Arc<Lexicon>>, options: MatchOptions) -> Result<Self> {
        Self::with_search(lexicon.into(), options, SearchChoice::Auto)
    }

    fn with_search(
        lexicon: Arc<Lexicon>,
        options: MatchOptions,
        choice: SearchChoice,
    ) -> Result<Self> {
        options.validate()?;
        // Parents are names until here: one that is no entity, or a cycle, is refused now.
        lexicon.parent_ids()?;
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
        let cut_after = split::CutBytes::new(&passes);
        heap::after_build(lexicon.aliases().len());
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

    /// All matches in `text` as [`Matcher::find`] gives them, found in pieces of about
    /// `piece_bytes` on the current rayon pool (a text with no place to cut is one piece).
    #[cfg(test)]
    pub(crate) fn find_in_pieces(&self, text: &str, piece_bytes: usize) -> Result<Vec<Match>> {
        let mut all = Vec::new();
        self.for_matches_in_pieces(text, piece_bytes, |matches| all.extend(matches))?;
        Ok(all)
    }

    /// All matches in `text` as [`Matcher::find`] gives them, read as a `TextPieces` in
    /// ranges of `read_chars` characters, at most `most_chars` a read, with or without the
    /// helper that reads ahead.
    #[cfg(test)]
    pub(crate) fn find_in_stream(
        &self,
        text: &str,
        read_chars: usize,
        most_chars: usize,
        read_ahead: bool,
    ) -> Result<Vec<Match>> {
        struct Chars(Vec<char>, usize);
        impl TextPieces for Chars {
            fn chars(&self) -> usize {
                self.0.len()
            }
            fn read(&self, from: usize, max: usize, out: &mut String) -> Result<usize> {
                let to = (from + max.min(self.1)).min(self.0.len());
                out.extend(&self.0[from..to]);
                Ok(to - from)
            }
        }
        let source = Chars(text.chars().collect(), most_chars);
        let mut all = Vec::new();
        let cancel = AtomicBool::new(false);
        // The byte offset of each code point, and of the end.
        let byte_of: Vec<usize> = text
            .char_indices()
            .map(|(at, _)| at)
            .chain([text.len()])
            .collect();
        let sink = |surfaces: &str, matches: Vec<Match>| {
            // Byte offsets in the surfaces become offsets in the text, as `find` gives them.
            all.extend(matches.into_iter().map(|m| {
                let (byte_start, byte_end) = (byte_of[m.start], byte_of[m.end]);
                assert_eq!(
                    &surfaces[m.byte_start..m.byte_end],
                    &text[byte_start..byte_end]
                );
                Match {
                    byte_start,
                    byte_end,
                    ..m
                }
            }));
        };
        self.for_matches_in_stream_with(&source, read_chars, read_ahead, &cancel, sink)?;
        Ok(all)
    }

    /// The matches of `find_in_pieces` handed to `sink` a few pieces at a time, in order, so
    /// that a huge document's matches are never all held twice (`split`).
    pub(crate) fn for_matches_in_pieces(
        &self,
        text: &str,
        piece_bytes: usize,
        sink: impl FnMut(Vec<Match>) + Send,
    ) -> Result<()> {
        let find = |piece: &str| self.find_in_parts(piece, split::PART_BYTES);
        split::for_matches_in_pieces(text, &self.cut_after, piece_bytes, find, sink)
    }

    /// The matches of the text `source` holds, as [`Matcher::find`] gives them for the whole
    /// text, read `read_chars` characters at a time by the workers of the current rayon pool,
    /// which match what they read (`stream`); where the pool leaves a core idle, a helper
    /// thread reads ahead of them. `sink` gets each piece's matches with the text they
    /// matched, one after the other, in order: code-point offsets in the whole text, byte
    /// offsets in that text.
    pub(crate) fn for_matches_in_stream(
        &self,
        source: &dyn TextPieces,
        read_chars: usize,
        cancel: &AtomicBool,
        sink: impl FnMut(&str, Vec<Match>) + Send,
    ) -> Result<()> {
        let threads = rayon::current_num_threads().max(1);
        let spare_core = std::thread::available_parallelism().map_or(1, usize::from) > threads;
        self.for_matches_in_stream_with(source, read_chars, spare_core, cancel, sink)
    }

    /// [`Matcher::for_matches_in_stream`] with or without the helper thread.
    pub(crate) fn for_matches_in_stream_with(
        &self,
        source: &dyn TextPieces,
        read_chars: usize,
        read_ahead: bool,
        cancel: &AtomicBool,
        sink: impl FnMut(&str, Vec<Match>) + Send,
    ) -> Result<()> {
        let schedule = stream::Schedule {
            read_chars,
            group: rayon::current_num_threads().max(1) * split::PIECES_AT_ONCE_PER_THREAD,
            read_ahead,
        };
        let find = |piece: &str| self.find_in_parts(piece, split::PART_BYTES);
        stream::for_matches_in_stream(source, &self.cut_after, schedule, cancel, find, sink)
    }

    /// The matches of a piece of a large document, as [`Matcher::find`] gives them, searched
    /// as parts of about `part_bytes` (`split::find_in_parts`).
    fn find_in_parts(&self, piece: &str, part_bytes: usize) -> Result<Vec<Match>> {
        split::find_in_parts(piece, &self.cut_after, part_bytes, |parts| {
            let mut chars = Vec::with_capacity(parts.len());
            let found = self.find_many_counting(parts, Some(&mut chars))?;
            Ok((found, chars))
        })
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
        self.find_many_counting(texts, None)
    }

    /// [`Matcher::find_many`], and with `chars`, each text's length in characters pushed to
    /// it, in order, from what the search already knows of the text (its classification or
    /// its fold), without another pass over it where that knows.
    fn find_many_counting(
        &self,
        texts: &[&str],
        mut chars: Option<&mut Vec<usize>>,
    ) -> Result<Vec<Vec<Match>>> {
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
        if let Some(found) = self.find_many_unfolded(texts, chars.as_deref_mut()) {
            return Ok(found);
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
                .map(|f| {
                    overlapping::select(overlapping::candidates(
                        &self.passes,
                        f,
                        self.options.whole_words,
                    ))
                })
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
                if let Some(chars) = chars.as_deref_mut() {
                    chars.push(chars_in(text, folded.first()));
                }
                let found =
                    merge::with_typos(&self.passes, self.options.overlapping, folded, exact);
                self.to_matches(text, folded.first(), found)
            });
        Ok(found.collect())
    }

    /// Code-point offsets for the candidates of `text`, from its first folding if it has one.
    fn to_matches(&self, text: &str, folded: Option<&Folded>, found: Vec<Candidate>) -> Vec<Match> {
        // The fold saw every byte: no second look at a text that left the cache.
        let ascii = folded.map_or_else(|| text.is_ascii(), Folded::original_is_ascii);
        if ascii {
            with_byte_offsets(found)
        } else if self.options.overlapping {
            to_code_points(text, found)
        } else if let Some(table) = folded.and_then(Folded::code_points) {
            // The folding saw every character of the text.
            with_code_point_table(table, found)
        } else {
            to_code_points_in_order(text, found)
        }
    }

    /// `find_many` where the one pass has an `unfolded` table and some text can be searched
    /// without its folded copy (`unfolded`); `None` otherwise. The others are folded and
    /// searched as before.
    fn find_many_unfolded(
        &self,
        texts: &[&str],
        mut chars: Option<&mut Vec<usize>>,
    ) -> Option<Vec<Vec<Match>>> {
        let [pass] = self.passes.as_slice() else {
            return None;
        };
        let unfolded_table = pass.unfolded.as_deref()?;
        let Search::Unanchored {
            next: NextStart::Table(table),
            prefixes,
        } = &pass.search
        else {
            return None;
        };
        #[cfg(test)]
        if FOLD_ALWAYS.get() {
            return None;
        }
        let kinds: Vec<Unfoldable> = texts
            .iter()
            .map(|text| unfolded::classify(text, pass.fold))
            .collect();
        if kinds.iter().all(|k| matches!(k, Unfoldable::No)) {
            return None;
        }
        let mut originals = Vec::new();
        let mut folded = Vec::new();
        for (text, kind) in texts.iter().zip(&kinds) {
            match kind {
                Unfoldable::No => folded.push(fold_with_offsets(text, pass.fold)),
                _ => originals.push(Unfolded { text }),
            }
        }
        let whole_words = self.options.whole_words;
        let originals: Vec<&Unfolded> = originals.iter().collect();
        let mut from_originals = longest::find_in_lockstep(
            pass,
            unfolded_table,
            prefixes,
            &originals,
            whole_words,
            &self.cut_after,
        )
        .into_iter();
        let folded_refs: Vec<&Folded> = folded.iter().collect();
        let mut from_folded = longest::find_in_lockstep(
            pass,
            table,
            prefixes,
            &folded_refs,
            whole_words,
            &self.cut_after,
        )
        .into_iter()
        .zip(&folded);
        let found = texts.iter().zip(kinds).map(|(text, kind)| match kind {
            Unfoldable::Ascii => {
                if let Some(chars) = chars.as_deref_mut() {
                    chars.push(text.len());
                }
                with_byte_offsets(from_originals.next().expect("one a text"))
            }
            Unfoldable::Typographic(code_points) => {
                if let Some(chars) = chars.as_deref_mut() {
                    chars.push(text.len() - code_points.extra_bytes());
                }
                with_code_point_table(&code_points, from_originals.next().expect("one a text"))
            }
            Unfoldable::No => {
                let (found, folded) = from_folded.next().expect("one a text");
                if let Some(chars) = chars.as_deref_mut() {
                    chars.push(chars_in(text, Some(folded)));
                }
                self.to_matches(text, Some(folded), found)
            }
        });
        Some(found.collect())
    }
}

/// The characters of `text`, from its first folding where that recorded them.
fn chars_in(text: &str, folded: Option<&Folded>) -> usize {
    match folded {
        Some(folded) if folded.original_is_ascii() => text.len(),
        Some(folded) => folded.code_points().map_or_else(
            || text.chars().count(),
            |table| text.len() - table.extra_bytes(),
        ),
        None => text.chars().count(),
    }
}

#[cfg(test)]
thread_local! {
    /// Tests fold every document, to compare with the search of the originals (`unfolded`).
    static FOLD_ALWAYS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
mod tests;
