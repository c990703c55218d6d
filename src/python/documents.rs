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
use std::sync::OnceLock;

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

    fn read(&self, from: usize, max_chars: usize, out: &mut String) -> crate::Result<usize> {
        let limit = PIECEWISE_READ_CHARS.load(Ordering::Relaxed);
        let to = from.saturating_add(max_chars.min(limit)).min(self.chars);
        Python::attach(|py| {
            // SAFETY: a valid str and a range within it; the new reference is owned here.
            let piece = unsafe {
                Bound::from_owned_ptr_or_err(
                    py,
                    ffi::PyUnicode_Substring(self.text.as_ptr(), from as isize, to as isize),
                )
            };
            let converted = piece.and_then(|p| {
                let piece = p.cast_into::<PyString>()?;
                out.push_str(piece.to_str()?);
                Ok(())
            });
            converted.map_err(|_| {
                crate::Error::InvalidArgument(format!(
                    "document {} is not valid Unicode text (it contains a lone surrogate); \
                     clean it, e.g. text.encode('utf-8', 'replace').decode('utf-8')",
                    self.position
                ))
            })
        })?;
        Ok(to - from)
    }
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
