//! Adding a table of aliases at once: one alias per row, given as columns, so that a million
//! rows from Python lists or Arrow arrays are one call — checked first, then added in order
//! with no allocation but the lexicon's own strings.

use super::{empty_once_folded, EntityId, Lexicon, ParentRef};
use crate::error::{Error, Result};

/// A column of an [`AliasTable`]: one value for every row, or a value per row.
#[derive(Clone, Copy, Debug)]
pub enum Column<'a, T> {
    Same(T),
    Each(&'a [T]),
}

impl<T: Copy> Column<'_, T> {
    fn at(&self, row: usize) -> T {
        match self {
            Column::Same(value) => *value,
            Column::Each(values) => values[row],
        }
    }

    fn len(&self) -> Option<usize> {
        match self {
            Column::Same(_) => None,
            Column::Each(values) => Some(values.len()),
        }
    }
}

/// How case-sensitive a new entity's name is when a row makes it an alias.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameCase {
    /// As the row's alias: `Lexicon::add(entity, [alias], label, case_sensitive)` per row.
    Row,
    /// Case-sensitive only where the row that creates the entity gives its name itself,
    /// case-sensitive, as its alias (a frame of aliases, where the name is one row among
    /// them).
    OwnAlias,
}

/// What resolving reads about the entity of row `row`, set after all rows are added, in
/// order (`Lexicon::set_resolution_info`).
#[derive(Clone, Debug, PartialEq)]
pub struct EntityInfo {
    pub row: usize,
    pub parent: Option<ParentRef>,
    pub weight: Option<f64>,
    pub context: Vec<String>,
}

/// Rows of (entity, alias, label, case-sensitive) as columns, for [`Lexicon::add_table`].
#[derive(Clone, Copy, Debug)]
pub struct AliasTable<'a> {
    pub entities: &'a [&'a str],
    pub aliases: &'a [&'a str],
    pub labels: Column<'a, Option<&'a str>>,
    pub case_sensitive: Column<'a, bool>,
    /// Whether a new entity's name becomes its first alias (as `Lexicon::add_entity`).
    pub name_is_alias: bool,
    pub name_case: NameCase,
    /// The rows that set a parent, weight or context, in row order.
    pub infos: &'a [EntityInfo],
}

impl AliasTable<'_> {
    fn check(&self) -> Result<()> {
        let n = self.entities.len();
        let mismatch = |what: &str, len: usize| {
            Error::InvalidArgument(format!("add_many got {n} entities but {len} {what}"))
        };
        if self.aliases.len() != n {
            return Err(mismatch("aliases", self.aliases.len()));
        }
        match (self.labels.len(), self.case_sensitive.len()) {
            (Some(len), _) if len != n => return Err(mismatch("labels", len)),
            (_, Some(len)) if len != n => return Err(mismatch("case_sensitive flags", len)),
            _ => {}
        }
        let mut previous: Option<&str> = None;
        for (&entity, &alias) in self.entities.iter().zip(self.aliases) {
            // Rows of one entity usually follow each other: its name is checked once.
            if previous != Some(entity) {
                if entity.trim().is_empty() {
                    return Err(Error::EmptyEntity);
                }
                if self.name_is_alias && empty_once_folded(entity) {
                    return Err(empty_alias(entity, entity));
                }
                previous = Some(entity);
            }
            if empty_once_folded(alias) {
                return Err(empty_alias(entity, alias));
            }
        }
        let mut last_row = None;
        for info in self.infos {
            if info.row >= n || last_row.is_some_and(|last| last >= info.row) {
                return Err(Error::InvalidArgument(format!(
                    "entity information for row {} of {n} rows, out of order",
                    info.row
                )));
            }
            last_row = Some(info.row);
            Lexicon::check_resolution_info(self.entities[info.row], info.weight, &info.context)?;
        }
        Ok(())
    }
}

