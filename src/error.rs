//! Errors of the core, each naming what the user gave that is wrong.

use std::fmt;

/// Everything the core can refuse. The Python layer maps each variant to a Python exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// An alias that is empty once folded (`""`, `"   "`, `"\u{00AD}"`).
    EmptyAlias { entity: String, alias: String },
    /// An entity name that is empty or only whitespace.
    EmptyEntity,
    /// A document too large for 32-bit offsets inside the core.
    DocumentTooLarge { doc: usize, bytes: usize },
    /// The automaton could not be built (for example, it would exceed its size limits).
    Automaton(String),
    /// A corpus file that cannot be read, or whose content is not what was asked for.
    File {
        /// The file, as the caller named it.
        path: String,
        problem: FileProblem,
        /// What is wrong, in words (the system's message for I/O errors).
        why: String,
    },
    /// The worker threads of a scan could not be started.
    ThreadPool { threads: usize, why: String },
    /// A scan stopped on request (an interrupt).
    Cancelled,
    /// Saved bytes that are not a lexiscan file, or a damaged one.
    Corrupt(String),
    /// A weight that is negative, infinite or not a number.
    InvalidWeight { entity: String, weight: String },
    /// A context phrase that is empty once folded.
    EmptyContext { entity: String, phrase: String },
    /// A parent that names no entity, names several, or parents that form a cycle.
    Parent(String),
    /// An argument of an analysis that is out of its range (the message says which and why).
    InvalidArgument(String),
    /// An option value that is not one of the allowed ones.
    InvalidOption {
        name: &'static str,
        value: String,
        allowed: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::EmptyAlias { entity, alias } => write!(
                f,
                "alias {alias:?} of entity {entity:?} is empty once folded (whitespace, invisible characters and, with accent folding, accents removed)"
            ),
            Error::EmptyEntity => write!(f, "entity name is empty or only whitespace"),
            Error::DocumentTooLarge { doc, bytes } => write!(
                f,
                "document {doc} is {bytes} bytes in UTF-8; documents must be under 4 GiB, split it"
            ),
            Error::Automaton(msg) => write!(f, "could not build the matching automaton: {msg}"),
            Error::Cancelled => write!(f, "the scan was cancelled"),
            Error::File { path, why, .. } => write!(f, "{path}: {why}"),
            Error::ThreadPool { threads, why } => {
                write!(f, "could not start {threads} worker threads: {why}")
            }
            Error::Corrupt(why) => write!(f, "cannot load lexiscan data: {why}"),
            Error::InvalidWeight { entity, weight } => write!(
                f,
                "the weight of entity {entity:?} is {weight}; a weight is a finite number, 0 or more"
            ),
            Error::EmptyContext { entity, phrase } => write!(
                f,
                "context phrase {phrase:?} of entity {entity:?} is empty once folded"
            ),
            Error::Parent(why) => write!(f, "{why}"),
            Error::InvalidArgument(why) => write!(f, "{why}"),
            Error::InvalidOption { name, value, allowed } => {
                write!(f, "{name}='{value}' is not valid; use one of {allowed}")
            }
        }
    }
}

impl std::error::Error for Error {}

/// Why a file was refused: the first three are the operating system's answer (the binding
/// raises the matching `OSError` subclass), the last is about what the file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    NotFound,
    PermissionDenied,
    /// Any other I/O error (a directory, a device error...).
    Unreadable,
    /// Readable, but not UTF-8 or not the expected format.
    BadContent,
}

impl From<std::io::ErrorKind> for FileProblem {
    fn from(kind: std::io::ErrorKind) -> Self {
        match kind {
            std::io::ErrorKind::NotFound => FileProblem::NotFound,
            std::io::ErrorKind::PermissionDenied => FileProblem::PermissionDenied,
            _ => FileProblem::Unreadable,
        }
    }
}

/// The core's result type.
pub type Result<T> = std::result::Result<T, Error>;
