//! Scanning many documents in parallel into columns (one entry per match, no object per match).
//!
//! - `document`: what a scan reads, in memory or a piece at a time ([`ScanDocument`]);
//! - `result`: the column store, [`ScanResult`], with `forms` (what each match is, stored once
//!   per distinct kind) and `runs` (each match's document, once per run of one document);
//! - `export`: the result's columns as little-endian bytes for Python and Arrow ([`Column`]);
//! - `schedule`: how the documents are spread over the workers ([`scan`]);
//! - `pool`: the worker threads, one pool per thread count;
//! - `utf8`: code units made UTF-8, for readers of text held elsewhere ([`CodeUnits`]).

mod document;
mod export;
mod forms;
mod pool;
mod result;
mod runs;
mod schedule;
mod utf8;

pub use document::{ScanDocument, TextPieces};
pub use export::Column;
pub use forms::Form;
pub use pool::checked_thread_count;
#[cfg_attr(not(feature = "python"), allow(unused_imports))]
pub(crate) use pool::thread_pool;
pub use result::ScanResult;
pub use runs::DocCursor;
pub use schedule::{scan, scan_cancellable};
pub use utf8::{push_utf8, CodeUnits, NotAChar};
