//! `ScanResult`: the columns of a scan, handed to Python as raw buffers for numpy, and the
//! analyses on them (the documents are kept, as Python strings, for those that need text).

use super::documents::DocText;
use super::errors::{run_detached, to_py_err};
use super::matcher::PyMatcher;
use crate::analysis::{self, context, cooccurrence};
use crate::columns::TextColumn;
use crate::scan::thread_pool;
use crate::ScanResult;
use pyo3::exceptions::{PyIndexError, PyKeyError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString};
use rayon::prelude::*;
use rayon::ThreadPool;
use std::collections::HashMap;
use std::sync::Arc;

#[pyclass(name = "ScanResult", module = "lexiscan._lexiscan")]
pub struct PyScanResult {
    pub inner: ScanResult,
    /// The scanned documents by position (None: missing); they share the caller's strings.
    /// Empty when the texts were not kept (a stream scanned batch by batch).
    pub docs: Vec<Option<DocText>>,
    pub n_docs: usize,
    pub texts_kept: bool,
    /// The threads of the scan (None: all cores), also used to build its columns for Python.
    pub n_threads: Option<usize>,
}

impl Default for PyScanResult {
    fn default() -> Self {
        Self {
            inner: ScanResult::default(),
            docs: Vec::new(),
            n_docs: 0,
            texts_kept: true,
            n_threads: None,
        }
    }
}

impl PyScanResult {
    /// The scan's thread pool, for the work of turning its columns into Python buffers.
    fn pool(&self) -> PyResult<Arc<ThreadPool>> {
        thread_pool(self.n_threads).map_err(to_py_err)
    }

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

/// `values` as little-endian bytes into `out`, on all cores (millions of rows for a large scan).
fn fill_little_endian<T: Copy + Sync, const N: usize>(
    out: &mut [u8],
    values: &[T],
    to_bytes: fn(T) -> [u8; N],
) {
    out.par_chunks_mut(N << 16)
        .zip(values.par_chunks(1 << 16))
        .for_each(|(out, values)| {
            for (chunk, &v) in out.chunks_exact_mut(N).zip(values) {
                chunk.copy_from_slice(&to_bytes(v));
            }
        });
}

/// Where a new buffer's bytes are: only passed to the workers that fill them.
struct BufferStart(*mut u8);
unsafe impl Send for BufferStart {}
unsafe impl Sync for BufferStart {}

/// Zero `len` bytes from `start` and `fill` them, on all cores with the GIL released. Pages
/// of a large buffer are fresh from the system: touching them first costs as much as
/// writing them, so that happens in parallel too (pyo3's `new_with` zeroes under the GIL).
///
/// Safety: `start` must be valid for writes of `len` bytes that nothing else reads or writes
/// meanwhile (a Python object just created and not yet shared).
unsafe fn fill_new_buffer(
    py: Python<'_>,
    pool: &ThreadPool,
    start: BufferStart,
    len: usize,
    fill: impl FnOnce(&mut [u8]) + Send,
) {
    py.detach(move || {
        pool.install(move || {
            let start = &start;
            (0..len.div_ceil(1 << 20)).into_par_iter().for_each(|i| {
                let from = i << 20;
                let n = (len - from).min(1 << 20);
                // SAFETY: [from, from + n) lies within the buffer; pieces do not overlap.
                unsafe { std::ptr::write_bytes(start.0.add(from), 0, n) };
            });
            // SAFETY: valid for `len` bytes (caller), all initialised just above, not shared.
            fill(unsafe { std::slice::from_raw_parts_mut(start.0, len) });
        })
    });
}

/// A new Python buffer object of `len` bytes, made by `make` (`PyBytes_FromStringAndSize` or
/// `PyByteArray_FromStringAndSize`) with no source, its data found by `data`, and written by
/// `fill` on all cores with the GIL released.
///
/// Safety: `make` must return a new reference to an object of type `T` (or NULL with an
/// exception set) whose `data` pointer is valid for `len` bytes.
unsafe fn new_buffer<'py, T>(
    py: Python<'py>,
    pool: &ThreadPool,
    len: usize,
    make: unsafe extern "C" fn(*const std::ffi::c_char, ffi::Py_ssize_t) -> *mut ffi::PyObject,
    data: unsafe extern "C" fn(*mut ffi::PyObject) -> *mut std::ffi::c_char,
    fill: impl FnOnce(&mut [u8]) + Send,
) -> PyResult<Bound<'py, T>> {
    // SAFETY: a NULL source makes an uninitialised object of `len`, ours alone until
    // returned (caller: of type `T`, with `data` valid for `len` bytes).
    unsafe {
        let object = Bound::from_owned_ptr_or_err(py, make(std::ptr::null(), len as _))?;
        let start = data(object.as_ptr()) as *mut u8;
        fill_new_buffer(py, pool, BufferStart(start), len, fill);
        Ok(object.cast_into_unchecked::<T>())
    }
}

