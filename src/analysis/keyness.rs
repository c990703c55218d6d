//! Keyness of a key for a target group against the rest (quanteda's `textstat_keyness`):
//! chi-squared with Yates' correction and log-likelihood (G²) on the 2×2 table
//! `[[a, b], [c, d]]` = [[key in target, key in rest], [other in target, other in rest]].

/// (chi², G²), both signed: positive when the key is relatively more frequent in the target.
///
/// ```
/// use lexiscan::analysis::keyness::keyness;
/// let (chi2, g2) = keyness(30, 10, 70, 90);
/// assert!(chi2 > 10.0 && g2 > 10.0);
/// let (chi2, g2) = keyness(10, 30, 90, 70);
/// assert!(chi2 < 0.0 && g2 < 0.0);
/// ```
pub fn keyness(a: u64, b: u64, c: u64, d: u64) -> (f64, f64) {
    let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
    let n = a + b + c + d;
    let (row1, row2, col1, col2) = (a + b, c + d, a + c, b + d);
    if n == 0.0 || row1 == 0.0 || row2 == 0.0 || col1 == 0.0 || col2 == 0.0 {
        return (0.0, 0.0);
    }
    let sign = if a / col1 >= b / col2 { 1.0 } else { -1.0 };
    let cross = (a * d - b * c).abs();
    let yates = (cross - n / 2.0).max(0.0);
    let chi2 = n * yates * yates / (row1 * row2 * col1 * col2);
    let expected = [
        row1 * col1 / n,
        row1 * col2 / n,
        row2 * col1 / n,
        row2 * col2 / n,
    ];
    let g2 = 2.0
        * [a, b, c, d]
            .iter()
            .zip(expected)
            .filter(|(o, _)| **o > 0.0)
            .map(|(o, e)| o * (o / e).ln())
            .sum::<f64>();
    (sign * chi2, sign * g2)
}
/// Signed chi² and G² of many 2×2 tables, one per row of the columns `a`, `b`, `c`, `d`: see
/// [`keyness`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Keyness {
    pub chi2: Vec<f64>,
    pub g2: Vec<f64>,
}

/// [`keyness`] of each row of four columns of equal length.
///
/// ```
/// use lexiscan::analysis::keyness::keyness_table;
/// let k = keyness_table(&[30, 10], &[10, 30], &[70, 90], &[90, 70]).unwrap();
/// assert!(k.chi2[0] > 0.0 && k.chi2[1] < 0.0);
/// assert!(keyness_table(&[1], &[], &[], &[]).is_err());
/// ```
pub fn keyness_table(a: &[u64], b: &[u64], c: &[u64], d: &[u64]) -> crate::Result<Keyness> {
    if [b.len(), c.len(), d.len()].iter().any(|&n| n != a.len()) {
        return Err(crate::Error::InvalidArgument(format!(
            "a, b, c and d must have one value per row each, not {}, {}, {} and {}",
            a.len(),
            b.len(),
            c.len(),
            d.len()
        )));
    }
    let (chi2, g2) = (0..a.len())
        .map(|i| keyness(a[i], b[i], c[i], d[i]))
        .unzip();
    Ok(Keyness { chi2, g2 })
}
