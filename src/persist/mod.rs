//! Saving lexicons and matchers as bytes: a versioned envelope around the spec (lexicon and
//! options), never the automaton — the `aho-corasick` crate has no serde on purpose, and a
//! rebuild is fast. The same bytes serve `Matcher.save`/`load` and pickling.
//!
//! Layout: `LEXISCAN` magic (8 bytes), format version (u32 LE), payload length (u64 LE),
//! CRC-32 of the payload (u32 LE), payload. Version 3 (written now) holds the lexicon as
//! columns (`columnar`); versions 1 and 2 (JSON, still read) held a document per alias.
//! Everything is checked before use, so a truncated, corrupted or foreign file is an error,
//! never a crash or an unbounded allocation.

mod columnar;

use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::matcher::{MatchOptions, Matcher};
use serde::Deserialize;

const MAGIC: &[u8; 8] = b"LEXISCAN";
/// Bumped whenever the payload changes shape; older readers then refuse newer files clearly.
/// Version 2 added entities' `parent`, `weight` and `context` to the JSON of version 1;
/// version 3 holds the lexicon as columns, a fifth of the JSON's size for a gazetteer.
pub const FORMAT_VERSION: u32 = 3;
/// The last version whose payload is JSON.
const LAST_JSON_VERSION: u32 = 2;
/// The oldest version this lexiscan reads.
const OLDEST_VERSION: u32 = 1;
const HEADER_LEN: usize = 8 + 4 + 8 + 4;

#[derive(Deserialize)]
struct Spec {
    lexicon: Lexicon,
    options: Option<MatchOptions>,
}

/// What [`Spec`] holds, borrowed for writing.
struct SpecRef<'a> {
    lexicon: &'a Lexicon,
    options: Option<MatchOptions>,
}

fn encode(spec: &SpecRef<'_>) -> Vec<u8> {
    let payload = columnar::write(spec.lexicon, spec.options);
    let version = FORMAT_VERSION;
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

fn decode(bytes: &[u8]) -> Result<Spec> {
    let bad = |why: String| Error::Corrupt(why);
    if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
        return Err(bad(
            "not a lexiscan file (the magic bytes are missing)".into()
        ));
    }
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let version = word(8);
    if !(OLDEST_VERSION..=FORMAT_VERSION).contains(&version) {
        return Err(bad(format!(
            "format version {version}; this lexiscan reads versions {OLDEST_VERSION} to \
             {FORMAT_VERSION}"
        )));
    }
    let declared = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let payload = &bytes[HEADER_LEN..];
    if declared != payload.len() as u64 {
        return Err(bad(format!(
            "truncated or padded: the header announces {declared} bytes of data, the file has {}",
            payload.len()
        )));
    }
    if crc32fast::hash(payload) != word(20) {
        return Err(bad(
            "checksum mismatch: the data was changed or damaged".into()
        ));
    }
    if version > LAST_JSON_VERSION {
        let (lexicon, options) = columnar::read(payload)?;
        return Ok(Spec { lexicon, options });
    }
    let mut spec: Spec = serde_json::from_slice(payload)
        .map_err(|e| bad(format!("unreadable data despite a valid checksum: {e}")))?;
    let n_entities = spec.lexicon.entities().len();
    if let Some(alias) = spec
        .lexicon
        .aliases()
        .iter()
        .find(|a| a.entity as usize >= n_entities)
    {
        return Err(bad(format!(
            "alias {:?} refers to a missing entity",
            alias.text
        )));
    }
    spec.lexicon.reindex();
    Ok(spec)
}

/// The bytes of a lexicon alone.
///
/// ```
/// use lexiscan::{Lexicon, persist};
/// let mut lex = Lexicon::new();
/// lex.add("Kyiv", &["Kiev"], Some("GPE"), false).unwrap();
/// let back = persist::lexicon_from_bytes(&persist::lexicon_to_bytes(&lex)).unwrap();
/// assert_eq!(back, lex);
/// ```
pub fn lexicon_to_bytes(lexicon: &Lexicon) -> Vec<u8> {
    encode(&SpecRef {
        lexicon,
        options: None,
    })
}

/// A lexicon back from [`lexicon_to_bytes`] (or from a matcher's bytes).
pub fn lexicon_from_bytes(bytes: &[u8]) -> Result<Lexicon> {
    Ok(decode(bytes)?.lexicon)
}

/// The bytes of a matcher: its lexicon and options.
pub fn matcher_to_bytes(matcher: &Matcher) -> Vec<u8> {
    encode(&SpecRef {
        lexicon: matcher.lexicon(),
        options: Some(matcher.options()),
    })
}

