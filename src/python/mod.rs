//! The PyO3 binding: converts, releases the GIL around core work, maps errors. No logic.

mod errors;
mod lexicon;
mod matcher;
mod result;

use pyo3::prelude::*;

#[pymodule(gil_used = false)]
#[pyo3(name = "_lexiscan")]
fn lexiscan_native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<lexicon::PyLexicon>()?;
    m.add_class::<matcher::PyMatcher>()?;
    m.add_class::<matcher::PyMatch>()?;
    m.add_class::<result::PyScanResult>()?;
    m.add("InternalError", m.py().get_type::<errors::InternalError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
