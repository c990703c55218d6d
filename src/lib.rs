//! lexiscan's core: lexicons, Unicode folding with offset maps, Aho-Corasick matching and
//! parallel scanning. Pure Rust; the Python binding lives in `python/` behind the `python`
//! feature, so `cargo test --no-default-features` proves the core never needs Python.
//!
//! ```
//! use lexiscan::{scan, Lexicon, MatchOptions, Matcher};
//! let mut lex = Lexicon::new();
//! lex.add("Kyiv", &["Kiev"], Some("GPE"), false).unwrap();
//! let matcher = Matcher::new(lex, MatchOptions::default()).unwrap();
//! let found = scan::scan(&matcher, &[Some("Kiev or KYIV?")], 0, Some(1)).unwrap();
//! assert_eq!((found.len(), found.surface(1)), (2, "KYIV"));
//! ```
//!
//! The public modules are the ones a Rust user calls into: `analysis` (the analyses of a
//! scan's columns, each returning named columns), `buffers` (columns written into byte
//! buffers in parallel), `columns` (documents as one text column), `files` (corpora from disk),
//! `normalize` (folding with an offset map), `persist` (saved lexicons and matchers) and
//! `scan`; the lexicon, matcher and error types are re-exported here.

pub mod analysis;
pub mod buffers;
pub(crate) mod chars;
pub mod columns;
pub(crate) mod edits;
mod error;
pub mod files;
mod lexicon;
mod matcher;
pub mod normalize;
pub mod persist;
pub mod resolve;
pub mod scan;
pub(crate) mod spans;
mod swar;

pub use error::{Error, FileProblem, Result};
pub use lexicon::{
    Alias, AliasId, AliasTable, Column, Entity, EntityId, EntityInfo, Lexicon, NameCase, ParentRef,
};
pub use matcher::{AccentMode, CaseMode, Match, MatchOptions, Matcher, MAX_EDITS};
pub use scan::ScanResult;

#[cfg(feature = "python")]
mod python;
