//! Spans of text: the words of a (folded) text, and whether a span overlaps any of a sorted
//! list of spans — what typo matching and near misses both ask of the exact matches.

use crate::chars::is_word_char;

/// Byte spans of the runs of word characters of `text`.
pub fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), open) {
            (true, None) => open = Some(i),
            (false, Some(start)) => {
                spans.push((start, i));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        spans.push((start, text.len()));
    }
    spans
}

/// Spans sorted by start (nested or overlapping ones allowed), asked whether a span overlaps
/// any of them in O(log n).
pub struct SortedSpans<'a, T> {
    spans: &'a [(T, T)],
    /// The furthest end among the first i + 1 spans.
    furthest_end: Vec<T>,
}

impl<'a, T: Copy + Ord> SortedSpans<'a, T> {
    pub fn new(spans: &'a [(T, T)]) -> Self {
        debug_assert!(spans.windows(2).all(|w| w[0].0 <= w[1].0), "spans by start");
        let mut furthest_end: Vec<T> = Vec::with_capacity(spans.len());
        for &(_, end) in spans {
            let furthest = furthest_end.last().map_or(end, |&f| f.max(end));
            furthest_end.push(furthest);
        }
        Self {
            spans,
            furthest_end,
        }
    }

    /// Whether `start..end` overlaps one of the spans: one starting before its end ends after
    /// its start.
    pub fn overlaps(&self, start: T, end: T) -> bool {
        let before_end = self.spans.partition_point(|&(s, _)| s < end);
        before_end > 0 && self.furthest_end[before_end - 1] > start
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn word_spans_are_runs_of_word_characters() {
        assert_eq!(
            crate::spans::word_spans("(ab) c-é"),
            [(1, 3), (5, 6), (7, 9)]
        );
    }

    #[test]
    fn sorted_spans_answer_overlaps() {
        use crate::spans::SortedSpans;
        let spans = SortedSpans::new(&[(0, 10), (2, 3), (20, 25)]);
        assert!(spans.overlaps(5, 6) && spans.overlaps(24, 30));
        assert!(!spans.overlaps(10, 20) && !spans.overlaps(25, 26));
    }
}
