//! Documents as the binding hands them to the core: Python strings, or strings inside Arrow
//! arrays (pyarrow, polars, Arrow-backed pandas) read in place through the Arrow C stream
//! interface, without a Python object per document. A large Python string that is not ASCII
//! is read in UTF-8 pieces by the scan (`PiecewiseText`): CPython stores it at 2 or 4 bytes a
//! character, and its whole UTF-8 copy (which CPython would keep as long as the string lives)
//! would add half as much again to the memory a scan needs.

use crate::scan::{ScanDocument, TextPieces};
use arrow_array::cast::AsArray;
use arrow_array::ffi_stream::{ArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyCapsule, PyString};
use pyo3::{ffi, intern};
use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// The text of one document, kept alive for analyses that need it after the scan.
pub enum DocText {
    Python(PyBackedStr),
    /// Row `.1` of a string array (its dictionary already resolved).
    Arrow(ArrayRef, usize),
    /// A large Python string that is not ASCII, read by the scan a piece at a time.
    Piecewise(PiecewiseText),
}

impl DocText {
    /// A document from a Python string; None for a string with a lone surrogate (no UTF-8).
    pub fn from_str(text: &Bound<'_, PyString>, position: u64) -> PyResult<Option<DocText>> {
        if let Some(large) = PiecewiseText::for_large(text, position)? {
            return Ok(Some(DocText::Piecewise(large)));
        }
        Ok(PyBackedStr::try_from(text.clone())
            .ok()
            .map(DocText::Python))
    }

    /// Another handle on the same text.
    pub fn clone_ref(&self, py: Python<'_>) -> DocText {
        match self {
            DocText::Python(text) => DocText::Python(text.clone_ref(py)),
            DocText::Arrow(array, row) => DocText::Arrow(array.clone(), *row),
            DocText::Piecewise(text) => DocText::Piecewise(PiecewiseText {
                text: text.text.clone_ref(py),
                chars: text.chars,
                position: text.position,
                utf8: OnceLock::new(),
                ucs4: Mutex::new(Vec::new()),
            }),
        }
    }
}

impl Deref for DocText {
    type Target = str;

    /// The UTF-8 text. A `Piecewise` document makes it on first use (the GIL is taken for
    /// that: do not call this from a thread that blocks the GIL's holder).
    fn deref(&self) -> &str {
        match self {
            DocText::Python(text) => text,
            DocText::Arrow(array, row) => string_at(array, *row),
            DocText::Piecewise(text) => text.utf8(),
        }
    }
}

impl ScanDocument for DocText {
    fn text(&self) -> Option<&str> {
        match self {
            DocText::Piecewise(_) => None,
            other => Some(other),
        }
    }

    fn pieces(&self) -> Option<&dyn TextPieces> {
        match self {
            DocText::Piecewise(text) => Some(text),
            _ => None,
        }
    }
}

/// Python strings of at least this many characters that are not ASCII are read in pieces.
static PIECEWISE_MIN_CHARS: AtomicUsize = AtomicUsize::new(1 << 24);
/// At most this many characters are read at once (the core asks for its own piece size).
static PIECEWISE_READ_CHARS: AtomicUsize = AtomicUsize::new(usize::MAX);

/// For tests: read strings of `min_chars` characters or more (that are not ASCII) in pieces
/// of at most `read_chars` characters. Returns the settings before.
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
    /// The piece being read, as code points (reused from one read to the next).
    ucs4: Mutex<Vec<u32>>,
}

