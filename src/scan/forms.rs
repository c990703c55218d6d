//! What a match is apart from where it is — its entity, alias, edits, length in characters and
//! matched text — stored once for each distinct combination, with a `u32` code per match.
//!
//! Why: a corpus names the same few thousand surfaces millions of times ("NATO", "Nato",
//! "Kyiv" ...), so a code per match and a small table take ~4 bytes a match where the columns
//! themselves took ~30 (entity, alias, edits, end, the text and its offset). The table is
//! found by hashing the whole form, as the lexicon's keys are: a `HashTable` of codes hashed
//! and compared through the table's own records, so no text is stored twice.

use crate::lexicon::{AliasId, EntityId};
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::{BuildHasher, Hasher};

/// One distinct kind of match: everything but its document and start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Form<'a> {
    pub entity: EntityId,
    pub alias: AliasId,
    /// 0 for an exact match, the edits of a typo match.
    pub edits: u8,
    /// Length of the match in characters: its end is its start plus this.
    pub chars: u32,
    /// The matched text as written in the document.
    pub surface: &'a str,
}

/// The distinct forms of a result's matches, by code (the order they were first seen).
#[derive(Clone)]
pub(super) struct Forms {
    /// Everything of each form but its text, in one record by code: a lookup compares one
    /// record, not an entry in a vector per field (it runs once for every match of a scan).
    records: Vec<Record>,
    /// The surfaces back to back; each record says where its own lies.
    surfaces: String,
    codes: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

/// One form as [`Forms`] keeps it: its text as a range of `Forms::surfaces`.
#[derive(Clone, Copy, Debug)]
struct Record {
    surface_start: usize,
    surface_len: u32,
    entity: EntityId,
    alias: AliasId,
    chars: u32,
    edits: u8,
}

impl Record {
    #[inline]
    fn surface<'a>(&self, surfaces: &'a str) -> &'a str {
        &surfaces[self.surface_start..self.surface_start + self.surface_len as usize]
    }

    #[inline]
    fn form<'a>(&self, surfaces: &'a str) -> Form<'a> {
        Form {
            entity: self.entity,
            alias: self.alias,
            edits: self.edits,
            chars: self.chars,
            surface: self.surface(surfaces),
        }
    }
}

/// The table's hash of a form: its numbers in two words, then its text (three steps of the
/// hasher where the derived `Hash` took six; this runs once for every match of a scan).
#[inline]
fn hash_form(hasher: &DefaultHashBuilder, form: Form<'_>) -> u64 {
    let mut h = hasher.build_hasher();
    h.write_u64(u64::from(form.entity) | u64::from(form.alias) << 32);
    h.write_u64(u64::from(form.chars) | u64::from(form.edits) << 32);
    h.write(form.surface.as_bytes());
    h.finish()
}

impl Default for Forms {
    fn default() -> Self {
        Self {
            records: Vec::new(),
            surfaces: String::new(),
            codes: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
        }
    }
}

impl std::fmt::Debug for Forms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries((0..self.len()).map(|k| self.get(k as u32)))
            .finish()
    }
}

impl Forms {
    /// Number of distinct forms.
    pub(super) fn len(&self) -> usize {
        self.records.len()
    }

    /// The form of `code`.
    #[inline]
    pub(super) fn get(&self, code: u32) -> Form<'_> {
        self.records[code as usize].form(&self.surfaces)
    }

    #[inline]
    pub(super) fn entity(&self, code: u32) -> EntityId {
        self.records[code as usize].entity
    }

    #[inline]
    pub(super) fn alias(&self, code: u32) -> AliasId {
        self.records[code as usize].alias
    }

    #[inline]
    pub(super) fn edits(&self, code: u32) -> u8 {
        self.records[code as usize].edits
    }

    #[inline]
    pub(super) fn chars(&self, code: u32) -> u32 {
        self.records[code as usize].chars
    }

    /// The code of `form`, added to the table if it is new.
    #[inline]
    pub(super) fn code(&mut self, form: Form<'_>) -> u32 {
        let hash = hash_form(&self.hasher, form);
        let Forms {
            records,
            surfaces,
            codes,
            hasher,
        } = self;
        let same = |&code: &u32| {
            let r = &records[code as usize];
            r.entity == form.entity
                && r.alias == form.alias
                && r.edits == form.edits
                && r.chars == form.chars
                && r.surface_len as usize == form.surface.len()
                && r.surface(surfaces) == form.surface
        };
        if let Some(&code) = codes.find(hash, same) {
            return code;
        }
        let code = u32::try_from(records.len()).expect("fewer than 2^32 distinct matched forms");
        records.push(Record {
            surface_start: surfaces.len(),
            surface_len: u32::try_from(form.surface.len()).expect("a match under 4 GiB"),
            entity: form.entity,
            alias: form.alias,
            chars: form.chars,
            edits: form.edits,
        });
        surfaces.push_str(form.surface);
        let (records, surfaces) = (&*records, &*surfaces);
        codes.insert_unique(hash, code, |&code| {
            hash_form(hasher, records[code as usize].form(surfaces))
        });
        code
    }

    /// The codes in `self` of the forms of `other`, by `other`'s code (adding those it lacks).
    pub(super) fn merge(&mut self, other: &Forms) -> Vec<u32> {
        (0..other.len() as u32)
            .map(|code| self.code(other.get(code)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(surface: &str, entity: EntityId) -> Form<'_> {
        Form {
            entity,
            alias: 0,
            edits: 0,
            chars: surface.chars().count() as u32,
            surface,
        }
    }

    #[test]
    fn equal_forms_share_a_code_and_any_difference_makes_a_new_one() {
        let mut forms = Forms::default();
        let kyiv = forms.code(form("Kyiv", 0));
        assert_eq!(forms.code(form("Kyiv", 0)), kyiv);
        let others = [
            form("KYIV", 0),
            form("Kyiv", 1),
            Form {
                alias: 1,
                ..form("Kyiv", 0)
            },
            Form {
                edits: 1,
                ..form("Kyiv", 0)
            },
            Form {
                chars: 5,
                ..form("Kyiv", 0)
            },
            form("", 0),
        ];
        let codes: Vec<u32> = others.iter().map(|&f| forms.code(f)).collect();
        assert_eq!(codes, [1, 2, 3, 4, 5, 6]);
        for (&code, &f) in codes.iter().zip(&others) {
            assert_eq!(forms.get(code), f);
        }
        assert_eq!(forms.len(), 7);
    }

    #[test]
    fn merging_maps_every_code_to_the_same_form() {
        let mut a = Forms::default();
        let mut b = Forms::default();
        a.code(form("NATO", 0));
        a.code(form("Київ", 1));
        b.code(form("Київ", 1));
        b.code(form("Nato", 0));
        let map = a.merge(&b);
        assert_eq!(map, [1, 2]);
        for (code, &to) in map.iter().enumerate() {
            assert_eq!(a.get(to), b.get(code as u32));
        }
    }
}
