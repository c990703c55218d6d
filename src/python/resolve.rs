//! `Resolver` and `resolve`: resolving ambiguous mentions of a scan, with the GIL released.

use super::documents::DocText;
use super::errors::run_detached;
use super::matcher::PyMatcher;
use super::result::PyScanResult;
use crate::resolve::{resolve_knowing_ascii, Evidence, ResolveOptions, Resolver};
use crate::scan::thread_pool;
use crate::ScanResult;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// What resolving reads from a matcher's lexicon, built once per matcher.
#[pyclass(name = "Resolver", module = "lexiscan._lexiscan", frozen)]
pub struct PyResolver {
    inner: Resolver,
}

#[pymethods]
impl PyResolver {
    #[new]
    fn new(py: Python<'_>, matcher: &PyMatcher) -> PyResult<Self> {
        let lexicon = matcher.inner.lexicon().clone();
        let inner = run_detached(py, move || Resolver::new(&lexicon))?;
        Ok(Self { inner })
    }
}

/// The names of the `evidence` codes, by code.
#[pyfunction]
pub fn evidence_names() -> Vec<&'static str> {
    Evidence::ALL.iter().map(|e| e.name()).collect()
}

/// A scan result holding `rows` of `from`, with the same documents.
fn sub_result(py: Python<'_>, from: &PyScanResult, rows: ScanResult) -> PyScanResult {
    PyScanResult {
        inner: rows,
        docs: from
            .docs
            .iter()
            .map(|d| d.as_ref().map(|d| d.clone_ref(py)))
            .collect(),
        n_docs: from.n_docs,
        texts_kept: from.texts_kept,
        n_threads: from.n_threads,
    }
}

/// Kept and dropped rows of a resolution, each as (result, score as f64 LE, evidence codes).
type Resolved<'py> = (
    PyScanResult,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    PyScanResult,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

/// Resolve the ambiguous mentions of `result` (scanned by the resolver's matcher).
#[pyfunction]
pub fn resolve<'py>(
    py: Python<'py>,
    result: &PyScanResult,
    resolver: &PyResolver,
    min_score: f64,
    window: usize,
) -> PyResult<Resolved<'py>> {
    if min_score.is_nan() {
        return Err(PyValueError::new_err("min_score must be a number, not NaN"));
    }
    let options = ResolveOptions { min_score, window };
    let pool = thread_pool(result.n_threads).map_err(super::errors::to_py_err)?;
    let docs = &result.docs;
    let found = &result.inner;
    let text = |d: u64| docs.get(d as usize).and_then(|t| t.as_deref());
    // A Python string is ASCII when its length in characters is its length in UTF-8 bytes,
    // known without reading it; the resolver then need not walk it to find byte offsets.
    let ascii: Vec<bool> = docs
        .iter()
        .map(|d| match d {
            Some(DocText::Python(text)) => {
                let string: Bound<'_, PyString> = match text.into_pyobject(py) {
                    Ok(string) => string,
                    Err(never) => match never {},
                };
                string.len().is_ok_and(|chars| chars == text.len())
            }
            _ => false,
        })
        .collect();
    let is_ascii = |d: u64| ascii.get(d as usize).copied().unwrap_or(false);
    let resolver = &resolver.inner;
    let (r, kept, dropped) = run_detached(py, || {
        pool.install(|| {
            let r = resolve_knowing_ascii(resolver, found, &text, &is_ascii, options)?;
            let kept = found.select(&r.kept);
            let dropped = found.select(&r.dropped);
            Ok((r, kept, dropped))
        })
    })?;
    let scores = |s: &[f64]| -> Vec<u8> { s.iter().flat_map(|v| v.to_le_bytes()).collect() };
    let codes = |e: &[Evidence]| -> Vec<u8> { e.iter().map(|&e| e as u8).collect() };
    Ok((
        sub_result(py, result, kept),
        PyBytes::new(py, &scores(&r.score)),
        PyBytes::new(py, &codes(&r.evidence)),
        sub_result(py, result, dropped),
        PyBytes::new(py, &scores(&r.dropped_score)),
        PyBytes::new(py, &codes(&r.dropped_evidence)),
    ))
}
