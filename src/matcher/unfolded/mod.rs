//! Searching a document's own bytes instead of its folded copy, where its folding is simple
//! enough for the automaton to do it as it steps (with 100 aliases, folding was some 40% of a
//! scan of short articles).
//!
//! Three steps, one child each:
//!
//! - which documents may be searched so, told from one look at their non-ASCII characters
//!   (`classify`);
//! - the lockstep table that steps a document's own bytes as the folded table steps its folded
//!   copy, and why it finds the same matches (`folding_table`);
//! - the way from a match's folded length back to its span in the original (`spans`).
//!
//! The pass must have ASCII patterns with no `-` in them, case folding of ASCII or none, and
//! the plain DFA table (`super::table`); `super::pass` builds the table where it may, and
//! `super::Matcher::find_many_unfolded` searches the documents `classify` lets through with it.

mod classify;
mod folding_table;
mod spans;

pub(super) use classify::{classify, Unfoldable};
pub(super) use folding_table::table;
pub(super) use spans::Unfolded;
