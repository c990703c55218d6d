//! Numbers in running text: digits with separators ("100,000", "1.5", "13 000"), numbers in
//! words ("four", "twenty-five", "one hundred thousand", from the `text2num` crate), and scale
//! words after either ("1.5 million", "one lakh", "two decades").

use std::borrow::Cow;
use std::sync::OnceLock;
use text2num::{find_numbers, Language, Token};

/// One number: its byte span in the text, its value, and the unit a scale word implies.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    /// "years" for "two decades"; empty otherwise.
    pub implied_unit: &'static str,
    /// Written in digits (as opposed to words).
    pub digits: bool,
}

/// A word or a single punctuation character, with its byte span.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

impl Token for &Word<'_> {
    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.text)
    }

    fn text_lowercase(&self) -> Cow<'_, str> {
        Cow::Owned(self.text.to_lowercase())
    }
}

/// Words (letters, digits, and the `,` `.` `-` `'` inside them) and punctuation, in order.
pub(crate) fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        if c.is_alphanumeric() {
            while let Some(&(at, next)) = chars.peek() {
                let joins = matches!(next, ',' | '.' | '-' | '\'' | '’' | '\u{2009}' | '\u{202F}');
                let continues = next.is_alphanumeric()
                    || joins
                        && text[at + next.len_utf8()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric);
                if !continues {
                    break;
                }
                end = at + next.len_utf8();
                chars.next();
            }
        }
        out.push(Word {
            start,
            end,
            text: &text[start..end],
        });
    }
    out
}

/// The value of digits with thousands separators and a decimal point: "100,000", "1.5",
/// "13 000" (thin spaces), "2,5" is refused as ambiguous. A trailing "k", "m" or "bn" scales.
pub fn parse_digits(word: &str) -> Option<f64> {
    let lower = word.to_ascii_lowercase();
    let (body, scale) = [("bn", 1e9), ("k", 1e3), ("m", 1e6)]
        .iter()
        .find_map(|&(suffix, scale)| lower.strip_suffix(suffix).map(|b| (b, scale)))
        .unwrap_or((lower.as_str(), 1.0));
    if !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (integer, fraction) = match body.split_once('.') {
        Some((i, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (i, Some(f)),
        Some(_) => return None,
        None => (body, None),
    };
    let groups: Vec<&str> = integer.split([',', '\u{2009}', '\u{202F}']).collect();
    let grouped = groups.len() > 1;
    let valid = groups.iter().enumerate().all(|(i, g)| {
        !g.is_empty()
            && g.bytes().all(|b| b.is_ascii_digit())
            && (!grouped || if i == 0 { g.len() <= 3 } else { g.len() == 3 })
    });
    if !valid {
        return None;
    }
    let digits: String = groups.concat();
    let number = match fraction {
        Some(f) => format!("{digits}.{f}").parse::<f64>().ok()?,
        None => digits.parse::<f64>().ok()?,
    };
    Some(number * scale)
}

/// Scale words that multiply the number before them, and the unit some of them imply.
fn scale(word: &str) -> Option<(f64, &'static str)> {
    Some(match word.to_lowercase().as_str() {
        "hundred" => (1e2, ""),
        "thousand" => (1e3, ""),
        "million" | "millions" => (1e6, ""),
        "billion" | "billions" => (1e9, ""),
        "trillion" => (1e12, ""),
        "lakh" | "lakhs" | "lac" => (1e5, ""),
        "crore" | "crores" => (1e7, ""),
        "dozen" => (12.0, ""),
        "decade" | "decades" => (10.0, "years"),
        "century" | "centuries" => (100.0, "years"),
        _ => return None,
    })
}

/// Every number in `text`, in order.
///
/// ```
/// use lexiscan::analysis::numbers::find;
/// let text = "some 100,000 troops, twenty-five tanks, one lakh people, two decades, 1.5 million";
/// let values: Vec<f64> = find(text).iter().map(|n| n.value).collect();
/// assert_eq!(values, [100_000.0, 25.0, 100_000.0, 20.0, 1_500_000.0]);
/// ```
pub fn find(text: &str) -> Vec<Number> {
    let words = words(text);
    let mut found: Vec<(usize, usize, f64, bool)> = Vec::new(); // word range, value, digits
    for (i, w) in words.iter().enumerate() {
        if let Some(value) = parse_digits(w.text) {
            found.push((i, i + 1, value, true));
        }
    }
    // Building the interpreter costs more than reading a sentence: build it once.
    static ENGLISH: OnceLock<Language> = OnceLock::new();
    let english = ENGLISH.get_or_init(Language::english);
    for occurrence in find_numbers(words.iter(), english, 0.0) {
        let digits_inside = words[occurrence.start..occurrence.end]
            .iter()
            .any(|w| w.text.starts_with(|c: char| c.is_ascii_digit()));
        if !occurrence.is_ordinal && !digits_inside {
            found.push((occurrence.start, occurrence.end, occurrence.value, false));
        }
    }
    found.sort_by_key(|&(start, ..)| start);
    let mut out: Vec<Number> = Vec::new();
    for (first, mut last, mut value, digits) in found {
        // "1.5 million": the scale word is taken by the digits, not a number of its own.
        if out.last().is_some_and(|n| words[first].start < n.end) {
            continue;
        }
        let mut implied_unit = "";
        // "a dozen" and "one lakh": the article or number before a scale word counts.
        while let Some((factor, unit)) = words.get(last).and_then(|w| scale(w.text)) {
            value *= factor;
            implied_unit = unit;
            last += 1;
        }
        out.push(Number {
            start: words[first].start,
            end: words[last - 1].end,
            value,
            implied_unit,
            digits,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits() {
        let cases: &[(&str, Option<f64>)] = &[
            ("100,000", Some(100_000.0)),
            ("14,000", Some(14_000.0)),
            ("1.5", Some(1.5)),
            ("1,234,567.25", Some(1_234_567.25)),
            ("13\u{2009}000", Some(13_000.0)),
            ("100k", Some(100_000.0)),
            ("2bn", Some(2e9)),
            ("1,00", None),
            ("12,3456", None),
            ("1962", Some(1962.0)),
            ("abc", None),
        ];
        for &(word, want) in cases {
            assert_eq!(parse_digits(word), want, "{word}");
        }
    }

    #[test]
    fn numbers_in_sentences() {
        let text =
            "more than 14,000 people; four hours; one hundred thousand troops; the first day";
        let found: Vec<(&str, f64)> = find(text)
            .iter()
            .map(|n| (&text[n.start..n.end], n.value))
            .collect();
        assert_eq!(
            found,
            [
                ("14,000", 14_000.0),
                ("four", 4.0),
                ("one hundred thousand", 100_000.0),
            ]
        );
        let decades = find("for two decades");
        assert_eq!(decades[0].value, 20.0);
        assert_eq!(decades[0].implied_unit, "years");
    }
}
