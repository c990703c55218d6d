//! How a scan spreads over the workers: documents cut into chunks of about equal bytes, short
//! documents matched a few at a time, long ones in pieces on every core (those held elsewhere
//! read a piece at a time), and a look at the cancel flag between them.

use super::document::ScanDocument;
use super::pool::thread_pool;
use super::result::ScanResult;
use crate::error::{Error, Result};
use crate::matcher::Matcher;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Scan `docs` (None = a missing document, no matches) on `n_threads` threads (None: all cores).
/// Document keys in the result are `first_doc + position`.
pub fn scan<S: ScanDocument>(
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
pub fn scan_cancellable<S: ScanDocument>(
    matcher: &Matcher,
    docs: &[Option<S>],
    first_doc: u64,
    n_threads: Option<usize>,
    cancel: &AtomicBool,
) -> Result<ScanResult> {
    let pool = thread_pool(n_threads)?;
    // Chunks of documents are matched in parallel into partial results (matching and copying
    // the surfaces both happen on the workers); joining them is a few memcpys. A worker adds
    // its consecutive chunks to one partial result, so each distinct form of a match enters
    // one table per run of chunks, not one per chunk (and the join has fewer tables to merge).
    let bounds = chunk_bounds(docs, pool.current_num_threads());
    let one_small_chunk = bounds.len() == 2
        && docs
            .iter()
            .flatten()
            .all(|doc| doc.text().is_some_and(|text| text.len() < 2 * PIECE_BYTES));
    if one_small_chunk {
        // One worker would match it all anyway, and handing it over costs a wake-up of the
        // pool's thread (tens of microseconds, more than a few short documents take): it is
        // matched here. Its documents all have their text and none is cut in pieces, so
        // nothing below reaches for the pool.
        return scan_chunk(
            matcher,
            docs,
            (0, docs.len()),
            first_doc,
            ScanResult::default(),
            cancel,
        );
    }
    // Joining runs on the pool too: after a fork the global pool has no threads.
    pool.install(|| {
        if rayon::current_num_threads() == 1 {
            // One worker: all documents in one partial result, with nothing to join (rayon
            // would still split the chunks in two, and joining the halves wrote the second
            // half's rows again).
            let all = (0, docs.len());
            return scan_chunk(matcher, docs, all, first_doc, ScanResult::default(), cancel);
        }
        bounds
            .par_windows(2)
            .try_fold(ScanResult::default, |partial, w| {
                scan_chunk(matcher, docs, (w[0], w[1]), first_doc, partial, cancel)
            })
            .collect::<Result<Vec<_>>>()
            .map(ScanResult::concat)
    })
}

/// The documents `docs[from..to]` matched into `partial`: short documents a few at a time
/// (`Matcher::find_many`), long ones in pieces on every core of the current pool.
fn scan_chunk<S: ScanDocument>(
    matcher: &Matcher,
    docs: &[Option<S>],
    (from, to): (usize, usize),
    first_doc: u64,
    mut partial: ScanResult,
    cancel: &AtomicBool,
) -> Result<ScanResult> {
    let mut pending: Vec<(u64, &str)> = Vec::new();
    for (j, doc) in docs[from..to].iter().enumerate() {
        let Some(doc) = doc else { continue };
        let position = first_doc + (from + j) as u64;
        let Some(text) = doc.text() else {
            match_pending(matcher, &mut pending, &mut partial, cancel)?;
            let pieces = doc.pieces().expect("a document without text has pieces");
            let piece_chars = READ_CHARS.min(pieces.max_piece_chars());
            matcher
                .for_matches_in_stream(pieces, piece_chars, cancel, |surfaces, found| {
                    partial.push_document(position, surfaces, &found)
                })
                .map_err(|e| at_document(e, position))?;
            continue;
        };
        if text.len() >= 2 * PIECE_BYTES {
            match_pending(matcher, &mut pending, &mut partial, cancel)?;
            // Rows go to the result a few pieces at a time: never all of a huge document's
            // matches twice over (bench_memory).
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
}

/// Where `docs` is cut into chunks for the workers: `0`, the cuts, `docs.len()`. Chunks hold
/// about the same number of bytes (documents range from a line to a book), small enough that
/// the last chunks of the workers end close together, large enough to cost nothing to join.
pub(super) fn chunk_bounds<S: ScanDocument>(docs: &[Option<S>], n_threads: usize) -> Vec<usize> {
    // A document also costs a little whatever its size, so empty ones are spread out too.
    let weight = |doc: &Option<S>| doc.as_ref().map_or(0, S::size_hint) + DOC_OVERHEAD_BYTES;
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
pub(super) const CHUNKS_PER_THREAD: usize = 16;
/// Tests cut even a few short documents into chunks, so that joining them is exercised.
pub(super) const MIN_CHUNK_BYTES: usize = if cfg!(test) { 1 } else { 256 << 10 };
/// At 1 GB/s, a chunk of this size is 4 ms: the most a worker waits for the last one.
pub(super) const MAX_CHUNK_BYTES: usize = 4 << 20;
pub(super) const DOC_OVERHEAD_BYTES: usize = 64;

/// Documents of twice this size or more are matched in pieces of about this size, in parallel,
/// so that one large document also uses every core.
pub(super) const PIECE_BYTES: usize = 1 << 20;

/// Documents held elsewhere are read and matched in pieces of about this many characters
/// (`TextPieces`), each read by the worker that matches it.
pub(super) const READ_CHARS: usize = 1 << 20;

/// Up to this many documents, or about this many bytes, are matched together: enough pieces
/// for the lockstep streams to end close together.
pub(super) const TOGETHER_DOCS: usize = 64;
pub(super) const TOGETHER_BYTES: usize = 1 << 20;

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
                assert_eq!(one.doc(expected), 10 + i as u64);
                assert_eq!(one.start(expected), found.start as u64);
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

    /// A text read a few characters at a time, in pieces of a few more.
    struct Trickle(Vec<char>, usize);

    impl crate::scan::TextPieces for Trickle {
        fn chars(&self) -> usize {
            self.0.len()
        }
        fn read(&self, from: usize, max: usize, out: &mut String) -> Result<usize> {
            let to = (from + max.min(self.1)).min(self.0.len());
            out.extend(&self.0[from..to]);
            Ok(to - from)
        }
        fn max_piece_chars(&self) -> usize {
            3 * self.1
        }
    }

    #[test]
    fn documents_read_in_pieces_give_the_rows_of_documents_in_memory() {
        use crate::scan::TextPieces;
        let m = matcher();
        let texts = [
            "Kiev. ÉMILE ZOLA in Kyiv; zola—Kiev’s 😀 KYIV\n\nKiev".repeat(300),
            String::new(),
            "Kyiv".to_owned(),
        ];
        let in_memory: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
        for (read, threads) in [(1, 1), (7, 2), (1000, 2)] {
            let trickles: Vec<Trickle> = texts
                .iter()
                .map(|t| Trickle(t.chars().collect(), read))
                .collect();
            let pieces: Vec<Option<&dyn TextPieces>> = trickles
                .iter()
                .map(|t| Some(t as &dyn TextPieces))
                .collect();
            assert_eq!(
                scan(&m, &pieces, 3, Some(threads)).unwrap(),
                scan(&m, &in_memory, 3, Some(threads)).unwrap(),
                "read {read} at a time on {threads} threads"
            );
            let cancel = AtomicBool::new(true);
            assert!(matches!(
                scan_cancellable(&m, &pieces[..1], 0, Some(threads), &cancel),
                Err(Error::Cancelled)
            ));
        }
    }

    /// A text whose reads fail from character `.1` on (`.2`: with an error, else with nothing).
    struct Broken(Vec<char>, usize, bool);

    impl crate::scan::TextPieces for Broken {
        fn chars(&self) -> usize {
            self.0.len()
        }
        fn read(&self, from: usize, _max: usize, out: &mut String) -> Result<usize> {
            if from < self.1 {
                out.push(self.0[from]);
                return Ok(1);
            }
            if self.2 {
                return Err(Error::InvalidArgument("unreadable".into()));
            }
            Ok(0)
        }
    }

    #[test]
    fn a_failed_read_is_the_error_of_the_scan() {
        use crate::scan::TextPieces;
        let m = matcher();
        let text: Vec<char> = "Kiev. Kyiv. ".repeat(50).chars().collect();
        for (fails, why) in [
            (true, "unreadable"),
            (false, "stopped giving text at character 70"),
        ] {
            let broken = Broken(text.clone(), 70, fails);
            let docs = [Some(&broken as &dyn TextPieces)];
            // One thread: read ahead by a helper where the machine has a second core.
            for threads in [1, 2] {
                let err = scan(&m, &docs, 0, Some(threads)).unwrap_err();
                assert!(err.to_string().contains(why), "{err}");
            }
        }
    }

    /// A text whose reading panics from character `.1` on, read in pieces of ten.
    struct Panicky(Vec<char>, usize);

    impl crate::scan::TextPieces for Panicky {
        fn chars(&self) -> usize {
            self.0.len()
        }
        fn read(&self, from: usize, max: usize, out: &mut String) -> Result<usize> {
            assert!(from < self.1, "reading broke at {from}");
            let to = (from + max).min(self.0.len());
            out.extend(&self.0[from..to]);
            Ok(to - from)
        }
        fn max_piece_chars(&self) -> usize {
            10
        }
    }

    #[test]
    fn a_panic_while_reading_is_the_scans_panic_not_a_hang() {
        use crate::scan::TextPieces;
        let m = matcher();
        let text: Vec<char> = "Kiev. Kyiv. ".repeat(500).chars().collect();
        for (at, threads) in [(0, 1), (3000, 1), (3000, 2)] {
            let panicky = Panicky(text.clone(), at);
            let docs = [Some(&panicky as &dyn TextPieces)];
            let scanning = std::panic::AssertUnwindSafe(|| scan(&m, &docs, 0, Some(threads)));
            let outcome = std::panic::catch_unwind(scanning);
            assert!(outcome.is_err(), "read breaking at {at}, {threads} threads");
        }
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

    #[test]
    fn select_in_pieces_keeps_the_rows_and_their_order() {
        let m = matcher();
        let text = "Kiev Kyiv zola ".repeat(12_000);
        let res = scan(&m, &[Some(text.as_str())], 0, Some(2)).unwrap();
        let rows: Vec<usize> = (0..res.len()).filter(|i| i % 3 != 1).collect();
        let some = thread_pool(Some(2)).unwrap().install(|| res.select(&rows));
        assert_eq!(some.len(), rows.len());
        for (k, &i) in rows.iter().enumerate() {
            let got = (some.doc(k), some.start(k), some.entity(k), some.surface(k));
            assert_eq!(
                got,
                (res.doc(i), res.start(i), res.entity(i), res.surface(i))
            );
        }
    }
}
