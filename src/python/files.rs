//! Corpus files read in Rust (in parallel, GIL released) and handed over as Python lists.

use super::errors::run_detached;
use crate::files;
use pyo3::prelude::*;
use std::path::PathBuf;

/// texts, ids, groups
type Columns = (
    Vec<Option<String>>,
    Vec<Option<String>>,
    Vec<Option<String>>,
);

/// The texts of these files, in order.
#[pyfunction]
pub fn read_texts(py: Python<'_>, paths: Vec<PathBuf>) -> PyResult<Vec<String>> {
    run_detached(py, move || files::read_texts(&paths))
}

/// (texts, ids, groups) of a JSON Lines file.
#[pyfunction]
#[pyo3(signature = (path, text_field, id_field=None, group_field=None))]
pub fn read_jsonl(
    py: Python<'_>,
    path: PathBuf,
    text_field: String,
    id_field: Option<String>,
    group_field: Option<String>,
) -> PyResult<Columns> {
    let records = run_detached(py, move || {
        files::read_jsonl(
            &path,
            &text_field,
            id_field.as_deref(),
            group_field.as_deref(),
        )
    })?;
    let mut columns = (Vec::new(), Vec::new(), Vec::new());
    for (text, id, group) in records {
        columns.0.push(text);
        columns.1.push(id);
        columns.2.push(group);
    }
    Ok(columns)
}
