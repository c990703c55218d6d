//! A result's columns written out as little-endian bytes, the layout numpy and Arrow read
//! without a copy: the compact store is decoded here, once, at export time (what a Python
//! buffer or a pickle gets), on all cores of the current pool.

use super::result::ScanResult;
use rayon::prelude::*;

/// A column of [`ScanResult::write_column`], with its width in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// The document's position (`u64`).
    Doc,
    /// Character offset of the match's start (`u64`).
    Start,
    /// Character offset after the match's end (`u64`).
    End,
    /// The entity id (`u32`).
    Entity,
    /// The alias id (`u32`).
    Alias,
    /// Edits of a typo match, 0 for an exact one (`u8`).
    Edits,
}

impl Column {
    /// Bytes per value.
    pub fn width(self) -> usize {
        match self {
            Column::Doc | Column::Start | Column::End => 8,
            Column::Entity | Column::Alias => 4,
            Column::Edits => 1,
        }
    }
}

impl ScanResult {
    /// `column` as little-endian bytes into `out` (`len() * column.width()` bytes), on the
    /// current rayon pool.
    ///
    /// ```
    /// use lexiscan::{scan::{scan, Column}, Lexicon, Matcher, MatchOptions};
    /// let mut lex = Lexicon::new();
    /// lex.add("Kyiv", &["Kiev"], None, false).unwrap();
    /// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    /// let res = scan(&m, &[Some("Kyiv"), Some("in Kyiv")], 0, Some(1)).unwrap();
    /// let mut end = vec![0u8; 16];
    /// res.write_column(Column::End, &mut end);
    /// assert_eq!((end[0], end[8]), (4, 7));
    /// ```
    pub fn write_column(&self, column: Column, out: &mut [u8]) {
        const ROWS: usize = 1 << 16;
        let width = column.width();
        assert_eq!(out.len(), self.len() * width, "bytes for {column:?}");
        out.par_chunks_mut(width * ROWS)
            .enumerate()
            .for_each(|(piece, out)| {
                let first = piece * ROWS;
                let rows = first..first + out.len() / width;
                let values = out.chunks_exact_mut(width);
                match column {
                    Column::Doc => {
                        for (to, doc) in values.zip(self.docs_from(first)) {
                            to.copy_from_slice(&doc.to_le_bytes());
                        }
                    }
                    Column::Start => {
                        for (to, &start) in values.zip(&self.starts()[rows]) {
                            to.copy_from_slice(&start.to_le_bytes());
                        }
                    }
                    Column::End => {
                        for (to, i) in values.zip(rows) {
                            to.copy_from_slice(&self.end(i).to_le_bytes());
                        }
                    }
                    Column::Entity => {
                        for (to, i) in values.zip(rows) {
                            to.copy_from_slice(&self.entity(i).to_le_bytes());
                        }
                    }
                    Column::Alias => {
                        for (to, i) in values.zip(rows) {
                            to.copy_from_slice(&self.alias(i).to_le_bytes());
                        }
                    }
                    Column::Edits => {
                        for (to, i) in values.zip(rows) {
                            to[0] = self.edits(i);
                        }
                    }
                }
            });
    }
}
