//! Folding of documents and aliases into one comparable form, with a map back to the original
//! (docs/matching.md §2–3).
//!
//! One pass over the bytes: ASCII bytes take a short branch and extend a *linear* piece of the
//! offset map (folded byte `p` is original byte `orig + (p - folded)`), so pure-ASCII documents
//! pay no Unicode work and their map is a handful of pieces. A non-ASCII character whose folded
//! form is one character of the same UTF-8 length (most Cyrillic, Greek, CJK) extends the linear
//! piece too; any other character gets a piece of its own, which is where a match may start or
//! end only at its edges.
//!
//! - `fold`: the folding rules, character by character;
//! - `offsets`: the offset map ([`Folded`]) and the builder that fills it;
//! - `runs`: runs of plain ASCII, found and copied many bytes at a time.

mod fold;
mod offsets;
mod runs;

pub use fold::{fold_alias, fold_with_offsets};
pub(crate) use offsets::CodePoints;
pub use offsets::Folded;

/// Which folding steps apply on top of the typographic ones, which always apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FoldOptions {
    /// Unicode full case folding (`ß` → `ss`).
    pub case_fold: bool,
    /// Removal of combining diacritics after canonical decomposition (`é` → `e`).
    pub accent_fold: bool,
}
