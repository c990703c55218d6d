//! Columns of a table of aliases as the binding takes them: a Python list (or tuple) of
//! `str`, or an Arrow array (pyarrow, polars, Arrow-backed pandas) read in place through the
//! Arrow PyCapsule interface (`__arrow_c_stream__`, else `__arrow_c_array__`) by the `arrow`
//! crate's C data interface, so a million aliases cross without a Python object each.

use arrow_array::cast::AsArray;
use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::{ArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::{make_array, Array, ArrayRef};
use arrow_schema::DataType;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyCapsule, PyList, PyTuple};

/// A column of texts (None: a missing value), kept alive for the `&str`s borrowed from it.
pub enum TextColumn {
    Python(Vec<Option<PyBackedStr>>),
    Arrow(Vec<ArrayRef>),
}

impl TextColumn {
    /// The texts of `source`; a value that is neither text nor None is a TypeError naming
    /// `what` and its row.
    pub fn extract(source: &Bound<'_, PyAny>, what: &str) -> PyResult<Self> {
        if let Some(items) = python_items(source) {
            let mut values = Vec::with_capacity(items.len());
            for (row, item) in items.iter().enumerate() {
                values.push(if item.is_none() {
                    None
                } else {
                    Some(item.extract::<PyBackedStr>().map_err(|_| {
                        let kind = item
                            .get_type()
                            .name()
                            .map_or_else(|_| "?".to_owned(), |n| n.to_string());
                        PyTypeError::new_err(format!("{what} in row {row} is {kind}, not str"))
                    })?)
                });
            }
            return Ok(Self::Python(values));
        }
        let chunks = arrow_chunks(source, what)?;
        for chunk in &chunks {
            if !is_text(chunk.data_type()) {
                return Err(PyTypeError::new_err(format!(
                    "the {what} column must hold strings (utf8, large_utf8, utf8_view or a \
                     dictionary of them), not {}",
                    chunk.data_type()
                )));
            }
        }
        Ok(Self::Arrow(chunks))
    }

    /// Every value, in order.
    pub fn values(&self) -> Vec<Option<&str>> {
        match self {
            Self::Python(values) => values.iter().map(|v| v.as_deref()).collect(),
            Self::Arrow(chunks) => {
                let mut out = Vec::with_capacity(chunks.iter().map(|c| c.len()).sum());
                for chunk in chunks {
                    push_texts(chunk, &mut out);
                }
                out
            }
        }
    }

    /// Every value, or a TypeError naming `what` and the row of the first missing one.
    pub fn required(&self, what: &str) -> PyResult<Vec<&str>> {
        let values = self.values();
        if let Some(row) = values.iter().position(Option::is_none) {
            let missing = match self {
                Self::Python(_) => "NoneType",
                Self::Arrow(_) => "null",
            };
            return Err(PyTypeError::new_err(format!(
                "{what} in row {row} is {missing}, not str"
            )));
        }
        Ok(values.into_iter().map(|v| v.expect("checked")).collect())
    }
}

/// The booleans of `source` (a list or tuple of bools, or an Arrow boolean array); a missing
/// or other value is a TypeError naming `what` and its row.
pub fn extract_flags(source: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<bool>> {
    if let Some(items) = python_items(source) {
        return items
            .iter()
            .enumerate()
            .map(|(row, item)| {
                item.extract::<bool>().map_err(|_| {
                    PyTypeError::new_err(format!("{what} in row {row} is {item:?}, not a bool"))
                })
            })
            .collect();
    }
    let mut flags = Vec::new();
    for chunk in arrow_chunks(source, what)? {
        let Some(booleans) = chunk.as_boolean_opt() else {
            return Err(PyTypeError::new_err(format!(
                "the {what} column must hold booleans, not {}",
                chunk.data_type()
            )));
        };
        if let Some(row) = (0..booleans.len()).find(|&i| booleans.is_null(i)) {
            return Err(PyTypeError::new_err(format!(
                "{what} in row {} is null, not a bool",
                flags.len() + row
            )));
        }
        flags.extend(booleans.values().iter());
    }
    Ok(flags)
}

/// The items of a list or tuple (None: not one, so perhaps Arrow).
fn python_items<'py>(source: &Bound<'py, PyAny>) -> Option<Vec<Bound<'py, PyAny>>> {
    if let Ok(list) = source.cast::<PyList>() {
        return Some(list.iter().collect());
    }
    source
        .cast::<PyTuple>()
        .ok()
        .map(|tuple| tuple.iter().collect())
}

