//! Figures: the numbers that stand in a sentence with a match, with the words that qualify
//! them — the hedge before ("nearly", "more than") and the counted noun after ("troops",
//! "people killed"). The rules are deliberately simple and written down in docs/insights.md.

use super::documents::each_document;
use super::numbers::{self, Word};
use crate::error::Result;
use crate::scan::ScanResult;
use unicode_segmentation::UnicodeSegmentation;

/// One figure. Offsets are code points in the document, like match offsets.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub sentence_start: u64,
    pub sentence_end: u64,
    pub start: u64,
    pub end: u64,
    /// The sentence and the figure as byte ranges of the document.
    pub sentence_bytes: (usize, usize),
    pub bytes: (usize, usize),
    pub value: f64,
    pub hedge: &'static str,
    pub unit: String,
    /// Entities matched in the sentence, in order of first mention, without repeats.
    pub entities: Vec<u32>,
}

/// The figures of a corpus, one row per figure, in document order: see [`figure_table`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FigureTable {
    /// Document position.
    pub doc: Vec<u64>,
    /// The sentence of the figure, trimmed.
    pub sentence: Vec<String>,
    /// The figure as written.
    pub figure: Vec<String>,
    pub start: Vec<u64>,
    pub end: Vec<u64>,
    pub value: Vec<f64>,
    pub hedge: Vec<&'static str>,
    pub unit: Vec<String>,
    /// Entities matched in the sentence, in order of first mention.
    pub entities: Vec<Vec<u32>>,
}

/// The [`figures`] of every document of `texts` (by position) with the matches of `result`,
/// found per document in parallel on the pool of `n_threads` (None: all cores).
///
/// ```
/// use lexiscan::analysis::figures::figure_table;
/// use lexiscan::{scan::scan, Lexicon, MatchOptions, Matcher};
/// let mut lex = Lexicon::new();
/// lex.add("Ukraine", &["Ukraine"], None, false).unwrap();
/// let m = Matcher::new(lex, MatchOptions::default()).unwrap();
/// let texts = [None, Some("Nearly 100,000 troops massed near Ukraine. No match: 7 days.")];
/// let result = scan(&m, &texts, 0, Some(1)).unwrap();
/// let table = figure_table(&result, &texts, Some(1)).unwrap();
/// assert_eq!((table.doc, table.figure, table.unit), (vec![1], vec!["100,000".to_owned()], vec!["troops".to_owned()]));
/// ```
pub fn figure_table(
    result: &ScanResult,
    texts: &[Option<&str>],
    n_threads: Option<usize>,
) -> Result<FigureTable> {
    let found = each_document(result, texts, n_threads, |text, rows| {
        let matches: Vec<(u64, u64, u32)> = rows
            .map(|i| (result.start(i), result.end(i), result.entity(i)))
            .collect();
        figures(text, &matches)
    })?;
    let mut table = FigureTable::default();
    for (doc, figures) in found.into_iter().enumerate() {
        let text = texts[doc].unwrap_or("");
        for f in figures {
            table.doc.push(doc as u64);
            let sentence = &text[f.sentence_bytes.0..f.sentence_bytes.1];
            table.sentence.push(sentence.trim().to_owned());
            table.figure.push(text[f.bytes.0..f.bytes.1].to_owned());
            table.start.push(f.start);
            table.end.push(f.end);
            table.value.push(f.value);
            table.hedge.push(f.hedge);
            table.unit.push(f.unit);
            table.entities.push(f.entities);
        }
    }
    Ok(table)
}

/// Hedges, longest first so that "more than" wins over "than".
const HEDGES: &[&str] = &[
    "just more than",
    "as many as",
    "as few as",
    "upwards of",
    "more than",
    "less than",
    "fewer than",
    "at least",
    "at most",
    "up to",
    "close to",
    "an estimated",
    "just over",
    "just under",
    "well over",
    "approximately",
    "estimated",
    "roughly",
    "about",
    "around",
    "nearly",
    "almost",
    "some",
    "over",
    "under",
    "approx",
    "circa",
];

