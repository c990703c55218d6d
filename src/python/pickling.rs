//! A `ScanResult` taken apart into plain columns and put back together, so results can travel
//! between processes (pickle, Dask, Spark, joblib), and results of separate scans joined into
//! one with their documents renumbered. Conversions only: the checks live in the core's
//! `ScanResult::from_columns`.

use super::documents::DocText;
use super::errors::{run_detached, to_py_err};
use super::result::PyScanResult;
use crate::ScanResult;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyString;

/// Little-endian values of `N` bytes each from Python bytes, or a ValueError naming `what`.
fn from_little_endian<T, const N: usize>(
    bytes: &[u8],
    what: &str,
    from_bytes: fn([u8; N]) -> T,
) -> PyResult<Vec<T>> {
    if !bytes.len().is_multiple_of(N) {
        return Err(PyValueError::new_err(format!(
            "{what} must hold {N}-byte values, not {} bytes",
            bytes.len()
        )));
    }
    Ok(bytes
        .chunks_exact(N)
        .map(|c| from_bytes(c.try_into().expect("N bytes")))
        .collect())
}

/// A result from the columns of `ScanResult.column` (doc, start, end: u64; entity, alias:
/// u32; edits: u8), its matched texts (`surface_data`, cut by the int64 `surface_offsets`),
/// its number of documents, and its documents (None: not kept).
#[pyfunction]
#[pyo3(signature = (doc, entity, alias, start, end, edits, surface_data, surface_offsets, n_docs, texts=None))]
#[allow(clippy::too_many_arguments)]
pub fn result_from_columns(
    doc: &[u8],
    entity: &[u8],
    alias: &[u8],
    start: &[u8],
    end: &[u8],
    edits: &[u8],
    surface_data: String,
    surface_offsets: &[u8],
    n_docs: usize,
    texts: Option<Vec<Option<PyBackedStr>>>,
) -> PyResult<PyScanResult> {
    let doc = from_little_endian(doc, "doc", u64::from_le_bytes)?;
    if doc.last().is_some_and(|&d| d as usize >= n_docs) {
        return Err(PyValueError::new_err(format!(
            "a match is in document {}, but the result has {n_docs} documents",
            doc.last().copied().unwrap_or(0)
        )));
    }
    if texts.as_ref().is_some_and(|t| t.len() != n_docs) {
        return Err(PyValueError::new_err(format!(
            "{} texts for {n_docs} documents",
            texts.as_ref().map_or(0, Vec::len)
        )));
    }
    let offsets = from_little_endian(surface_offsets, "surface_offsets", i64::from_le_bytes)?;
    let inner = ScanResult::from_columns(
        doc,
        from_little_endian(entity, "entity", u32::from_le_bytes)?,
        from_little_endian(alias, "alias", u32::from_le_bytes)?,
        from_little_endian(start, "start", u64::from_le_bytes)?,
        from_little_endian(end, "end", u64::from_le_bytes)?,
        edits.to_vec(),
        surface_data,
        offsets.into_iter().map(|o| o.max(0) as usize).collect(),
    )
    .map_err(to_py_err)?;
    Ok(PyScanResult {
        inner,
        texts_kept: texts.is_some(),
        docs: texts
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.map(DocText::Python))
            .collect(),
        n_docs,
        n_threads: None,
    })
}

/// The documents a result kept, by position (None: a missing document), or None when it did
/// not keep them.
#[pyfunction]
pub fn result_texts<'py>(
    py: Python<'py>,
    result: &PyScanResult,
) -> Option<Vec<Option<Bound<'py, PyString>>>> {
    if !result.texts_kept {
        return None;
    }
    Some(
        result
            .docs
            .iter()
            .map(|doc| doc.as_ref().map(|text| text.to_py_string(py)))
            .collect(),
    )
}

/// Results of separate scans as one: the documents of each part follow those of the parts
/// before it (positions renumbered), texts kept only when every part kept them. The parts are
/// left as they were.
#[pyfunction]
pub fn concat_results(
    py: Python<'_>,
    parts: Vec<PyRef<'_, PyScanResult>>,
) -> PyResult<PyScanResult> {
    let texts_kept = parts.iter().all(|p| p.texts_kept);
    let mut docs = Vec::new();
    let mut columns = Vec::with_capacity(parts.len());
    let mut first_doc = 0u64;
    for part in &parts {
        columns.push((&part.inner, first_doc));
        first_doc += part.n_docs as u64;
        if texts_kept {
            docs.extend(
                part.docs
                    .iter()
                    .map(|d| d.as_ref().map(|t| t.clone_ref(py))),
            );
        }
    }
    let inner = run_detached(py, || {
        let moved: Vec<ScanResult> = columns
            .into_iter()
            .map(|(part, first)| {
                let mut part = part.clone();
                part.shift_documents(first);
                part
            })
            .collect();
        Ok(ScanResult::concat(moved))
    })?;
    Ok(PyScanResult {
        inner,
        docs,
        n_docs: first_doc as usize,
        texts_kept,
        n_threads: parts.first().and_then(|p| p.n_threads),
    })
}