impl PiecewiseText {
    /// `text` as a piecewise text when it is large and not ASCII (an ASCII string is its own
    /// UTF-8: read in place for free).
    fn for_large(text: &Bound<'_, PyString>, position: u64) -> PyResult<Option<Self>> {
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
            ucs4: Mutex::new(Vec::new()),
        }))
    }

    fn utf8(&self) -> &str {
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

impl TextPieces for PiecewiseText {
    fn chars(&self) -> usize {
        self.chars
    }

    /// The piece is copied out as UCS-4 under the GIL (a substring, then a widening copy:
    /// both plain loops in CPython) and made UTF-8 here without it: CPython's own UTF-8
    /// encoder, a branch per character, made the reading slower than the matching.
    fn read(&self, from: usize, max_chars: usize, out: &mut String) -> crate::Result<usize> {
        let limit = PIECEWISE_READ_CHARS.load(Ordering::Relaxed);
        let to = from.saturating_add(max_chars.min(limit)).min(self.chars);
        let mut ucs4 = self.ucs4.lock().unwrap_or_else(|e| e.into_inner());
        Python::attach(|py| {
            // Blocks small enough that their code points are still in the cache when read.
            let mut at = from;
            while at < to {
                let end = to.min(at + UCS4_BLOCK_CHARS);
                self.copy_ucs4(py, at, end, &mut ucs4)?;
                py.detach(|| push_utf8(out, &ucs4))
                    .map_err(|_| self.lone_surrogate())?;
                at = end;
            }
            Ok(to - from)
        })
    }
}

/// Code points copied out of a Python string at once (256 KiB of UCS-4).
const UCS4_BLOCK_CHARS: usize = 1 << 16;

impl PiecewiseText {
    /// Characters `from..to` as code points into `ucs4`.
    fn copy_ucs4(
        &self,
        py: Python<'_>,
        from: usize,
        to: usize,
        ucs4: &mut Vec<u32>,
    ) -> crate::Result<()> {
        let failed = |e: PyErr| crate::Error::InvalidArgument(e.to_string());
        ucs4.clear();
        ucs4.reserve(to - from);
        // SAFETY: a valid str and a range within it; the new reference is owned here.
        let piece = unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyUnicode_Substring(self.text.as_ptr(), from as isize, to as isize),
            )
        }
        .map_err(failed)?;
        // SAFETY: the buffer has room for `to - from` code points, the piece's length.
        let filled = unsafe {
            ffi::PyUnicode_AsUCS4(piece.as_ptr(), ucs4.as_mut_ptr(), (to - from) as isize, 0)
        };
        if filled.is_null() {
            return Err(failed(PyErr::fetch(py)));
        }
        // SAFETY: PyUnicode_AsUCS4 wrote all `to - from` of them.
        unsafe { ucs4.set_len(to - from) };
        Ok(())
    }

    fn lone_surrogate(&self) -> crate::Error {
        crate::Error::InvalidArgument(format!(
            "document {} is not valid Unicode text (it contains a lone surrogate); clean it, \
             e.g. text.encode('utf-8', 'replace').decode('utf-8')",
            self.position
        ))
    }
}

