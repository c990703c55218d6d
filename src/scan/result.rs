//! The column store of a scan: one entry per match, no object per match, in ~12 bytes a match.
//!
//! Each match keeps its start (`u64`) and the code of its *form* (`u32`: entity, alias, edits,
//! length and matched text, stored once per distinct form in `forms`); its document is kept
//! once per run of matches of one document (`runs`). Readers go through the accessors
//! (`doc(i)`, `end(i)`, `surface(i)` ...) or the runs, never the encoding; columns for Python
//! and Arrow are written out at export time (`export.rs`; texts as a dictionary over the forms).

use super::forms::{Form, Forms};
use super::runs::{DocCursor, DocRuns};
use crate::error::{Error, Result};
use crate::lexicon::{AliasId, EntityId};
use rayon::prelude::*;
use std::ops::Range;

/// Matches of many documents, in document order.
///
/// ```
/// use lexiscan::{scan::scan, Lexicon, Matcher, MatchOptions};
/// let mut lex = Lexicon::new();
/// lex.add("Kyiv", &["Kiev"], Some("GPE"), false).unwrap();
/// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
/// let docs = [Some("Kiev or Kyiv?"), None, Some("KYIV")];
/// let res = scan(&m, &docs, 0, Some(2)).unwrap();
/// assert_eq!(res.docs().collect::<Vec<_>>(), [0, 0, 2]);
/// assert_eq!((res.start(1), res.end(1), res.surface(1)), (8, 12, "Kyiv"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct ScanResult {
    runs: DocRuns,
    start: Vec<u64>,
    form: Vec<u32>,
    forms: Forms,
}

/// Two results are equal when their rows are, whatever the order of their forms' codes.
impl PartialEq for ScanResult {
    fn eq(&self, other: &Self) -> bool {
        self.runs == other.runs
            && self.start == other.start
            && self
                .form
                .iter()
                .zip(&other.form)
                .all(|(&a, &b)| self.forms.get(a) == other.forms.get(b))
    }
}

impl Eq for ScanResult {}

impl ScanResult {
    /// Number of matches.
    pub fn len(&self) -> usize {
        self.start.len()
    }

    /// True when there are no matches.
    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    /// The document of match `i` (a binary search over the runs: walk [`ScanResult::docs`] or
    /// [`ScanResult::doc_runs`] to read many).
    pub fn doc(&self, i: usize) -> u64 {
        assert!(i < self.len(), "row {i} of {}", self.len());
        self.runs.doc(i)
    }

