//! How a [`Matcher`](super::Matcher) matches: the options, parsed and checked here once for
//! every caller (the Python binding hands over the user's values as they came).

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Whether letter case matters for every alias or only for those added as case-sensitive.
///
/// ```
/// use lexiscan::CaseMode;
/// assert_eq!("sensitive".parse::<CaseMode>().unwrap(), CaseMode::Sensitive);
/// assert_eq!(CaseMode::Insensitive.to_string(), "insensitive");
/// assert!("upper".parse::<CaseMode>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaseMode {
    Insensitive,
    Sensitive,
}

impl CaseMode {
    /// The name users write (`"insensitive"`, `"sensitive"`).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseMode::Insensitive => "insensitive",
            CaseMode::Sensitive => "sensitive",
        }
    }
}

impl FromStr for CaseMode {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "insensitive" => Ok(CaseMode::Insensitive),
            "sensitive" => Ok(CaseMode::Sensitive),
            other => Err(Error::InvalidOption {
                name: "case",
                value: other.into(),
                allowed: "'insensitive', 'sensitive'",
            }),
        }
    }
}

impl fmt::Display for CaseMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether diacritics are removed before matching.
///
/// ```
/// use lexiscan::AccentMode;
/// assert_eq!("keep".parse::<AccentMode>().unwrap(), AccentMode::Keep);
/// assert_eq!(AccentMode::Fold.to_string(), "fold");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccentMode {
    Fold,
    Keep,
}

impl AccentMode {
    /// The name users write (`"fold"`, `"keep"`).
    pub fn as_str(self) -> &'static str {
        match self {
            AccentMode::Fold => "fold",
            AccentMode::Keep => "keep",
        }
    }
}

impl FromStr for AccentMode {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "fold" => Ok(AccentMode::Fold),
            "keep" => Ok(AccentMode::Keep),
            other => Err(Error::InvalidOption {
                name: "accents",
                value: other.into(),
                allowed: "'fold', 'keep'",
            }),
        }
    }
}

impl fmt::Display for AccentMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a [`Matcher`](super::Matcher) matches; the defaults are the ones users get from Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchOptions {
    pub case: CaseMode,
    pub accents: AccentMode,
    pub whole_words: bool,
    pub overlapping: bool,
    /// Typo tolerance: also match aliases with up to this many edits inside one of their
    /// words (0: off, the default; at most [`MAX_EDITS`]).
    #[serde(default)]
    pub max_edits: u8,
    /// Only alias words of at least this many (folded) characters take typos.
    #[serde(default = "default_typo_min_chars")]
    pub typo_min_chars: u8,
}

/// The most edits typo-tolerant matching allows.
pub const MAX_EDITS: u8 = 2;

fn default_typo_min_chars() -> u8 {
    5
}

impl Default for MatchOptions {
    fn default() -> Self {
        Self {
            case: CaseMode::Insensitive,
            accents: AccentMode::Fold,
            whole_words: true,
            overlapping: false,
            max_edits: 0,
            typo_min_chars: default_typo_min_chars(),
        }
    }
}

impl MatchOptions {
    /// Options from the values a user gave, each checked: `max_edits` from 0 (off) to
    /// [`MAX_EDITS`], `typo_min_chars` from 1 to 255. The error names the option and the
    /// values allowed.
    ///
    /// ```
    /// use lexiscan::{AccentMode, CaseMode, MatchOptions};
    /// let o = MatchOptions::new(CaseMode::Insensitive, AccentMode::Fold, true, false, 1, 4)
    ///     .unwrap();
    /// assert_eq!((o.max_edits, o.typo_min_chars), (1, 4));
    /// let err = MatchOptions::new(CaseMode::Insensitive, AccentMode::Fold, true, false, 3, 4)
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "max_edits='3' is not valid; use one of 0 (off), 1, 2");
    /// ```
    pub fn new(
        case: CaseMode,
        accents: AccentMode,
        whole_words: bool,
        overlapping: bool,
        max_edits: i64,
        typo_min_chars: i64,
    ) -> Result<Self> {
        Ok(Self {
            case,
            accents,
            whole_words,
            overlapping,
            max_edits: checked_max_edits(max_edits)?,
            typo_min_chars: checked_typo_min_chars(typo_min_chars)?,
        })
    }

    /// The same checks as [`MatchOptions::new`], for options built field by field (or loaded).
    pub fn validate(&self) -> Result<()> {
        checked_max_edits(i64::from(self.max_edits))?;
        checked_typo_min_chars(i64::from(self.typo_min_chars))?;
        Ok(())
    }
}

fn checked_max_edits(max_edits: i64) -> Result<u8> {
    u8::try_from(max_edits)
        .ok()
        .filter(|&n| n <= MAX_EDITS)
        .ok_or_else(|| Error::InvalidOption {
            name: "max_edits",
            value: max_edits.to_string(),
            allowed: "0 (off), 1, 2",
        })
}

fn checked_typo_min_chars(typo_min_chars: i64) -> Result<u8> {
    u8::try_from(typo_min_chars)
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| Error::InvalidOption {
            name: "typo_min_chars",
            value: typo_min_chars.to_string(),
            allowed: "1 to 255",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_their_names_and_refuse_others() {
        for case in [CaseMode::Insensitive, CaseMode::Sensitive] {
            assert_eq!(case.as_str().parse::<CaseMode>(), Ok(case));
        }
        for accents in [AccentMode::Fold, AccentMode::Keep] {
            assert_eq!(accents.as_str().parse::<AccentMode>(), Ok(accents));
        }
        let err = "upper".parse::<CaseMode>().unwrap_err().to_string();
        assert!(err.starts_with("case='upper' is not valid"), "{err}");
        let err = "strip".parse::<AccentMode>().unwrap_err().to_string();
        assert!(err.starts_with("accents='strip' is not valid"), "{err}");
    }

    #[test]
    fn typo_options_are_checked_in_range() {
        let new = |edits, min| {
            MatchOptions::new(
                CaseMode::Insensitive,
                AccentMode::Fold,
                true,
                false,
                edits,
                min,
            )
        };
        for edits in 0..=i64::from(MAX_EDITS) {
            assert_eq!(new(edits, 1).unwrap().max_edits as i64, edits);
        }
        for bad in [-1, 3, 256] {
            assert!(matches!(
                new(bad, 5),
                Err(Error::InvalidOption {
                    name: "max_edits",
                    ..
                })
            ));
        }
        for bad in [-1, 0, 256] {
            assert!(matches!(
                new(1, bad),
                Err(Error::InvalidOption {
                    name: "typo_min_chars",
                    ..
                })
            ));
        }
        assert_eq!(new(0, 255).unwrap().typo_min_chars, 255);
        let loaded = MatchOptions {
            max_edits: 9,
            ..MatchOptions::default()
        };
        assert!(loaded.validate().is_err());
    }
}
