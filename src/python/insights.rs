//! Figures, near misses, descriptions, topics and keyness: the core's tables
//! (`crate::analysis`) handed to Python as dicts of named columns, with the GIL released while
//! the core works on the scan's threads.

use super::errors::run_detached;
use super::matcher::PyMatcher;
use super::result::PyScanResult;
use crate::analysis::descriptions::description_pairs;
use crate::analysis::figures::figure_table;
use crate::analysis::keyness::keyness_table;
use crate::analysis::near_miss::near_miss_table;
use crate::analysis::topics::topics as figure_topics;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The figures of every document of `result` (see `analysis::figures`): columns doc, sentence,
/// figure, start, end, value, hedge, unit, entities.
#[pyfunction]
pub fn figures<'py>(py: Python<'py>, result: &PyScanResult) -> PyResult<Bound<'py, PyDict>> {
    let texts = result.texts()?;
    let t = run_detached(py, || figure_table(&result.inner, &texts, result.n_threads))?;
    let columns = PyDict::new(py);
    columns.set_item("doc", t.doc)?;
    columns.set_item("sentence", t.sentence)?;
    columns.set_item("figure", t.figure)?;
    columns.set_item("start", t.start)?;
    columns.set_item("end", t.end)?;
    columns.set_item("value", t.value)?;
    columns.set_item("hedge", t.hedge)?;
    columns.set_item("unit", t.unit)?;
    columns.set_item("entities", t.entities)?;
    Ok(columns)
}

/// Words of the documents within `max_edits` of a word (of `min_chars` or more) of an alias
/// of `matcher`'s lexicon, outside every match of `result`: columns doc, word, start, end,
/// alias_word (an index into alias_words), distance, entity (a row per entity it may
/// misspell), and alias_words.
#[pyfunction]
#[pyo3(signature = (result, matcher, min_chars=5, max_edits=1))]
pub fn near_misses<'py>(
    py: Python<'py>,
    result: &PyScanResult,
    matcher: &PyMatcher,
    min_chars: usize,
    max_edits: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let texts = result.texts()?;
    let matcher = &matcher.inner;
    let t = run_detached(py, || {
        near_miss_table(
            &result.inner,
            &texts,
            matcher,
            min_chars,
            max_edits,
            result.n_threads,
        )
    })?;
    let columns = PyDict::new(py);
    columns.set_item("doc", t.doc)?;
    columns.set_item("word", t.word)?;
    columns.set_item("start", t.start)?;
    columns.set_item("end", t.end)?;
    columns.set_item("alias_word", t.alias_word)?;
    columns.set_item("distance", t.distance)?;
    columns.set_item("entity", t.entity)?;
    columns.set_item("alias_words", t.alias_words)?;
    Ok(columns)
}

/// Pairs of match rows (describer, described): each match of an entity marked in
/// `describing` (one byte per entity, 1 = describes) with the nearest other match of its
/// sentence at most `window` words away (see `analysis::descriptions`).
#[pyfunction]
pub fn descriptions(
    py: Python<'_>,
    result: &PyScanResult,
    describing: &[u8],
    window: u64,
) -> PyResult<(Vec<u64>, Vec<u64>)> {
    let texts = result.texts()?;
    let describing: Vec<bool> = describing.iter().map(|&flag| flag != 0).collect();
    let pairs = run_detached(py, || {
        description_pairs(&result.inner, &texts, &describing, window, result.n_threads)
    })?;
    Ok((pairs.describer, pairs.described))
}

/// A topic id per figure (see `analysis::topics`), from one row per (figure, entity).
#[pyfunction]
pub fn topics(
    figure: Vec<u32>,
    unit: Vec<u32>,
    entity: Vec<u32>,
    value: Vec<f64>,
    n_figures: usize,
    max_ratio: f64,
) -> PyResult<Vec<u64>> {
    figure_topics(&figure, &unit, &entity, &value, n_figures, max_ratio)
        .map_err(super::errors::to_py_err)
}

/// Signed chi² (Yates) and G² per row of 2×2 tables [[a, b], [c, d]].
#[pyfunction]
pub fn keyness(
    a: Vec<u64>,
    b: Vec<u64>,
    c: Vec<u64>,
    d: Vec<u64>,
) -> PyResult<(Vec<f64>, Vec<f64>)> {
    let k = keyness_table(&a, &b, &c, &d).map_err(super::errors::to_py_err)?;
    Ok((k.chi2, k.g2))
}
