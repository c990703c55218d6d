//! The lexicon: entities (canonical name + label) and their aliases, in the order added.
//!
//! Entities and aliases are added one call at a time ([`Lexicon::add`]) or a table of rows at
//! once (`table`: columns from Python lists or Arrow arrays, a million rows without a call per
//! row); both keep their lookups in `keys`. Parents become indices in `parents`.

mod keys;
mod parents;
mod table;

pub use table::{AliasTable, Column, EntityInfo, NameCase};

use crate::chars::is_ignorable;
use crate::error::{Error, Result};
use crate::normalize::{fold_alias, FoldOptions};
use keys::Keys;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Index of an entity in its lexicon.
pub type EntityId = u32;
/// Index of an alias in its lexicon.
pub type AliasId = u32;

/// A canonical entity. Identity is the pair (name, label): "Washington" the person and
/// "Washington" the place are two entities.
///
/// `parent`, `weight` and `context` are what resolving ambiguous mentions reads (see
/// `crate::resolve`); they are left out of saved data when unset, so lexicons without them
/// save as before.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub name: String,
    pub label: Option<String>,
    /// The entity this one belongs to (a city's state, a state's country).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<ParentRef>,
    /// A non-negative prior, such as a population: the last resort between candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Words or phrases that vouch for this entity when they stand near a mention.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
}

impl Entity {
    /// Whether the entity has any of `parent`, `weight`, `context`.
    pub fn has_resolution_info(&self) -> bool {
        self.parent.is_some() || self.weight.is_some() || !self.context.is_empty()
    }
}

/// A parent named by the user: by name alone (`label` None: the one entity of that name,
/// whatever its label) or by name and label where a name repeats across labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentRef {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// One surface form of an entity, exactly as the user gave it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alias {
    pub text: String,
    pub entity: EntityId,
    pub case_sensitive: bool,
}

/// Entities with their aliases. The canonical name of an entity is also one of its aliases.
///
/// ```
/// use lexiscan::Lexicon;
/// let mut lex = Lexicon::new();
/// lex.add("Jens Stoltenberg", &["Stoltenberg"], Some("PERSON"), false).unwrap();
/// lex.add("Jens Stoltenberg", &["NATO Secretary General"], Some("PERSON"), false).unwrap();
/// assert_eq!(lex.entities().len(), 1);
/// assert_eq!(lex.aliases().len(), 3);
/// ```
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Lexicon {
    entities: Vec<Entity>,
    aliases: Vec<Alias>,
    #[serde(skip)]
    keys: Keys,
}

impl PartialEq for Lexicon {
    fn eq(&self, other: &Self) -> bool {
        self.entities == other.entities && self.aliases == other.aliases
    }
}

/// Whether `text` is empty once folded without case or accent folding — what makes an alias,
/// entity name or context phrase invalid. A letter or digit that is not an invisible
/// character always survives folding, so most texts are settled without folding them.
pub(crate) fn empty_once_folded(text: &str) -> bool {
    if text
        .chars()
        .any(|c| c.is_alphanumeric() && !is_ignorable(c))
    {
        return false;
    }
    let plain = FoldOptions {
        case_fold: false,
        accent_fold: false,
    };
    fold_alias(text, plain).is_empty()
}

impl Lexicon {
    /// An empty lexicon.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add aliases to an entity, creating it (with its canonical name as first alias) if new.
    /// An alias already present on the entity with the same case sensitivity is not repeated.
    /// Nothing is added if any alias is invalid.
    pub fn add<S: AsRef<str>>(
        &mut self,
        entity: &str,
        aliases: &[S],
        label: Option<&str>,
        case_sensitive: bool,
    ) -> Result<EntityId> {
        self.add_entity(entity, aliases, label, case_sensitive, true)
    }

    /// [`Lexicon::add`], with the choice of whether a new entity's name becomes an alias: not
    /// for dictionaries whose keys are category names rather than words (quanteda, LIWC).
    ///
    /// ```
    /// use lexiscan::Lexicon;
    /// let mut lex = Lexicon::new();
    /// lex.add_entity("economy", &["inflation", "jobs"], Some("TOPIC"), false, false).unwrap();
    /// assert_eq!(lex.aliases().len(), 2);
    /// ```
    pub fn add_entity<S: AsRef<str>>(
        &mut self,
        entity: &str,
        aliases: &[S],
        label: Option<&str>,
        case_sensitive: bool,
        name_is_alias: bool,
    ) -> Result<EntityId> {
        if entity.trim().is_empty() {
            return Err(Error::EmptyEntity);
        }
        let name = name_is_alias.then_some(entity);
        for alias in name.into_iter().chain(aliases.iter().map(AsRef::as_ref)) {
            if empty_once_folded(alias) {
                return Err(Error::EmptyAlias {
                    entity: entity.to_owned(),
                    alias: alias.to_owned(),
                });
            }
        }
        let id = match self.keys.entity(&self.entities, entity, label) {
            Some(id) => id,
            None => {
                let id = self.push_entity(entity, label);
                if name_is_alias {
                    self.push_alias(id, entity, case_sensitive);
                }
                id
            }
        };
        for alias in aliases {
            self.push_alias(id, alias.as_ref(), case_sensitive);
        }
        Ok(id)
    }

