//! One place where core errors and panics become Python exceptions.

use crate::Error;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};

pyo3::create_exception!(
    lexiscan,
    InternalError,
    PyRuntimeError,
    "A bug in lexiscan: please report it with the input that caused it."
);

/// The Python exception for a core error.
pub fn to_py_err(err: Error) -> PyErr {
    match err {
        Error::Automaton(_) => PyRuntimeError::new_err(err.to_string()),
        _ => PyValueError::new_err(err.to_string()),
    }
}

/// Run core work with the GIL released; a core error or a panic comes back as an exception.
pub fn run_detached<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> crate::Result<T> + Send,
{
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(work)));
    match outcome {
        Ok(result) => result.map_err(to_py_err),
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown panic");
            Err(InternalError::new_err(format!(
                "internal error in lexiscan: {what}"
            )))
        }
    }
}
