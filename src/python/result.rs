//! `ScanResult`: the columns of a scan, handed to Python as raw buffers for numpy, and the
//! analyses of `crate::analysis` on them (the documents are kept, as Python strings, for those
//! that need text). Converts and releases the GIL; the work is the core's.

use super::buffers::{little_endian, new_bytearrays, new_bytes_array, new_bytes_many};
use super::documents::DocText;
use super::errors::{run_detached, to_py_err};
use super::matcher::PyMatcher;
use crate::analysis;
use crate::analysis::context::{drawn_rows, kwic};
use crate::analysis::cooccurrence::{cooccurrence, Window};
use crate::buffers::{u32_from_little_endian, Fill, ThreadPool};
use crate::columns::TextColumn;
use crate::scan::thread_pool;
use crate::scan::Column;
use crate::ScanResult;
use pyo3::exceptions::{PyIndexError, PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString};
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
    pub(super) fn pool(&self) -> PyResult<Arc<ThreadPool>> {
        thread_pool(self.n_threads).map_err(to_py_err)
    }

    /// The documents by position, for analyses that need their text.
    pub(super) fn texts(&self) -> PyResult<Vec<Option<&str>>> {
        if self.texts_kept {
            Ok(self.docs.iter().map(|d| d.as_deref()).collect())
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
    u32_from_little_endian(bytes, len)
        .ok_or_else(|| PyValueError::new_err(format!("{what} must have one uint32 per match")))
}

/// Triplets as three little-endian columns.
type Columns<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
);

/// Arrow large-string buffers of a text column: offsets, data, validity (None: no nulls).
type TextBuffers<'py> = (
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Option<Bound<'py, PyBytes>>,
);

/// The text columns' Arrow buffers, each a new `bytes`, all written on `pool` in one hand-off.
fn text_buffers<'py>(
    py: Python<'py>,
    pool: &ThreadPool,
    columns: &[TextColumn<'_>],
) -> PyResult<Vec<TextBuffers<'py>>> {
    let mut jobs: Vec<(usize, Fill<'_>)> = Vec::with_capacity(3 * columns.len());
    for column in columns {
        jobs.push((column.offsets_len(), Box::new(|b| column.write_offsets(b))));
        jobs.push((column.data_len(), Box::new(|b| column.write_data(b))));
        if column.has_nulls() {
            jobs.push((
                column.validity_len(),
                Box::new(|b| column.write_validity(b)),
            ));
        }
    }
    let mut made = new_bytes_many(py, pool, jobs)?.into_iter();
    let mut next = || made.next().expect("a buffer for each job");
    Ok(columns
        .iter()
        .map(|column| {
            let (offsets, data) = (next(), next());
            let validity = column.has_nulls().then(&mut next);
            (offsets, data, validity)
        })
        .collect())
}

