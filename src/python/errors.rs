//! One place where core errors and panics become Python exceptions.

use crate::error::FileProblem;
use crate::Error;
use pyo3::exceptions::{
    PyFileNotFoundError, PyOSError, PyPermissionError, PyRuntimeError, PyValueError,
};
use pyo3::prelude::*;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

pyo3::create_exception!(
    lexiscan,
    InternalError,
    PyRuntimeError,
    "A bug in lexiscan: please report it with the input that caused it.

Bad input never raises it: that is a ValueError, TypeError or OSError naming the problem.
It is a RuntimeError, so code that catches those catches it too.

>>> import lexiscan
>>> issubclass(lexiscan.InternalError, RuntimeError)
True"
);

/// The Python exception for a core error.
pub fn to_py_err(err: Error) -> PyErr {
    let message = err.to_string();
    match err {
        Error::Automaton(_) | Error::ThreadPool { .. } => PyRuntimeError::new_err(message),
        Error::File { problem, .. } => match problem {
            FileProblem::NotFound => PyFileNotFoundError::new_err(message),
            FileProblem::PermissionDenied => PyPermissionError::new_err(message),
            FileProblem::Unreadable => PyOSError::new_err(message),
            FileProblem::BadContent => PyValueError::new_err(message),
        },
        _ => PyValueError::new_err(message),
    }
}

/// Run long core work with the GIL released on a helper thread while this thread checks for
/// Ctrl-C every 50 ms: a signal handler's exception (KeyboardInterrupt) cancels the work and is
/// raised at once, instead of after the whole batch.
pub fn run_interruptible<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(&AtomicBool) -> crate::Result<T> + Send,
{
    let cancel = AtomicBool::new(false);
    let (outcome, interrupt) = py.detach(|| {
        std::thread::scope(|scope| {
            let (done, finished) = mpsc::channel();
            let cancel = &cancel;
            scope.spawn(move || {
                let _ = done.send(catch_unwind(AssertUnwindSafe(|| work(cancel))));
            });
            let mut interrupt: Option<PyErr> = None;
            loop {
                match finished.recv_timeout(Duration::from_millis(50)) {
                    Ok(outcome) => return (outcome, interrupt),
                    Err(RecvTimeoutError::Timeout) if interrupt.is_none() => {
                        if let Err(err) = Python::attach(|py| py.check_signals()) {
                            interrupt = Some(err);
                            cancel.store(true, Ordering::Relaxed);
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => {
                        return (Err(Box::new("scan thread vanished") as _), interrupt)
                    }
                }
            }
        })
    });
    if let Some(err) = interrupt {
        return Err(err);
    }
    match outcome {
        Ok(result) => result.map_err(to_py_err),
        Err(panic) => Err(panic_to_py_err(panic)),
    }
}

fn panic_to_py_err(panic: Box<dyn std::any::Any + Send>) -> PyErr {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    InternalError::new_err(format!("internal error in lexiscan: {what}"))
}

/// Run core work with the GIL released; a core error or a panic comes back as an exception.
pub fn run_detached<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> crate::Result<T> + Send,
{
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(work)));
    match outcome {
        Ok(result) => result.map_err(to_py_err),
        Err(panic) => Err(panic_to_py_err(panic)),
    }
}