/// Append code points to `out` as UTF-8; Err at a surrogate (what was appended before it is
/// whole characters). Runs of ASCII go sixteen at a time.
fn push_utf8(out: &mut String, code_points: &[u32]) -> Result<(), ()> {
    // SAFETY: only whole UTF-8 sequences are pushed: ASCII bytes and `encode_utf8`'s.
    let bytes = unsafe { out.as_mut_vec() };
    bytes.reserve(code_points.len());
    let mut rest = code_points;
    while !rest.is_empty() {
        let ascii = push_ascii_16(bytes, rest);
        let (slow, more) = rest[ascii..].split_at(rest.len().saturating_sub(ascii).min(16));
        for &c in slow {
            let c = char::from_u32(c).ok_or(())?;
            bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
        rest = more;
    }
    Ok(())
}

/// Push the leading code points of `code_points` that are ASCII, in blocks of sixteen, as bytes;
/// return how many were pushed (a multiple of sixteen).
fn push_ascii_16(bytes: &mut Vec<u8>, code_points: &[u32]) -> usize {
    let blocks = code_points.chunks_exact(16);
    bytes.reserve(code_points.len());
    let mut done = 0;
    for block in blocks {
        let Some(packed) = ascii_block(block) else {
            break;
        };
        bytes.extend_from_slice(&packed);
        done += 16;
    }
    done
}

/// Sixteen code points as bytes, when all are ASCII (SSE2: two saturating packs).
#[cfg(target_arch = "x86_64")]
#[inline]
fn ascii_block(block: &[u32]) -> Option<[u8; 16]> {
    use std::arch::x86_64::*;
    assert_eq!(block.len(), 16);
    // SAFETY: SSE2 is part of x86_64; the four unaligned loads read the block's 64 bytes.
    unsafe {
        let p = block.as_ptr().cast::<__m128i>();
        let (a, b) = (_mm_loadu_si128(p), _mm_loadu_si128(p.add(1)));
        let (c, d) = (_mm_loadu_si128(p.add(2)), _mm_loadu_si128(p.add(3)));
        let any = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
        let high = _mm_and_si128(any, _mm_set1_epi32(!0x7f));
        if _mm_movemask_epi8(_mm_cmpeq_epi32(high, _mm_setzero_si128())) != 0xffff {
            return None;
        }
        let packed = _mm_packus_epi16(_mm_packs_epi32(a, b), _mm_packs_epi32(c, d));
        Some(std::mem::transmute::<__m128i, [u8; 16]>(packed))
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn ascii_block(block: &[u32]) -> Option<[u8; 16]> {
    let block: &[u32; 16] = block.try_into().ok()?;
    (block.iter().fold(0, |all, &c| all | c) < 0x80).then(|| block.map(|c| c as u8))
}

fn string_at(array: &ArrayRef, row: usize) -> &str {
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().value(row),
        DataType::LargeUtf8 => array.as_string::<i64>().value(row),
        DataType::Utf8View => array.as_string_view().value(row),
        other => unreachable!("checked by is_string_type: {other}"),
    }
}

fn is_string_type(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

/// All documents of an object with `__arrow_c_stream__` (nulls are missing documents).
pub fn from_arrow_stream(source: &Bound<'_, PyAny>) -> PyResult<Vec<Option<DocText>>> {
    let capsule = source.call_method0("__arrow_c_stream__")?;
    let capsule = capsule
        .cast::<PyCapsule>()
        .map_err(|_| PyTypeError::new_err("__arrow_c_stream__ did not return a PyCapsule"))?;
    let pointer = capsule
        .pointer_checked(Some(c"arrow_array_stream"))?
        .as_ptr() as *mut FFI_ArrowArrayStream;
    // SAFETY: the capsule holds an initialised stream by the C stream interface's contract;
    // from_raw moves it out and leaves a released stream for the capsule's destructor.
    let reader = unsafe { ArrayStreamReader::from_raw(pointer) }
        .map_err(|e| PyValueError::new_err(format!("cannot read the Arrow stream: {e}")))?;
    let mut docs = Vec::new();
    for chunk in reader {
        let chunk = chunk.map_err(|e| PyValueError::new_err(format!("Arrow stream: {e}")))?;
        push_chunk(&mut docs, &chunk)?;
    }
    Ok(docs)
}

fn push_chunk(docs: &mut Vec<Option<DocText>>, chunk: &ArrayRef) -> PyResult<()> {
    let data_type = chunk.data_type();
    if is_string_type(data_type) {
        docs.extend((0..chunk.len()).map(|row| {
            chunk
                .is_valid(row)
                .then(|| DocText::Arrow(chunk.clone(), row))
        }));
        return Ok(());
    }
    if let DataType::Dictionary(_, values) = data_type {
        if is_string_type(values) {
            let dictionary = chunk.as_any_dictionary();
            let values = dictionary.values().clone();
            let keys = dictionary.normalized_keys();
            docs.extend((0..chunk.len()).map(|row| {
                let valid = chunk.is_valid(row) && values.is_valid(keys[row]);
                valid.then(|| DocText::Arrow(values.clone(), keys[row]))
            }));
            return Ok(());
        }
    }
    Err(PyTypeError::new_err(format!(
        "Arrow documents must be strings (utf8, large_utf8, utf8_view or a dictionary of \
         them), not {data_type}"
    )))
}