/// A new `bytes` of `len`, written by `fill` on all cores with the GIL released.
fn new_bytes<'py>(
    py: Python<'py>,
    pool: &ThreadPool,
    len: usize,
    fill: impl FnOnce(&mut [u8]) + Send,
) -> PyResult<Bound<'py, PyBytes>> {
    // SAFETY: these make a `bytes` object and give its data.
    unsafe {
        new_buffer(
            py,
            pool,
            len,
            ffi::PyBytes_FromStringAndSize,
            ffi::PyBytes_AsString,
            fill,
        )
    }
}

/// A new `bytearray` of `len`, written as `new_bytes` is. numpy views of it are writable, so a
/// DataFrame can hold them without a copy and its user can still assign into them.
fn new_bytearray<'py>(
    py: Python<'py>,
    pool: &ThreadPool,
    len: usize,
    fill: impl FnOnce(&mut [u8]) + Send,
) -> PyResult<Bound<'py, PyByteArray>> {
    // SAFETY: these make a `bytearray` object and give its data.
    unsafe {
        new_buffer(
            py,
            pool,
            len,
            ffi::PyByteArray_FromStringAndSize,
            ffi::PyByteArray_AsString,
            fill,
        )
    }
}

fn little_endian<'py, T: Copy + Sync, const N: usize>(
    py: Python<'py>,
    pool: &ThreadPool,
    values: &[T],
    to_bytes: fn(T) -> [u8; N],
) -> PyResult<Bound<'py, PyBytes>> {
    new_bytes(py, pool, values.len() * N, |b| {
        fill_little_endian(b, values, to_bytes)
    })
}

/// As `little_endian`, in a `bytearray` of its own (writable).
fn writable_little_endian<'py, T: Copy + Sync, const N: usize>(
    py: Python<'py>,
    pool: &ThreadPool,
    values: &[T],
    to_bytes: fn(T) -> [u8; N],
) -> PyResult<Bound<'py, PyByteArray>> {
    new_bytearray(py, pool, values.len() * N, |b| {
        fill_little_endian(b, values, to_bytes)
    })
}

/// Arrow large-string buffers of a text column: offsets, data, validity (None: no nulls).
type TextBuffers<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Option<Bound<'py, PyBytes>>,
);

#[pymethods]
impl PyScanResult {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// The batches of one scan as one result, in order (their document keys follow each
    /// other), joined on the scan's threads.
    #[staticmethod]
    fn concat(py: Python<'_>, parts: Vec<PyRefMut<'_, PyScanResult>>) -> PyResult<Self> {
        let mut joined = Self {
            n_threads: parts.first().and_then(|p| p.n_threads),
            ..Self::default()
        };
        let mut results = Vec::with_capacity(parts.len());
        for mut part in parts {
            results.push(std::mem::take(&mut part.inner));
            joined.n_docs += part.n_docs;
            if joined.texts_kept && part.texts_kept {
                joined.docs.append(&mut part.docs);
            } else {
                joined.texts_kept = false;
                joined.docs = Vec::new();
            }
        }
        let pool = joined.pool()?;
        joined.inner = run_detached(py, || Ok(pool.install(|| ScanResult::concat(results))))?;
        Ok(joined)
    }

