//! Topics of figures: figures about the same thing, as `ScanResult.disagreements` compares
//! them across outlets. Two figures are linked when they have the same unit, share an entity
//! and are within a ratio of each other; a topic is a connected group of links.
//!
//! For one unit and entity, sorted by value, linking neighbours gives the same groups as
//! linking every pair (closeness is monotone along the sorted values), so the work is a sort
//! and a union-find, never a comparison of all pairs.

use crate::error::{Error, Result};

/// A topic id per figure (`0..n_figures`): the figure that is the root of its group.
///
/// The input is one row per (figure, entity of the figure): `figure` the figure's number,
/// `unit` and `entity` codes whose order is the order of the unit and entity names (ties of a
/// sort are broken by row order), `value` the figure's value. Figures are linked when
/// neighbours of the sort by (unit, entity, value) are equal, or the higher is at most
/// `max_ratio` times a positive lower one. Ids are those of a union-find that joins each link's
/// first figure under its second, so they are stable for a given input.
///
/// ```
/// use lexiscan::analysis::topics::topics;
/// // figures 0 and 1 (same unit 0, entity 0, 100 and 120) are one topic; figure 2 (500) another
/// let t = topics(&[0, 1, 2], &[0, 0, 0], &[0, 0, 0], &[100.0, 120.0, 500.0], 3, 1.5).unwrap();
/// assert_eq!(t[0], t[1]);
/// assert_ne!(t[0], t[2]);
/// ```
pub fn topics(
    figure: &[u32],
    unit: &[u32],
    entity: &[u32],
    value: &[f64],
    n_figures: usize,
    max_ratio: f64,
) -> Result<Vec<u64>> {
    let n = figure.len();
    if unit.len() != n || entity.len() != n || value.len() != n {
        return Err(Error::InvalidArgument(
            "figure, unit, entity and value must have one value per row each".into(),
        ));
    }
    if figure.iter().any(|&f| f as usize >= n_figures) {
        return Err(Error::InvalidArgument(format!(
            "a figure number is out of range ({n_figures} figures)"
        )));
    }
    let mut order: Vec<usize> = (0..n).collect();
    // Stable, as pandas' sort: equal keys keep their row order.
    order.sort_by(|&x, &y| {
        (unit[x], entity[x]).cmp(&(unit[y], entity[y])).then(
            value[x]
                .partial_cmp(&value[y])
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    let mut parent: Vec<usize> = (0..n_figures).collect();
    for pair in order.windows(2) {
        let (x, y) = (pair[0], pair[1]);
        let same = unit[x] == unit[y] && entity[x] == entity[y];
        let (low, high) = (value[x], value[y]);
        let close = low == high || (low > 0.0 && high <= low * max_ratio);
        if same && close {
            let (a, b) = (
                root(&mut parent, figure[x] as usize),
                root(&mut parent, figure[y] as usize),
            );
            parent[a] = b;
        }
    }
    Ok((0..n_figures)
        .map(|i| root(&mut parent, i) as u64)
        .collect())
}

/// The root of `i`'s group, halving the path on the way.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn different_units_or_entities_never_link() {
        let t = topics(
            &[0, 1, 2],
            &[0, 1, 0],
            &[0, 0, 1],
            &[10.0, 10.0, 10.0],
            3,
            2.0,
        )
        .unwrap();
        assert_eq!(t, [0, 1, 2]);
        // a chain 10 - 14 - 19 links through its middle
        let t = topics(
            &[0, 1, 2],
            &[0, 0, 0],
            &[0, 0, 0],
            &[19.0, 10.0, 14.0],
            3,
            1.4,
        )
        .unwrap();
        assert!(t[0] == t[1] && t[1] == t[2]);
        assert!(topics(&[3], &[0], &[0], &[1.0], 3, 1.0).is_err());
    }
}
