//! Scanning many documents in parallel into columns (one entry per match, no object per match).

use crate::error::{Error, Result};
use crate::lexicon::{AliasId, EntityId};
use crate::matcher::Matcher;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Matches of many documents, column by column, in document order.
///
/// ```
/// use lexiscan::{Lexicon, Matcher, MatchOptions, scan::scan};
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

    /// The results of consecutive batches of documents as one, in order. Each column is one
    /// allocation, filled by all cores of the current rayon pool: joining the batches of a
    /// million-alias scan moves hundreds of megabytes, too much for one thread to copy.
    ///
    /// ```
    /// use lexiscan::{Lexicon, Matcher, MatchOptions, ScanResult, scan::scan};
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

    fn push_document(&mut self, doc: u64, text: &str, matches: &[crate::Match]) {
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

/// Scan `docs` (None = a missing document, no matches) on `n_threads` threads (None: all cores).
/// Document keys in the result are `first_doc + position`.
pub fn scan<S: AsRef<str> + Sync>(
    matcher: &Matcher,
    docs: &[Option<S>],
    first_doc: u64,
    n_threads: Option<usize>,
) -> Result<ScanResult> {
    scan_cancellable(matcher, docs, first_doc, n_threads, &AtomicBool::new(false))
}

/// [`scan`] that stops with [`Error::Cancelled`] soon after `cancel` is set (workers look at it
/// before each large document and each group of short ones, at most 1 MiB), so an interrupt
/// does not wait for the whole batch.
pub fn scan_cancellable<S: AsRef<str> + Sync>(
    matcher: &Matcher,
    docs: &[Option<S>],
    first_doc: u64,
    n_threads: Option<usize>,
    cancel: &AtomicBool,
) -> Result<ScanResult> {
    let pool = thread_pool(n_threads)?;
    // Chunks of documents become partial results in parallel (matching and copying the
    // surfaces both happen on the workers); joining them is a few memcpys.
    let bounds = chunk_bounds(docs, pool.current_num_threads());
    // Joining runs on the pool too: after a fork the global pool has no threads.
    pool.install(|| {
        bounds
            .par_windows(2)
            .map(|w| {
                let mut partial = ScanResult::default();
                // Short documents are matched a few at a time (`Matcher::find_many`), long
                // ones in pieces on every core.
                let mut pending: Vec<(u64, &str)> = Vec::new();
                for (j, doc) in docs[w[0]..w[1]].iter().enumerate() {
                    let Some(text) = doc else { continue };
                    let position = first_doc + (w[0] + j) as u64;
                    let text = text.as_ref();
                    if text.len() >= 2 * PIECE_BYTES {
                        match_pending(matcher, &mut pending, &mut partial, cancel)?;
                        // Rows go to the result a few pieces at a time: never all of a
                        // huge document's matches twice over (bench_memory).
                        matcher
                            .for_matches_in_pieces(text, PIECE_BYTES, |matches| {
                                partial.push_document(position, text, &matches)
                            })
                            .map_err(|e| at_document(e, position))?;
                        continue;
                    }
                    pending.push((position, text));
                    let pending_bytes: usize = pending.iter().map(|(_, t)| t.len()).sum();
                    if pending.len() == TOGETHER_DOCS || pending_bytes >= TOGETHER_BYTES {
                        match_pending(matcher, &mut pending, &mut partial, cancel)?;
                    }
                }
                match_pending(matcher, &mut pending, &mut partial, cancel)?;
                Ok(partial)
            })
            .collect::<Result<Vec<_>>>()
            .map(ScanResult::concat)
    })
}

/// Where `docs` is cut into chunks for the workers: `0`, the cuts, `docs.len()`. Chunks hold
/// about the same number of bytes (documents range from a line to a book), small enough that
/// the last chunks of the workers end close together, large enough to cost nothing to join.
fn chunk_bounds<S: AsRef<str>>(docs: &[Option<S>], n_threads: usize) -> Vec<usize> {
    // A document also costs a little whatever its size, so empty ones are spread out too.
    let weight =
        |doc: &Option<S>| doc.as_ref().map_or(0, |t| t.as_ref().len()) + DOC_OVERHEAD_BYTES;
    let total: usize = docs.iter().map(weight).sum();
    let target = (total / (n_threads * CHUNKS_PER_THREAD)).clamp(MIN_CHUNK_BYTES, MAX_CHUNK_BYTES);
    let mut bounds = vec![0];
    let mut bytes = 0;
    for (i, doc) in docs.iter().enumerate() {
        bytes += weight(doc);
        if bytes >= target && i + 1 < docs.len() {
            bounds.push(i + 1);
            bytes = 0;
        }
    }
    bounds.push(docs.len());
    bounds
}

/// Chunks per worker, at least (before the bounds below): rayon balances them between workers.
const CHUNKS_PER_THREAD: usize = 16;
/// Tests cut even a few short documents into chunks, so that joining them is exercised.
const MIN_CHUNK_BYTES: usize = if cfg!(test) { 1 } else { 256 << 10 };
/// At 1 GB/s, a chunk of this size is 4 ms: the most a worker waits for the last one.
const MAX_CHUNK_BYTES: usize = 4 << 20;
const DOC_OVERHEAD_BYTES: usize = 64;

/// Documents of twice this size or more are matched in pieces of about this size, in parallel,
/// so that one large document also uses every core.
const PIECE_BYTES: usize = 1 << 20;

/// Up to this many documents, or about this many bytes, are matched together: enough pieces
/// for the lockstep streams to end close together (bench_scan corpus, one thread: 64 / 1 MiB
/// measured ~10% faster than 16 / 256 KiB, 128 / 2 MiB no better).
const TOGETHER_DOCS: usize = 64;
const TOGETHER_BYTES: usize = 1 << 20;

/// Match the `pending` documents together and add their rows to `partial`. Called before
/// each large document too, so it looks at `cancel` even with nothing pending.
fn match_pending(
    matcher: &Matcher,
    pending: &mut Vec<(u64, &str)>,
    partial: &mut ScanResult,
    cancel: &AtomicBool,
) -> Result<()> {
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    if pending.is_empty() {
        return Ok(());
    }
    let texts: Vec<&str> = pending.iter().map(|&(_, text)| text).collect();
    let found = matcher.find_many(&texts).map_err(|e| match e {
        Error::DocumentTooLarge { doc, .. } => at_document(e, pending[doc].0),
        other => other,
    })?;
    for (&(position, text), matches) in pending.iter().zip(found) {
        partial.push_document(position, text, &matches);
    }
    pending.clear();
    Ok(())
}

/// A too-large-document error with the document's key in the scan.
fn at_document(error: Error, position: u64) -> Error {
    match error {
        Error::DocumentTooLarge { bytes, .. } => Error::DocumentTooLarge {
            doc: position as usize,
            bytes,
        },
        other => other,
    }
}

type Pools = HashMap<usize, Arc<rayon::ThreadPool>>;

/// A pool per thread count, created on first use. Pools are remembered with the process id
/// that made them: after `fork()` the child has none of the parent's threads, so it builds its
/// own instead of waiting forever on workers that do not exist.
pub fn thread_pool(n_threads: Option<usize>) -> Result<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<(u32, Pools)>> = OnceLock::new();
    let n = match n_threads {
        Some(0) => {
            return Err(Error::InvalidOption {
                name: "n_threads",
                value: "0".into(),
                allowed: "a positive number of threads, or None for all cores",
            })
        }
        Some(n) => n,
        None => default_threads(),
    };
    let pools = POOLS.get_or_init(|| Mutex::new((std::process::id(), HashMap::new())));
    let mut guard = pools
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if guard.0 != std::process::id() {
        // The parent's pools have no threads here; dropping them would try to reach those.
        std::mem::forget(std::mem::take(&mut guard.1));
        guard.0 = std::process::id();
    }
    if let Some(pool) = guard.1.get(&n) {
        return Ok(pool.clone());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("lexiscan-{i}"))
        .build()
        .map_err(|e| Error::Automaton(format!("cannot start {n} threads: {e}")))?;
    let pool = Arc::new(pool);
    guard.1.insert(n, pool.clone());
    Ok(pool)
}