    /// Add one alias per row, `(entity, alias, label, case_sensitive)`, in order: like
    /// [`Lexicon::add`] per row, but all rows are checked first, so nothing is added on error.
    ///
    /// ```
    /// use lexiscan::Lexicon;
    /// let mut lex = Lexicon::new();
    /// lex.add_rows(&[("Kyiv", "Kiev", Some("GPE"), false), ("Lviv", "Lemberg", Some("GPE"), false)])
    ///     .unwrap();
    /// assert_eq!(lex.aliases().len(), 4);
    /// assert!(lex.add_rows(&[("Kyiv", "Kyjiw", None, false), ("Kyiv", " ", None, false)]).is_err());
    /// assert_eq!(lex.aliases().len(), 4);
    /// ```
    pub fn add_rows(&mut self, rows: &[(&str, &str, Option<&str>, bool)]) -> Result<()> {
        let entities: Vec<&str> = rows.iter().map(|r| r.0).collect();
        let aliases: Vec<&str> = rows.iter().map(|r| r.1).collect();
        let labels: Vec<Option<&str>> = rows.iter().map(|r| r.2).collect();
        let case_sensitive: Vec<bool> = rows.iter().map(|r| r.3).collect();
        self.add_table(&AliasTable {
            entities: &entities,
            aliases: &aliases,
            labels: Column::Each(&labels),
            case_sensitive: Column::Each(&case_sensitive),
            name_is_alias: true,
            name_case: NameCase::Row,
            infos: &[],
        })
    }

    fn push_entity(&mut self, name: &str, label: Option<&str>) -> EntityId {
        let id = self.entities.len() as EntityId;
        self.entities.push(Entity {
            name: name.to_owned(),
            label: label.map(str::to_owned),
            parent: None,
            weight: None,
            context: Vec::new(),
        });
        self.keys.insert_entity(&self.entities, id);
        id
    }

    fn push_alias(&mut self, entity: EntityId, text: &str, case_sensitive: bool) {
        if self
            .keys
            .insert_alias(&self.aliases, entity, case_sensitive, text)
        {
            self.aliases.push(Alias {
                text: text.to_owned(),
                entity,
                case_sensitive,
            });
        }
    }

    /// Check a weight and context phrases before [`Lexicon::set_resolution_info`]: a weight
    /// must be finite and non-negative, a phrase not empty once folded.
    pub fn check_resolution_info<S: AsRef<str>>(
        entity: &str,
        weight: Option<f64>,
        context: &[S],
    ) -> Result<()> {
        if let Some(w) = weight {
            if !w.is_finite() || w < 0.0 {
                return Err(Error::InvalidWeight {
                    entity: entity.to_owned(),
                    weight: w.to_string(),
                });
            }
        }
        for phrase in context {
            if empty_once_folded(phrase.as_ref()) {
                return Err(Error::EmptyContext {
                    entity: entity.to_owned(),
                    phrase: phrase.as_ref().to_owned(),
                });
            }
        }
        Ok(())
    }

    /// Set what resolving reads about an entity: a parent or weight given replaces the one
    /// before; context phrases are added (each once). The parent is looked up later, when a
    /// resolver is built, so parents may be added after their children.
    ///
    /// ```
    /// use lexiscan::{Lexicon, ParentRef};
    /// let mut lex = Lexicon::new();
    /// let georgia = lex.add("Georgia", &["Sakartvelo"], Some("GPE"), false).unwrap();
    /// lex.set_resolution_info(georgia, None, Some(3.7e6), &["Tbilisi", "Caucasus"]).unwrap();
    /// let atlanta = lex.add("Atlanta", &[] as &[&str], Some("GPE"), false).unwrap();
    /// let state = ParentRef { name: "Georgia (US state)".into(), label: None };
    /// lex.set_resolution_info(atlanta, Some(state), None, &[] as &[&str]).unwrap();
    /// assert!(lex.parent_ids().is_err()); // no entity "Georgia (US state)" yet
    /// assert!(lex.set_resolution_info(georgia, None, Some(-1.0), &[] as &[&str]).is_err());
    /// ```
    pub fn set_resolution_info<S: AsRef<str>>(
        &mut self,
        entity: EntityId,
        parent: Option<ParentRef>,
        weight: Option<f64>,
        context: &[S],
    ) -> Result<()> {
        let target = &mut self.entities[entity as usize];
        Self::check_resolution_info(&target.name, weight, context)?;
        if parent.is_some() {
            target.parent = parent;
        }
        if weight.is_some() {
            target.weight = weight;
        }
        for phrase in context {
            let phrase = phrase.as_ref();
            if !target.context.iter().any(|p| p == phrase) {
                target.context.push(phrase.to_owned());
            }
        }
        Ok(())
    }

