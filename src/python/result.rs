//! `ScanResult`: the columns of a scan, handed to Python as raw buffers for numpy.

use crate::ScanResult;
use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};
use std::collections::HashMap;

#[pyclass(name = "ScanResult", module = "lexiscan._lexiscan")]
#[derive(Default)]
pub struct PyScanResult {
    pub inner: ScanResult,
}

fn little_endian<'py, T: Copy, const N: usize>(
    py: Python<'py>,
    values: &[T],
    to_bytes: fn(T) -> [u8; N],
) -> PyResult<Bound<'py, PyBytes>> {
    PyBytes::new_with(py, values.len() * N, |buf| {
        for (chunk, &v) in buf.chunks_exact_mut(N).zip(values) {
            chunk.copy_from_slice(&to_bytes(v));
        }
        Ok(())
    })
}

#[pymethods]
impl PyScanResult {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Append the matches of the next batch (its document keys must follow this one's).
    fn extend(&mut self, mut other: PyRefMut<'_, PyScanResult>) {
        self.inner.extend(std::mem::take(&mut other.inner));
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// A column as little-endian bytes: doc, start, end (uint64); entity, alias (uint32).
    fn column<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyBytes>> {
        let r = &self.inner;
        match name {
            "doc" => little_endian(py, &r.doc, u64::to_le_bytes),
            "start" => little_endian(py, &r.start, u64::to_le_bytes),
            "end" => little_endian(py, &r.end, u64::to_le_bytes),
            "entity" => little_endian(py, &r.entity, u32::to_le_bytes),
            "alias" => little_endian(py, &r.alias, u32::to_le_bytes),
            other => Err(PyKeyError::new_err(format!("no column {other:?}"))),
        }
    }

    /// The matched texts, in match order. Equal texts share one Python `str` (matches repeat
    /// the same few surfaces, so this is both faster and smaller than a `str` per match).
    fn surfaces<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut interned: HashMap<&str, Bound<'py, PyString>> = HashMap::new();
        let items = (0..self.inner.len()).map(|i| {
            let surface = self.inner.surface(i);
            interned
                .entry(surface)
                .or_insert_with(|| PyString::new(py, surface))
                .clone()
        });
        PyList::new(py, items)
    }
}
