//! Overlapping mode: every candidate, from a standard automaton over each folding, then one
//! row per (span, entity).

use super::code_points::Candidate;
use super::pass::{Pass, Search};
use crate::chars::{glued_after, glued_before, is_word_char};
use crate::normalize::Folded;

/// Every candidate of each pass, with the whole-word and prefix-entry rules applied.
pub(super) fn candidates(passes: &[Pass], folded: &[Folded], whole_words: bool) -> Vec<Candidate> {
    let mut found = Vec::new();
    for (pass, folded) in passes.iter().zip(folded) {
        let Search::Overlapping(automaton) = &pass.search else {
            unreachable!("overlapping mode builds an overlapping search")
        };
        for m in automaton.find_overlapping_iter(folded.text()) {
            let pattern = &pass.patterns[m.pattern().as_usize()];
            let Some(start) = folded.original_start(m.start()) else {
                continue;
            };
            let exact_end = folded.original_end(m.end());
            let glued_before =
                whole_words && pattern.word_at_start && glued_before(folded.text(), m.start());
            if glued_before {
                continue;
            }
            let glued_after =
                whole_words && pattern.word_at_end && glued_after(folded.text(), m.end());
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
pub(super) fn select(mut found: Vec<Candidate>) -> Vec<Candidate> {
    found.sort_unstable_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.entity, c.alias));
    // One row per (span, entity): the alias added first.
    found.dedup_by_key(|c| (c.start, c.end, c.entity));
    found
}
