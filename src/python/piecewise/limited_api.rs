//! Reading a string's characters through the stable ABI (the `abi3` build): a block that is
//! ASCII as CPython's substring gives it, else copied out as UCS-4 and made UTF-8
//! (`crate::scan::push_utf8`), all under the GIL, which the worker then gives up while it
//! matches.

use super::PiecewiseText;
use crate::scan::push_utf8;
use pyo3::prelude::*;
use pyo3::{ffi, intern};
use std::cell::RefCell;

impl PiecewiseText {
    /// Append characters `from..to` to `out` as UTF-8, a block at a time: a substring, given
    /// out in place when it is ASCII, else copied out as UCS-4 (a widening copy) and made
    /// UTF-8 here: CPython's own UTF-8 encoder, a branch per character, made the reading
    /// slower than the matching. The GIL is held for the whole read (about a millisecond for a
    /// piece): two workers that let it go between blocks waited for it more often than they
    /// gained (docs/performance.md).
    pub(super) fn read_under_gil(
        &self,
        from: usize,
        to: usize,
        out: &mut String,
    ) -> crate::Result<()> {
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
                Ok(())
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
}