    /// Whether any entity has a parent, weight or context (saved data then needs format 2).
    pub fn has_resolution_info(&self) -> bool {
        self.entities.iter().any(Entity::has_resolution_info)
    }

    /// Entities in the order they were first added.
    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// Aliases in the order they were added.
    pub fn aliases(&self) -> &[Alias] {
        &self.aliases
    }

    /// Aliases that denote more than one entity once folded (case-insensitive, accents folded),
    /// each with the entities it names, in lexicon order.
    ///
    /// ```
    /// use lexiscan::Lexicon;
    /// let mut lex = Lexicon::new();
    /// lex.add("George Washington", &["Washington"], Some("PERSON"), false).unwrap();
    /// lex.add("Washington", &["Washington D.C."], Some("GPE"), false).unwrap();
    /// let amb = lex.ambiguous_aliases();
    /// assert_eq!(amb.len(), 1);
    /// assert_eq!(amb[0].0, "Washington");
    /// assert_eq!(amb[0].1, vec![0, 1]);
    /// ```
    pub fn ambiguous_aliases(&self) -> Vec<(String, Vec<EntityId>)> {
        let opts = FoldOptions {
            case_fold: true,
            accent_fold: true,
        };
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut groups: Vec<(String, Vec<EntityId>)> = Vec::new();
        for alias in &self.aliases {
            let key = fold_alias(&alias.text, opts);
            let slot = *by_key.entry(key).or_insert_with(|| {
                groups.push((alias.text.clone(), Vec::new()));
                groups.len() - 1
            });
            let entities = &mut groups[slot].1;
            if !entities.contains(&alias.entity) {
                entities.push(alias.entity);
            }
        }
        groups.retain(|(_, entities)| entities.len() > 1);
        groups
    }

    /// A lexicon of these entities and aliases, each alias's entity an index into `entities`
    /// (checked by the caller), with its lookups made.
    pub(crate) fn from_parts(entities: Vec<Entity>, aliases: Vec<Alias>) -> Self {
        let keys = Keys::of(&entities, &aliases);
        Self {
            entities,
            aliases,
            keys,
        }
    }

    /// Rebuild the lookups after deserialisation.
    pub fn reindex(&mut self) {
        self.keys = Keys::of(&self.entities, &self.aliases);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_same_entity_and_keeps_labels_apart() {
        let mut lex = Lexicon::new();
        let us = lex
            .add("United States", &["U.S.", "America"], Some("GPE"), false)
            .unwrap();
        let again = lex
            .add("United States", &["US"], Some("GPE"), true)
            .unwrap();
        assert_eq!(us, again);
        let texts: Vec<_> = lex
            .aliases()
            .iter()
            .map(|a| (a.text.as_str(), a.case_sensitive))
            .collect();
        assert_eq!(
            texts,
            [
                ("United States", false),
                ("U.S.", false),
                ("America", false),
                ("US", true)
            ]
        );
        let person = lex
            .add("Washington", &[] as &[&str], Some("PERSON"), false)
            .unwrap();
        let place = lex
            .add("Washington", &[] as &[&str], Some("GPE"), false)
            .unwrap();
        assert_ne!(person, place);
    }

    #[test]
    fn refuses_empty_aliases_without_partial_changes() {
        let mut lex = Lexicon::new();
        let err = lex
            .add("NATO", &["ok", " \u{00A0}\n"], None, false)
            .unwrap_err();
        assert!(matches!(err, Error::EmptyAlias { .. }));
        assert!(lex.entities().is_empty() && lex.aliases().is_empty());
        assert_eq!(
            lex.add("  ", &["x"], None, false).unwrap_err(),
            Error::EmptyEntity
        );
    }

    #[test]
    fn weights_and_context_are_checked_before_any_change() {
        let mut lex = Lexicon::new();
        let id = lex.add("Paris", &[] as &[&str], None, false).unwrap();
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            assert!(lex
                .set_resolution_info(id, None, Some(bad), &[] as &[&str])
                .is_err());
        }
        assert!(lex
            .set_resolution_info(id, None, Some(1.0), &["Seine", " "])
            .is_err());
        assert!(!lex.has_resolution_info());
        lex.set_resolution_info(id, None, Some(0.0), &["Seine", "Seine", "Louvre"])
            .unwrap();
        assert_eq!(lex.entities()[0].context, ["Seine", "Louvre"]);
        assert_eq!(lex.entities()[0].weight, Some(0.0));
    }
}
