//! The worker threads: one rayon pool per thread count, made on first use and remembered, and
//! made again in a child process after `fork()`.

use crate::error::{Error, Result};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// A thread count the user gave, checked: a positive number (the error names `n_threads`).
///
/// ```
/// use lexiscan::scan::checked_thread_count;
/// assert_eq!(checked_thread_count(4).unwrap(), 4);
/// assert!(checked_thread_count(0).unwrap_err().to_string().starts_with("n_threads='0'"));
/// ```
pub fn checked_thread_count(n_threads: i64) -> Result<usize> {
    usize::try_from(n_threads)
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| Error::InvalidOption {
            name: "n_threads",
            value: n_threads.to_string(),
            allowed: "a positive number of threads, or None for all cores",
        })
}

type Pools = HashMap<usize, Arc<rayon::ThreadPool>>;

/// A pool per thread count, created on first use. Pools are remembered with the process id
/// that made them: after `fork()` the child has none of the parent's threads, so it builds its
/// own instead of waiting forever on workers that do not exist.
pub fn thread_pool(n_threads: Option<usize>) -> Result<Arc<rayon::ThreadPool>> {
    static POOLS: OnceLock<Mutex<(u32, Pools)>> = OnceLock::new();
    let n = match n_threads {
        Some(n) => checked_thread_count(i64::try_from(n).unwrap_or(i64::MAX))?,
        None => default_threads(),
    };
    let pools = POOLS.get_or_init(|| Mutex::new((std::process::id(), HashMap::new())));
    let mut guard = pools
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if guard.0 != std::process::id() {
        // The parent's pools have no threads here; dropping them would try to reach those.
        std::mem::forget(std::mem::take(&mut guard.1));
        guard.0 = std::process::id();
    }
    if let Some(pool) = guard.1.get(&n) {
        return Ok(pool.clone());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .thread_name(|i| format!("lexiscan-{i}"))
        .build()
        .map_err(|e| Error::ThreadPool {
            threads: n,
            why: e.to_string(),
        })?;
    let pool = Arc::new(pool);
    guard.1.insert(n, pool.clone());
    Ok(pool)
}

/// `LEXISCAN_NUM_THREADS` if set to a positive number, else the number of cores.
fn default_threads() -> usize {
    std::env::var("LEXISCAN_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}
