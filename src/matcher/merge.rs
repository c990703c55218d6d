//! Typo matches merged with the exact ones: a typo match counts only where no exact match
//! overlaps it, and each (span, entity) keeps one row.

use super::code_points::Candidate;
use super::pass::Pass;
use crate::normalize::Folded;

/// The exact matches and, with `max_edits`, the typo matches that overlap none of them,
/// in result order (non-overlapping mode: leftmost-longest among the typo matches too);
/// one row per (span, entity), the fewest edits first, then the alias added first.
pub(super) fn with_typos(
    passes: &[Pass],
    overlapping: bool,
    folded: &[Folded],
    exact: Vec<Candidate>,
) -> Vec<Candidate> {
    if !passes.iter().any(|p| p.typos.is_some()) {
        return exact;
    }
    let spans: Vec<(usize, usize)> = exact.iter().map(|c| (c.start, c.end)).collect();
    let mut typos = Vec::new();
    for (pass, folded) in passes.iter().zip(folded) {
        if let Some(index) = &pass.typos {
            typos.extend(index.find(folded, &pass.patterns, &spans));
        }
    }
    if typos.is_empty() {
        return exact;
    }
    typos.sort_unstable_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.entity, c.edits));
    if !overlapping {
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
