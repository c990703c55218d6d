//! What surrounds a match in its document: its sentence, its word position, its context,
//! and the document as HTML with the matches marked. Boundaries are Unicode's (UAX #29, from
//! `unicode-segmentation`), never a hand-written splitter.

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

/// The text as HTML with each span (code points, non-overlapping, sorted) in a `<mark>` of its
/// colour, followed by a small label tag. Inline styles only, and `$` escaped, so the same
/// HTML renders in Jupyter (where MathJax would eat `$...$`), VS Code and Colab.
///
/// ```
/// use lexiscan::analysis::context::highlight_html;
/// let html = highlight_html("NATO & $5", &[(0, 4, "ORG".into(), "#7aecec".into())]);
/// assert!(html.contains("NATO<span"));
/// assert!(html.contains("&amp; &#36;5"));
/// ```
pub fn highlight_html(text: &str, spans: &[(u64, u64, String, String)]) -> String {
    let offsets: Vec<u64> = spans.iter().flat_map(|s| [s.0, s.1]).collect();
    let bytes = bytes_of(text, &offsets);
    let mut html =
        String::from("<div style=\"line-height:2.2;white-space:pre-wrap;font-family:inherit\">");
    let mut at = 0;
    for (i, (_, _, label, colour)) in spans.iter().enumerate() {
        let (s, e) = (bytes[2 * i], bytes[2 * i + 1]);
        if s < at {
            continue; // overlapping spans are not drawn twice
        }
        escape_into(&mut html, &text[at..s]);
        html.push_str(&format!(
            "<mark style=\"background:{};padding:0.2em 0.35em;border-radius:0.3em\">",
            escape(colour)
        ));
        escape_into(&mut html, &text[s..e]);
        html.push_str(&format!(
            "<span style=\"font-size:0.7em;font-weight:bold;margin-left:0.4em;\
             vertical-align:middle\">{}</span></mark>",
            escape(label)
        ));
        at = e;
    }
    escape_into(&mut html, &text[at..]);
    html.push_str("</div>");
    html
}

/// `text` with `& < > " ' $` escaped for HTML (and MathJax).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '$' => out.push_str("&#36;"),
            _ => out.push(c),
        }
    }
}
