//! `Lexicon`: a thin owner of the core lexicon.

use super::errors::to_py_err;
use crate::Lexicon;
use pyo3::prelude::*;

#[pyclass(name = "Lexicon", module = "lexiscan._lexiscan")]
#[derive(Clone, Default)]
pub struct PyLexicon {
    pub inner: Lexicon,
}

#[pymethods]
impl PyLexicon {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Add aliases to an entity (created if new); returns the entity's index.
    #[pyo3(signature = (entity, aliases, label=None, case_sensitive=false))]
    fn add(
        &mut self,
        entity: &str,
        aliases: Vec<String>,
        label: Option<&str>,
        case_sensitive: bool,
    ) -> PyResult<u32> {
        self.inner
            .add(entity, &aliases, label, case_sensitive)
            .map_err(to_py_err)
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
}
