//! The column store of a scan: one entry per match in each column, no object per match, and
//! the matched surfaces back to back (Arrow's string layout).

use crate::error::{Error, Result};
use crate::lexicon::{AliasId, EntityId};
use rayon::prelude::*;

/// Matches of many documents, column by column, in document order.
///
/// ```
/// use lexiscan::{scan::scan, Lexicon, Matcher, MatchOptions};
/// let mut lex = Lexicon::new();
/// lex.add("Kyiv", &["Kiev"], Some("GPE"), false).unwrap();
/// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
/// let docs = [Some("Kiev or Kyiv?"), None, Some("KYIV")];
/// let res = scan(&m, &docs, 0, Some(2)).unwrap();
/// assert_eq!(res.doc, [0, 0, 2]);
/// assert_eq!(res.surface(1), "Kyiv");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanResult {
    pub doc: Vec<u64>,
    pub entity: Vec<EntityId>,
    pub alias: Vec<AliasId>,
    pub start: Vec<u64>,
    pub end: Vec<u64>,
    /// 0 for exact matches, the edits of typo matches (`MatchOptions::max_edits`).
    pub edits: Vec<u8>,
    /// The matched surfaces, back to back; `surface_bounds[i]..surface_bounds[i + 1]`.
    surfaces: String,
    surface_bounds: Vec<usize>,
}

impl ScanResult {
    /// Number of matches.
    pub fn len(&self) -> usize {
        self.doc.len()
    }

    /// True when there are no matches.
    pub fn is_empty(&self) -> bool {
        self.doc.is_empty()
    }

    /// The original text of match `i`.
    pub fn surface(&self, i: usize) -> &str {
        let bounds = self.bounds();
        &self.surfaces[bounds[i]..bounds[i + 1]]
    }

    /// All matched texts back to back, with `surface_offsets()` as Arrow string offsets.
    pub fn surface_data(&self) -> &str {
        &self.surfaces
    }

    /// Byte offsets of each matched text in `surface_data()`: `len() + 1` of them.
    pub fn surface_offsets(&self) -> &[usize] {
        self.bounds()
    }

    fn bounds(&self) -> &[usize] {
        if self.surface_bounds.is_empty() {
            &[0]
        } else {
            &self.surface_bounds
        }
    }

    /// `concat` on the pool of `n_threads` threads (None: all cores), the scan's own pool, so
    /// a result joined on a Dask or Spark worker uses no more cores than its scan did.
    pub fn concat_on(
        parts: Vec<ScanResult>,
        n_threads: Option<usize>,
    ) -> crate::Result<ScanResult> {
        let pool = super::thread_pool(n_threads)?;
        Ok(pool.install(|| ScanResult::concat(parts)))
    }

    /// The results of consecutive batches of documents as one, in order. Each column is one
    /// allocation, filled by all cores of the current rayon pool: joining the batches of a
    /// million-alias scan moves hundreds of megabytes, too much for one thread to copy.
    ///
    /// ```
    /// use lexiscan::{scan::scan, Lexicon, Matcher, MatchOptions, ScanResult};
    /// let mut lex = Lexicon::new();
    /// lex.add("Kyiv", &["Kiev"], None, false).unwrap();
    /// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    /// let first = scan(&m, &[Some("Kiev")], 0, Some(1)).unwrap();
    /// let second = scan(&m, &[Some("Kyiv, Kiev")], 1, Some(1)).unwrap();
    /// let joined = ScanResult::concat(vec![first, second]);
    /// assert_eq!(joined.doc, [0, 1, 1]);
    /// assert_eq!(joined.surface(2), "Kiev");
    /// ```
    pub fn concat(mut parts: Vec<ScanResult>) -> ScanResult {
        if parts.len() <= 1 {
            return parts.pop().unwrap_or_default();
        }
        let sizes: Vec<(usize, usize)> =
            parts.iter().map(|p| (p.len(), p.surfaces.len())).collect();
        ScanResult::filled(&sizes, |k, target| target.fill(&parts[k]))
    }

