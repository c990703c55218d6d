//! `Matcher` and `Match`: compile a lexicon, find in one text, scan a batch of documents.

use super::documents::{from_arrow_stream, DocText};
use super::errors::{run_detached, run_interruptible, to_py_err};
use super::lexicon::PyLexicon;
use super::result::PyScanResult;
use crate::scan::{checked_thread_count, ScanDocument};
use crate::{persist, AccentMode, CaseMode, MatchOptions, Matcher};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyList, PyString};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

#[pyclass(name = "Matcher", module = "lexiscan._lexiscan", frozen)]
pub struct PyMatcher {
    pub inner: Arc<Matcher>,
}

/// One match: entity, label, alias, code-point offsets and the matched text.
///
/// `text[start:end]` is always the matched words as the document wrote them.
///
/// >>> import lexiscan
/// >>> lex = lexiscan.Lexicon()
/// >>> _ = lex.add("Jens Stoltenberg", ["Stoltenberg"], label="PERSON")
/// >>> doc = "NATO chief STOLTENBERG’s remarks"
/// >>> [match] = lexiscan.Matcher(lex).find(doc)
/// >>> match.entity, match.label, match.alias, match.edits
/// ('Jens Stoltenberg', 'PERSON', 'Stoltenberg', 0)
/// >>> match.start, match.end, doc[match.start:match.end] == match.text
/// (11, 22, True)
#[pyclass(name = "Match", module = "lexiscan", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyMatch {
    #[pyo3(get)]
    entity: String,
    #[pyo3(get)]
    label: Option<String>,
    #[pyo3(get)]
    alias: String,
    #[pyo3(get)]
    start: usize,
    #[pyo3(get)]
    end: usize,
    #[pyo3(get)]
    text: String,
    /// 0 for an exact match; the edits of a typo match (`Matcher(max_edits=...)`).
    #[pyo3(get)]
    edits: u8,
}

#[pymethods]
impl PyMatch {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let repr = |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_string()) };
        let label = match &self.label {
            Some(l) => repr(l)?,
            None => "None".to_owned(),
        };
        let edits = match self.edits {
            0 => String::new(),
            n => format!(", edits={n}"),
        };
        Ok(format!(
            "Match(entity={}, label={label}, alias={}, start={}, end={}, text={}{edits})",
            repr(&self.entity)?,
            repr(&self.alias)?,
            self.start,
            self.end,
            repr(&self.text)?
        ))
    }

    /// A notebook view, drawn by the Python face (`lexiscan._display.match_html`).
    fn _repr_html_(slf: &Bound<'_, Self>) -> PyResult<String> {
        let draw = slf
            .py()
            .import("lexiscan._display")?
            .getattr("match_html")?;
        draw.call1((slf,))?.extract()
    }

    /// (entity, label, alias, start, end, text)
    fn astuple(&self) -> (String, Option<String>, String, usize, usize, String) {
        let s = self.clone();
        (s.entity, s.label, s.alias, s.start, s.end, s.text)
    }
}

/// The options as the user gave them, parsed and checked by the core.
fn parse_options(
    case: &str,
    accents: &str,
    whole_words: bool,
    overlapping: bool,
    max_edits: i64,
    typo_min_chars: i64,
) -> PyResult<MatchOptions> {
    let case: CaseMode = case.parse().map_err(to_py_err)?;
    let accents: AccentMode = accents.parse().map_err(to_py_err)?;
    MatchOptions::new(
        case,
        accents,
        whole_words,
        overlapping,
        max_edits,
        typo_min_chars,
    )
    .map_err(to_py_err)
}

/// The thread count the user gave (None: all cores), checked by the core.
fn thread_count(n_threads: Option<i64>) -> PyResult<Option<usize>> {
    n_threads
        .map(checked_thread_count)
        .transpose()
        .map_err(to_py_err)
}

/// A document as the core takes it: None for a missing value (None, NaN, pandas.NA).
fn document(item: &Bound<'_, PyAny>, position: u64) -> PyResult<Option<DocText>> {
    if let Ok(text) = item.cast::<PyString>() {
        return DocText::from_str(text, position)?.map(Some).ok_or_else(|| {
            PyValueError::new_err(format!(
                "document {position} is not valid Unicode text (it contains a lone surrogate); \
                 clean it, e.g. text.encode('utf-8', 'replace').decode('utf-8')"
            ))
        });
    }
    if item.is_none() {
        return Ok(None);
    }
    if let Ok(number) = item.cast::<PyFloat>() {
        if number.value().is_nan() {
            return Ok(None);
        }
    }
    let type_name = item.get_type().name()?.to_string();
    if type_name == "NAType" || type_name == "NaTType" {
        return Ok(None);
    }
    Err(PyTypeError::new_err(format!(
        "document {position} is {type_name}, not str"
    )))
}

/// Documents of at most this many bytes in all are scanned without watching for Ctrl-C: a
/// millisecond or two at the slowest (typo-tolerant matching, ~40 MB/s).
const QUICK_SCAN_BYTES: usize = 64 << 10;