/// Words after which the noun phrase of a figure stops.
const STOP_WORDS: &[&str] = &[
    "and", "or", "but", "have", "has", "had", "were", "was", "are", "is", "be", "been", "in", "on",
    "at", "near", "from", "of", "to", "by", "with", "who", "that", "which", "for", "as", "than",
    "into", "across", "since", "ago",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Nouns counted without a plural "s".
const IRREGULAR_PLURALS: &[&str] = &[
    "people",
    "men",
    "women",
    "children",
    "police",
    "personnel",
    "staff",
    "troops",
    "feet",
    "cattle",
    "percent",
    "per cent",
];

/// Verbs and nouns that say what happened to the people counted.
const CASUALTY_WORDS: &[&str] = &[
    "killed",
    "dead",
    "died",
    "wounded",
    "injured",
    "displaced",
    "missing",
    "arrested",
    "detained",
    "evacuated",
    "deported",
];

/// The figures of one document, given its matches (code-point start, end, entity) in order of
/// start, as a scan gives them.
///
/// ```
/// use lexiscan::analysis::figures::figures;
/// let text = "NATO says nearly 100,000 Russian troops are near Ukraine. Nothing here: 5.";
/// let found = figures(text, &[(0, 4, 7)]);
/// assert_eq!(found.len(), 1);
/// assert_eq!((found[0].value, found[0].hedge, found[0].unit.as_str()), (100_000.0, "nearly", "troops"));
/// assert_eq!(found[0].entities, [7]);
/// ```
pub fn figures(text: &str, matches: &[(u64, u64, u32)]) -> Vec<Figure> {
    let mut out = Vec::new();
    if matches.is_empty() {
        return out;
    }
    let mut char_at = 0u64; // code points before `byte_at`
    let mut byte_at = 0usize;
    for (sentence_byte, sentence) in text.split_sentence_bound_indices() {
        char_at += text[byte_at..sentence_byte].chars().count() as u64;
        byte_at = sentence_byte;
        let sentence_chars = sentence.chars().count() as u64;
        let (first, last) = (char_at, char_at + sentence_chars);
        let mut entities: Vec<u32> = Vec::new();
        // Matches come by start: look only at those starting in this sentence.
        let from = matches.partition_point(|&(start, _, _)| start < first);
        for &(_, end, entity) in matches[from..].iter().take_while(|&&(s, _, _)| s < last) {
            if end <= last && !entities.contains(&entity) {
                entities.push(entity);
            }
        }
        if entities.is_empty() {
            continue;
        }
        let words = numbers::words(sentence);
        for number in numbers::find(sentence) {
            let index = words
                .iter()
                .position(|w| w.start == number.start)
                .expect("numbers start at words");
            let after = words
                .iter()
                .position(|w| w.end == number.end)
                .map_or(index + 1, |i| i + 1);
            let raw = &sentence[number.start..number.end];
            let mut unit = if number.implied_unit.is_empty() {
                counted_noun(sentence, &words, after, &number)
            } else {
                number.implied_unit.to_owned()
            };
            let after_month =
                index > 0 && MONTHS.contains(&words[index - 1].text.to_lowercase().as_str());
            if unit.is_empty() && after_month && number.digits && number.value <= 31.0 {
                unit = "date".to_owned(); // "January 10": a day, not a count
            }
            if unit.is_empty() {
                if !number.digits && number.value < 2.0 {
                    continue; // "one of the", "no one": not a figure
                }
                let year_like = raw.len() == 4 && (1000.0..=2100.0).contains(&number.value);
                if number.digits && year_like {
                    unit = "year".to_owned();
                }
            }
            let start = char_at + sentence[..number.start].chars().count() as u64;
            let end = start + sentence[number.start..number.end].chars().count() as u64;
            out.push(Figure {
                sentence_start: first,
                sentence_end: last,
                start,
                end,
                sentence_bytes: (sentence_byte, sentence_byte + sentence.len()),
                bytes: (sentence_byte + number.start, sentence_byte + number.end),
                value: number.value,
                hedge: hedge(&words[..index]),
                unit,
                entities: entities.clone(),
            });
        }
    }
    out
}

/// The longest hedge that ends just before the number.
fn hedge(before: &[Word<'_>]) -> &'static str {
    for &hedge in HEDGES {
        let parts: Vec<&str> = hedge.split(' ').collect();
        if parts.len() > before.len() {
            continue;
        }
        let tail = &before[before.len() - parts.len()..];
        if tail
            .iter()
            .zip(&parts)
            .all(|(w, p)| w.text.eq_ignore_ascii_case(p))
        {
            return hedge;
        }
    }
    ""
}

fn is_plural(word: &str) -> bool {
    let lower = word.to_lowercase();
    IRREGULAR_PLURALS.contains(&lower.as_str())
        || lower.len() > 3
            && lower.ends_with('s')
            && !lower.ends_with("ss")
            && !lower.ends_with("us")
}

/// The counted noun: the first plural among the next four words of the noun phrase (which
/// stops at punctuation or a function word), then a casualty word if one follows within four
/// words or precedes within three ("people killed", "killed ... 13,000 people").
fn counted_noun(
    sentence: &str,
    words: &[Word<'_>],
    after: usize,
    number: &numbers::Number,
) -> String {
    let before = &sentence[..number.start];
    let currency = match before.trim_end().chars().next_back() {
        Some('$') => "dollars",
        Some('€') => "euros",
        Some('£') => "pounds",
        _ => "",
    };
    let mut noun = currency.to_owned();
    let mut noun_at = after;
    if noun.is_empty() {
        for (i, w) in words.iter().enumerate().skip(after).take(4) {
            let lower = w.text.to_lowercase();
            if w.text == "%" || lower == "percent" {
                noun = "percent".to_owned();
                noun_at = i;
                break;
            }
            if !w.text.chars().next().is_some_and(char::is_alphabetic)
                || STOP_WORDS.contains(&lower.as_str())
            {
                break;
            }
            if is_plural(&lower) {
                noun = lower;
                noun_at = i;
                break;
            }
        }
    }
    if noun.is_empty() {
        return noun;
    }
    let near = |w: &Word<'_>| CASUALTY_WORDS.contains(&w.text.to_lowercase().as_str());
    let following = words.iter().skip(noun_at + 1).take(4).find(|w| near(w));
    let index = words
        .iter()
        .position(|w| w.start == number.start)
        .unwrap_or(0);
    let preceding = words[index.saturating_sub(3)..index]
        .iter()
        .rev()
        .find(|w| near(w));
    match following.or(preceding) {
        Some(w) if noun != "percent" && currency.is_empty() => {
            format!("{noun} {}", w.text.to_lowercase())
        }
        _ => noun,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &str) -> Vec<(f64, &'static str, String)> {
        figures(text, &[(0, 1, 0)])
            .into_iter()
            .map(|f| (f.value, f.hedge, f.unit))
            .collect()
    }

    #[test]
    fn hedges_and_counted_nouns() {
        let cases: &[(&str, (f64, &str, &str))] = &[
            (
                "X: more than 14,000 people have been killed there",
                (14_000.0, "more than", "people killed"),
            ),
            (
                "X, sparking a war that has killed more than 13,000 people",
                (13_000.0, "more than", "people killed"),
            ),
            (
                "X massed an estimated 100,000 combat-ready troops",
                (100_000.0, "an estimated", "troops"),
            ),
            (
                "X with around 100,000 combat-ready Russian troops backed by tanks",
                (100_000.0, "around", "troops"),
            ),
            ("X talked for four hours", (4.0, "", "hours")),
            ("X has 30 members.", (30.0, "", "members")),
            ("X spent $5 billion", (5e9, "", "dollars")),
            ("X grew 12%", (12.0, "", "percent")),
            ("X lasted two decades", (20.0, "", "years")),
            ("X since 2014", (2014.0, "", "year")),
            ("X met on January 10", (10.0, "", "date")),
        ];
        for &(text, (value, hedge, unit)) in cases {
            assert_eq!(units(text), [(value, hedge, unit.to_owned())], "{text}");
        }
    }

    #[test]
    fn only_sentences_with_a_match_and_offsets_in_code_points() {
        let text = "Kyiv’s 2 ‘troops’. Nothing 3 here. Kyiv had 4 boats";
        let found = figures(text, &[(0, 4, 1), (35, 39, 1)]);
        let spans: Vec<&str> = found
            .iter()
            .map(|f| {
                let chars: Vec<char> = text.chars().collect();
                let s: String = chars[f.start as usize..f.end as usize].iter().collect();
                Box::leak(s.into_boxed_str()) as &str
            })
            .collect();
        assert_eq!(spans, ["2", "4"]);
        assert_eq!(found[1].unit, "boats");
    }
}
