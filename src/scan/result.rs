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
        let rows: usize = parts.iter().map(ScanResult::len).sum();
        let bytes: usize = parts.iter().map(|p| p.surfaces.len()).sum();
        // Zeroed allocations of this size come from the system untouched (calloc), so the
        // workers' copies are the first writes to them.
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
        let mut targets = Vec::with_capacity(parts.len());
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
            for part in &parts {
                let n = part.len();
                targets.push(Target {
                    doc: take_front(&mut doc, n),
                    entity: take_front(&mut entity, n),
                    alias: take_front(&mut alias, n),
                    start: take_front(&mut start, n),
                    end: take_front(&mut end, n),
                    edits: take_front(&mut edits, n),
                    surfaces: take_front(&mut surface_bytes, part.surfaces.len()),
                    bounds: take_front(&mut bounds, n),
                    base,
                });
                base += part.surfaces.len();
            }
        }
        parts
            .into_par_iter()
            .zip(targets)
            .for_each(|(part, target)| target.fill(&part));
        // SAFETY: the bytes are the parts' surfaces, each a whole `String`, back to back.
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
        // Pieces on all cores of the current pool, joined as batches are.
        const ROWS_PER_PIECE: usize = 1 << 14;
        if rows.len() <= ROWS_PER_PIECE {
            return self.select_here(rows);
        }
        let parts = rows
            .par_chunks(ROWS_PER_PIECE)
            .map(|piece| self.select_here(piece))
            .collect();
        ScanResult::concat(parts)
    }

    fn select_here(&self, rows: &[usize]) -> ScanResult {
        let bounds = self.bounds();
        let bytes = rows.iter().map(|&i| bounds[i + 1] - bounds[i]).sum();
        let mut out = ScanResult {
            doc: rows.iter().map(|&i| self.doc[i]).collect(),
            entity: rows.iter().map(|&i| self.entity[i]).collect(),
            alias: rows.iter().map(|&i| self.alias[i]).collect(),
            start: rows.iter().map(|&i| self.start[i]).collect(),
            end: rows.iter().map(|&i| self.end[i]).collect(),
            edits: rows.iter().map(|&i| self.edits[i]).collect(),
            surfaces: String::with_capacity(bytes),
            surface_bounds: Vec::with_capacity(rows.len() + 1),
        };
        out.surface_bounds.push(0);
        // The matched texts of each run of consecutive rows (most of a selection) in one copy.
        let mut k = 0;
        while k < rows.len() {
            let first = rows[k];
            let mut last = first;
            k += 1;
            while k < rows.len() && rows[k] == last + 1 {
                last += 1;
                k += 1;
            }
            let (from, base) = (bounds[first], out.surfaces.len());
            out.surfaces
                .push_str(&self.surfaces[from..bounds[last + 1]]);
            out.surface_bounds.extend(
                bounds[first + 1..=last + 1]
                    .iter()
                    .map(|&b| b - from + base),
            );
        }
        out
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

/// Where one part's rows go in the joined columns (`ScanResult::concat`).
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

/// The first `n` items of `rest`, which keeps the others.
fn take_front<'a, T>(rest: &mut &'a mut [T], n: usize) -> &'a mut [T] {
    let (front, back) = std::mem::take(rest).split_at_mut(n);
    *rest = back;
    front
}
