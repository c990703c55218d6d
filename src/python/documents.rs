//! Documents as the binding hands them to the core: Python strings, or strings inside Arrow
//! arrays (pyarrow, polars, Arrow-backed pandas) read in place through the Arrow C stream
//! interface, without a Python object per document. A large Python string that is not ASCII
//! is read by the scan a piece at a time (`piecewise`).

use super::columns::arrow_stream_chunks;
use super::piecewise::PiecewiseText;
use crate::scan::{ScanDocument, TextPieces};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyString;
use std::ops::Deref;

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

    /// The text as a Python str: the document's own str when it came as one (no copy).
    pub fn to_py_string<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        match self {
            DocText::Python(text) => match text.into_pyobject(py) {
                Ok(string) => string,
                Err(never) => match never {},
            },
            DocText::Arrow(..) => PyString::new(py, self),
            DocText::Piecewise(text) => text.py_string(py),
        }
    }

    /// Another handle on the same text.
    pub fn clone_ref(&self, py: Python<'_>) -> DocText {
        match self {
            DocText::Python(text) => DocText::Python(text.clone_ref(py)),
            DocText::Arrow(array, row) => DocText::Arrow(array.clone(), *row),
            DocText::Piecewise(text) => DocText::Piecewise(text.clone_ref(py)),
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
    let mut docs = Vec::new();
    for chunk in arrow_stream_chunks(source, "documents")? {
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
            if values.is_empty() {
                // Every row is null (`normalized_keys` refuses an empty dictionary).
                docs.extend((0..chunk.len()).map(|_| None));
                return Ok(());
            }
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
