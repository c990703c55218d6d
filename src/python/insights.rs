//! Figures and near misses of a scan, computed per document in parallel with the GIL released.

use super::errors::run_detached;
use super::matcher::PyMatcher;
use super::result::PyScanResult;
use crate::analysis::descriptions::{descriptions as document_descriptions, Mention};
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

/// Near-miss rows as columns (doc, word as written, start, end, alias word, distance, the
/// entities it may misspell), and the alias words (folded).
type NearMissColumns = (
    Vec<u64>,
    Vec<String>,
    Vec<u64>,
    Vec<u64>,
    Vec<u32>,
    Vec<u32>,
    Vec<Vec<u32>>,
    Vec<String>,
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
                columns.7.push(index.word(m.word).0.to_owned());
                (columns.7.len() - 1) as u32
            });
            columns.0.push(doc as u64);
            columns.1.push(text[m.bytes.0..m.bytes.1].to_owned());
            columns.2.push(m.start);
            columns.3.push(m.end);
            columns.4.push(word);
            columns.5.push(m.distance);
            columns.6.push(m.entities);
        }
    }
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
    let docs = result.texts()?;
    let r = &result.inner;
    if let Some(&entity) = r.entity.iter().find(|&&e| e as usize >= describing.len()) {
        return Err(PyValueError::new_err(format!(
            "describing has {} entities, but the result has entity {entity}",
            describing.len()
        )));
    }
    // Rows of each document, in order (results come by document).
    let mut rows_of_doc: Vec<std::ops::Range<usize>> = vec![0..0; docs.len()];
    let mut at = 0;
    while at < r.len() {
        let doc = r.doc[at] as usize;
        let next = at
            + r.doc[at..]
                .iter()
                .take_while(|&&d| d as usize == doc)
                .count();
        if let Some(slot) = rows_of_doc.get_mut(doc) {
            *slot = at..next;
        }
        at = next;
    }
    let pairs: Vec<Vec<(usize, usize)>> = run_detached(py, || {
        let pool = thread_pool(None)?;
        Ok(pool.install(|| {
            docs.par_iter()
                .zip(&rows_of_doc)
                .map(|(doc, rows)| {
                    let Some(text) = doc else {
                        return Vec::new();
                    };
                    let mentions: Vec<Mention> = rows
                        .clone()
                        .map(|i| Mention {
                            start: r.start[i],
                            end: r.end[i],
                            describes: describing[r.entity[i] as usize] != 0,
                        })
                        .collect();
                    document_descriptions(text, &mentions, window)
                        .into_iter()
                        .map(|(d, o)| (rows.start + d, rows.start + o))
                        .collect()
                })
                .collect()
        }))
    })?;
    Ok(pairs
        .into_iter()
        .flatten()
        .map(|(d, o)| (d as u64, o as u64))
        .unzip())
}