    /// The document of every match, in row order.
    pub fn docs(&self) -> impl Iterator<Item = u64> + '_ {
        self.runs.docs_from(0)
    }

    /// Each run of consecutive matches of one document: the document and its rows. In a scan
    /// every document with matches has one run.
    pub fn doc_runs(&self) -> impl ExactSizeIterator<Item = (u64, Range<usize>)> + '_ {
        self.runs.iter()
    }

    /// Looks up the documents of rows that mostly come in order, O(1) a row for a walk.
    pub fn doc_cursor(&self) -> DocCursor<'_> {
        DocCursor::new(&self.runs)
    }

    /// Character offset of the start of match `i`.
    #[inline]
    pub fn start(&self, i: usize) -> u64 {
        self.start[i]
    }

    /// The starts of all matches.
    pub fn starts(&self) -> &[u64] {
        &self.start
    }

    /// Character offset after the end of match `i`.
    #[inline]
    pub fn end(&self, i: usize) -> u64 {
        self.start[i] + u64::from(self.forms.chars(self.form[i]))
    }

    /// The entity of match `i`.
    #[inline]
    pub fn entity(&self, i: usize) -> EntityId {
        self.forms.entity(self.form[i])
    }

    /// The alias of match `i`.
    #[inline]
    pub fn alias(&self, i: usize) -> AliasId {
        self.forms.alias(self.form[i])
    }

    /// 0 for an exact match `i`, its edits for a typo match (`MatchOptions::max_edits`).
    #[inline]
    pub fn edits(&self, i: usize) -> u8 {
        self.forms.edits(self.form[i])
    }

    /// The original text of match `i`.
    #[inline]
    pub fn surface(&self, i: usize) -> &str {
        self.forms.get(self.form[i]).surface
    }

    /// Everything about match `i` but its document and start.
    #[inline]
    pub fn form(&self, i: usize) -> Form<'_> {
        self.forms.get(self.form[i])
    }

    /// The matches as a dictionary: each match's code (`form_codes()[i]`) into the distinct
    /// forms (`forms()`), as an Arrow dictionary array holds a column of few distinct values.
    pub fn form_codes(&self) -> &[u32] {
        &self.form
    }

    /// The distinct forms, by code (see [`ScanResult::form_codes`]). A form may have no match
    /// (one left out by `select`).
    pub fn forms(&self) -> impl ExactSizeIterator<Item = Form<'_>> + '_ {
        (0..self.forms.len() as u32).map(|code| self.forms.get(code))
    }

    /// The document of each match from row `row` on, in row order.
    pub(super) fn docs_from(&self, row: usize) -> impl Iterator<Item = u64> + '_ {
        self.runs.docs_from(row)
    }

    /// Every document moved up by `by`: this result after `by` documents of others.
    pub fn shift_documents(&mut self, by: u64) {
        self.runs.shift(by);
    }

    /// `concat` on the pool of `n_threads` threads (None: all cores), the scan's own pool, so
    /// a result joined on a Dask or Spark worker uses no more cores than its scan did.
    pub fn concat_on(
        parts: Vec<ScanResult>,
        n_threads: Option<usize>,
    ) -> crate::Result<ScanResult> {
        if parts.len() <= 1 {
            // Nothing to join: no hand-off to the pool (a wake-up of its threads).
            return Ok(ScanResult::concat(parts));
        }
        let pool = super::thread_pool(n_threads)?;
        Ok(pool.install(|| ScanResult::concat(parts)))
    }

    /// The results of consecutive batches of documents as one, in order. The later batches'
    /// starts and codes are appended to the first batch's columns, written by all cores of the
    /// current rayon pool: joining the batches of a million-alias scan moves hundreds of
    /// megabytes, too much for one thread to copy, and the first batch's rows stay where they
    /// are instead of being copied to new pages. The forms of the later parts are merged into
    /// the first one's table (they are few).
    ///
    /// ```
    /// use lexiscan::{scan::scan, Lexicon, Matcher, MatchOptions, ScanResult};
    /// let mut lex = Lexicon::new();
    /// lex.add("Kyiv", &["Kiev"], None, false).unwrap();
    /// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    /// let first = scan(&m, &[Some("Kiev")], 0, Some(1)).unwrap();
    /// let second = scan(&m, &[Some("Kyiv, Kiev")], 1, Some(1)).unwrap();
    /// let joined = ScanResult::concat(vec![first, second]);
    /// assert_eq!(joined.docs().collect::<Vec<_>>(), [0, 1, 1]);
    /// assert_eq!(joined.surface(2), "Kiev");
    /// ```
    pub fn concat(mut parts: Vec<ScanResult>) -> ScanResult {
        if parts.len() <= 1 {
            return parts.pop().unwrap_or_default();
        }
        // The later parts go after the first, whose columns, forms and codes stay as they are.
        let first = std::mem::take(&mut parts[0]);
        let later = &parts[1..];
        let mut forms = first.forms;
        let codes: Vec<Vec<u32>> = later.iter().map(|p| forms.merge(&p.forms)).collect();
        let mut runs = first.runs;
        for part in later {
            runs.append(&part.runs, 0);
        }
        let sizes: Vec<usize> = later.iter().map(ScanResult::len).collect();
        let (start, form) = filled_after(first.start, first.form, &sizes, |k, start, form| {
            let (part, codes) = (&later[k], &codes[k]);
            start.copy_from_slice(&part.start);
            for (to, &code) in form.iter_mut().zip(&part.form) {
                *to = codes[code as usize];
            }
        });
        ScanResult {
            runs,
            start,
            form,
            forms,
        }
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
    /// assert_eq!((r.len(), r.doc(1), r.surface(1), r.end(1)), (2, 2, "Kyiv", 9));
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
        let mut forms = Forms::default();
        let mut form = Vec::with_capacity(n);
        for i in 0..n {
            let chars = end[i]
                .checked_sub(start[i])
                .and_then(|chars| u32::try_from(chars).ok())
                .ok_or_else(|| {
                    Error::Corrupt(format!(
                        "match {i} ends at {} before its start {}, or 2^32 characters after",
                        end[i], start[i]
                    ))
                })?;
            form.push(forms.code(Form {
                entity: entity[i],
                alias: alias[i],
                edits: edits[i],
                chars,
                surface: &surfaces[surface_offsets[i]..surface_offsets[i + 1]],
            }));
        }
        Ok(ScanResult {
            runs: DocRuns::from_docs(doc),
            start,
            form,
            forms,
        })
    }

    /// A result from its stored parts, as another process sent them: the runs of documents
    /// (`doc_runs`: document and rows), the starts, the form codes and the forms they index
    /// (`starts`, `form_codes`, `forms`). Damaged parts are `Error::Corrupt`.
    ///
    /// ```
    /// use lexiscan::{scan::scan, Lexicon, Matcher, MatchOptions, ScanResult};
    /// let mut lex = Lexicon::new();
    /// lex.add("Kyiv", &["Kiev"], None, false).unwrap();
    /// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
    /// let res = scan(&m, &[Some("Kiev"), None, Some("Kyiv, Kiev")], 0, Some(1)).unwrap();
    /// let runs: Vec<(u64, usize)> = res.doc_runs().map(|(d, rows)| (d, rows.len())).collect();
    /// let back = ScanResult::from_parts(
    ///     &runs, res.starts().to_vec(), res.form_codes().to_vec(), res.forms(),
    /// ).unwrap();
    /// assert_eq!(back, res);
    /// ```
    pub fn from_parts<'a>(
        runs: &[(u64, usize)],
        start: Vec<u64>,
        codes: Vec<u32>,
        forms: impl IntoIterator<Item = Form<'a>>,
    ) -> Result<ScanResult> {
        let rows: usize = runs.iter().map(|&(_, n)| n).sum();
        if rows != start.len() || rows != codes.len() {
            return Err(Error::Corrupt(format!(
                "scan parts of unequal lengths ({rows} rows in the runs, {} starts, {} codes)",
                start.len(),
                codes.len()
            )));
        }
        if runs.windows(2).any(|w| w[0].0 > w[1].0) {
            return Err(Error::Corrupt(
                "scan parts out of order (documents)".to_owned(),
            ));
        }
        let mut table = Forms::default();
        // Codes into the table as built (a repeated form gets the code of its first).
        let to_table: Vec<u32> = forms.into_iter().map(|f| table.code(f)).collect();
        let form = codes
            .iter()
            .map(|&code| to_table.get(code as usize).copied())
            .collect::<Option<Vec<u32>>>()
            .ok_or_else(|| {
                Error::Corrupt(format!(
                    "a form code past the {} forms of the scan",
                    to_table.len()
                ))
            })?;
        let mut doc_runs = DocRuns::default();
        for &(doc, n) in runs {
            doc_runs.push(doc, n);
        }
        Ok(ScanResult {
            runs: doc_runs,
            start,
            form,
            forms: table,
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
    /// assert_eq!((some.len(), some.surface(1), some.start(1)), (2, "Kiev", 12));
    /// ```
    pub fn select(&self, rows: &[usize]) -> ScanResult {
        // Pieces on all cores of the current pool, each written in place.
        const ROWS_PER_PIECE: usize = 1 << 14;
        let pieces: Vec<&[usize]> = rows.chunks(ROWS_PER_PIECE).collect();
        let sizes: Vec<usize> = pieces.iter().map(|piece| piece.len()).collect();
        let (start, form) = filled(&sizes, |k, start, form| {
            for ((start, form), &i) in start.iter_mut().zip(form).zip(pieces[k]) {
                *start = self.start[i];
                *form = self.form[i];
            }
        });
        let piece_runs: Vec<DocRuns> = pieces
            .par_iter()
            .map(|piece| {
                let mut cursor = DocCursor::new(&self.runs);
                DocRuns::from_docs(piece.iter().map(|&i| cursor.doc(i)))
            })
            .collect();
        let mut runs = DocRuns::default();
        for piece in &piece_runs {
            runs.append(piece, 0);
        }
        ScanResult {
            runs,
            start,
            form,
            forms: self.forms.clone(),
        }
    }

    pub(super) fn push_document(&mut self, doc: u64, text: &str, matches: &[crate::Match]) {
        self.runs.push(doc, matches.len());
        self.start.reserve(matches.len());
        self.form.reserve(matches.len());
        for m in matches {
            self.start.push(m.start as u64);
            let chars = u32::try_from(m.end - m.start).expect("a match under 2^32 characters");
            self.form.push(self.forms.code(Form {
                entity: m.entity,
                alias: m.alias,
                edits: m.edits,
                chars,
                surface: &text[m.byte_start..m.byte_end],
            }));
        }
    }

    /// The last document with a match.
    pub fn last_doc(&self) -> Option<u64> {
        self.runs.last()
    }
}

/// Starts and codes of consecutive pieces of `sizes[k]` rows, piece `k` written by
/// `fill(k, starts, codes)` on all cores of the current rayon pool.
fn filled(
    sizes: &[usize],
    fill: impl Fn(usize, &mut [u64], &mut [u32]) + Sync,
) -> (Vec<u64>, Vec<u32>) {
    filled_after(Vec::new(), Vec::new(), sizes, fill)
}

/// `start` and `form` with the rows of `filled` after their own.
fn filled_after(
    mut start: Vec<u64>,
    mut form: Vec<u32>,
    sizes: &[usize],
    fill: impl Fn(usize, &mut [u64], &mut [u32]) + Sync,
) -> (Vec<u64>, Vec<u32>) {
    let (kept, rows) = (start.len(), sizes.iter().sum());
    extend_zeroed(&mut start, rows);
    extend_zeroed(&mut form, rows);
    let mut targets = Vec::with_capacity(sizes.len());
    {
        let mut start = &mut start[kept..];
        let mut form = &mut form[kept..];
        for &n in sizes {
            targets.push((take_front(&mut start, n), take_front(&mut form, n)));
        }
    }
    targets
        .into_par_iter()
        .enumerate()
        .for_each(|(k, (start, form))| fill(k, start, form));
    (start, form)
}

/// `column` with `n` zeros more, so that the pool's workers are the first to touch them: a new
/// column is one zeroed allocation (from the system untouched, as calloc gives one this size);
/// a column with rows zeroes its new room on all cores.
fn extend_zeroed<T: Copy + Default + Send>(column: &mut Vec<T>, n: usize) {
    if column.is_empty() {
        *column = vec![T::default(); n];
        return;
    }
    column.reserve_exact(n);
    column.spare_capacity_mut()[..n]
        .par_chunks_mut(1 << 16)
        .for_each(|piece| piece.fill(std::mem::MaybeUninit::new(T::default())));
    // SAFETY: the `n` items after the column's rows were all written just above.
    unsafe { column.set_len(column.len() + n) };
}

/// The first `n` items of `rest`, which keeps the others.
fn take_front<'a, T>(rest: &mut &'a mut [T], n: usize) -> &'a mut [T] {
    let (front, back) = std::mem::take(rest).split_at_mut(n);
    *rest = back;
    front
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::Column;

    fn columns() -> ScanResult {
        ScanResult::from_columns(
            vec![0, 0, 3, 3, 3],
            vec![1, 0, 1, 1, 2],
            vec![4, 0, 4, 4, 5],
            vec![0, 9, 2, 20, 30],
            vec![4, 13, 6, 24, 32],
            vec![0, 0, 0, 0, 1],
            "KievNATOKievKievЖж".to_owned(),
            vec![0, 4, 8, 12, 16, 20],
        )
        .unwrap()
    }

    #[test]
    fn every_column_reads_back_as_given() {
        let r = columns();
        assert_eq!(r.forms().len(), 3);
        let read = |c: Column| {
            let mut out = vec![0; r.len() * c.width()];
            r.write_column(c, &mut out);
            out.chunks(c.width())
                .map(|v| v.iter().rev().fold(0u64, |n, &b| n << 8 | u64::from(b)))
                .collect::<Vec<u64>>()
        };
        assert_eq!(read(Column::Doc), [0, 0, 3, 3, 3]);
        assert_eq!(read(Column::Entity), [1, 0, 1, 1, 2]);
        assert_eq!(read(Column::Alias), [4, 0, 4, 4, 5]);
        assert_eq!(read(Column::Start), [0, 9, 2, 20, 30]);
        assert_eq!(read(Column::End), [4, 13, 6, 24, 32]);
        assert_eq!(read(Column::Edits), [0, 0, 0, 0, 1]);
        let surfaces: Vec<&str> = (0..r.len()).map(|i| r.surface(i)).collect();
        assert_eq!(surfaces, ["Kiev", "NATO", "Kiev", "Kiev", "Жж"]);
        let runs: Vec<_> = r.doc_runs().collect();
        assert_eq!(runs, [(0, 0..2), (3, 2..5)]);
    }

    #[test]
    fn parts_read_back_and_damaged_parts_are_refused() {
        let r = columns();
        let runs: Vec<(u64, usize)> = r.doc_runs().map(|(d, rows)| (d, rows.len())).collect();
        let parts = |runs: &[(u64, usize)], codes: Vec<u32>| {
            ScanResult::from_parts(runs, r.starts().to_vec(), codes, r.forms())
        };
        assert_eq!(parts(&runs, r.form_codes().to_vec()).unwrap(), r);
        let mut past = r.form_codes().to_vec();
        past[1] = r.forms().len() as u32;
        assert!(parts(&runs, past).is_err());
        assert!(parts(&runs[..1], r.form_codes().to_vec()).is_err());
        assert!(parts(&[(3, 3), (0, 2)], r.form_codes().to_vec()).is_err());
        // A form listed twice: both codes read as the same form.
        let twice: Vec<Form> = r.forms().chain(r.forms().take(1)).collect();
        let mut codes = r.form_codes().to_vec();
        codes[0] = twice.len() as u32 - 1;
        let back = ScanResult::from_parts(&runs, r.starts().to_vec(), codes, twice).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn damaged_columns_are_refused() {
        let refused = |end: Vec<u64>, doc: Vec<u64>| {
            ScanResult::from_columns(
                doc,
                vec![0, 0],
                vec![0, 0],
                vec![5, 6],
                end,
                vec![0, 0],
                "ab".to_owned(),
                vec![0, 1, 2],
            )
            .is_err()
        };
        assert!(!refused(vec![6, 7], vec![0, 1]));
        assert!(refused(vec![4, 7], vec![0, 1]));
        assert!(refused(vec![6, 7 + (1 << 32)], vec![0, 1]));
        assert!(refused(vec![6, 7], vec![1, 0]));
    }

    #[test]
    fn joined_and_selected_results_keep_their_rows() {
        let r = columns();
        let shifted = {
            let mut r = r.clone();
            r.shift_documents(4);
            r
        };
        let joined = ScanResult::concat(vec![r.clone(), ScanResult::default(), shifted.clone()]);
        assert_eq!(joined.len(), 10);
        assert_eq!(joined.select(&(0..5).collect::<Vec<_>>()), r);
        assert_eq!(joined.select(&(5..10).collect::<Vec<_>>()), shifted);
        assert_eq!(joined.forms().len(), r.forms().len());
        let picked = joined.select(&[7, 1, 1, 9]);
        let got: Vec<(u64, u64, u64, &str)> = (0..picked.len())
            .map(|i| {
                (
                    picked.doc(i),
                    picked.start(i),
                    picked.end(i),
                    picked.surface(i),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (7, 2, 6, "Kiev"),
                (0, 9, 13, "NATO"),
                (0, 9, 13, "NATO"),
                (7, 30, 32, "Жж")
            ]
        );
        assert_ne!(picked, joined.select(&[7, 1, 9, 1]));
    }
}
