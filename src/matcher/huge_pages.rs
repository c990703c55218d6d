//! A zeroed slice of plain values placed on 2 MiB pages where the system allows it.
//!
//! The word-sequence table (`word_sequences`) is tens of megabytes probed at random, once or
//! twice per text word: on 4 KiB pages nearly every probe also misses the TLB, and in a
//! virtual machine each such miss walks two sets of page tables. Linux backs a region with
//! huge pages when asked (`madvise(MADV_HUGEPAGE)`, which the default `madvise` setting of
//! transparent huge pages requires) and when the region is aligned to them; elsewhere the
//! slice is ordinary memory. The same holds, one read a match, for the table's records and
//! filters of next runs (copied here once built) and the pass's patterns (a vector advised
//! before it is filled, `advise_huge`).

use std::alloc::{self, Layout};
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// Regions smaller than this stay on ordinary pages (a huge page would be mostly empty).
const HUGE_PAGE: usize = 2 << 20;

/// Values that are valid when all their bytes are zero.
///
/// # Safety
/// An all-zero bit pattern must be a valid value of the type, and it must have no `Drop`.
pub(super) unsafe trait Zeroable: Copy {}

// SAFETY: zero is a valid u64 and a valid u8.
unsafe impl Zeroable for u64 {}
// SAFETY: as above.
unsafe impl Zeroable for u8 {}

/// A boxed slice of `T`, zeroed, aligned to huge pages when it is at least one.
pub(super) struct HugeSlice<T: Zeroable> {
    ptr: NonNull<T>,
    len: usize,
}

// SAFETY: the slice owns its values as a `Box<[T]>` would; `T: Copy` has no shared state.
unsafe impl<T: Zeroable + Send> Send for HugeSlice<T> {}
// SAFETY: as above; `&HugeSlice` only gives `&[T]`.
unsafe impl<T: Zeroable + Sync> Sync for HugeSlice<T> {}

impl<T: Zeroable> HugeSlice<T> {
    /// `len` zeroed values.
    pub(super) fn zeroed(len: usize) -> Self {
        let layout = Self::layout(len);
        if layout.size() == 0 {
            return Self {
                ptr: NonNull::dangling(),
                len,
            };
        }
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { alloc::alloc(layout) };
        let Some(ptr) = NonNull::new(raw.cast::<T>()) else {
            alloc::handle_alloc_error(layout);
        };
        #[cfg(target_os = "linux")]
        if layout.size() >= HUGE_PAGE {
            // Before the first touch, so that the pages are faulted in huge. A refusal only
            // leaves ordinary pages.
            // SAFETY: the range is the allocation just made.
            unsafe {
                libc::madvise(raw.cast(), layout.size(), libc::MADV_HUGEPAGE);
            }
        }
        // SAFETY: the allocation holds `len` values of `T`, and zero bytes are a valid `T`.
        unsafe { std::ptr::write_bytes(raw, 0, layout.size()) };
        Self { ptr, len }
    }

    fn layout(len: usize) -> Layout {
        let size = std::mem::size_of::<T>()
            .checked_mul(len)
            .expect("the slice fits in memory");
        let align = if size >= HUGE_PAGE {
            HUGE_PAGE
        } else {
            std::mem::align_of::<T>()
        };
        Layout::from_size_align(size, align.max(std::mem::align_of::<T>())).expect("a valid layout")
    }
}

impl<T: Zeroable> HugeSlice<T> {
    /// A copy of `values` on huge pages where the system allows it.
    pub(super) fn copy_of(values: &[T]) -> Self {
        let mut copy = Self::zeroed(values.len());
        copy.copy_from_slice(values);
        copy
    }
}

/// Asks the system to back the whole 2 MiB pages of `vec`'s allocation with huge pages, before
/// its first values are written (pages written before stay small). A hint: refused, nothing
/// changes.
pub(super) fn advise_huge<T>(vec: &Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        let start = vec.as_ptr() as usize;
        let end = start + vec.capacity() * std::mem::size_of::<T>();
        let first = start.next_multiple_of(HUGE_PAGE);
        let last = end / HUGE_PAGE * HUGE_PAGE;
        if first < last {
            // SAFETY: the range lies within the vector's allocation; the advice only changes
            // how its pages are backed.
            unsafe {
                libc::madvise(
                    first as *mut libc::c_void,
                    last - first,
                    libc::MADV_HUGEPAGE,
                );
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = vec;
}

impl<T: Zeroable> Drop for HugeSlice<T> {
    fn drop(&mut self) {
        let layout = Self::layout(self.len);
        if layout.size() != 0 {
            // SAFETY: allocated in `zeroed` with this same layout.
            unsafe { alloc::dealloc(self.ptr.as_ptr().cast(), layout) };
        }
    }
}

impl<T: Zeroable> Deref for HugeSlice<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: `ptr` holds `len` initialised values (or is dangling with a zero size).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Zeroable> DerefMut for HugeSlice<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as for `deref`, and `&mut self` is unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Zeroable> Clone for HugeSlice<T> {
    fn clone(&self) -> Self {
        let mut copy = Self::zeroed(self.len);
        copy.copy_from_slice(self);
        copy
    }
}

impl<T: Zeroable + std::fmt::Debug> std::fmt::Debug for HugeSlice<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HugeSlice(len {})", self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_start_zeroed_clone_and_drop() {
        for len in [0, 1, 1000, (HUGE_PAGE / 8) + 3] {
            let mut slice = HugeSlice::<u64>::zeroed(len);
            assert_eq!(slice.len(), len);
            assert!(slice.iter().all(|&x| x == 0));
            if len > 0 {
                slice[len - 1] = 7;
                let copy = slice.clone();
                assert_eq!(copy[len - 1], 7);
                assert_eq!(&HugeSlice::copy_of(&slice)[..], &slice[..]);
            }
            // The advice leaves a vector's values as they are written.
            let mut values: Vec<u64> = Vec::with_capacity(len);
            advise_huge(&values);
            values.extend(0..len as u64);
            assert!(values.iter().enumerate().all(|(i, &v)| v == i as u64));
        }
    }
}
