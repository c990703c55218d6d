//! `Lexicon`: a thin owner of the core lexicon.

use super::errors::{run_detached, to_py_err};
use crate::lexicon::ParentRef;
use crate::{persist, Lexicon};
use pyo3::prelude::*;
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

    /// Add many (entity, alias, label, case_sensitive) rows at once, in order; all or nothing.
    fn add_rows(
        &mut self,
        py: Python<'_>,
        entities: Vec<String>,
        aliases: Vec<String>,
        labels: Vec<Option<String>>,
        case_sensitive: Vec<bool>,
    ) -> PyResult<()> {
        let n = entities.len();
        if aliases.len() != n {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "add_many got {n} entities but {} aliases",
                aliases.len()
            )));
        }
        if labels.len() != n || case_sensitive.len() != n {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "add_many got {n} entities but {} labels and {} case_sensitive flags",
                labels.len(),
                case_sensitive.len()
            )));
        }
        let lexicon = Arc::make_mut(&mut self.inner);
        run_detached(py, move || {
            let rows: Vec<_> = (0..n)
                .map(|i| {
                    (
                        entities[i].as_str(),
                        aliases[i].as_str(),
                        labels[i].as_deref(),
                        case_sensitive[i],
                    )
                })
                .collect();
            lexicon.add_rows(&rows)
        })?;
        Ok(())
    }

    /// The lexicon as versioned bytes (for pickling).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &persist::lexicon_to_bytes(&self.inner))
    }

    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: Vec<u8>) -> PyResult<Self> {
        let inner = run_detached(py, move || persist::lexicon_from_bytes(&data))?;
        Ok(Self {
            inner: Arc::new(inner),
        })
    }
}