/// The column of a result that `name` names.
fn column_named(name: &str) -> PyResult<Column> {
    Ok(match name {
        "doc" => Column::Doc,
        "start" => Column::Start,
        "end" => Column::End,
        "entity" => Column::Entity,
        "alias" => Column::Alias,
        "edits" => Column::Edits,
        other => return Err(PyKeyError::new_err(format!("no column {other:?}"))),
    })
}

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
        let n_threads = joined.n_threads;
        joined.inner = run_detached(py, || ScanResult::concat_on(results, n_threads))?;
        Ok(joined)
    }

    /// Mentions per (document, key): columns doc (u64), key (u32), count (u32).
    fn counts<'py>(&self, py: Python<'py>, key: &[u8]) -> PyResult<Columns<'py>> {
        let pool = self.pool()?;
        let key = u32_column(key, self.inner.len(), "key")?;
        let result = &self.inner;
        let counts = run_detached(py, || Ok(analysis::counts(result.doc_runs(), &key)))?;
        let [doc, key, count] = new_bytes_array(
            py,
            &pool,
            [
                little_endian(&counts.doc, u64::to_le_bytes),
                little_endian(&counts.key, u32::to_le_bytes),
                little_endian(&counts.count, u32::to_le_bytes),
            ],
        )?;
        Ok((doc, key, count))
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
        let result = &self.inner;
        let f = run_detached(py, || {
            analysis::frequency(result.doc_runs(), &key, groups.as_deref(), n_keys, n_groups)
        })?;
        let [mentions, documents] = new_bytes_array(
            py,
            &pool,
            [
                little_endian(&f.mentions, u64::to_le_bytes),
                little_endian(&f.documents, u64::to_le_bytes),
            ],
        )?;
        Ok((mentions, documents))
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
        let window = match window.extract::<u64>() {
            Ok(words) => Window::Words(words),
            Err(_) => window.extract::<String>()?.parse().map_err(to_py_err)?,
        };
        let texts = if window.needs_text() {
            self.texts()?
        } else {
            Vec::new()
        };
        let result = &self.inner;
        let n_threads = self.n_threads;
        let pairs = run_detached(py, || cooccurrence(result, &texts, &key, window, n_threads))?;
        let [a, b, n] = new_bytes_array(
            py,
            &pool,
            [
                little_endian(&pairs.a, u32::to_le_bytes),
                little_endian(&pairs.b, u32::to_le_bytes),
                little_endian(&pairs.n, u64::to_le_bytes),
            ],
        )?;
        Ok((a, b, n))
    }

    /// Left and right context of the matches at `rows`.
    fn kwic(
        &self,
        py: Python<'_>,
        rows: Vec<usize>,
        window: usize,
        characters: bool,
    ) -> PyResult<(Vec<String>, Vec<String>)> {
        let texts = self.texts()?;
        let result = &self.inner;
        let found = run_detached(py, || kwic(result, &texts, &rows, window, characters))?;
        Ok((found.pre, found.post))
    }

    /// The text of the document at `position` (None: missing).
    fn document(&self, position: usize) -> PyResult<Option<&str>> {
        let texts = self.texts()?;
        texts
            .get(position)
            .copied()
            .ok_or_else(|| PyIndexError::new_err(format!("no document at position {position}")))
    }

    /// The rows of the document at `position` that a highlighter draws (no overlaps).
    fn drawn_rows(&self, position: u64) -> Vec<usize> {
        drawn_rows(&self.inner, position)
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
        let mut made = self.columns(py, vec![name.to_owned()])?;
        Ok(made.pop().expect("one column asked, one made"))
    }

    /// Several columns as `column` gives each, written in one hand-off to the pool.
    fn columns<'py>(
        &self,
        py: Python<'py>,
        names: Vec<String>,
    ) -> PyResult<Vec<Bound<'py, PyByteArray>>> {
        let r = &self.inner;
        let jobs = names
            .iter()
            .map(|name| {
                let column = column_named(name)?;
                let fill: Fill<'_> = Box::new(move |b| r.write_column(column, b));
                Ok((r.len() * column.width(), fill))
            })
            .collect::<PyResult<Vec<_>>>()?;
        new_bytearrays(py, &*self.pool()?, jobs)
    }

    /// The entity, label and alias of every match (looked up in `matcher`'s lexicon) and its
    /// matched text, in that order, each as Arrow large-string buffers (offsets, data,
    /// validity or None), built on all cores with the rows read once for the four.
    fn text_columns<'py>(
        &self,
        py: Python<'py>,
        matcher: PyRef<'py, PyMatcher>,
    ) -> PyResult<Vec<TextBuffers<'py>>> {
        let lexicon = matcher.inner.lexicon();
        let (entities, aliases) = (lexicon.entities(), lexicon.aliases());
        // The values of each distinct form of the matches, looked up once per form.
        let forms = self.inner.forms().len();
        let (mut names, mut labels) = (Vec::with_capacity(forms), Vec::with_capacity(forms));
        let (mut alias_texts, mut surfaces) =
            (Vec::with_capacity(forms), Vec::with_capacity(forms));
        for form in self.inner.forms() {
            let entity = entities.get(form.entity as usize);
            let (Some(entity), Some(alias)) = (entity, aliases.get(form.alias as usize)) else {
                return Err(PyValueError::new_err(
                    "this result's matches do not come from this matcher",
                ));
            };
            names.push(Some(entity.name.as_str()));
            labels.push(entity.label.as_deref());
            alias_texts.push(Some(alias.text.as_str()));
            surfaces.push(Some(form.surface));
        }
        let pool = self.pool()?;
        let codes = self.inner.form_codes();
        let tables = [&names[..], &labels, &alias_texts, &surfaces];
        let columns = py
            .detach(|| TextColumn::new_many_on(&pool, codes, tables))
            .expect("a form for every code");
        text_buffers(py, &pool, &columns)
    }

    /// The matched texts, in match order. Equal texts share one Python `str` (matches repeat
    /// the same few surfaces, so this is both faster and smaller than a `str` per match).
    fn surfaces<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut interned: HashMap<&str, Bound<'py, PyString>> = HashMap::new();
        let by_form: Vec<Bound<'py, PyString>> = self
            .inner
            .forms()
            .map(|f| {
                interned
                    .entry(f.surface)
                    .or_insert_with(|| PyString::new(py, f.surface))
                    .clone()
            })
            .collect();
        let items = self
            .inner
            .form_codes()
            .iter()
            .map(|&c| &by_form[c as usize]);
        PyList::new(py, items)
    }
}
