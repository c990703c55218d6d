//! Corpus analyses on the columns of a scan: each takes the scan's result (with the texts and
//! options it needs) and returns a named struct of columns, for the binding to hand over as
//! they are. Counts per document, frequencies, co-occurrence, keyword-in-context, keyness,
//! figures, near misses, descriptions, topics. `key` columns are entity ids, or label codes
//! mapped from them by the caller. Rendering (HTML) is the Python face's.

pub mod context;
pub mod cooccurrence;
pub mod descriptions;
pub mod documents;
pub mod figures;
pub mod keyness;
pub mod near_miss;
pub mod numbers;
pub mod topics;

use crate::error::{Error, Result};
use std::ops::Range;

/// Mentions per (document, key), sorted by document then key: see [`counts`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub doc: Vec<u64>,
    pub key: Vec<u32>,
    pub count: Vec<u32>,
}

/// Mentions per (document, key), from the runs of rows of each document in scan order
/// (`ScanResult::doc_runs`, or `documents::runs` of a `doc` column).
///
/// ```
/// use lexiscan::analysis::{counts, documents::runs};
/// let c = counts(runs(&[0, 0, 0, 2]), &[1, 0, 1, 1]);
/// assert_eq!((c.doc, c.key, c.count), (vec![0, 0, 2], vec![0, 1, 1], vec![1, 2, 1]));
/// ```
pub fn counts(runs: impl IntoIterator<Item = (u64, Range<usize>)>, key: &[u32]) -> Counts {
    let mut out = Counts::default();
    let mut keys: Vec<u32> = Vec::new();
    for (d, rows) in runs {
        keys.clear();
        keys.extend_from_slice(&key[rows]);
        keys.sort_unstable();
        for run in keys.chunk_by(|a, b| a == b) {
            out.doc.push(d);
            out.key.push(run[0]);
            out.count.push(run.len() as u32);
        }
    }
    out
}

/// Mentions and documents mentioning, per (group, key), flattened as `group * n_keys + key`.
/// `doc_group[d]` is the group of document `d`; without groups everything is group 0. A key
/// from `n_keys` on or a group from `n_groups` on is an error.
///
/// ```
/// use lexiscan::analysis::{documents::runs, frequency};
/// let f = frequency(runs(&[0, 0, 1]), &[0, 0, 1], Some(&[0, 1]), 2, 2).unwrap();
/// assert_eq!(f.mentions, [2, 0, 0, 1]);
/// assert_eq!(f.documents, [1, 0, 0, 1]);
/// ```
pub fn frequency(
    runs: impl IntoIterator<Item = (u64, Range<usize>)>,
    key: &[u32],
    doc_group: Option<&[u32]>,
    n_keys: usize,
    n_groups: usize,
) -> Result<Frequency> {
    let out_of_range = key.iter().any(|&k| k as usize >= n_keys)
        || doc_group.is_some_and(|groups| groups.iter().any(|&g| g as usize >= n_groups));
    let c = counts(runs, key);
    // Every document with a match is in the counts.
    if out_of_range
        || doc_group.is_some_and(|groups| c.doc.iter().any(|&d| d as usize >= groups.len()))
    {
        return Err(Error::InvalidArgument(
            "key or group code out of range".into(),
        ));
    }
    let mut mentions = vec![0u64; n_keys * n_groups];
    let mut documents = vec![0u64; n_keys * n_groups];
    for ((&d, &k), &n) in c.doc.iter().zip(&c.key).zip(&c.count) {
        let g = doc_group.map_or(0, |groups| groups[d as usize] as usize);
        let slot = g * n_keys + k as usize;
        mentions[slot] += u64::from(n);
        documents[slot] += 1;
    }
    Ok(Frequency {
        mentions,
        documents,
    })
}

/// See [`frequency`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frequency {
    pub mentions: Vec<u64>,
    pub documents: Vec<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_frequency_agree() {
        let doc = [0, 0, 1, 1, 1, 4];
        let key = [2, 2, 0, 2, 0, 1];
        let c = counts(documents::runs(&doc), &key);
        assert_eq!(c.doc, [0, 1, 1, 4]);
        assert_eq!(c.key, [2, 0, 2, 1]);
        assert_eq!(c.count, [2, 2, 1, 1]);
        let f = frequency(documents::runs(&doc), &key, None, 3, 1).unwrap();
        assert_eq!(f.mentions, [2, 1, 3]);
        assert_eq!(f.documents, [1, 1, 2]);
        assert!(frequency(documents::runs(&doc), &key, None, 2, 1).is_err());
        assert!(frequency(documents::runs(&doc), &key, Some(&[0, 0]), 3, 1).is_err());
    }
}
