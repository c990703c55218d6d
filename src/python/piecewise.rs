//! A large Python string that is not ASCII, read by the scan as UTF-8 a piece at a time
//! (`crate::scan::TextPieces`). CPython stores it at 2 or 4 bytes a character; its whole UTF-8
//! copy, which CPython would keep inside the string as long as the string lives, would add half
//! as much again to the memory a scan needs. Each of the scan's workers reads the pieces it
//! matches, a block of characters at a time: a block that is ASCII as CPython's substring
//! gives it, else copied out as UCS-4 (the abi3 calls that reach a string's characters) and
//! made UTF-8 (`crate::scan::push_utf8`), all under the GIL, which it then gives up while it
//! matches.

use crate::scan::push_utf8;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyString;
use pyo3::{ffi, intern};
use std::cell::RefCell;
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

/// A Python string read as UTF-8 a piece at a time: each piece is a substring converted by
/// CPython and dropped once copied, so neither CPython nor the scan ever holds the whole
/// UTF-8 text. Analyses that need it after the scan make it once (`DocText::deref`).
pub struct PiecewiseText {
    text: Py<PyString>,
    chars: usize,
    /// Its key in the scan, for errors.
    position: u64,
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
}

impl crate::scan::TextPieces for PiecewiseText {
    fn chars(&self) -> usize {
        self.chars
    }

    /// Tests set it small (`_read_large_documents_in_pieces`).
    fn max_piece_chars(&self) -> usize {
        PIECEWISE_READ_CHARS.load(Ordering::Relaxed)
    }

    /// The piece is copied out a block at a time: a substring, given out in place when it is
    /// ASCII, else copied out as UCS-4 (a widening copy) and made UTF-8 here: CPython's own
    /// UTF-8 encoder, a branch per character, made the reading slower than the matching. The GIL is held for the whole read (about a
    /// millisecond for a piece): two workers that let it go between blocks waited for it
    /// more often than they gained (docs/performance.md).
    fn read(&self, from: usize, max_chars: usize, out: &mut String) -> crate::Result<usize> {
        let limit = PIECEWISE_READ_CHARS.load(Ordering::Relaxed);
        let to = from.saturating_add(max_chars.min(limit)).min(self.chars);
        // Each of the scan's threads reads pieces of its own, into a buffer of its own.
        UCS4.with_borrow_mut(|ucs4| {
            Python::attach(|py| {
                let mut at = from;
                out.reserve(to - from);
                while at < to {
                    let end = to.min(at + BLOCK_CHARS);
                    self.push_block(py, at, end, ucs4, out)?;
                    at = end;
                }
                Ok(to - from)
            })
        })
    }
}

thread_local! {
    /// The block being read, as code points (reused from one read to the next).
    static UCS4: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// Characters copied out of a Python string at once. Small enough that half the blocks of
/// news text are ASCII (a curly quote or a dash every few hundred characters), which CPython
/// then hands out as they are; large enough that the calls cost little beside the copying.
const BLOCK_CHARS: usize = 1 << 12;

impl PiecewiseText {
    /// Append characters `from..to` to `out` as UTF-8: a substring, which CPython stores in one
    /// byte a character when they are all ASCII and then gives out in place as its own UTF-8;
    /// otherwise copied out as code points (`ucs4`) and made UTF-8 here.
    fn push_block(
        &self,
        py: Python<'_>,
        from: usize,
        to: usize,
        ucs4: &mut Vec<u32>,
        out: &mut String,
    ) -> crate::Result<()> {
        let failed = |e: PyErr| crate::Error::InvalidArgument(e.to_string());
        // SAFETY: a valid str and a range within it; the new reference is owned here.
        let piece = unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyUnicode_Substring(self.text.as_ptr(), from as isize, to as isize),
            )
        }
        .map_err(failed)?;
        let ascii = piece.call_method0(intern!(py, "isascii"));
        if ascii.and_then(|a| a.is_truthy()).map_err(failed)? {
            let mut len: ffi::Py_ssize_t = 0;
            // SAFETY: a str; an ASCII one gives its own characters, valid while it lives.
            let data = unsafe { ffi::PyUnicode_AsUTF8AndSize(piece.as_ptr(), &mut len) };
            if data.is_null() {
                return Err(failed(PyErr::fetch(py)));
            }
            // SAFETY: `len` bytes at `data`, all ASCII (so UTF-8), alive as long as `piece`.
            let text = unsafe {
                std::str::from_utf8_unchecked(std::slice::from_raw_parts(
                    data.cast::<u8>(),
                    len as usize,
                ))
            };
            out.push_str(text);
            return Ok(());
        }
        ucs4.clear();
        ucs4.reserve(to - from);
        // SAFETY: the buffer has room for `to - from` code points, the piece's length.
        let filled = unsafe {
            ffi::PyUnicode_AsUCS4(piece.as_ptr(), ucs4.as_mut_ptr(), (to - from) as isize, 0)
        };
        if filled.is_null() {
            return Err(failed(PyErr::fetch(py)));
        }
        // SAFETY: PyUnicode_AsUCS4 wrote all `to - from` of them.
        unsafe { ucs4.set_len(to - from) };
        push_utf8(out, ucs4).map_err(|_| self.lone_surrogate())
    }

    fn lone_surrogate(&self) -> crate::Error {
        crate::Error::InvalidArgument(format!(
            "document {} is not valid Unicode text (it contains a lone surrogate); clean it, \
             e.g. text.encode('utf-8', 'replace').decode('utf-8')",
            self.position
        ))
    }
}