fn is_text(data_type: &DataType) -> bool {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, values) => {
            matches!(
                values.as_ref(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            )
        }
        _ => false,
    }
}

/// Push the texts of one chunk whose type passed `is_text`.
fn push_texts<'a>(chunk: &'a ArrayRef, out: &mut Vec<Option<&'a str>>) {
    let value = |row: usize| -> Option<&'a str> {
        chunk.is_valid(row).then(|| match chunk.data_type() {
            DataType::Utf8 => chunk.as_string::<i32>().value(row),
            DataType::LargeUtf8 => chunk.as_string::<i64>().value(row),
            DataType::Utf8View => chunk.as_string_view().value(row),
            _ => unreachable!("a dictionary is resolved below"),
        })
    };
    if let DataType::Dictionary(_, _) = chunk.data_type() {
        let dictionary = chunk.as_any_dictionary();
        if dictionary.values().is_empty() {
            // Every row is null (`normalized_keys` refuses an empty dictionary).
            out.extend(std::iter::repeat_n(None, chunk.len()));
            return;
        }
        let mut values = Vec::with_capacity(dictionary.values().len());
        push_texts(dictionary.values(), &mut values);
        let keys = dictionary.normalized_keys();
        out.extend((0..chunk.len()).map(|row| {
            if chunk.is_valid(row) {
                values[keys[row]]
            } else {
                None
            }
        }));
    } else {
        out.extend((0..chunk.len()).map(value));
    }
}

/// The arrays of an object with `__arrow_c_stream__`, read in place (the binding's one reader
/// of Arrow streams: alias columns here, documents in `documents`); errors name `what`.
pub(super) fn arrow_stream_chunks(
    source: &Bound<'_, PyAny>,
    what: &str,
) -> PyResult<Vec<ArrayRef>> {
    let arrow_error = |e: arrow_schema::ArrowError| {
        PyValueError::new_err(format!("cannot read the {what} column from Arrow: {e}"))
    };
    let capsule = source.call_method0("__arrow_c_stream__")?;
    let capsule = capsule
        .cast::<PyCapsule>()
        .map_err(|_| PyTypeError::new_err("__arrow_c_stream__ did not return a PyCapsule"))?;
    let pointer = capsule
        .pointer_checked(Some(c"arrow_array_stream"))?
        .as_ptr() as *mut FFI_ArrowArrayStream;
    // SAFETY: the capsule holds an initialised stream by the C stream interface's contract;
    // from_raw moves it out and leaves a released stream for the capsule's destructor.
    let reader = unsafe { ArrayStreamReader::from_raw(pointer) }.map_err(arrow_error)?;
    reader
        .map(|chunk| chunk.map_err(arrow_error))
        .collect::<PyResult<Vec<_>>>()
}

/// The arrays of an object with `__arrow_c_stream__` or `__arrow_c_array__`.
fn arrow_chunks(source: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<ArrayRef>> {
    let arrow_error = |e: arrow_schema::ArrowError| {
        PyValueError::new_err(format!("cannot read the {what} column from Arrow: {e}"))
    };
    if source.hasattr("__arrow_c_stream__")? {
        return arrow_stream_chunks(source, what);
    }
    if source.hasattr("__arrow_c_array__")? {
        let pair = source.call_method0("__arrow_c_array__")?;
        let (schema, array): (Bound<'_, PyCapsule>, Bound<'_, PyCapsule>) = pair.extract()?;
        let schema =
            schema.pointer_checked(Some(c"arrow_schema"))?.as_ptr() as *const FFI_ArrowSchema;
        let array = array.pointer_checked(Some(c"arrow_array"))?.as_ptr() as *mut FFI_ArrowArray;
        // SAFETY: by the C data interface's contract the capsules hold an initialised schema
        // and array; the array is moved out (its capsule's destructor then sees it released)
        // and the schema only borrowed for the duration of the import.
        let data = unsafe { from_ffi(std::ptr::replace(array, FFI_ArrowArray::empty()), &*schema) }
            .map_err(arrow_error)?;
        return Ok(vec![make_array(data)]);
    }
    Err(PyTypeError::new_err(format!(
        "the {what} column must be a list of values or an Arrow array (an object with \
         __arrow_c_stream__ or __arrow_c_array__), not {}",
        source.get_type().name()?
    )))
}
