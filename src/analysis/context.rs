//! What surrounds a match in its document: its sentence, its word position, its context
//! (keyword in context), and which matches of a document can be drawn without overlapping.
//! Boundaries are Unicode's (UAX #29, from `unicode-segmentation`), never a hand-written
//! splitter. Drawing them (HTML) is the Python face's.

use crate::error::{Error, Result};
use crate::scan::ScanResult;
use unicode_segmentation::UnicodeSegmentation;

/// Byte offsets of code-point offsets (sorted or not) in one walk over the text.
fn bytes_of(text: &str, chars: &[u64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..chars.len()).collect();
    order.sort_unstable_by_key(|&i| chars[i]);
    let mut out = vec![text.len(); chars.len()];
    let mut walk = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let (mut at_char, mut at_byte) = (0u64, walk.next().unwrap_or(0));
    for i in order {
        while at_char < chars[i] {
            at_byte = walk.next().unwrap_or(text.len());
            at_char += 1;
        }
        out[i] = at_byte;
    }
    out
}

/// For each code-point offset, the index of the sentence it falls in.
///
/// ```
/// use lexiscan::analysis::context::sentence_index;
/// let text = "NATO met. Russia left! Then?";
/// assert_eq!(sentence_index(text, &[0, 10, 25]), [0, 1, 2]);
/// ```
pub fn sentence_index(text: &str, offsets: &[u64]) -> Vec<u64> {
    let starts: Vec<usize> = text
        .split_sentence_bound_indices()
        .map(|(b, _)| b)
        .collect();
    bytes_of(text, offsets)
        .into_iter()
        .map(|b| starts.partition_point(|&s| s <= b).saturating_sub(1) as u64)
        .collect()
}

/// For each code-point offset, how many words begin before it (its word position).
///
/// ```
/// use lexiscan::analysis::context::word_index;
/// assert_eq!(word_index("the NATO–Russia Council", &[4, 9, 16]), [1, 2, 3]);
/// ```
pub fn word_index(text: &str, offsets: &[u64]) -> Vec<u64> {
    let starts: Vec<usize> = text.unicode_word_indices().map(|(b, _)| b).collect();
    bytes_of(text, offsets)
        .into_iter()
        .map(|b| starts.partition_point(|&s| s < b) as u64)
        .collect()
}

/// The context of the match `start..end` (code points): up to `window` words on each side
/// (or `window` characters, cut back to a word boundary), whitespace at the edges trimmed.
///
/// ```
/// use lexiscan::analysis::context::keyword_in_context;
/// let text = "Talks between the U.S.-led NATO alliance and Russia ended.";
/// let (pre, post) = keyword_in_context(text, 27, 31, 2, false);
/// assert_eq!((pre.as_str(), post.as_str()), ("U.S.-led", "alliance and"));
/// ```
pub fn keyword_in_context(
    text: &str,
    start: u64,
    end: u64,
    window: usize,
    characters: bool,
) -> (String, String) {
    contexts(text, &[(start, end)], window, characters).remove(0)
}

/// [`keyword_in_context`] for many matches of one text, with one pass over its words.
pub fn contexts(
    text: &str,
    spans: &[(u64, u64)],
    window: usize,
    characters: bool,
) -> Vec<(String, String)> {
    let words: Vec<(usize, usize)> = text
        .unicode_word_indices()
        .map(|(b, w)| (b, b + w.len()))
        .collect();
    let w = window as u64;
    let offsets: Vec<u64> = spans
        .iter()
        .flat_map(|&(s, e)| [s, e, s.saturating_sub(w), e + w])
        .collect();
    let bytes = bytes_of(text, &offsets);
    // a cut inside a word moves to that word's edge, away from the match
    let word_around = |b: usize| {
        let i = words.partition_point(|&(ws, _)| ws < b).checked_sub(1)?;
        (b < words[i].1).then_some(i)
    };
    spans
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let (s, e) = (bytes[4 * i], bytes[4 * i + 1]);
            let (from, to) = if characters {
                let (f, t) = (bytes[4 * i + 2], bytes[4 * i + 3]);
                let from = word_around(f).map_or(f, |x| words[x].1);
                let to = word_around(t).map_or(t, |x| words[x].0);
                (from, to)
            } else if window == 0 {
                (s, e)
            } else {
                let before = words.partition_point(|&(ws, _)| ws < s);
                let after = words.partition_point(|&(ws, _)| ws < e);
                let from = if before == 0 {
                    s
                } else {
                    words[before.saturating_sub(window)].0
                };
                let to = if after == words.len() {
                    text.len()
                } else {
                    words[(after + window - 1).min(words.len() - 1)].1
                };
                (from, to)
            };
            let (from, to) = (from.min(s), to.max(e));
            (
                text[from..s].trim().to_owned(),
                text[e..to].trim().to_owned(),
            )
        })
        .collect()
}

