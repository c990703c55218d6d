//! The allocator's leftovers of a large build, tidied before the first scan.
//!
//! Building a matcher of a million aliases frees many small blocks (the lexicon's and the
//! build's temporaries). glibc keeps freed small blocks in per-size lists and merges them with
//! their neighbours only at the next large allocation: the first scan after the build, or the
//! first `to_pandas()` of its result, then paid ~10-20 ms on a million aliases (more than a
//! tenth of a 10 MB scan) for work that belongs to the build. `malloc_trim` does that merging
//! once, at the end of the build, and hands whole free pages back to the system.

/// Lexicons with at least this many aliases are large enough for the tidying to matter (it
/// costs a pass over the allocator's free lists: ~20 ms after a million aliases).
const LARGE_BUILD_ALIASES: usize = 50_000;

/// Tidies the allocator after building a matcher of `aliases` aliases (glibc only; elsewhere
/// nothing).
pub(super) fn after_build(aliases: usize) {
    if aliases < LARGE_BUILD_ALIASES {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only reorganises glibc's own free lists; it takes no pointer.
    unsafe {
        libc::malloc_trim(0);
    }
}
