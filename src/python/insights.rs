//! Figures and near misses of a scan, computed per document in parallel with the GIL released.

use super::errors::run_detached;
use super::matcher::PyMatcher;
use super::result::PyScanResult;
use crate::analysis::figures::{figures as document_figures, Figure};
use crate::analysis::near_miss::{NearMiss, NearMissIndex};
use crate::matcher::AccentMode;
use crate::normalize::FoldOptions;
use crate::scan::thread_pool;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

/// The matches of each document as (start, end, entity), by document position.
fn matches_by_document(result: &PyScanResult, n_docs: usize) -> Vec<Vec<(u64, u64, u32)>> {
    let r = &result.inner;
    let mut by_doc = vec![Vec::new(); n_docs];
    for i in 0..r.len() {
        if let Some(spans) = by_doc.get_mut(r.doc[i] as usize) {
            spans.push((r.start[i], r.end[i], r.entity[i]));
        }
    }
    by_doc
}

/// Figure rows as columns: doc, sentence (text), figure (text), start, end, value, hedge,
/// unit, entities.
type FigureColumns = (
    Vec<u64>,
    Vec<String>,
    Vec<String>,
    Vec<u64>,
    Vec<u64>,
    Vec<f64>,
    Vec<&'static str>,
    Vec<String>,
    Vec<Vec<u32>>,
);

/// The figures of every document of `result` (see `analysis::figures`).
#[pyfunction]
pub fn figures(py: Python<'_>, result: &PyScanResult) -> PyResult<FigureColumns> {
    let docs = result.texts()?;
    let by_doc = matches_by_document(result, docs.len());
    let found: Vec<Vec<Figure>> = run_detached(py, || {
        let pool = thread_pool(None)?;
        Ok(pool.install(|| {
            docs.par_iter()
                .zip(&by_doc)
                .map(|(doc, matches)| match doc {
                    Some(text) => document_figures(text, matches),
                    None => Vec::new(),
                })
                .collect()
        }))
    })?;
    let mut columns = FigureColumns::default();
    for (doc, figures) in found.into_iter().enumerate() {
        let text = docs[doc].as_deref().unwrap_or("");
        for f in figures {
            columns.0.push(doc as u64);
            columns.1.push(
                text[f.sentence_bytes.0..f.sentence_bytes.1]
                    .trim()
                    .to_owned(),
            );
            columns.2.push(text[f.bytes.0..f.bytes.1].to_owned());
            columns.3.push(f.start);
            columns.4.push(f.end);
            columns.5.push(f.value);
            columns.6.push(f.hedge);
            columns.7.push(f.unit);
            columns.8.push(f.entities);
        }
    }
    Ok(columns)
}

/// Near-miss rows as columns (doc, word as written, start, end, alias word, distance), and
/// the alias words (folded) with the entities whose aliases contain them.
type NearMissColumns = (
    Vec<u64>,
    Vec<String>,
    Vec<u64>,
    Vec<u64>,
    Vec<u32>,
    Vec<u32>,
    Vec<(String, Vec<u32>)>,
);

/// Words of the documents within `max_edits` of a word (of `min_chars` or more) of an alias
/// of `matcher`'s lexicon, outside every match of `result`.
#[pyfunction]
#[pyo3(signature = (result, matcher, min_chars=5, max_edits=1))]
pub fn near_misses(
    py: Python<'_>,
    result: &PyScanResult,
    matcher: &PyMatcher,
    min_chars: usize,
    max_edits: usize,
) -> PyResult<NearMissColumns> {
    if !(1..=2).contains(&max_edits) {
        return Err(PyValueError::new_err(format!(
            "max_edits must be 1 or 2, not {max_edits}"
        )));
    }
    if min_chars < 3 {
        return Err(PyValueError::new_err(format!(
            "min_chars must be at least 3 (shorter words are one edit from too many), not \
             {min_chars}"
        )));
    }
    let docs = result.texts()?;
    let by_doc = matches_by_document(result, docs.len());
    let matcher = matcher.inner.clone();
    let (index, found) = run_detached(py, || {
        let fold = FoldOptions {
            case_fold: true,
            accent_fold: matcher.options().accents == AccentMode::Fold,
        };
        let index = NearMissIndex::new(matcher.lexicon(), fold, min_chars, max_edits);
        let pool = thread_pool(None)?;
        let found: Vec<Vec<NearMiss>> = pool.install(|| {
            docs.par_iter()
                .zip(&by_doc)
                .map(|(doc, matches)| {
                    let spans: Vec<(u64, u64)> = matches.iter().map(|&(s, e, _)| (s, e)).collect();
                    doc.as_deref()
                        .map_or_else(Vec::new, |text| index.find(text, &spans))
                })
                .collect()
        });
        Ok((index, found))
    })?;
    let mut columns = NearMissColumns::default();
    let mut used: Vec<Option<u32>> = Vec::new();
    for (doc, misses) in found.into_iter().enumerate() {
        let text = docs[doc].as_deref().unwrap_or("");
        for m in misses {
            // Alias words are renumbered to those that occur, so Python gets a short list.
            let slot = m.word as usize;
            if used.len() <= slot {
                used.resize(slot + 1, None);
            }
            let word = *used[slot].get_or_insert_with(|| {
                let (alias_word, entities) = index.word(m.word);
                columns.6.push((alias_word.to_owned(), entities.to_vec()));
                (columns.6.len() - 1) as u32
            });
            columns.0.push(doc as u64);
            columns.1.push(text[m.bytes.0..m.bytes.1].to_owned());
            columns.2.push(m.start);
            columns.3.push(m.end);
            columns.4.push(word);
            columns.5.push(m.distance);
        }
    }
    Ok(columns)
}
