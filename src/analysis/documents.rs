//! The rows of a scan grouped by document, and per-document work fanned out on the caller's
//! threads. Every analysis that reads a document's text goes through here, so the grouping is
//! written once and parallel work runs on the pool of the scan's `n_threads` (on a Dask or
//! Spark worker, all cores would oversubscribe the machine).

use crate::error::Result;
use crate::scan::{thread_pool, ScanResult};
use rayon::prelude::*;
use std::ops::Range;

/// The runs of equal documents in a `doc` column in scan order: `(doc, rows)` for each
/// document with a match, in order.
///
/// ```
/// use lexiscan::analysis::documents::runs;
/// let found: Vec<_> = runs(&[0, 0, 3, 3, 3]).collect();
/// assert_eq!(found, [(0, 0..2), (3, 2..5)]);
/// ```
pub fn runs(doc: &[u64]) -> impl Iterator<Item = (u64, Range<usize>)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let d = *doc.get(at)?;
        let from = at;
        at += doc[at..].iter().take_while(|&&x| x == d).count();
        Some((d, from..at))
    })
}

/// The rows of each document position `0..n_docs` (empty for a document without a match),
/// from the runs of a result in scan order (`ScanResult::doc_runs`, or [`runs`] of a `doc`
/// column). Rows of documents from `n_docs` on are left out.
///
/// ```
/// use lexiscan::analysis::documents::{by_document, runs};
/// assert_eq!(by_document(runs(&[0, 0, 2]), 4), [0..2, 2..2, 2..3, 3..3]);
/// ```
pub fn by_document(
    runs: impl IntoIterator<Item = (u64, Range<usize>)>,
    n_docs: usize,
) -> Vec<Range<usize>> {
    let mut rows = vec![0..0; n_docs];
    for (d, run) in runs {
        if let Some(slot) = rows.get_mut(d as usize) {
            *slot = run;
        }
    }
    // A document without a match gets the empty range where its rows would be.
    let mut end = 0;
    for slot in &mut rows {
        if slot.start == slot.end {
            *slot = end..end;
        } else {
            end = slot.end;
        }
    }
    rows
}

/// `work(text, rows)` for every document position of `texts` (a missing document gives
/// nothing), in parallel on the pool of `n_threads` (None: all cores), in document order.
pub fn each_document<R, F>(
    result: &ScanResult,
    texts: &[Option<&str>],
    n_threads: Option<usize>,
    work: F,
) -> Result<Vec<Vec<R>>>
where
    R: Send,
    F: Fn(&str, Range<usize>) -> Vec<R> + Sync,
{
    let rows = by_document(result.doc_runs(), texts.len());
    let pool = thread_pool(n_threads)?;
    Ok(pool.install(|| {
        texts
            .par_iter()
            .zip(rows)
            .map(|(text, rows)| text.map_or_else(Vec::new, |text| work(text, rows)))
            .collect()
    }))
}

/// `position(text, starts)` for the matches of every document, concatenated in row order: a
/// value per match (its sentence or word index), computed per document in parallel on the pool
/// of `n_threads`. A document missing from `texts` reads as empty.
pub fn per_match<F>(
    result: &ScanResult,
    texts: &[Option<&str>],
    n_threads: Option<usize>,
    position: F,
) -> Result<Vec<Vec<u64>>>
where
    F: Fn(&str, &[u64]) -> Vec<u64> + Sync,
{
    let runs: Vec<(u64, Range<usize>)> = result.doc_runs().collect();
    let pool = thread_pool(n_threads)?;
    Ok(pool.install(|| {
        runs.into_par_iter()
            .map(|(d, rows)| {
                let text = texts.get(d as usize).copied().flatten().unwrap_or("");
                position(text, &result.starts()[rows])
            })
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_without_matches_get_empty_ranges_in_place() {
        assert_eq!(by_document(runs(&[]), 2), [0..0, 0..0]);
        assert_eq!(by_document(runs(&[1, 1, 5]), 3), [0..0, 0..2, 2..2]);
        assert_eq!(runs(&[]).count(), 0);
    }

    /// On a Dask or Spark worker the caller's thread count must hold, not all cores.
    #[test]
    fn work_runs_on_the_pool_of_the_callers_threads() {
        let result = ScanResult::from_columns(
            vec![0, 1, 1],
            vec![0; 3],
            vec![0; 3],
            vec![0, 0, 2],
            vec![1, 1, 3],
            vec![0; 3],
            "acd".to_owned(),
            vec![0, 1, 2, 3],
        )
        .unwrap();
        let texts = [Some("ab"), Some("cd"), None];
        for n in [1, 3] {
            let threads = each_document(&result, &texts, Some(n), |_, rows| {
                vec![(rayon::current_num_threads(), rows.len())]
            })
            .unwrap();
            assert_eq!(threads, [vec![(n, 1)], vec![(n, 2)], vec![]]);
            let starts = per_match(&result, &texts, Some(n), |_, starts| {
                starts
                    .iter()
                    .map(|_| rayon::current_num_threads() as u64)
                    .collect()
            })
            .unwrap();
            assert_eq!(starts.concat(), [n as u64; 3]);
        }
    }
}
