//! A large Python string that is not ASCII, read by the scan as UTF-8 a piece at a time
//! (`crate::scan::TextPieces`). CPython stores it at 1, 2 or 4 bytes a character; its whole
//! UTF-8 copy, which CPython would keep inside the string as long as the string lives, would
//! add half as much again to the memory a scan needs. Each of the scan's workers reads the
//! pieces it matches.
//!
//! Built for one interpreter (the default), the binding hands the core the string's own code
//! units (`crate::scan::CodeUnits`: PEP 393's kind and data, which the stable ABI hides), and
//! each worker converts its pieces to UTF-8 without the GIL, all of them at once. Built with
//! the `abi3` feature (one wheel for every CPython), the only calls that reach a string's
//! characters need the GIL, so the workers take turns copying them out (`limited_api`).

#[cfg(feature = "abi3")]
mod limited_api;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyString;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Python strings of at least this many characters that are not ASCII are read in pieces.
static PIECEWISE_MIN_CHARS: AtomicUsize = AtomicUsize::new(1 << 24);
/// At most this many characters are read at once (the core asks for its own piece size).
static PIECEWISE_READ_CHARS: AtomicUsize = AtomicUsize::new(usize::MAX);

/// For tests: read strings of `min_chars` characters or more (that are not ASCII) in pieces
/// of at most `read_chars` characters, read at most `read_chars` at a time. Returns the
/// settings before.
#[pyfunction]
pub fn _read_large_documents_in_pieces(min_chars: usize, read_chars: usize) -> (usize, usize) {
    (
        PIECEWISE_MIN_CHARS.swap(min_chars, Ordering::Relaxed),
        PIECEWISE_READ_CHARS.swap(read_chars.max(1), Ordering::Relaxed),
    )
}

/// A Python string read as UTF-8 a piece at a time, so that neither CPython nor the scan ever
/// holds the whole UTF-8 text. Analyses that need it after the scan make it once
/// (`DocText::deref`).
pub struct PiecewiseText {
    text: Py<PyString>,
    chars: usize,
    /// Its key in the scan, for errors.
    position: u64,
    /// The characters of `text`, where CPython keeps them.
    #[cfg(not(feature = "abi3"))]
    units: crate::scan::CodeUnits<'static>,
    utf8: OnceLock<PyBackedStr>,
}

impl PiecewiseText {
    /// `text` as a piecewise text when it is large and not ASCII (an ASCII string is its own
    /// UTF-8: read in place for free).
    pub(super) fn for_large(text: &Bound<'_, PyString>, position: u64) -> PyResult<Option<Self>> {
        let chars = text.len()?;
        if chars < PIECEWISE_MIN_CHARS.load(Ordering::Relaxed)
            || text
                .call_method0(intern!(text.py(), "isascii"))?
                .is_truthy()?
        {
            return Ok(None);
        }
        Ok(Some(Self {
            text: text.clone().unbind(),
            chars,
            position,
            #[cfg(not(feature = "abi3"))]
            units: in_place::code_units(text)?,
            utf8: OnceLock::new(),
        }))
    }

    /// The string itself.
    pub(super) fn py_string<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        self.text.bind(py).clone()
    }

    /// Another handle on the same string.
    pub(super) fn clone_ref(&self, py: Python<'_>) -> Self {
        Self {
            text: self.text.clone_ref(py),
            chars: self.chars,
            position: self.position,
            #[cfg(not(feature = "abi3"))]
            units: self.units,
            utf8: OnceLock::new(),
        }
    }

    /// The whole UTF-8 text, made on first use (for analyses after the scan). The GIL is
    /// taken for that: do not call it from a thread that blocks the GIL's holder.
    pub(super) fn utf8(&self) -> &str {
        if let Some(text) = self.utf8.get() {
            return text;
        }
        Python::attach(|py| {
            let text = PyBackedStr::try_from(self.text.bind(py).clone())
                .expect("a scanned document was read as UTF-8, so it has no lone surrogate");
            // Set without the GIL: a thread waiting on the cell may be the one that holds it.
            let lost = py.detach(|| self.utf8.set(text).err());
            drop(lost);
        });
        self.utf8.get().expect("set above")
    }

    /// Where a read from `from` of at most `max_chars` characters ends: within the string and
    /// the read size set for tests (`_read_large_documents_in_pieces`).
    fn piece_end(&self, from: usize, max_chars: usize) -> usize {
        let limit = PIECEWISE_READ_CHARS.load(Ordering::Relaxed);
        from.saturating_add(max_chars.min(limit)).min(self.chars)
    }

    fn lone_surrogate(&self) -> crate::Error {
        crate::Error::InvalidArgument(format!(
            "document {} is not valid Unicode text (it contains a lone surrogate); clean it, \
             e.g. text.encode('utf-8', 'replace').decode('utf-8')",
            self.position
        ))
    }
}

impl crate::scan::TextPieces for PiecewiseText {
    fn chars(&self) -> usize {
        self.chars
    }

    /// Tests set it small (`_read_large_documents_in_pieces`).
    fn max_piece_chars(&self) -> usize {
        PIECEWISE_READ_CHARS.load(Ordering::Relaxed)
    }

    /// The string's own code units made UTF-8 by the core, on the calling worker, without the
    /// GIL.
    #[cfg(not(feature = "abi3"))]
    fn read(&self, from: usize, max_chars: usize, out: &mut String) -> crate::Result<usize> {
        let to = self.piece_end(from, max_chars);
        self.units
            .push_utf8(from..to, out)
            .map_err(|_| self.lone_surrogate())?;
        Ok(to - from)
    }

    /// Copied out under the GIL a block at a time (`limited_api`).
    #[cfg(feature = "abi3")]
    fn read(&self, from: usize, max_chars: usize, out: &mut String) -> crate::Result<usize> {
        let to = self.piece_end(from, max_chars);
        self.read_under_gil(from, to, out)?;
        Ok(to - from)
    }
}

/// A string's characters where CPython keeps them (not in the stable ABI).
#[cfg(not(feature = "abi3"))]
mod in_place {
    use crate::scan::CodeUnits;
    use pyo3::prelude::*;
    use pyo3::types::string::PyStringData;
    use pyo3::types::PyString;

    /// The code units of `text`, for as long as the caller keeps a strong reference to it.
    ///
    /// The slice is the string's own storage, given a `'static` lifetime: `PiecewiseText`
    /// keeps `text` (a strong reference) beside it and lends the units out only as long as it
    /// lives. A `str` never changes once another reference to it exists (CPython resizes or
    /// writes a string in place only while its reference count is one), and its storage does
    /// not move, so reading it needs neither the GIL nor a lock, on a free-threaded CPython
    /// too.
    pub(super) fn code_units(text: &Bound<'_, PyString>) -> PyResult<CodeUnits<'static>> {
        // SAFETY: pyo3 tests `data` on the x86_64 and aarch64 targets the wheels are built for
        // (it decodes PEP 393's state bit field); it makes a legacy string canonical first.
        let data = unsafe { text.data() }?;
        let units = match data {
            PyStringData::Ucs1(units) => CodeUnits::Latin1(units),
            PyStringData::Ucs2(units) => CodeUnits::Ucs2(units),
            PyStringData::Ucs4(units) => CodeUnits::Ucs4(units),
        };
        // SAFETY: see above: the storage outlives every use, through the reference kept.
        Ok(unsafe { std::mem::transmute::<CodeUnits<'_>, CodeUnits<'static>>(units) })
    }
}
