//! Corpus analyses on the columns of a scan, linear in the number of matches: counts per
//! document, frequencies, co-occurrence, keyword-in-context, keyness, highlighting.
//! `key` columns are entity ids, or label codes mapped from them by the caller.

pub mod context;
pub mod cooccurrence;
pub mod descriptions;
pub mod figures;
pub mod keyness;
pub mod near_miss;
pub mod numbers;

/// Mentions per (document, key), as sorted triplets. `doc` must be non-decreasing (scan order).
///
/// ```
/// let triplets = lexiscan::analysis::counts(&[0, 0, 0, 2], &[1, 0, 1, 1]);
/// assert_eq!(triplets, [(0, 0, 1), (0, 1, 2), (2, 1, 1)]);
/// ```
pub fn counts(doc: &[u64], key: &[u32]) -> Vec<(u64, u32, u32)> {
    let mut out = Vec::new();
    let mut keys: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < doc.len() {
        let d = doc[i];
        keys.clear();
        while i < doc.len() && doc[i] == d {
            keys.push(key[i]);
            i += 1;
        }
        keys.sort_unstable();
        for run in keys.chunk_by(|a, b| a == b) {
            out.push((d, run[0], run.len() as u32));
        }
    }
    out
}

/// Mentions and documents mentioning, per (group, key), flattened as `group * n_keys + key`.
/// `doc_group[d]` is the group of document `d`; without groups everything is group 0.
///
/// ```
/// use lexiscan::analysis::frequency;
/// let f = frequency(&[0, 0, 1], &[0, 0, 1], Some(&[0, 1]), 2, 2);
/// assert_eq!(f.mentions, [2, 0, 0, 1]);
/// assert_eq!(f.documents, [1, 0, 0, 1]);
/// ```
pub fn frequency(
    doc: &[u64],
    key: &[u32],
    doc_group: Option<&[u32]>,
    n_keys: usize,
    n_groups: usize,
) -> Frequency {
    let mut mentions = vec![0u64; n_keys * n_groups];
    let mut documents = vec![0u64; n_keys * n_groups];
    for (d, k, n) in counts(doc, key) {
        let g = doc_group.map_or(0, |groups| groups[d as usize] as usize);
        let slot = g * n_keys + k as usize;
        mentions[slot] += u64::from(n);
        documents[slot] += 1;
    }
    Frequency {
        mentions,
        documents,
    }
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
        assert_eq!(
            counts(&doc, &key),
            [(0, 2, 2), (1, 0, 2), (1, 2, 1), (4, 1, 1)]
        );
        let f = frequency(&doc, &key, None, 3, 1);
        assert_eq!(f.mentions, [2, 1, 3]);
        assert_eq!(f.documents, [1, 1, 2]);
    }
}
