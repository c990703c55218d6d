//! New Python `bytes` and `bytearray` objects written by the core in parallel with the GIL
//! released: the only unsafe code of the binding. pyo3's `new_with` zeroes and fills under the
//! GIL on one thread; a column of a large scan is hundreds of megabytes.

use crate::buffers::{fill_little_endian, zero_then_fill, ThreadPool};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes};
use std::mem::MaybeUninit;

/// The C constructor of a buffer type, called with a NULL source (uninitialised contents).
type Make = unsafe extern "C" fn(*const std::ffi::c_char, ffi::Py_ssize_t) -> *mut ffi::PyObject;
/// The C accessor of a buffer object's data.
type Data = unsafe extern "C" fn(*mut ffi::PyObject) -> *mut std::ffi::c_char;

/// A new Python buffer object of `len` bytes made by `make`, its data found by `data`, zeroed
/// and written by `fill` on `pool` with the GIL released.
///
/// # Safety
///
/// `make` must return a new reference to an object of type `T` (or NULL with an exception
/// set) whose `data` pointer is valid for writes of `len` bytes, as
/// `PyBytes_FromStringAndSize`/`PyBytes_AsString` and
/// `PyByteArray_FromStringAndSize`/`PyByteArray_AsString` do.
unsafe fn new_buffer<'py, T>(
    py: Python<'py>,
    pool: &ThreadPool,
    len: usize,
    make: Make,
    data: Data,
    fill: impl FnOnce(&mut [u8]) + Send,
) -> PyResult<Bound<'py, T>> {
    // SAFETY: a NULL source makes an object of `len` uninitialised bytes (caller: of type
    // `T`, its data valid for `len` bytes); it is ours alone until returned, so nothing else
    // reads or writes the bytes while the core fills them without the GIL.
    unsafe {
        let object = Bound::from_owned_ptr_or_err(py, make(std::ptr::null(), len as _))?;
        let start = data(object.as_ptr()) as *mut MaybeUninit<u8>;
        let bytes = std::slice::from_raw_parts_mut(start, len);
        py.detach(|| {
            zero_then_fill(pool, bytes, fill);
        });
        Ok(object.cast_into_unchecked::<T>())
    }
}

/// A new `bytes` of `len`, written by `fill` on `pool` with the GIL released.
pub fn new_bytes<'py>(
    py: Python<'py>,
    pool: &ThreadPool,
    len: usize,
    fill: impl FnOnce(&mut [u8]) + Send,
) -> PyResult<Bound<'py, PyBytes>> {
    // SAFETY: these make a `bytes` object and give its data.
    unsafe {
        new_buffer(
            py,
            pool,
            len,
            ffi::PyBytes_FromStringAndSize,
            ffi::PyBytes_AsString,
            fill,
        )
    }
}

/// A new `bytearray` of `len`, written as `new_bytes` is. numpy views of it are writable, so a
/// DataFrame can hold them without a copy and its user can still assign into them.
pub fn new_bytearray<'py>(
    py: Python<'py>,
    pool: &ThreadPool,
    len: usize,
    fill: impl FnOnce(&mut [u8]) + Send,
) -> PyResult<Bound<'py, PyByteArray>> {
    // SAFETY: these make a `bytearray` object and give its data.
    unsafe {
        new_buffer(
            py,
            pool,
            len,
            ffi::PyByteArray_FromStringAndSize,
            ffi::PyByteArray_AsString,
            fill,
        )
    }
}

/// `values` as a little-endian `bytes` (for `numpy.frombuffer`).
pub fn little_endian<'py, T: Copy + Sync, const N: usize>(
    py: Python<'py>,
    pool: &ThreadPool,
    values: &[T],
    to_bytes: fn(T) -> [u8; N],
) -> PyResult<Bound<'py, PyBytes>> {
    new_bytes(py, pool, values.len() * N, |b| {
        fill_little_endian(b, values, to_bytes)
    })
}