/// `LEXISCAN_NUM_THREADS` if set to a positive number, else the number of cores.
fn default_threads() -> usize {
    std::env::var("LEXISCAN_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Lexicon, MatchOptions};

    fn matcher() -> Matcher {
        let mut lex = Lexicon::new();
        lex.add("Kyiv", &["Kiev"], Some("GPE"), false).unwrap();
        lex.add("Émile Zola", &["Zola"], Some("PERSON"), false)
            .unwrap();
        Matcher::new(lex, MatchOptions::default()).unwrap()
    }

    #[test]
    fn threads_and_chunks_do_not_change_the_result() {
        let m = matcher();
        let texts = [
            "Kiev",
            "",
            "ÉMILE ZOLA in Kyiv",
            "zola—Kiev’s 😀 KYIV",
            "nothing",
        ];
        let docs: Vec<Option<&str>> = (0..500)
            .map(|i| {
                if i % 7 == 3 {
                    None
                } else {
                    Some(texts[i % texts.len()])
                }
            })
            .collect();
        let one = scan(&m, &docs, 10, Some(1)).unwrap();
        let two = scan(&m, &docs, 10, Some(2)).unwrap();
        assert_eq!(one, two);
        let mut expected = 0;
        for (i, doc) in docs.iter().enumerate() {
            let Some(text) = doc else { continue };
            for found in m.find(text).unwrap() {
                assert_eq!(one.doc[expected], 10 + i as u64);
                assert_eq!(one.start[expected], found.start as u64);
                let chars: String = text
                    .chars()
                    .skip(found.start)
                    .take(found.end - found.start)
                    .collect();
                assert_eq!(one.surface(expected), chars);
                expected += 1;
            }
        }
        assert_eq!(one.len(), expected);
    }

    #[test]
    fn a_set_cancel_flag_stops_the_scan_of_short_and_large_documents() {
        let m = matcher();
        let large = "Kiev. ".repeat(2 * PIECE_BYTES / 6 + 1);
        for docs in [vec![Some("Kiev")], vec![Some(large.as_str())]] {
            let cancel = AtomicBool::new(true);
            assert!(matches!(
                scan_cancellable(&m, &docs, 0, Some(1), &cancel),
                Err(Error::Cancelled)
            ));
        }
    }

    #[test]
    fn chunks_cover_every_document_once_with_about_equal_bytes() {
        let long = "x".repeat(MAX_CHUNK_BYTES);
        let mut docs: Vec<Option<&str>> = vec![Some("a"); 1000];
        docs.extend([Some(long.as_str()), None, Some(long.as_str())]);
        docs.extend(vec![Some("bb"); 1000]);
        for n_threads in [1, 2, 7] {
            let bounds = chunk_bounds(&docs, n_threads);
            assert_eq!((bounds[0], *bounds.last().unwrap()), (0, docs.len()));
            assert!(bounds.windows(2).all(|w| w[0] < w[1]), "{bounds:?}");
            // No chunk goes on past a document that takes it to the target, at most this.
            let target = MAX_CHUNK_BYTES;
            for w in bounds.windows(2) {
                let weights: Vec<usize> = docs[w[0]..w[1]]
                    .iter()
                    .map(|d| d.map_or(0, str::len) + DOC_OVERHEAD_BYTES)
                    .collect();
                let before_last: usize = weights[..weights.len() - 1].iter().sum();
                assert!(before_last < target, "{w:?}: {before_last}");
            }
        }
        assert_eq!(chunk_bounds::<&str>(&[], 2), [0, 0]);
    }

    #[test]
    fn zero_threads_is_refused() {
        let docs = [Some("Kyiv")];
        assert!(matches!(
            scan(&matcher(), &docs, 0, Some(0)),
            Err(Error::InvalidOption { .. })
        ));
    }
}
