//! `ScanResult`: the columns of a scan, handed to Python as raw buffers for numpy, and the
//! analyses on them (the documents are kept, as Python strings, for those that need text).

use super::documents::DocText;
use super::errors::run_detached;
use crate::analysis::{self, context, cooccurrence};
use crate::ScanResult;
use pyo3::exceptions::{PyIndexError, PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};
use std::collections::HashMap;

#[pyclass(name = "ScanResult", module = "lexiscan._lexiscan")]
pub struct PyScanResult {
    pub inner: ScanResult,
    /// The scanned documents by position (None: missing); they share the caller's strings.
    /// Empty when the texts were not kept (a stream scanned batch by batch).
    pub docs: Vec<Option<DocText>>,
    pub n_docs: usize,
    pub texts_kept: bool,
}

impl Default for PyScanResult {
    fn default() -> Self {
        Self {
            inner: ScanResult::default(),
            docs: Vec::new(),
            n_docs: 0,
            texts_kept: true,
        }
    }
}

impl PyScanResult {
    /// The documents, for analyses that need their text.
    pub(super) fn texts(&self) -> PyResult<&[Option<DocText>]> {
        if self.texts_kept {
            Ok(&self.docs)
        } else {
            Err(PyValueError::new_err(
                "this result did not keep its documents (they came from an iterator, scanned \
                 batch by batch so memory stays bounded); scan with keep_text=True to use kwic, \
                 highlight, or sentence and word co-occurrence",
            ))
        }
    }
}

/// A little-endian u32 column from Python bytes (numpy `astype("<u4").tobytes()`).
fn u32_column(bytes: &[u8], len: usize, what: &str) -> PyResult<Vec<u32>> {
    if bytes.len() != len * 4 {
        return Err(PyValueError::new_err(format!(
            "{what} must have one uint32 per match"
        )));
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().expect("4")))
        .collect())
}

/// Triplets as three little-endian columns.
type Columns<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

fn little_endian<'py, T: Copy, const N: usize>(
    py: Python<'py>,
    values: &[T],
    to_bytes: fn(T) -> [u8; N],
) -> PyResult<Bound<'py, PyBytes>> {
    PyBytes::new_with(py, values.len() * N, |buf| {
        for (chunk, &v) in buf.chunks_exact_mut(N).zip(values) {
            chunk.copy_from_slice(&to_bytes(v));
        }
        Ok(())
    })
}