/// A matcher rebuilt from [`matcher_to_bytes`].
///
/// ```
/// use lexiscan::{Lexicon, Matcher, MatchOptions, persist};
/// let mut lex = Lexicon::new();
/// lex.add("Kyiv", &["Kiev"], Some("GPE"), false).unwrap();
/// let m = Matcher::new(lex, MatchOptions { overlapping: true, ..Default::default() }).unwrap();
/// let back = persist::matcher_from_bytes(&persist::matcher_to_bytes(&m)).unwrap();
/// assert_eq!(back.options(), m.options());
/// assert_eq!(back.find("Kiev").unwrap(), m.find("Kiev").unwrap());
/// assert!(persist::matcher_from_bytes(b"LEXISCAN").is_err());
/// ```
pub fn matcher_from_bytes(bytes: &[u8]) -> Result<Matcher> {
    let spec = decode(bytes)?;
    let options = spec
        .options
        .ok_or_else(|| Error::Corrupt("this file holds a lexicon, not a matcher".into()))?;
    Matcher::new(spec.lexicon, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> Vec<u8> {
        let mut lex = Lexicon::new();
        lex.add("Émile Zola", &["Zola"], Some("PERSON"), false)
            .unwrap();
        lex.add("US", &[] as &[&str], Some("GPE"), true).unwrap();
        matcher_to_bytes(&Matcher::new(lex, MatchOptions::default()).unwrap())
    }

    #[test]
    fn every_truncation_and_every_flipped_byte_is_refused() {
        let bytes = saved();
        assert!(matcher_from_bytes(&bytes).is_ok());
        for len in 0..bytes.len() {
            assert!(
                matcher_from_bytes(&bytes[..len]).is_err(),
                "truncated to {len}"
            );
        }
        for at in 0..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x20;
            assert!(matcher_from_bytes(&damaged).is_err(), "byte {at} flipped");
        }
    }

    /// `payload` in the envelope of `version`, checksum and all.
    fn envelope(version: u32, payload: &[u8]) -> Vec<u8> {
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&version.to_le_bytes());
        file.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        file.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
        file.extend_from_slice(payload);
        file
    }

    #[test]
    fn lexicons_round_trip_as_columns_and_json_versions_still_load() {
        use crate::lexicon::ParentRef;
        let plain = lexicon_to_bytes(&Lexicon::new());
        assert_eq!(plain[8], 3);
        assert_eq!(lexicon_from_bytes(&plain).unwrap(), Lexicon::new());
        let mut lex = Lexicon::new();
        let paris = lex
            .add("Paris", &["Paname", "PARIS"], Some("GPE"), false)
            .unwrap();
        lex.add("France", &[] as &[&str], Some("GPE"), false)
            .unwrap();
        lex.add("US", &["U.S."], None, true).unwrap();
        lex.add_entity("économie", &["inflation"], Some("TOPIC"), false, false)
            .unwrap();
        lex.add("Paris", &["Ville Lumière"], Some("GPE"), true)
            .unwrap();
        let france = ParentRef {
            name: "France".into(),
            label: None,
        };
        lex.set_resolution_info(paris, Some(france), Some(2.1e6), &["Seine", "Louvre"])
            .unwrap();
        let back = lexicon_from_bytes(&lexicon_to_bytes(&lex)).unwrap();
        assert_eq!(back, lex);
        // The lookups came back too: adding what is there changes nothing.
        let mut again = back.clone();
        again.add("Paris", &["Paname"], Some("GPE"), false).unwrap();
        assert_eq!(again, lex);
        // Version 1 and 2 payloads written by an older lexiscan still load.
        let old = br#"{"lexicon":{"entities":[{"name":"Kyiv","label":"GPE"}],"aliases":[{"text":"Kyiv","entity":0,"case_sensitive":false}]},"options":null}"#;
        let back = lexicon_from_bytes(&envelope(1, old)).unwrap();
        assert_eq!(back.entities()[0].name, "Kyiv");
        assert!(!back.has_resolution_info());
        let old = br#"{"lexicon":{"entities":[{"name":"Kyiv","label":"GPE","weight":2.9}],"aliases":[{"text":"Kyiv","entity":0,"case_sensitive":true}]},"options":null}"#;
        let back = lexicon_from_bytes(&envelope(2, old)).unwrap();
        assert_eq!(back.entities()[0].weight, Some(2.9));
        assert!(back.aliases()[0].case_sensitive);
    }

    #[test]
    fn damaged_columns_behind_a_valid_checksum_are_refused_not_a_panic() {
        let bytes = saved();
        let payload = &bytes[HEADER_LEN..];
        for at in 0..payload.len() {
            for flip in [0x01, 0x80, 0xFF] {
                let mut damaged = payload.to_vec();
                damaged[at] ^= flip;
                let _ = matcher_from_bytes(&envelope(FORMAT_VERSION, &damaged));
            }
            let _ = matcher_from_bytes(&envelope(FORMAT_VERSION, &payload[..at]));
        }
    }

    #[test]
    fn foreign_and_future_files_are_named() {
        let err = matcher_from_bytes(b"PK\x03\x04 a zip file, not ours").unwrap_err();
        assert!(err.to_string().contains("not a lexiscan file"));
        let mut future = saved();
        future[8] = 9;
        assert!(matcher_from_bytes(&future)
            .unwrap_err()
            .to_string()
            .contains("version 9"));
        let lexicon_only = lexicon_to_bytes(&Lexicon::new());
        assert!(matcher_from_bytes(&lexicon_only).is_err());
    }
}
