//! New Python `bytes` and `bytearray` objects written by the core in parallel with the GIL
//! released: the only unsafe code of the binding. pyo3's `new_with` zeroes and fills under the
//! GIL on one thread; a column of a large scan is hundreds of megabytes. The buffers of one
//! call are made together and written in one hand-off to the pool: a frame of a small scan is
//! a dozen buffers, and a hand-off each cost more than writing them.

use crate::buffers::{fill_little_endian, zero_then_fill_many, Fill, ThreadPool};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes};
use std::mem::MaybeUninit;

/// The C constructor of a buffer type, called with a NULL source (uninitialised contents).
type Make = unsafe extern "C" fn(*const std::ffi::c_char, ffi::Py_ssize_t) -> *mut ffi::PyObject;
/// The C accessor of a buffer object's data.
type Data = unsafe extern "C" fn(*mut ffi::PyObject) -> *mut std::ffi::c_char;

/// New Python buffer objects of the lengths of `jobs`, made by `make`, their data found by
/// `data`, each zeroed and written by its fill, all on `pool` in one hand-off with the GIL
/// released (`zero_then_fill_many`).
///
/// # Safety
///
/// `make` must return a new reference to an object of type `T` (or NULL with an exception
/// set) whose `data` pointer is valid for writes of the length asked, as
/// `PyBytes_FromStringAndSize`/`PyBytes_AsString` and
/// `PyByteArray_FromStringAndSize`/`PyByteArray_AsString` do.
unsafe fn new_buffers<'py, T>(
    py: Python<'py>,
    pool: &ThreadPool,
    make: Make,
    data: Data,
    jobs: Vec<(usize, Fill<'_>)>,
) -> PyResult<Vec<Bound<'py, T>>> {
    let mut objects = Vec::with_capacity(jobs.len());
    let mut writes = Vec::with_capacity(jobs.len());
    for (len, fill) in jobs {
        // SAFETY: a NULL source makes an object of `len` uninitialised bytes (caller: of type
        // `T`, its data valid for `len` bytes); it is ours alone until returned, so nothing
        // else reads or writes the bytes while the core fills them without the GIL.
        unsafe {
            let object = Bound::from_owned_ptr_or_err(py, make(std::ptr::null(), len as _))?;
            let start = data(object.as_ptr()) as *mut MaybeUninit<u8>;
            writes.push((std::slice::from_raw_parts_mut(start, len), fill));
            objects.push(object.cast_into_unchecked::<T>());
        }
    }
    py.detach(|| {
        zero_then_fill_many(pool, writes);
    });
    Ok(objects)
}

/// New `bytes` objects, one of each length of `jobs`, written by its fill on `pool` with the
/// GIL released, in one hand-off to the pool.
pub fn new_bytes_many<'py>(
    py: Python<'py>,
    pool: &ThreadPool,
    jobs: Vec<(usize, Fill<'_>)>,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    // SAFETY: these make a `bytes` object and give its data.
    unsafe {
        new_buffers(
            py,
            pool,
            ffi::PyBytes_FromStringAndSize,
            ffi::PyBytes_AsString,
            jobs,
        )
    }
}

/// New `bytearray`s, written as `new_bytes_many` writes. numpy views of them are writable, so
/// a DataFrame can hold them without a copy and its user can still assign into them.
pub fn new_bytearrays<'py>(
    py: Python<'py>,
    pool: &ThreadPool,
    jobs: Vec<(usize, Fill<'_>)>,
) -> PyResult<Vec<Bound<'py, PyByteArray>>> {
    // SAFETY: these make a `bytearray` object and give its data.
    unsafe {
        new_buffers(
            py,
            pool,
            ffi::PyByteArray_FromStringAndSize,
            ffi::PyByteArray_AsString,
            jobs,
        )
    }
}

/// The job of writing `values` as little-endian bytes (for `numpy.frombuffer`): its length and
/// its fill, for `new_bytes_many`.
pub fn little_endian<'a, T: Copy + Sync, const N: usize>(
    values: &'a [T],
    to_bytes: fn(T) -> [u8; N],
) -> (usize, Fill<'a>) {
    let fill: Fill<'a> = Box::new(move |b| fill_little_endian(b, values, to_bytes));
    (values.len() * N, fill)
}

/// The `bytes` of jobs that must make exactly `K` (a call's columns, each `little_endian`),
/// written in one hand-off.
pub fn new_bytes_array<'py, const K: usize>(
    py: Python<'py>,
    pool: &ThreadPool,
    jobs: [(usize, Fill<'_>); K],
) -> PyResult<[Bound<'py, PyBytes>; K]> {
    let made = new_bytes_many(py, pool, jobs.into())?;
    Ok(made
        .try_into()
        .unwrap_or_else(|_| unreachable!("a buffer for each job")))
}
