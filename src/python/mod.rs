//! The PyO3 binding: converts, releases the GIL around core work, maps errors. No logic: the
//! analyses are `crate::analysis`'s, rendering is the Python face's (`lexiscan._display`).

mod buffers;
mod columns;
mod documents;
mod errors;
mod files;
mod insights;
mod lexicon;
mod matcher;
mod pickling;
mod piecewise;
mod resolve;
mod result;

use pyo3::prelude::*;

#[pymodule(gil_used = false)]
#[pyo3(name = "_lexiscan")]
fn lexiscan_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<lexicon::PyLexicon>()?;
    m.add_class::<matcher::PyMatcher>()?;
    m.add_class::<matcher::PyMatch>()?;
    m.add_class::<result::PyScanResult>()?;
    m.add_class::<resolve::PyResolver>()?;
    m.add_function(wrap_pyfunction!(resolve::resolve, m)?)?;
    m.add_function(wrap_pyfunction!(resolve::evidence_names, m)?)?;
    m.add("InternalError", m.py().get_type::<errors::InternalError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(insights::keyness, m)?)?;
    m.add_function(wrap_pyfunction!(insights::topics, m)?)?;
    m.add_function(wrap_pyfunction!(files::read_texts, m)?)?;
    m.add_function(wrap_pyfunction!(files::read_jsonl, m)?)?;
    m.add_function(wrap_pyfunction!(insights::figures, m)?)?;
    m.add_function(wrap_pyfunction!(insights::near_misses, m)?)?;
    m.add_function(wrap_pyfunction!(insights::descriptions, m)?)?;
    m.add_function(wrap_pyfunction!(pickling::result_from_columns, m)?)?;
    m.add_function(wrap_pyfunction!(pickling::result_from_parts, m)?)?;
    m.add_function(wrap_pyfunction!(pickling::result_parts, m)?)?;
    m.add_function(wrap_pyfunction!(pickling::result_texts, m)?)?;
    m.add_function(wrap_pyfunction!(pickling::concat_results, m)?)?;
    m.add_function(wrap_pyfunction!(
        piecewise::_read_large_documents_in_pieces,
        m
    )?)?;
    Ok(())
}
