//! Each match's document, stored once per run of consecutive matches of one document.
//!
//! Why: a scan's matches arrive grouped by document, so a run per document holds what a
//! document id per match held (8 bytes a match: 180 MB for the 22 million matches of one
//! 1 GB document, where one run is 16 bytes). Readers mostly want the runs themselves (work
//! per document); a single row's document is a binary search, and a column of them is a walk.

use std::ops::Range;

/// Runs of consecutive rows with the same document, in row order. Two neighbouring runs never
/// have the same document and no run is empty, so equal columns have equal runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct DocRuns {
    /// The document of each run.
    doc: Vec<u64>,
    /// The row after each run's last.
    end: Vec<usize>,
}

impl DocRuns {
    /// The runs of a column of documents.
    pub(super) fn from_docs(docs: impl IntoIterator<Item = u64>) -> Self {
        let mut runs = Self::default();
        for doc in docs {
            runs.push(doc, 1);
        }
        runs
    }

    /// Number of rows.
    pub(super) fn rows(&self) -> usize {
        self.end.last().copied().unwrap_or(0)
    }

    /// Add `n` rows of document `doc` after the others.
    #[inline]
    pub(super) fn push(&mut self, doc: u64, n: usize) {
        if n == 0 {
            return;
        }
        let rows = self.rows();
        match self.doc.last() {
            Some(&last) if last == doc => *self.end.last_mut().expect("a run") += n,
            _ => {
                self.doc.push(doc);
                self.end.push(rows + n);
            }
        }
    }

    /// The runs of `other` after these, its documents moved up by `shift`.
    pub(super) fn append(&mut self, other: &DocRuns, shift: u64) {
        for (doc, rows) in other.iter() {
            self.push(doc + shift, rows.len());
        }
    }

    /// Every document moved up by `shift`.
    pub(super) fn shift(&mut self, shift: u64) {
        self.doc.iter_mut().for_each(|d| *d += shift);
    }

    /// Each run's document and rows.
    pub(super) fn iter(&self) -> impl ExactSizeIterator<Item = (u64, Range<usize>)> + '_ {
        (0..self.doc.len()).map(|k| {
            let start = if k == 0 { 0 } else { self.end[k - 1] };
            (self.doc[k], start..self.end[k])
        })
    }

    /// The document of row `row` (< `rows()`).
    #[inline]
    pub(super) fn doc(&self, row: usize) -> u64 {
        self.doc[self.end.partition_point(|&end| end <= row)]
    }

    /// The document of each row from `row` on.
    pub(super) fn docs_from(&self, row: usize) -> impl Iterator<Item = u64> + '_ {
        let first = self.end.partition_point(|&end| end <= row);
        let mut at = row;
        self.doc[first..]
            .iter()
            .zip(&self.end[first..])
            .flat_map(move |(&doc, &end)| {
                let n = end - at;
                at = end;
                std::iter::repeat_n(doc, n)
            })
    }

    /// The last document, if any row.
    pub(super) fn last(&self) -> Option<u64> {
        self.doc.last().copied()
    }
}

/// Row-to-document lookups for rows that mostly come in order (a selection of a scan):
/// each looks from the run of the one before, so a walk in order costs O(1) a row.
pub struct DocCursor<'a> {
    runs: &'a DocRuns,
    run: usize,
}

impl<'a> DocCursor<'a> {
    pub(super) fn new(runs: &'a DocRuns) -> Self {
        Self { runs, run: 0 }
    }

    /// The document of row `row`.
    #[inline]
    pub fn doc(&mut self, row: usize) -> u64 {
        let end = &self.runs.end;
        let start = if self.run == 0 { 0 } else { end[self.run - 1] };
        if row < start || row >= end[self.run] {
            self.run =
                if row >= end[self.run] && self.run + 1 < end.len() && row < end[self.run + 1] {
                    self.run + 1
                } else {
                    end.partition_point(|&e| e <= row)
                };
        }
        self.runs.doc[self.run]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_read_back_as_the_column_they_came_from() {
        let column = [0, 0, 0, 2, 5, 5, 2, 7];
        let runs = DocRuns::from_docs(column);
        assert_eq!(runs.rows(), column.len());
        let listed: Vec<(u64, Range<usize>)> = runs.iter().collect();
        assert_eq!(
            listed,
            [(0, 0..3), (2, 3..4), (5, 4..6), (2, 6..7), (7, 7..8)]
        );
        for from in 0..=column.len() {
            assert_eq!(runs.docs_from(from).collect::<Vec<_>>(), column[from..]);
        }
        let mut cursor = DocCursor::new(&runs);
        for row in [0, 1, 5, 6, 7, 2, 3, 0, 7, 4] {
            assert_eq!((runs.doc(row), cursor.doc(row)), (column[row], column[row]));
        }
    }

    #[test]
    fn pushes_and_appends_join_runs_of_one_document() {
        let mut runs = DocRuns::default();
        runs.push(3, 2);
        runs.push(3, 0);
        runs.push(3, 1);
        runs.push(4, 0);
        assert_eq!(runs, DocRuns::from_docs([3, 3, 3]));
        let mut more = DocRuns::from_docs([0, 1]);
        runs.append(&more, 3);
        assert_eq!(runs, DocRuns::from_docs([3, 3, 3, 3, 4]));
        more.shift(10);
        assert_eq!(more, DocRuns::from_docs([10, 11]));
        assert_eq!(DocRuns::default().docs_from(0).count(), 0);
    }
}