/// The left and right context of some matches, in the order asked: see [`kwic`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kwic {
    pub pre: Vec<String>,
    pub post: Vec<String>,
}

/// The context ([`keyword_in_context`]) of the matches at `rows` of `result`, whose documents
/// are `texts` (by position). The rows are grouped by document, so each text's words are
/// found once.
///
/// ```
/// use lexiscan::analysis::context::kwic;
/// use lexiscan::{scan::scan, Lexicon, MatchOptions, Matcher};
/// let mut lex = Lexicon::new();
/// lex.add("NATO", &["NATO"], None, false).unwrap();
/// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
/// let texts = [Some("the NATO summit"), Some("NATO again")];
/// let result = scan(&m, &texts, 0, Some(1)).unwrap();
/// let k = kwic(&result, &texts, &[1, 0], 1, false).unwrap();
/// assert_eq!((k.pre, k.post), (vec!["".to_owned(), "the".into()], vec!["again".to_owned(), "summit".into()]));
/// ```
pub fn kwic(
    result: &ScanResult,
    texts: &[Option<&str>],
    rows: &[usize],
    window: usize,
    characters: bool,
) -> Result<Kwic> {
    if let Some(&row) = rows.iter().find(|&&i| i >= result.len()) {
        return Err(Error::InvalidArgument(format!(
            "match row {row} out of range ({} matches)",
            result.len()
        )));
    }
    let mut cursor = result.doc_cursor();
    let docs: Vec<u64> = rows.iter().map(|&i| cursor.doc(i)).collect();
    let doc_of = |x: usize| docs[x];
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&x| doc_of(x));
    let mut out = Kwic {
        pre: vec![String::new(); rows.len()],
        post: vec![String::new(); rows.len()],
    };
    for group in order.chunk_by(|&x, &y| doc_of(x) == doc_of(y)) {
        let text = texts
            .get(doc_of(group[0]) as usize)
            .copied()
            .flatten()
            .unwrap_or("");
        let spans: Vec<(u64, u64)> = group
            .iter()
            .map(|&x| (result.start(rows[x]), result.end(rows[x])))
            .collect();
        for (&x, (pre, post)) in group.iter().zip(contexts(text, &spans, window, characters)) {
            out.pre[x] = pre;
            out.post[x] = post;
        }
    }
    Ok(out)
}

/// The rows of document `doc` that a highlighter draws: in order, each that starts at or after
/// the end of the last one drawn (overlapping or repeated spans: the first is drawn).
///
/// ```
/// use lexiscan::analysis::context::drawn_rows;
/// use lexiscan::ScanResult;
/// // document 1 has rows 1..4: spans 0..4, 2..6 (overlaps) and 6..9
/// let result = ScanResult::from_columns(
///     vec![0, 1, 1, 1], vec![0; 4], vec![0; 4], vec![0, 0, 2, 6], vec![3, 4, 6, 9],
///     vec![0; 4], "abcdefghijklm".to_owned(), vec![0, 3, 7, 11, 13],
/// ).unwrap();
/// assert_eq!(drawn_rows(&result, 1), [1, 3]);
/// ```
pub fn drawn_rows(result: &ScanResult, of_doc: u64) -> Vec<usize> {
    let mut drawn = Vec::new();
    let mut last_end = None;
    for (_, rows) in result.doc_runs().filter(|&(d, _)| d == of_doc) {
        for row in rows {
            if last_end.is_some_and(|e| result.start(row) < e) {
                continue;
            }
            drawn.push(row);
            last_end = Some(result.end(row));
        }
    }
    drawn
}
