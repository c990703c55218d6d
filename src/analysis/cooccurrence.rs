//! Which keys appear together: in the same unit (document, sentence) or within N words.

use std::collections::HashMap;

/// Number of units in which each pair of distinct keys both appear, as `(a, b, n)` with
/// `a < b`, sorted. `unit` must be non-decreasing (documents in scan order, or sentences
/// numbered in that order).
///
/// ```
/// use lexiscan::analysis::cooccurrence::in_same_unit;
/// // unit 0 has keys 1, 2, 2; unit 1 has 1, 2; unit 2 has 3
/// assert_eq!(in_same_unit(&[0, 0, 0, 1, 1, 2], &[1, 2, 2, 2, 1, 3]), [(1, 2, 2)]);
/// ```
pub fn in_same_unit(unit: &[u64], key: &[u32]) -> Vec<(u32, u32, u64)> {
    let mut pairs: HashMap<(u32, u32), u64> = HashMap::new();
    let mut keys: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < unit.len() {
        let u = unit[i];
        keys.clear();
        while i < unit.len() && unit[i] == u {
            keys.push(key[i]);
            i += 1;
        }
        keys.sort_unstable();
        keys.dedup();
        for (x, &a) in keys.iter().enumerate() {
            for &b in &keys[x + 1..] {
                *pairs.entry((a, b)).or_default() += 1;
            }
        }
    }
    sorted(pairs)
}

/// Number of pairs of mentions of two distinct keys at most `window` words apart in the same
/// document, as `(a, b, n)` with `a < b`, sorted. `word` is each mention's word position.
///
/// ```
/// use lexiscan::analysis::cooccurrence::within_words;
/// // key 1 at word 0, key 2 at word 3, key 1 at word 9 (all in doc 0)
/// assert_eq!(within_words(&[0, 0, 0], &[0, 3, 9], &[1, 2, 1], 5), [(1, 2, 1)]);
/// ```
pub fn within_words(doc: &[u64], word: &[u64], key: &[u32], window: u64) -> Vec<(u32, u32, u64)> {
    let mut order: Vec<usize> = (0..doc.len()).collect();
    order.sort_unstable_by_key(|&i| (doc[i], word[i]));
    let mut pairs: HashMap<(u32, u32), u64> = HashMap::new();
    let mut first = 0;
    for x in 0..order.len() {
        let i = order[x];
        while doc[order[first]] != doc[i] || word[i] - word[order[first]] > window {
            first += 1;
        }
        for &j in &order[first..x] {
            let (a, b) = (key[i].min(key[j]), key[i].max(key[j]));
            if a != b {
                *pairs.entry((a, b)).or_default() += 1;
            }
        }
    }
    sorted(pairs)
}

fn sorted(pairs: HashMap<(u32, u32), u64>) -> Vec<(u32, u32, u64)> {
    let mut out: Vec<_> = pairs.into_iter().map(|((a, b), n)| (a, b, n)).collect();
    out.sort_unstable();
    out
}
