//! The lexicon's two lookups — an entity by (name, label), an alias by (entity, case
//! sensitivity, text) — as hash tables of indices into the lexicon's own vectors.
//!
//! Why not `HashMap<(String, Option<String>), EntityId>`: that keeps a second copy of every
//! name and alias text (with a million aliases, ~150 MB and a million allocations), where a
//! table of `u32` indices hashed and compared through the vectors they point into holds 4
//! bytes an entry. hashbrown's `HashTable` is the std map's own table with that API.

use super::{Alias, AliasId, Entity, EntityId};
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

#[derive(Clone, Default)]
pub(super) struct Keys {
    entities: HashTable<EntityId>,
    aliases: HashTable<AliasId>,
    hasher: DefaultHashBuilder,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("entities", &self.entities.len())
            .field("aliases", &self.aliases.len())
            .finish()
    }
}

impl Keys {
    fn entity_hash(&self, name: &str, label: Option<&str>) -> u64 {
        self.hasher.hash_one((name, label))
    }

    fn alias_hash(&self, entity: EntityId, case_sensitive: bool, text: &str) -> u64 {
        self.hasher.hash_one((entity, case_sensitive, text))
    }

    /// Room for `entities` and `aliases` more keys without rehashing.
    pub(super) fn reserve(&mut self, entities: &[Entity], aliases: &[Alias], more: (usize, usize)) {
        let hasher = self.hasher.clone();
        self.entities.reserve(more.0, |&id| {
            let e = &entities[id as usize];
            hasher.hash_one((e.name.as_str(), e.label.as_deref()))
        });
        self.aliases.reserve(more.1, |&id| {
            let a = &aliases[id as usize];
            hasher.hash_one((a.entity, a.case_sensitive, a.text.as_str()))
        });
    }

    /// The entity of this name and label, if there is one.
    pub(super) fn entity(
        &self,
        entities: &[Entity],
        name: &str,
        label: Option<&str>,
    ) -> Option<EntityId> {
        let hash = self.entity_hash(name, label);
        self.entities
            .find(hash, |&id| {
                let e = &entities[id as usize];
                e.name == name && e.label.as_deref() == label
            })
            .copied()
    }

    /// Record `entities[id]`, known not to be there yet.
    pub(super) fn insert_entity(&mut self, entities: &[Entity], id: EntityId) {
        let e = &entities[id as usize];
        let hash = self.entity_hash(&e.name, e.label.as_deref());
        let hasher = &self.hasher;
        self.entities.insert_unique(hash, id, |&id| {
            let e = &entities[id as usize];
            hasher.hash_one((e.name.as_str(), e.label.as_deref()))
        });
    }

    /// Record the alias that `aliases.len()` would be; false (and nothing recorded) if the
    /// entity has this text with this case sensitivity already.
    pub(super) fn insert_alias(
        &mut self,
        aliases: &[Alias],
        entity: EntityId,
        case_sensitive: bool,
        text: &str,
    ) -> bool {
        let hash = self.alias_hash(entity, case_sensitive, text);
        let hasher = &self.hasher;
        let entry = self.aliases.entry(
            hash,
            |&id| {
                let a = &aliases[id as usize];
                a.entity == entity && a.case_sensitive == case_sensitive && a.text == text
            },
            |&id| {
                let a = &aliases[id as usize];
                hasher.hash_one((a.entity, a.case_sensitive, a.text.as_str()))
            },
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(_) => false,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(aliases.len() as AliasId);
                true
            }
        }
    }

    /// The keys of a lexicon's entities and aliases, made afresh (after deserialising). An
    /// alias repeated in `aliases` is kept once in the keys.
    pub(super) fn of(entities: &[Entity], aliases: &[Alias]) -> Self {
        let mut keys = Keys::default();
        keys.reserve(entities, aliases, (entities.len(), aliases.len()));
        for id in 0..entities.len() {
            keys.insert_entity(entities, id as EntityId);
        }
        for (id, a) in aliases.iter().enumerate() {
            keys.insert_alias(&aliases[..id], a.entity, a.case_sensitive, &a.text);
        }
        keys
    }
}
