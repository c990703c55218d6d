//! The payload of format version 3: a lexicon as columns, so that a million aliases pickle
//! small and load without parsing a document per alias.
//!
//! In order: the options (JSON, empty for a lexicon alone); the distinct labels; the entities'
//! names and label codes (0: none, k: the k-th label); the resolution info of the entities
//! that have any (JSON: few entities have it, and its shape is already defined there); the
//! aliases' texts, their entities (each as the difference from the alias before, so runs of
//! one entity's aliases are one byte each) and their case flags (a bitmap). Counts and
//! lengths are LEB128 varints; a column of texts is all its lengths, then all its bytes.
//! Compressing it was measured and left out (docs/performance.md): it is already a fifth of
//! the JSON and far under the cost of rebuilding the matcher.

use crate::error::{Error, Result};
use crate::lexicon::{Alias, Entity, EntityId, Lexicon, ParentRef};
use crate::matcher::MatchOptions;
use std::collections::HashMap;

/// One entity's resolution info, as the JSON of its section holds it.
type Info = (EntityId, Option<ParentRef>, Option<f64>, Vec<String>);

pub(super) fn write(lexicon: &Lexicon, options: Option<MatchOptions>) -> Vec<u8> {
    let mut out = Vec::new();
    let options = options.map_or_else(Vec::new, |o| {
        serde_json::to_vec(&o).expect("options always serialise")
    });
    push_blob(&mut out, &options);
    let entities = lexicon.entities();
    let mut codes: HashMap<&str, u64> = HashMap::new();
    let mut labels: Vec<&str> = Vec::new();
    let label_codes: Vec<u64> = entities
        .iter()
        .map(|e| {
            e.label.as_deref().map_or(0, |label| {
                *codes.entry(label).or_insert_with(|| {
                    labels.push(label);
                    labels.len() as u64
                })
            })
        })
        .collect();
    push_texts(&mut out, labels.iter().copied());
    push_texts(&mut out, entities.iter().map(|e| e.name.as_str()));
    label_codes.iter().for_each(|&c| push_varint(&mut out, c));
    let infos: Vec<Info> = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.has_resolution_info())
        .map(|(id, e)| {
            (
                id as EntityId,
                e.parent.clone(),
                e.weight,
                e.context.clone(),
            )
        })
        .collect();
    let infos = if infos.is_empty() {
        Vec::new()
    } else {
        serde_json::to_vec(&infos).expect("resolution info always serialises")
    };
    push_blob(&mut out, &infos);
    let aliases = lexicon.aliases();
    push_texts(&mut out, aliases.iter().map(|a| a.text.as_str()));
    let mut previous = 0i64;
    for a in aliases {
        let step = i64::from(a.entity) - previous;
        push_varint(&mut out, ((step << 1) ^ (step >> 63)) as u64); // zigzag
        previous = i64::from(a.entity);
    }
    let mut flags = vec![0u8; aliases.len().div_ceil(8)];
    for (i, a) in aliases.iter().enumerate() {
        flags[i / 8] |= u8::from(a.case_sensitive) << (i % 8);
    }
    out.extend_from_slice(&flags);
    out
}