    /// Mentions per (document, key): columns doc (u64), key (u32), count (u32).
    fn counts<'py>(&self, py: Python<'py>, key: &[u8]) -> PyResult<Columns<'py>> {
        let pool = self.pool()?;
        let key = u32_column(key, self.inner.len(), "key")?;
        let doc = &self.inner.doc;
        let triplets = run_detached(py, || Ok(analysis::counts(doc, &key)))?;
        Ok((
            little_endian(
                py,
                &pool,
                &triplets.iter().map(|t| t.0).collect::<Vec<_>>(),
                u64::to_le_bytes,
            )?,
            little_endian(
                py,
                &pool,
                &triplets.iter().map(|t| t.1).collect::<Vec<_>>(),
                u32::to_le_bytes,
            )?,
            little_endian(
                py,
                &pool,
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
        let pool = self.pool()?;
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
            little_endian(py, &pool, &f.mentions, u64::to_le_bytes)?,
            little_endian(py, &pool, &f.documents, u64::to_le_bytes)?,
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
        let pool = self.pool()?;
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
                &pool,
                &pairs.iter().map(|t| t.0).collect::<Vec<_>>(),
                u32::to_le_bytes,
            )?,
            little_endian(
                py,
                &pool,
                &pairs.iter().map(|t| t.1).collect::<Vec<_>>(),
                u32::to_le_bytes,
            )?,
            little_endian(
                py,
                &pool,
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

    /// A column as a little-endian `bytearray` of its own: doc, start, end (uint64); entity,
    /// alias (uint32); edits (uint8).
    fn column<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyByteArray>> {
        let pool = self.pool()?;
        let r = &self.inner;
        match name {
            "doc" => writable_little_endian(py, &pool, &r.doc, u64::to_le_bytes),
            "start" => writable_little_endian(py, &pool, &r.start, u64::to_le_bytes),
            "end" => writable_little_endian(py, &pool, &r.end, u64::to_le_bytes),
            "entity" => writable_little_endian(py, &pool, &r.entity, u32::to_le_bytes),
            "alias" => writable_little_endian(py, &pool, &r.alias, u32::to_le_bytes),
            "edits" => new_bytearray(py, &pool, r.edits.len(), |b| b.copy_from_slice(&r.edits)),
            other => Err(PyKeyError::new_err(format!("no column {other:?}"))),
        }
    }

    /// The entity, label or alias of every match, looked up in `matcher`'s lexicon, as Arrow
    /// large-string buffers (offsets, data, validity or None), built on all cores.
    fn text_column<'py>(
        &self,
        py: Python<'py>,
        matcher: PyRef<'py, PyMatcher>,
        name: &str,
    ) -> PyResult<TextBuffers<'py>> {
        let lexicon = matcher.inner.lexicon();
        let (codes, values): (&[u32], Vec<Option<&str>>) = match name {
            "entity" => (
                &self.inner.entity,
                lexicon
                    .entities()
                    .iter()
                    .map(|e| Some(e.name.as_str()))
                    .collect(),
            ),
            "label" => (
                &self.inner.entity,
                lexicon
                    .entities()
                    .iter()
                    .map(|e| e.label.as_deref())
                    .collect(),
            ),
            "alias" => (
                &self.inner.alias,
                lexicon
                    .aliases()
                    .iter()
                    .map(|a| Some(a.text.as_str()))
                    .collect(),
            ),
            other => return Err(PyKeyError::new_err(format!("no text column {other:?}"))),
        };
        let pool = self.pool()?;
        let column = py
            .detach(|| pool.install(|| TextColumn::new(codes, &values)))
            .ok_or_else(|| {
                PyValueError::new_err("this result's matches do not come from this matcher")
            })?;
        let offsets = new_bytes(py, &pool, column.offsets_len(), |b| column.write_offsets(b))?;
        let data = new_bytes(py, &pool, column.data_len(), |b| column.write_data(b))?;
        let validity = if column.has_nulls() {
            Some(new_bytes(py, &pool, column.validity_len(), |b| {
                column.write_validity(b)
            })?)
        } else {
            None
        };
        Ok((offsets, data, validity))
    }

    /// The matched texts back to back (UTF-8), for an Arrow string array.
    fn surface_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let data = self.inner.surface_data().as_bytes();
        new_bytes(py, &*self.pool()?, data.len(), |b| b.copy_from_slice(data))
    }

    /// Arrow (large) string offsets of the matched texts: int64, one more than matches.
    fn surface_offsets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let pool = self.pool()?;
        little_endian(py, &pool, self.inner.surface_offsets(), |o: usize| {
            (o as i64).to_le_bytes()
        })
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