impl PyMatcher {
    fn scan_documents(
        &self,
        py: Python<'_>,
        docs: Vec<Option<DocText>>,
        first_doc: u64,
        n_threads: Option<usize>,
        keep_text: bool,
    ) -> PyResult<PyScanResult> {
        let matcher = self.inner.clone();
        let scan = |cancel: &AtomicBool| {
            crate::scan::scan_cancellable(&matcher, &docs, first_doc, n_threads, cancel)
        };
        // A few short documents are scanned before a Ctrl-C could be looked at: on this
        // thread, without the helper thread that watching for one needs (starting it and
        // waiting on it cost more than such a scan).
        let bytes: usize = docs.iter().flatten().map(ScanDocument::size_hint).sum();
        let result = if bytes <= QUICK_SCAN_BYTES {
            run_detached(py, || scan(&AtomicBool::new(false)))?
        } else {
            run_interruptible(py, scan)?
        };
        let n_docs = docs.len();
        Ok(PyScanResult {
            inner: result,
            docs: if keep_text { docs } else { Vec::new() },
            n_docs,
            texts_kept: keep_text,
            n_threads,
        })
    }
}

#[pymethods]
impl PyMatcher {
    #[new]
    #[pyo3(signature = (
        lexicon, case="insensitive", accents="fold", whole_words=true, overlapping=false,
        max_edits=0, typo_min_chars=5
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        lexicon: &PyLexicon,
        case: &str,
        accents: &str,
        whole_words: bool,
        overlapping: bool,
        max_edits: i64,
        typo_min_chars: i64,
    ) -> PyResult<Self> {
        let options = parse_options(
            case,
            accents,
            whole_words,
            overlapping,
            max_edits,
            typo_min_chars,
        )?;
        let lexicon = lexicon.inner.clone();
        let matcher = run_detached(py, move || Matcher::new(lexicon, options))?;
        Ok(Self {
            inner: Arc::new(matcher),
        })
    }

    /// Matches in one text, as Match objects.
    fn find(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Vec<PyMatch>> {
        let Some(text) = document(text, 0)? else {
            return Ok(Vec::new());
        };
        let matcher = self.inner.clone();
        let docs = [Some(text)];
        let found = run_detached(py, || crate::scan::scan(&matcher, &docs, 0, Some(1)))?;
        let lexicon = self.inner.lexicon();
        Ok((0..found.len())
            .map(|i| {
                let alias = &lexicon.aliases()[found.alias(i) as usize];
                let entity = &lexicon.entities()[found.entity(i) as usize];
                PyMatch {
                    entity: entity.name.clone(),
                    label: entity.label.clone(),
                    alias: alias.text.clone(),
                    start: found.start(i) as usize,
                    end: found.end(i) as usize,
                    text: found.surface(i).to_owned(),
                    edits: found.edits(i),
                }
            })
            .collect())
    }

    /// Scan a list of documents; document keys are `first_doc + position`. `keep_text=False`
    /// lets the documents go after the scan (streams), at the cost of the text analyses.
    #[pyo3(signature = (docs, first_doc=0, n_threads=None, keep_text=true))]
    fn scan(
        &self,
        py: Python<'_>,
        docs: &Bound<'_, PyList>,
        first_doc: u64,
        n_threads: Option<i64>,
        keep_text: bool,
    ) -> PyResult<PyScanResult> {
        let n_threads = thread_count(n_threads)?;
        let docs = docs
            .iter()
            .enumerate()
            .map(|(i, item)| document(&item, first_doc + i as u64))
            .collect::<PyResult<Vec<_>>>()?;
        self.scan_documents(py, docs, first_doc, n_threads, keep_text)
    }

    /// Scan every document of an object with `__arrow_c_stream__` (pyarrow, polars, pandas),
    /// read in place; nulls are missing documents.
    #[pyo3(signature = (source, first_doc=0, n_threads=None, keep_text=true))]
    fn scan_arrow(
        &self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        first_doc: u64,
        n_threads: Option<i64>,
        keep_text: bool,
    ) -> PyResult<PyScanResult> {
        let n_threads = thread_count(n_threads)?;
        let docs = from_arrow_stream(source)?;
        self.scan_documents(py, docs, first_doc, n_threads, keep_text)
    }

    /// (name, label) of each entity of the compiled lexicon.
    fn entities(&self) -> Vec<(String, Option<String>)> {
        let lexicon = self.inner.lexicon();
        lexicon
            .entities()
            .iter()
            .map(|e| (e.name.clone(), e.label.clone()))
            .collect()
    }

    /// The alias texts of the compiled lexicon, by alias index.
    fn alias_texts(&self) -> Vec<String> {
        self.inner
            .lexicon()
            .aliases()
            .iter()
            .map(|a| a.text.clone())
            .collect()
    }

    /// A copy of the lexicon this matcher was compiled from.
    fn lexicon(&self) -> PyLexicon {
        PyLexicon {
            inner: self.inner.lexicon().clone(),
        }
    }

    /// The matcher as versioned bytes: its lexicon and options (for save and pickling).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &persist::matcher_to_bytes(&self.inner))
    }

    /// A matcher rebuilt from `to_bytes()`; damaged or foreign bytes raise ValueError.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: PyBackedBytes) -> PyResult<Self> {
        // Read in place: a million aliases are ~20 MB that a Vec<u8> would copy byte by byte.
        let matcher = run_detached(py, move || persist::matcher_from_bytes(&data))?;
        Ok(Self {
            inner: Arc::new(matcher),
        })
    }

    /// The options by name: case, accents, whole_words, overlapping, max_edits,
    /// typo_min_chars.
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let o = self.inner.options();
        let options = PyDict::new(py);
        options.set_item("case", o.case.as_str())?;
        options.set_item("accents", o.accents.as_str())?;
        options.set_item("whole_words", o.whole_words)?;
        options.set_item("overlapping", o.overlapping)?;
        options.set_item("max_edits", o.max_edits)?;
        options.set_item("typo_min_chars", o.typo_min_chars)?;
        Ok(options)
    }
}
