//! What a match is apart from where it is — its entity, alias, edits, length in characters and
//! matched text — stored once for each distinct combination, with a `u32` code per match.
//!
//! Why: a corpus names the same few thousand surfaces millions of times ("NATO", "Nato",
//! "Kyiv" ...), so a code per match and a small table take ~4 bytes a match where the columns
//! themselves took ~30 (entity, alias, edits, end, the text and its offset). The table is
//! found by hashing the whole form, as the lexicon's keys are: a `HashTable` of codes hashed
//! and compared through the table's own vectors, so no text is stored twice.

use crate::lexicon::{AliasId, EntityId};
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

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
    entity: Vec<EntityId>,
    alias: Vec<AliasId>,
    edits: Vec<u8>,
    chars: Vec<u32>,
    /// The surfaces back to back; form `k`'s is `surfaces[bounds[k]..bounds[k + 1]]`.
    surfaces: String,
    bounds: Vec<usize>,
    codes: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl Default for Forms {
    fn default() -> Self {
        Self {
            entity: Vec::new(),
            alias: Vec::new(),
            edits: Vec::new(),
            chars: Vec::new(),
            surfaces: String::new(),
            bounds: vec![0],
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
        self.entity.len()
    }

    /// The form of `code`.
    #[inline]
    pub(super) fn get(&self, code: u32) -> Form<'_> {
        let k = code as usize;
        Form {
            entity: self.entity[k],
            alias: self.alias[k],
            edits: self.edits[k],
            chars: self.chars[k],
            surface: &self.surfaces[self.bounds[k]..self.bounds[k + 1]],
        }
    }

    #[inline]
    pub(super) fn entity(&self, code: u32) -> EntityId {
        self.entity[code as usize]
    }

    #[inline]
    pub(super) fn alias(&self, code: u32) -> AliasId {
        self.alias[code as usize]
    }

    #[inline]
    pub(super) fn edits(&self, code: u32) -> u8 {
        self.edits[code as usize]
    }

    #[inline]
    pub(super) fn chars(&self, code: u32) -> u32 {
        self.chars[code as usize]
    }

    /// The code of `form`, added to the table if it is new.
    #[inline]
    pub(super) fn code(&mut self, form: Form<'_>) -> u32 {
        let hash = self.hasher.hash_one(form);
        let Forms {
            entity,
            alias,
            edits,
            chars,
            surfaces,
            bounds,
            codes,
            hasher,
        } = self;
        let same = |&code: &u32| {
            let k = code as usize;
            entity[k] == form.entity
                && alias[k] == form.alias
                && edits[k] == form.edits
                && chars[k] == form.chars
                && surfaces[bounds[k]..bounds[k + 1]] == *form.surface
        };
        if let Some(&code) = codes.find(hash, same) {
            return code;
        }
        let code = u32::try_from(entity.len()).expect("fewer than 2^32 distinct matched forms");
        entity.push(form.entity);
        alias.push(form.alias);
        edits.push(form.edits);
        chars.push(form.chars);
        surfaces.push_str(form.surface);
        bounds.push(surfaces.len());
        let (entity, alias, edits, chars, surfaces, bounds) =
            (&*entity, &*alias, &*edits, &*chars, &*surfaces, &*bounds);
        codes.insert_unique(hash, code, |&code| {
            let k = code as usize;
            hasher.hash_one(Form {
                entity: entity[k],
                alias: alias[k],
                edits: edits[k],
                chars: chars[k],
                surface: &surfaces[bounds[k]..bounds[k + 1]],
            })
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
