//! `Lexicon`: a thin owner of the core lexicon.

use super::columns::{extract_flags, TextColumn};
use super::errors::{run_detached, to_py_err};
use crate::lexicon::ParentRef;
use crate::{persist, AliasTable, Column, EntityInfo, Lexicon, NameCase};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use pyo3::types::PyBytes;
use std::sync::Arc;

#[pyclass(name = "Lexicon", module = "lexiscan._lexiscan")]
#[derive(Clone, Default)]
pub struct PyLexicon {
    /// Shared with the matchers compiled from it; copied only when changed after that.
    pub inner: Arc<Lexicon>,
}

#[pymethods]
impl PyLexicon {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Add aliases to an entity (created if new), and set its parent (name, label or None),
    /// weight and context phrases when given; returns the entity's index. All or nothing.
    #[pyo3(signature = (
        entity, aliases, label=None, case_sensitive=false, name_is_alias=true, parent=None,
        weight=None, context=Vec::new()
    ))]
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        entity: &str,
        aliases: Vec<String>,
        label: Option<&str>,
        case_sensitive: bool,
        name_is_alias: bool,
        parent: Option<(String, Option<String>)>,
        weight: Option<f64>,
        context: Vec<String>,
    ) -> PyResult<u32> {
        Lexicon::check_resolution_info(entity, weight, &context).map_err(to_py_err)?;
        let lexicon = Arc::make_mut(&mut self.inner);
        let id = lexicon
            .add_entity(entity, &aliases, label, case_sensitive, name_is_alias)
            .map_err(to_py_err)?;
        let parent = parent.map(|(name, label)| ParentRef { name, label });
        lexicon
            .set_resolution_info(id, parent, weight, &context)
            .map_err(to_py_err)?;
        Ok(id)
    }

    /// (parent name, parent label, weight, context) of each entity, in the order added.
    #[allow(clippy::type_complexity)]
    fn resolution_info(&self) -> Vec<(Option<String>, Option<String>, Option<f64>, Vec<String>)> {
        self.inner
            .entities()
            .iter()
            .map(|e| {
                let (name, label) = match &e.parent {
                    Some(p) => (Some(p.name.clone()), p.label.clone()),
                    None => (None, None),
                };
                (name, label, e.weight, e.context.clone())
            })
            .collect()
    }

    /// Check that every parent names one entity and that parents form no cycle.
    fn check_parents(&self) -> PyResult<()> {
        self.inner.parent_ids().map(drop).map_err(to_py_err)
    }

    /// (name, label) of each entity, in the order added.
    fn entities(&self) -> Vec<(String, Option<String>)> {
        self.inner
            .entities()
            .iter()
            .map(|e| (e.name.clone(), e.label.clone()))
            .collect()
    }

    /// (alias, entity index, case_sensitive) of each alias, in the order added.
    fn aliases(&self) -> Vec<(String, u32, bool)> {
        self.inner
            .aliases()
            .iter()
            .map(|a| (a.text.clone(), a.entity, a.case_sensitive))
            .collect()
    }

    /// (alias, entity indices) for aliases naming more than one entity.
    fn ambiguous(&self) -> Vec<(String, Vec<u32>)> {
        self.inner.ambiguous_aliases()
    }

    fn copy(&self) -> Self {
        self.clone()
    }

    fn __len__(&self) -> usize {
        self.inner.entities().len()
    }

    /// The number of aliases (without making a tuple for each).
    fn n_aliases(&self) -> usize {
        self.inner.aliases().len()
    }

    /// Add one alias per row from columns — lists of str or Arrow arrays — in order; all or
    /// nothing. `labels`: None, one str, or a column (None: no label); `case_sensitive`: one
    /// bool or a column; `name_is_own_alias`: a new entity's name is case-sensitive only when
    /// its row gives the name itself (frames) instead of taking its row's flag; `infos`: the
    /// (row, parent, weight, context) of the rows that set them, in row order;
    /// `name_is_alias`: whether a new entity's name becomes an alias.
    #[pyo3(signature = (entities, aliases, labels, case_sensitive, name_is_own_alias=false, infos=Vec::new(), name_is_alias=true))]
    #[allow(clippy::type_complexity, clippy::too_many_arguments)]
    fn add_columns(
        &mut self,
        py: Python<'_>,
        entities: &Bound<'_, PyAny>,
        aliases: &Bound<'_, PyAny>,
        labels: &Bound<'_, PyAny>,
        case_sensitive: &Bound<'_, PyAny>,
        name_is_own_alias: bool,
        infos: Vec<(
            usize,
            Option<(String, Option<String>)>,
            Option<f64>,
            Vec<String>,
        )>,
        name_is_alias: bool,
    ) -> PyResult<()> {
        let entity_column = TextColumn::extract(entities, "entity")?;
        let alias_column = TextColumn::extract(aliases, "alias")?;
        let one_label = if labels.is_none() {
            Some(None)
        } else {
            labels.extract::<PyBackedStr>().ok().map(Some)
        };
        let label_column = match one_label {
            Some(_) => None,
            None => Some(TextColumn::extract(labels, "label")?),
        };
        let flags = match case_sensitive.extract::<bool>() {
            Ok(flag) => Err(flag),
            Err(_) => Ok(extract_flags(case_sensitive, "case_sensitive")?),
        };
        let infos: Vec<EntityInfo> = infos
            .into_iter()
            .map(|(row, parent, weight, context)| EntityInfo {
                row,
                parent: parent.map(|(name, label)| ParentRef { name, label }),
                weight,
                context,
            })
            .collect();
        let entity_values = entity_column.required("entity")?;
        let alias_values = alias_column.required("alias")?;
        let label_values = label_column.as_ref().map(TextColumn::values);
        let table = AliasTable {
            entities: &entity_values,
            aliases: &alias_values,
            labels: match (&one_label, &label_values) {
                (Some(label), _) => Column::Same(label.as_deref()),
                (None, Some(values)) => Column::Each(values),
                (None, None) => unreachable!("a label column when not one label"),
            },
            case_sensitive: match &flags {
                Err(flag) => Column::Same(*flag),
                Ok(flags) => Column::Each(flags),
            },
            name_is_alias,
            name_case: if name_is_own_alias {
                NameCase::OwnAlias
            } else {
                NameCase::Row
            },
            infos: &infos,
        };
        let lexicon = Arc::make_mut(&mut self.inner);
        run_detached(py, move || lexicon.add_table(&table))
    }

    /// The lexicon as versioned bytes (for pickling).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &persist::lexicon_to_bytes(&self.inner))
    }

    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: PyBackedBytes) -> PyResult<Self> {
        let inner = run_detached(py, move || persist::lexicon_from_bytes(&data))?;
        Ok(Self {
            inner: Arc::new(inner),
        })
    }
}