fn empty_alias(entity: &str, alias: &str) -> Error {
    Error::EmptyAlias {
        entity: entity.to_owned(),
        alias: alias.to_owned(),
    }
}

impl Lexicon {
    /// Add one alias per row of `table`, in order, as [`Lexicon::add`] would one row at a
    /// time (with [`NameCase`] saying how a new entity's name is added), then each row's
    /// [`EntityInfo`]. Every row is checked first, so nothing is added on error.
    ///
    /// ```
    /// use lexiscan::{AliasTable, Column, Lexicon, NameCase};
    /// let mut lex = Lexicon::new();
    /// let table = AliasTable {
    ///     entities: &["Kyiv", "Kyiv", "Lviv"],
    ///     aliases: &["Kyiv", "Kiev", "Lemberg"],
    ///     labels: Column::Same(Some("GPE")),
    ///     case_sensitive: Column::Same(false),
    ///     name_is_alias: true,
    ///     name_case: NameCase::Row,
    ///     infos: &[],
    /// };
    /// lex.add_table(&table).unwrap();
    /// assert_eq!((lex.entities().len(), lex.aliases().len()), (2, 4));
    /// let bad = AliasTable { aliases: &["Kyiv", " ", "Lemberg"], ..table };
    /// assert!(lex.add_table(&bad).is_err());
    /// assert_eq!(lex.aliases().len(), 4);
    /// ```
    pub fn add_table(&mut self, table: &AliasTable<'_>) -> Result<()> {
        table.check()?;
        let n = table.entities.len();
        self.aliases.reserve(n);
        self.keys.reserve(&self.entities, &self.aliases, (0, n));
        let mut previous: Option<(usize, EntityId)> = None;
        for row in 0..n {
            let (entity, alias) = (table.entities[row], table.aliases[row]);
            let label = table.labels.at(row);
            let case_sensitive = table.case_sensitive.at(row);
            let same_as_previous = previous.filter(|&(before, _)| {
                table.entities[before] == entity && table.labels.at(before) == label
            });
            let id = match same_as_previous {
                Some((_, id)) => id,
                None => match self.keys.entity(&self.entities, entity, label) {
                    Some(id) => id,
                    None => {
                        let id = self.push_entity(entity, label);
                        if table.name_is_alias {
                            let name_case = match table.name_case {
                                NameCase::Row => case_sensitive,
                                NameCase::OwnAlias => case_sensitive && alias == entity,
                            };
                            self.push_alias(id, entity, name_case);
                        }
                        id
                    }
                },
            };
            previous = Some((row, id));
            self.push_alias(id, alias, case_sensitive);
        }
        for info in table.infos {
            let entity = table.entities[info.row];
            let id = self
                .keys
                .entity(&self.entities, entity, table.labels.at(info.row))
                .expect("every row's entity was added above");
            self.set_resolution_info(id, info.parent.clone(), info.weight, &info.context)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{fold_alias, FoldOptions};

    /// The table, added one row at a time through `add_entity` (what `add_table` must equal).
    fn row_by_row(table: &AliasTable<'_>) -> Result<Lexicon> {
        let mut lex = Lexicon::new();
        for row in 0..table.entities.len() {
            let (entity, alias) = (table.entities[row], table.aliases[row]);
            let label = table.labels.at(row);
            let case = table.case_sensitive.at(row);
            let name_case = match table.name_case {
                NameCase::Row => case,
                NameCase::OwnAlias => case && alias == entity,
            };
            let name = table.name_is_alias;
            lex.add_entity(entity, &[] as &[&str], label, name_case, name)?;
            lex.add_entity(entity, &[alias], label, case, name)?;
        }
        for info in table.infos {
            let id = lex.add(
                table.entities[info.row],
                &[] as &[&str],
                table.labels.at(info.row),
                false,
            )?;
            lex.set_resolution_info(id, info.parent.clone(), info.weight, &info.context)?;
        }
        Ok(lex)
    }

    #[test]
    fn a_table_equals_its_rows_added_one_by_one() {
        let entities = ["US", "US", "Kyiv", "US", "Kyiv", "US"];
        let aliases = ["US", "America", "Kiev", "US", "Kyiv", "America"];
        let labels = [Some("GPE"), Some("GPE"), None, Some("GPE"), Some("X"), None];
        let cases = [true, false, false, false, true, false];
        let infos = [
            EntityInfo {
                row: 1,
                parent: Some(ParentRef {
                    name: "Kyiv".into(),
                    label: None,
                }),
                weight: Some(2.0),
                context: vec!["Washington".into()],
            },
            EntityInfo {
                row: 3,
                parent: None,
                weight: Some(3.0),
                context: vec!["Washington".into(), "DC".into()],
            },
        ];
        for (name_case, name_is_alias) in [
            (NameCase::Row, true),
            (NameCase::OwnAlias, true),
            (NameCase::Row, false),
        ] {
            let table = AliasTable {
                entities: &entities,
                aliases: &aliases,
                labels: Column::Each(&labels),
                case_sensitive: Column::Each(&cases),
                name_is_alias,
                name_case,
                infos: &infos,
            };
            let mut lex = Lexicon::new();
            lex.add_table(&table).unwrap();
            let expected = row_by_row(&table).unwrap();
            assert_eq!(lex, expected);
            assert_eq!(lex.entities()[0].context, ["Washington", "DC"]);
            // The keys found what the rows added: adding the table again changes nothing.
            lex.add_table(&table).unwrap();
            assert_eq!(lex, expected);
        }
    }

    #[test]
    fn bad_rows_and_lengths_change_nothing() {
        let mut lex = Lexicon::new();
        lex.add("NATO", &["OTAN"], None, false).unwrap();
        let before = lex.clone();
        let good = AliasTable {
            entities: &["a", "b"],
            aliases: &["a", "b"],
            labels: Column::Same(None),
            case_sensitive: Column::Same(false),
            name_is_alias: true,
            name_case: NameCase::Row,
            infos: &[],
        };
        let bad_weight = [EntityInfo {
            row: 1,
            parent: None,
            weight: Some(-1.0),
            context: Vec::new(),
        }];
        let cases = [
            AliasTable {
                aliases: &["a", "\u{200B}"],
                ..good
            },
            AliasTable {
                entities: &["a", " "],
                ..good
            },
            AliasTable {
                aliases: &["a"],
                ..good
            },
            AliasTable {
                labels: Column::Each(&[None]),
                ..good
            },
            AliasTable {
                case_sensitive: Column::Each(&[true, false, true]),
                ..good
            },
            AliasTable {
                infos: &bad_weight,
                ..good
            },
        ];
        let messages: Vec<String> = cases
            .iter()
            .map(|table| lex.add_table(table).unwrap_err().to_string())
            .collect();
        assert_eq!(lex, before);
        assert!(messages[0].contains("alias \"\\u{200b}\" of entity \"b\""));
        assert_eq!(messages[1], Error::EmptyEntity.to_string());
        assert!(messages[2].contains("2 entities but 1 aliases"));
        assert!(messages[3].contains("2 entities but 1 labels"));
        assert!(messages[4].contains("2 entities but 3 case_sensitive"));
        assert!(messages[5].contains("weight of entity \"b\""));
    }

    #[test]
    fn the_quick_emptiness_check_agrees_with_folding() {
        let plain = FoldOptions {
            case_fold: false,
            accent_fold: false,
        };
        let pieces = [
            "", " ", "a", "\u{200B}", "\u{AD}", "\u{FEFF}", "-", "\u{2014}", "\n\n", "\u{2029}",
            "é", "\u{301}", "1", "\u{115F}", "'", "\u{2019}", "\t", "\u{A0}", "\u{1}", "ǅ",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    assert_eq!(
                        empty_once_folded(&text),
                        fold_alias(&text, plain).is_empty(),
                        "{text:?}"
                    );
                }
            }
        }
    }
}