    /// A result of consecutive pieces of `sizes[k]` (rows, surface bytes), piece `k` written
    /// by `fill(k, target)` on all cores of the current rayon pool. Each column is one
    /// allocation, zeroed: allocations of this size come from the system untouched (calloc),
    /// so the workers' writes are the first to them.
    fn filled(sizes: &[(usize, usize)], fill: impl Fn(usize, Target<'_>) + Sync) -> ScanResult {
        let rows: usize = sizes.iter().map(|s| s.0).sum();
        let bytes: usize = sizes.iter().map(|s| s.1).sum();
        let mut joined = ScanResult {
            doc: vec![0; rows],
            entity: vec![0; rows],
            alias: vec![0; rows],
            start: vec![0; rows],
            end: vec![0; rows],
            edits: vec![0; rows],
            surfaces: String::new(),
            surface_bounds: vec![0; rows + 1],
        };
        let mut surfaces = vec![0u8; bytes];
        let mut targets = Vec::with_capacity(sizes.len());
        {
            let mut doc = &mut joined.doc[..];
            let mut entity = &mut joined.entity[..];
            let mut alias = &mut joined.alias[..];
            let mut start = &mut joined.start[..];
            let mut end = &mut joined.end[..];
            let mut edits = &mut joined.edits[..];
            let mut surface_bytes = &mut surfaces[..];
            let mut bounds = &mut joined.surface_bounds[1..];
            let mut base = 0;
            for &(n, piece_bytes) in sizes {
                targets.push(Target {
                    doc: take_front(&mut doc, n),
                    entity: take_front(&mut entity, n),
                    alias: take_front(&mut alias, n),
                    start: take_front(&mut start, n),
                    end: take_front(&mut end, n),
                    edits: take_front(&mut edits, n),
                    surfaces: take_front(&mut surface_bytes, piece_bytes),
                    bounds: take_front(&mut bounds, n),
                    base,
                });
                base += piece_bytes;
            }
        }
        targets
            .into_par_iter()
            .enumerate()
            .for_each(|(k, target)| fill(k, target));
        // SAFETY: every piece wrote whole matched texts (`str`s) back to back into its bytes.
        joined.surfaces = unsafe { String::from_utf8_unchecked(surfaces) };
        joined
    }

    /// A result from its columns, as another process sent them (`surface_offsets` has one
    /// more entry than rows and cuts `surfaces` into the matched texts). Damaged columns are
    /// `Error::Corrupt`.
    ///
    /// ```
    /// use lexiscan::ScanResult;
    /// let r = ScanResult::from_columns(
    ///     vec![0, 2], vec![0, 0], vec![1, 0], vec![0, 5], vec![4, 9], vec![0, 0],
    ///     "KievKyiv".to_owned(), vec![0, 4, 8],
    /// ).unwrap();
    /// assert_eq!((r.len(), r.surface(1)), (2, "Kyiv"));
    /// ```
    #[allow(clippy::too_many_arguments)]
    pub fn from_columns(
        doc: Vec<u64>,
        entity: Vec<EntityId>,
        alias: Vec<AliasId>,
        start: Vec<u64>,
        end: Vec<u64>,
        edits: Vec<u8>,
        surfaces: String,
        surface_offsets: Vec<usize>,
    ) -> Result<ScanResult> {
        let n = doc.len();
        let lengths = [
            entity.len(),
            alias.len(),
            start.len(),
            end.len(),
            edits.len(),
        ];
        if lengths.iter().any(|&len| len != n) || surface_offsets.len() != n + 1 {
            return Err(Error::Corrupt(format!(
                "scan columns of unequal lengths ({n} docs, {lengths:?} others, {} offsets)",
                surface_offsets.len()
            )));
        }
        let ordered = surface_offsets.first() == Some(&0)
            && surface_offsets.last() == Some(&surfaces.len())
            && surface_offsets.windows(2).all(|w| w[0] <= w[1])
            && surface_offsets
                .iter()
                .all(|&o| surfaces.is_char_boundary(o));
        if !ordered || doc.windows(2).any(|w| w[0] > w[1]) {
            return Err(Error::Corrupt(
                "scan columns out of order (documents or matched-text offsets)".to_owned(),
            ));
        }
        Ok(ScanResult {
            doc,
            entity,
            alias,
            start,
            end,
            edits,
            surfaces,
            surface_bounds: surface_offsets,
        })
    }

    /// The given rows, in the order given: what resolving keeps of a scan.
    ///
    /// ```
    /// use lexiscan::{Lexicon, Matcher, MatchOptions, scan::scan};
    /// let mut lex = Lexicon::new();
    /// lex.add("Kyiv", &["Kiev"], None, false).unwrap();
    /// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    /// let res = scan(&m, &[Some("Kiev, Kyiv, Kiev")], 0, Some(1)).unwrap();
    /// let some = res.select(&[0, 2]);
    /// assert_eq!((some.len(), some.surface(1), some.start[1]), (2, "Kiev", 12));
    /// ```
    pub fn select(&self, rows: &[usize]) -> ScanResult {
        // Pieces on all cores of the current pool, each written in place.
        const ROWS_PER_PIECE: usize = 1 << 14;
        let bounds = self.bounds();
        let pieces: Vec<&[usize]> = rows.chunks(ROWS_PER_PIECE).collect();
        let sizes: Vec<(usize, usize)> = pieces
            .par_iter()
            .map(|piece| {
                let bytes = piece.iter().map(|&i| bounds[i + 1] - bounds[i]).sum();
                (piece.len(), bytes)
            })
            .collect();
        ScanResult::filled(&sizes, |k, target| target.gather(self, pieces[k]))
    }

    pub(super) fn push_document(&mut self, doc: u64, text: &str, matches: &[crate::Match]) {
        if self.surface_bounds.is_empty() {
            self.surface_bounds.push(0);
        }
        for m in matches {
            self.doc.push(doc);
            self.entity.push(m.entity);
            self.alias.push(m.alias);
            self.start.push(m.start as u64);
            self.end.push(m.end as u64);
            self.edits.push(m.edits);
            self.surfaces.push_str(&text[m.byte_start..m.byte_end]);
            self.surface_bounds.push(self.surfaces.len());
        }
    }
}

/// Where one piece's rows go in the joined columns (`ScanResult::filled`).
struct Target<'a> {
    doc: &'a mut [u64],
    entity: &'a mut [EntityId],
    alias: &'a mut [AliasId],
    start: &'a mut [u64],
    end: &'a mut [u64],
    edits: &'a mut [u8],
    surfaces: &'a mut [u8],
    /// The part's surface ends, moved by `base`, the bytes of the parts before it.
    bounds: &'a mut [usize],
    base: usize,
}

