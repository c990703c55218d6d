//! A `ScanResult` taken apart into plain values and put back together, so results can travel
//! between processes (pickle, Dask, Spark, joblib), and results of separate scans joined into
//! one with their documents renumbered. Two shapes: the stored parts (runs, starts, form codes
//! and the distinct forms: ~12 bytes a match, what pickles hold now) and, for results pickled
//! by older builds, full columns. Conversions only: the checks live in the core's
//! `ScanResult::from_parts` and `ScanResult::from_columns`.

use super::buffers::{little_endian, new_bytes_array};
use super::documents::DocText;
use super::errors::{run_detached, to_py_err};
use super::result::PyScanResult;
use crate::ScanResult;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyBytes, PyDict, PyString};

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
    with_documents(inner, n_docs, texts)
}

/// The parts a result stores, by name: `run_docs` and `run_rows` (u64: each run of matches of
/// one document), `start` (u64), `codes` (u32: each match's form), and the forms' `entity`,
/// `alias`, `chars` (u32), `edits` (u8), their matched texts back to back (`form_texts`, cut by
/// the u64 `form_text_ends`).
#[pyfunction]
pub fn result_parts<'py>(py: Python<'py>, result: &PyScanResult) -> PyResult<Bound<'py, PyDict>> {
    fn le<T: Copy, const N: usize>(
        values: impl Iterator<Item = T>,
        f: fn(T) -> [u8; N],
    ) -> Vec<u8> {
        values.flat_map(f).collect()
    }
    let r = &result.inner;
    let parts = PyDict::new(py);
    let runs = || r.doc_runs();
    let forms = || r.forms();
    parts.set_item(
        "run_docs",
        PyBytes::new(py, &le(runs().map(|(d, _)| d), u64::to_le_bytes)),
    )?;
    let rows = le(runs().map(|(_, rows)| rows.len() as u64), u64::to_le_bytes);
    parts.set_item("run_rows", PyBytes::new(py, &rows))?;
    // The two columns of a row each, written on the result's threads.
    let pool = result.pool()?;
    let [start, codes] = new_bytes_array(
        py,
        &pool,
        [
            little_endian(r.starts(), u64::to_le_bytes),
            little_endian(r.form_codes(), u32::to_le_bytes),
        ],
    )?;
    parts.set_item("start", start)?;
    parts.set_item("codes", codes)?;
    parts.set_item(
        "entity",
        PyBytes::new(py, &le(forms().map(|f| f.entity), u32::to_le_bytes)),
    )?;
    parts.set_item(
        "alias",
        PyBytes::new(py, &le(forms().map(|f| f.alias), u32::to_le_bytes)),
    )?;
    parts.set_item(
        "chars",
        PyBytes::new(py, &le(forms().map(|f| f.chars), u32::to_le_bytes)),
    )?;
    parts.set_item(
        "edits",
        PyBytes::new(py, &forms().map(|f| f.edits).collect::<Vec<u8>>()),
    )?;
    let texts: String = forms().map(|f| f.surface).collect();
    let mut end = 0u64;
    let ends = le(
        forms().map(|f| {
            end += f.surface.len() as u64;
            end
        }),
        u64::to_le_bytes,
    );
    parts.set_item("form_texts", texts)?;
    parts.set_item("form_text_ends", PyBytes::new(py, &ends))?;
    Ok(parts)
}

/// A result from the parts of `result_parts`, its number of documents, and its documents
/// (None: not kept).
#[pyfunction]
#[pyo3(signature = (run_docs, run_rows, start, codes, entity, alias, chars, edits, form_texts, form_text_ends, n_docs, texts=None))]
#[allow(clippy::too_many_arguments)]
pub fn result_from_parts(
    run_docs: &[u8],
    run_rows: &[u8],
    start: &[u8],
    codes: &[u8],
    entity: &[u8],
    alias: &[u8],
    chars: &[u8],
    edits: &[u8],
    form_texts: &str,
    form_text_ends: &[u8],
    n_docs: usize,
    texts: Option<Vec<Option<PyBackedStr>>>,
) -> PyResult<PyScanResult> {
    let run_docs = from_little_endian(run_docs, "run_docs", u64::from_le_bytes)?;
    let run_rows = from_little_endian(run_rows, "run_rows", u64::from_le_bytes)?;
    let entity = from_little_endian(entity, "entity", u32::from_le_bytes)?;
    let alias = from_little_endian(alias, "alias", u32::from_le_bytes)?;
    let chars = from_little_endian(chars, "chars", u32::from_le_bytes)?;
    let ends = from_little_endian(form_text_ends, "form_text_ends", u64::from_le_bytes)?;
    let n_forms = entity.len();
    let cut_well = ends.windows(2).all(|w| w[0] <= w[1])
        && ends.last().map_or(0, |&e| e as usize) == form_texts.len()
        && ends
            .iter()
            .all(|&e| form_texts.is_char_boundary(e as usize));
    if [alias.len(), chars.len(), edits.len(), ends.len()] != [n_forms; 4] || !cut_well {
        return Err(PyValueError::new_err(
            "damaged scan parts: the forms' columns differ in length or their texts are cut badly",
        ));
    }
    let forms = (0..n_forms).map(|k| {
        let from = if k == 0 { 0 } else { ends[k - 1] as usize };
        crate::scan::Form {
            entity: entity[k],
            alias: alias[k],
            edits: edits[k],
            chars: chars[k],
            surface: &form_texts[from..ends[k] as usize],
        }
    });
    if run_docs.len() != run_rows.len() {
        return Err(PyValueError::new_err(
            "damaged scan parts: runs of unequal lengths",
        ));
    }
    let runs: Vec<(u64, usize)> = run_docs
        .into_iter()
        .zip(run_rows.into_iter().map(|n| n as usize))
        .collect();
    let inner = ScanResult::from_parts(
        &runs,
        from_little_endian(start, "start", u64::from_le_bytes)?,
        from_little_endian(codes, "codes", u32::from_le_bytes)?,
        forms,
    )
    .map_err(to_py_err)?;
    with_documents(inner, n_docs, texts)
}

/// A rebuilt result with its number of documents and its documents (None: not kept), refused
/// when a match is past the documents or the texts are not one per document.
fn with_documents(
    inner: ScanResult,
    n_docs: usize,
    texts: Option<Vec<Option<PyBackedStr>>>,
) -> PyResult<PyScanResult> {
    if let Some(last) = inner.last_doc().filter(|&d| d as usize >= n_docs) {
        return Err(PyValueError::new_err(format!(
            "a match is in document {last}, but the result has {n_docs} documents"
        )));
    }
    if texts.as_ref().is_some_and(|t| t.len() != n_docs) {
        return Err(PyValueError::new_err(format!(
            "{} texts for {n_docs} documents",
            texts.as_ref().map_or(0, Vec::len)
        )));
    }
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
