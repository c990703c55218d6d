//! Parents as indices: the names users give as parents looked up among the entities, with
//! the two ways that can go wrong (no entity or several by that name) and cycles refused.

use super::{EntityId, Lexicon, ParentRef};
use crate::error::{Error, Result};
use std::collections::HashMap;

impl Lexicon {
    /// The parent of every entity as an index, checked: a parent that names no entity, a name
    /// shared by several labels without a label to choose, or a cycle is an error.
    ///
    /// ```
    /// use lexiscan::{Lexicon, ParentRef};
    /// let mut lex = Lexicon::new();
    /// let paris = lex.add("Paris, Texas", &["Paris"], Some("GPE"), false).unwrap();
    /// let texas = lex.add("Texas", &["Tex."], Some("GPE"), false).unwrap();
    /// let parent = ParentRef { name: "Texas".into(), label: Some("GPE".into()) };
    /// lex.set_resolution_info(paris, Some(parent), None, &[] as &[&str]).unwrap();
    /// assert_eq!(lex.parent_ids().unwrap(), [Some(texas), None]);
    /// let back = ParentRef { name: "Paris, Texas".into(), label: None };
    /// lex.set_resolution_info(texas, Some(back), None, &[] as &[&str]).unwrap();
    /// assert!(lex.parent_ids().unwrap_err().to_string().contains("cycle"));
    /// ```
    pub fn parent_ids(&self) -> Result<Vec<Option<EntityId>>> {
        // The entities of each name that some entity gives as its parent.
        let mut by_name: HashMap<&str, Vec<EntityId>> = HashMap::new();
        for e in &self.entities {
            if let Some(p) = &e.parent {
                by_name.entry(p.name.as_str()).or_default();
            }
        }
        for (i, e) in self.entities.iter().enumerate() {
            if let Some(ids) = by_name.get_mut(e.name.as_str()) {
                ids.push(i as EntityId);
            }
        }
        let mut parents = Vec::with_capacity(self.entities.len());
        for e in &self.entities {
            let Some(p) = &e.parent else {
                parents.push(None);
                continue;
            };
            let named = &by_name[p.name.as_str()];
            let found: Vec<EntityId> = match &p.label {
                Some(label) => named
                    .iter()
                    .copied()
                    .filter(|&id| self.entities[id as usize].label.as_deref() == Some(label))
                    .collect(),
                None => named.clone(),
            };
            match found.as_slice() {
                [one] => parents.push(Some(*one)),
                [] => {
                    return Err(Error::Parent(format!(
                        "the parent {} of entity {:?} is not an entity of the lexicon",
                        describe_parent(p),
                        e.name
                    )))
                }
                several => {
                    let labels: Vec<String> = several
                        .iter()
                        .map(|&id| format!("{:?}", self.entities[id as usize].label))
                        .collect();
                    return Err(Error::Parent(format!(
                        "the parent {:?} of entity {:?} names {} entities (labels {}); give it \
                         as (name, label)",
                        p.name,
                        e.name,
                        several.len(),
                        labels.join(", ")
                    )));
                }
            }
        }
        // A cycle: walking up from an entity comes back to an entity of the same walk.
        let mut walked = vec![0u32; parents.len()]; // 0: not yet, else the walk's number + 1
        for start in 0..parents.len() {
            let walk = start as u32 + 1;
            let mut at = start;
            while walked[at] == 0 {
                walked[at] = walk;
                match parents[at] {
                    Some(p) => at = p as usize,
                    None => break,
                }
            }
            if walked[at] == walk && parents[at].is_some() {
                let mut names = vec![self.entities[at].name.clone()];
                let mut next = parents[at].expect("in the cycle") as usize;
                while next != at {
                    names.push(self.entities[next].name.clone());
                    next = parents[next].expect("in the cycle") as usize;
                }
                names.push(self.entities[at].name.clone());
                return Err(Error::Parent(format!(
                    "the parents form a cycle: {}",
                    names.join(" -> ")
                )));
            }
        }
        Ok(parents)
    }
}

fn describe_parent(p: &ParentRef) -> String {
    match &p.label {
        Some(label) => format!("({:?}, {label:?})", p.name),
        None => format!("{:?}", p.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_parent(
        lex: &mut Lexicon,
        name: &str,
        label: &str,
        parent: Option<(&str, Option<&str>)>,
    ) {
        let id = lex.add(name, &[] as &[&str], Some(label), false).unwrap();
        let parent = parent.map(|(name, label)| ParentRef {
            name: name.into(),
            label: label.map(str::to_owned),
        });
        lex.set_resolution_info(id, parent, None, &[] as &[&str])
            .unwrap();
    }

    #[test]
    fn parents_are_found_by_name_or_name_and_label() {
        let mut lex = Lexicon::new();
        with_parent(
            &mut lex,
            "Atlanta",
            "GPE",
            Some(("Georgia", Some("US_STATE"))),
        );
        with_parent(
            &mut lex,
            "Georgia",
            "US_STATE",
            Some(("United States", None)),
        );
        with_parent(&mut lex, "Georgia", "COUNTRY", None);
        with_parent(&mut lex, "United States", "COUNTRY", None);
        assert_eq!(lex.parent_ids().unwrap(), [Some(1), Some(3), None, None]);
        with_parent(&mut lex, "Tbilisi", "GPE", Some(("Georgia", None)));
        let err = lex.parent_ids().unwrap_err().to_string();
        assert!(
            err.contains("names 2 entities") && err.contains("Tbilisi"),
            "{err}"
        );
        let mut lex = Lexicon::new();
        with_parent(&mut lex, "Atlantis", "GPE", Some(("Ocean", None)));
        let err = lex.parent_ids().unwrap_err().to_string();
        assert!(
            err.contains("not an entity") && err.contains("Ocean"),
            "{err}"
        );
    }

    #[test]
    fn cycles_of_any_length_are_named() {
        for n in 1..5 {
            let mut lex = Lexicon::new();
            with_parent(&mut lex, "root", "X", None);
            for i in 0..n {
                let parent = format!("e{}", (i + 1) % n);
                with_parent(&mut lex, &format!("e{i}"), "X", Some((&parent, None)));
            }
            let err = lex.parent_ids().unwrap_err().to_string();
            assert!(err.contains("cycle") && err.contains("e0 -> "), "{err}");
        }
    }
}