pub(super) fn read(payload: &[u8]) -> Result<(Lexicon, Option<MatchOptions>)> {
    let mut r = Reader { bytes: payload };
    let options = r.blob()?;
    let options = if options.is_empty() {
        None
    } else {
        Some(serde_json::from_slice(options).map_err(|e| corrupt(format!("options: {e}")))?)
    };
    let labels = r.texts()?;
    let names = r.texts()?;
    let mut entities = Vec::with_capacity(names.len());
    for name in names {
        let code = r.varint()?;
        let label = match code {
            0 => None,
            k => Some(
                labels
                    .get(k as usize - 1)
                    .ok_or_else(|| corrupt(format!("label code {k} of {}", labels.len())))?
                    .to_string(),
            ),
        };
        entities.push(Entity {
            name: name.to_owned(),
            label,
            parent: None,
            weight: None,
            context: Vec::new(),
        });
    }
    let infos = r.blob()?;
    if !infos.is_empty() {
        let infos: Vec<Info> =
            serde_json::from_slice(infos).map_err(|e| corrupt(format!("resolution info: {e}")))?;
        for (id, parent, weight, context) in infos {
            let entity = entities
                .get_mut(id as usize)
                .ok_or_else(|| corrupt(format!("resolution info of missing entity {id}")))?;
            (entity.parent, entity.weight, entity.context) = (parent, weight, context);
        }
    }
    let texts = r.texts()?;
    let mut aliases = Vec::with_capacity(texts.len());
    let mut previous = 0i64;
    for text in &texts {
        let zigzag = r.varint()?;
        let entity = previous + ((zigzag >> 1) as i64 ^ -((zigzag & 1) as i64));
        let entity = EntityId::try_from(entity)
            .ok()
            .filter(|&id| (id as usize) < entities.len())
            .ok_or_else(|| corrupt(format!("alias {text:?} refers to a missing entity")))?;
        previous = i64::from(entity);
        aliases.push(Alias {
            text: (*text).to_owned(),
            entity,
            case_sensitive: false,
        });
    }
    let flags = r.take(aliases.len().div_ceil(8))?;
    for (i, alias) in aliases.iter_mut().enumerate() {
        alias.case_sensitive = flags[i / 8] >> (i % 8) & 1 == 1;
    }
    if !r.bytes.is_empty() {
        return Err(corrupt(format!(
            "{} bytes after the aliases",
            r.bytes.len()
        )));
    }
    Ok((Lexicon::from_parts(entities, aliases), options))
}

fn corrupt(why: String) -> Error {
    Error::Corrupt(format!("unreadable data despite a valid checksum: {why}"))
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn push_blob(out: &mut Vec<u8>, blob: &[u8]) {
    push_varint(out, blob.len() as u64);
    out.extend_from_slice(blob);
}

fn push_texts<'a>(out: &mut Vec<u8>, texts: impl Iterator<Item = &'a str> + Clone) {
    push_varint(out, texts.clone().count() as u64);
    texts.clone().for_each(|t| push_varint(out, t.len() as u64));
    texts.for_each(|t| out.extend_from_slice(t.as_bytes()));
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.bytes.len() {
            return Err(corrupt(format!(
                "{n} bytes wanted, {} left",
                self.bytes.len()
            )));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self
                .bytes
                .first()
                .ok_or_else(|| corrupt("a number cut short".into()))?;
            self.bytes = &self.bytes[1..];
            value |= u64::from(byte & 0x7F) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(corrupt("a number of more than 64 bits".into()))
    }

    /// A count or length that must fit in what is left (each item takes at least a byte).
    fn count(&mut self) -> Result<usize> {
        let n = self.varint()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.bytes.len())
            .ok_or_else(|| {
                corrupt(format!(
                    "a count of {n} with {} bytes left",
                    self.bytes.len()
                ))
            })
    }

    fn blob(&mut self) -> Result<&'a [u8]> {
        let n = self.count()?;
        self.take(n)
    }

    fn texts(&mut self) -> Result<Vec<&'a str>> {
        let n = self.count()?;
        let mut lengths = Vec::with_capacity(n);
        let mut total = 0usize;
        for _ in 0..n {
            let len = self.count()?;
            total = total.saturating_add(len);
            lengths.push(len);
        }
        let all = std::str::from_utf8(self.take(total)?)
            .map_err(|e| corrupt(format!("text that is not UTF-8: {e}")))?;
        let mut texts = Vec::with_capacity(n);
        let mut at = 0;
        for len in lengths {
            let text = all
                .get(at..at + len)
                .ok_or_else(|| corrupt("a text cut inside a character".into()))?;
            texts.push(text);
            at += len;
        }
        Ok(texts)
    }
}