#[pymethods]
impl PyScanResult {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Append the matches of the next batch (its document keys must follow this one's).
    fn extend(&mut self, mut other: PyRefMut<'_, PyScanResult>) {
        self.inner.extend(std::mem::take(&mut other.inner));
        self.n_docs += other.n_docs;
        if self.texts_kept && other.texts_kept {
            self.docs.append(&mut other.docs);
        } else {
            self.texts_kept = false;
            self.docs = Vec::new();
        }
    }

    /// Mentions per (document, key): columns doc (u64), key (u32), count (u32).
    fn counts<'py>(&self, py: Python<'py>, key: &[u8]) -> PyResult<Columns<'py>> {
        let key = u32_column(key, self.inner.len(), "key")?;
        let doc = &self.inner.doc;
        let triplets = run_detached(py, || Ok(analysis::counts(doc, &key)))?;
        Ok((
            little_endian(
                py,
                &triplets.iter().map(|t| t.0).collect::<Vec<_>>(),
                u64::to_le_bytes,
            )?,
            little_endian(
                py,
                &triplets.iter().map(|t| t.1).collect::<Vec<_>>(),
                u32::to_le_bytes,
            )?,
            little_endian(
                py,
                &triplets.iter().map(|t| t.2).collect::<Vec<_>>(),
                u32::to_le_bytes,
            )?,
        ))
    }

    /// Mentions and documents per (group, key), flattened group-major (u64 each).
    #[pyo3(signature = (key, n_keys, doc_group=None, n_groups=1))]
    fn frequency<'py>(
        &self,
        py: Python<'py>,
        key: &[u8],
        n_keys: usize,
        doc_group: Option<&[u8]>,
        n_groups: usize,
    ) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
        let key = u32_column(key, self.inner.len(), "key")?;
        let groups = doc_group
            .map(|g| u32_column(g, self.n_docs, "doc_group"))
            .transpose()?;
        if key.iter().any(|&k| k as usize >= n_keys)
            || groups.iter().flatten().any(|&g| g as usize >= n_groups)
        {
            return Err(PyValueError::new_err("key or group code out of range"));
        }
        let doc = &self.inner.doc;
        let f = run_detached(py, || {
            Ok(analysis::frequency(
                doc,
                &key,
                groups.as_deref(),
                n_keys,
                n_groups,
            ))
        })?;
        Ok((
            little_endian(py, &f.mentions, u64::to_le_bytes)?,
            little_endian(py, &f.documents, u64::to_le_bytes)?,
        ))
    }

    /// Pairs of keys appearing together: `window` is "document", "sentence" or a number of
    /// words. Columns a (u32), b (u32), n (u64).
    fn cooccurrence<'py>(
        &self,
        py: Python<'py>,
        key: &[u8],
        window: &Bound<'py, PyAny>,
    ) -> PyResult<Columns<'py>> {
        let key = u32_column(key, self.inner.len(), "key")?;
        let r = &self.inner;
        let docs = &self.docs;
        let text = |d: u64| {
            docs.get(d as usize)
                .and_then(|t| t.as_deref())
                .unwrap_or("")
        };
        // Positions of each match in its document: sentence or word index (one walk per doc).
        let positions = |per_doc: fn(&str, &[u64]) -> Vec<u64>| -> Vec<u64> {
            let mut out = Vec::with_capacity(r.len());
            let mut i = 0;
            while i < r.len() {
                let d = r.doc[i];
                let j = i + r.doc[i..].iter().take_while(|&&x| x == d).count();
                out.extend(per_doc(text(d), &r.start[i..j]));
                i = j;
            }
            out
        };
        let pairs = if let Ok(words) = window.extract::<u64>() {
            self.texts()?;
            run_detached(py, || {
                let word = positions(context::word_index);
                Ok(cooccurrence::within_words(&r.doc, &word, &key, words))
            })?
        } else {
            let window = window.extract::<String>()?;
            if window == "sentence" {
                self.texts()?;
            }
            match window.as_str() {
                "document" => run_detached(py, || Ok(cooccurrence::in_same_unit(&r.doc, &key)))?,
                "sentence" => run_detached(py, || {
                    // number sentences globally: (doc, sentence) pairs are non-decreasing
                    let sentence = positions(context::sentence_index);
                    let unit: Vec<u64> = r
                        .doc
                        .iter()
                        .zip(&sentence)
                        .map(|(&d, &s)| (d << 24) | s)
                        .collect();
                    Ok(cooccurrence::in_same_unit(&unit, &key))
                })?,
                other => {
                    return Err(PyValueError::new_err(format!(
                        "window={other:?}: use 'document', 'sentence' or a number of words"
                    )))
                }
            }
        };
        Ok((
            little_endian(
                py,
                &pairs.iter().map(|t| t.0).collect::<Vec<_>>(),
                u32::to_le_bytes,
            )?,
            little_endian(
                py,
                &pairs.iter().map(|t| t.1).collect::<Vec<_>>(),
                u32::to_le_bytes,
            )?,
            little_endian(
                py,
                &pairs.iter().map(|t| t.2).collect::<Vec<_>>(),
                u64::to_le_bytes,
            )?,
        ))
    }

    /// Left and right context of the given matches.
    fn kwic(
        &self,
        py: Python<'_>,
        rows: Vec<usize>,
        window: usize,
        characters: bool,
    ) -> PyResult<(Vec<String>, Vec<String>)> {
        let r = &self.inner;
        if rows.iter().any(|&i| i >= r.len()) {
            return Err(PyIndexError::new_err("match row out of range"));
        }
        let docs = self.texts()?;
        run_detached(py, || {
            // rows grouped by document, so each text's words are found once
            let mut order: Vec<usize> = (0..rows.len()).collect();
            order.sort_by_key(|&x| r.doc[rows[x]]);
            let mut out = vec![(String::new(), String::new()); rows.len()];
            for group in order.chunk_by(|&x, &y| r.doc[rows[x]] == r.doc[rows[y]]) {
                let text = docs[r.doc[rows[group[0]]] as usize]
                    .as_deref()
                    .unwrap_or("");
                let spans: Vec<(u64, u64)> = group
                    .iter()
                    .map(|&x| (r.start[rows[x]], r.end[rows[x]]))
                    .collect();
                for (&x, context) in group
                    .iter()
                    .zip(context::contexts(text, &spans, window, characters))
                {
                    out[x] = context;
                }
            }
            Ok(out.into_iter().unzip())
        })
    }

    /// One document as HTML, with the given spans (start, end, label, colour) marked.
    fn highlight(&self, doc: usize, spans: Vec<(u64, u64, String, String)>) -> PyResult<String> {
        let text = self
            .texts()?
            .get(doc)
            .ok_or_else(|| PyIndexError::new_err(format!("no document at position {doc}")))?;
        Ok(context::highlight_html(
            text.as_deref().unwrap_or(""),
            &spans,
        ))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Number of documents scanned (missing ones included).
    fn document_count(&self) -> usize {
        self.n_docs
    }

    /// A column as little-endian bytes: doc, start, end (uint64); entity, alias (uint32);
    /// edits (uint8).
    fn column<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyBytes>> {
        let r = &self.inner;
        match name {
            "doc" => little_endian(py, &r.doc, u64::to_le_bytes),
            "start" => little_endian(py, &r.start, u64::to_le_bytes),
            "end" => little_endian(py, &r.end, u64::to_le_bytes),
            "entity" => little_endian(py, &r.entity, u32::to_le_bytes),
            "alias" => little_endian(py, &r.alias, u32::to_le_bytes),
            "edits" => Ok(PyBytes::new(py, &r.edits)),
            other => Err(PyKeyError::new_err(format!("no column {other:?}"))),
        }
    }

    /// The matched texts back to back (UTF-8), for an Arrow string array.
    fn surface_data<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, self.inner.surface_data().as_bytes())
    }

    /// Arrow (large) string offsets of the matched texts: int64, one more than matches.
    fn surface_offsets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let offsets: Vec<i64> = self
            .inner
            .surface_offsets()
            .iter()
            .map(|&o| o as i64)
            .collect();
        little_endian(py, &offsets, i64::to_le_bytes)
    }

    /// The matched texts, in match order. Equal texts share one Python `str` (matches repeat
    /// the same few surfaces, so this is both faster and smaller than a `str` per match).
    fn surfaces<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut interned: HashMap<&str, Bound<'py, PyString>> = HashMap::new();
        let items = (0..self.inner.len()).map(|i| {
            let surface = self.inner.surface(i);
            interned
                .entry(surface)
                .or_insert_with(|| PyString::new(py, surface))
                .clone()
        });
        PyList::new(py, items)
    }
}
