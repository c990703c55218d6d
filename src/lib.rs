//! lexiscan's core: lexicons, Unicode folding with offset maps, Aho-Corasick matching and
//! parallel scanning. Pure Rust; the Python binding lives in `python/` behind the `python`
//! feature, so `cargo test --no-default-features` proves the core never needs Python.

pub mod analysis;
pub mod chars;
pub mod columns;
pub mod edits;
pub mod error;
pub mod files;
pub mod lexicon;
pub mod matcher;
pub mod normalize;
pub mod persist;
pub mod resolve;
pub mod scan;
pub mod spans;

pub use error::{Error, Result};
pub use lexicon::{Alias, AliasId, Entity, EntityId, Lexicon};
pub use matcher::{AccentMode, CaseMode, Match, MatchOptions, Matcher};
pub use scan::ScanResult;

#[cfg(feature = "python")]
mod python;
