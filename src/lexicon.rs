//! The lexicon: entities (canonical name + label) and their aliases, in the order added.

use crate::error::{Error, Result};
use crate::normalize::{fold_alias, FoldOptions};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Index of an entity in its lexicon.
pub type EntityId = u32;
/// Index of an alias in its lexicon.
pub type AliasId = u32;

/// A canonical entity. Identity is the pair (name, label): "Washington" the person and
/// "Washington" the place are two entities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub name: String,
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lexicon {
    entities: Vec<Entity>,
    aliases: Vec<Alias>,
    #[serde(skip)]
    index: HashMap<(String, Option<String>), EntityId>,
    #[serde(skip)]
    seen: HashSet<(EntityId, bool, String)>,
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
        let check = FoldOptions {
            case_fold: false,
            accent_fold: false,
        };
        let name = name_is_alias.then_some(entity);
        for alias in name.into_iter().chain(aliases.iter().map(AsRef::as_ref)) {
            if fold_alias(alias, check).is_empty() {
                return Err(Error::EmptyAlias {
                    entity: entity.to_owned(),
                    alias: alias.to_owned(),
                });
            }
        }
        let key = (entity.to_owned(), label.map(str::to_owned));
        let id = match self.index.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.entities.len() as EntityId;
                self.entities.push(Entity {
                    name: key.0.clone(),
                    label: key.1.clone(),
                });
                self.index.insert(key, id);
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
        let check = FoldOptions {
            case_fold: false,
            accent_fold: false,
        };
        for &(entity, alias, _, _) in rows {
            if entity.trim().is_empty() {
                return Err(Error::EmptyEntity);
            }
            for text in [entity, alias] {
                if fold_alias(text, check).is_empty() {
                    return Err(Error::EmptyAlias {
                        entity: entity.to_owned(),
                        alias: text.to_owned(),
                    });
                }
            }
        }
        for &(entity, alias, label, case_sensitive) in rows {
            self.add(entity, &[alias], label, case_sensitive)?;
        }
        Ok(())
    }

    fn push_alias(&mut self, entity: EntityId, text: &str, case_sensitive: bool) {
        if self.seen.insert((entity, case_sensitive, text.to_owned())) {
            self.aliases.push(Alias {
                text: text.to_owned(),
                entity,
                case_sensitive,
            });
        }
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

    /// Rebuild the lookup index after deserialisation.
    pub fn reindex(&mut self) {
        self.index = self
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.name.clone(), e.label.clone()), i as EntityId))
            .collect();
        self.seen = self
            .aliases
            .iter()
            .map(|a| (a.entity, a.case_sensitive, a.text.clone()))
            .collect();
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
}