impl Target<'_> {
    fn fill(self, part: &ScanResult) {
        self.doc.copy_from_slice(&part.doc);
        self.entity.copy_from_slice(&part.entity);
        self.alias.copy_from_slice(&part.alias);
        self.start.copy_from_slice(&part.start);
        self.end.copy_from_slice(&part.end);
        self.edits.copy_from_slice(&part.edits);
        self.surfaces.copy_from_slice(part.surfaces.as_bytes());
        for (to, &from) in self.bounds.iter_mut().zip(&part.bounds()[1..]) {
            *to = from + self.base;
        }
    }
}

impl Target<'_> {
    /// `rows` of `from`, in the order given.
    fn gather(self, from: &ScanResult, rows: &[usize]) {
        for (to, &i) in self.doc.iter_mut().zip(rows) {
            *to = from.doc[i];
        }
        for (to, &i) in self.entity.iter_mut().zip(rows) {
            *to = from.entity[i];
        }
        for (to, &i) in self.alias.iter_mut().zip(rows) {
            *to = from.alias[i];
        }
        for (to, &i) in self.start.iter_mut().zip(rows) {
            *to = from.start[i];
        }
        for (to, &i) in self.end.iter_mut().zip(rows) {
            *to = from.end[i];
        }
        for (to, &i) in self.edits.iter_mut().zip(rows) {
            *to = from.edits[i];
        }
        // The matched texts of each run of consecutive rows (most of a selection) in one copy.
        let bounds = from.bounds();
        let (mut k, mut written) = (0, 0);
        for run in rows.chunk_by(|&a, &b| b == a + 1) {
            let (first, last) = (run[0], run[run.len() - 1]);
            let (start, end) = (bounds[first], bounds[last + 1]);
            self.surfaces[written..written + end - start]
                .copy_from_slice(&from.surfaces.as_bytes()[start..end]);
            let shift = self.base + written;
            for (to, &b) in self.bounds[k..k + run.len()]
                .iter_mut()
                .zip(&bounds[first + 1..=last + 1])
            {
                *to = b - start + shift;
            }
            k += run.len();
            written += end - start;
        }
    }
}

/// The first `n` items of `rest`, which keeps the others.
fn take_front<'a, T>(rest: &mut &'a mut [T], n: usize) -> &'a mut [T] {
    let (front, back) = std::mem::take(rest).split_at_mut(n);
    *rest = back;
    front
}
