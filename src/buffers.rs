//! Columns written into fresh byte buffers, in parallel: the little-endian layout numpy and
//! Arrow read without a copy. A large scan has millions of rows, so writing them (and first
//! touching the fresh pages, which costs as much as writing them) is spread over the caller's
//! pool instead of one core.

use rayon::prelude::*;
use std::mem::MaybeUninit;

/// The pool the buffers are written on: `scan::thread_pool(n_threads)`, the scan's own.
pub use rayon::ThreadPool;

/// Bytes per piece of parallel work.
const PIECE: usize = 1 << 20;

/// What writes one buffer: given its bytes, zeroed, it writes them.
pub type Fill<'a> = Box<dyn FnOnce(&mut [u8]) + Send + 'a>;

/// Zero each buffer of `jobs` and then fill it, all on `pool` in one hand-off: the zeroing maps
/// fresh pages a piece at a time (`populate`) and spreads that first touch over the pool's
/// threads, and each fill runs inside the pool so its parallel iterators do. The buffers may
/// be uninitialised memory (buffers just made by another language). One hand-off for all:
/// each wakes a thread of the pool and waits for it (tens of microseconds), and a frame of a
/// small scan is a dozen buffers, so one hand-off each came to more than writing them.
///
/// ```
/// use lexiscan::buffers::{fill_little_endian, zero_then_fill_many, Fill};
/// use std::mem::MaybeUninit;
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
/// let (mut a, mut b) = ([MaybeUninit::<u8>::uninit(); 4], [MaybeUninit::<u8>::uninit(); 2]);
/// let filled = zero_then_fill_many(&pool, vec![
///     (&mut a[..], Box::new(|o: &mut [u8]| fill_little_endian(o, &[7u32], u32::to_le_bytes)) as Fill),
///     (&mut b[..], Box::new(|o: &mut [u8]| o[1] = 9)),
/// ]);
/// assert_eq!(filled, [&[7, 0, 0, 0][..], &[0, 9][..]]);
/// ```
pub fn zero_then_fill_many<'a>(
    pool: &ThreadPool,
    jobs: Vec<(&'a mut [MaybeUninit<u8>], Fill<'_>)>,
) -> Vec<&'a mut [u8]> {
    pool.install(move || {
        jobs.into_iter()
            .map(|(out, fill)| {
                out.par_chunks_mut(PIECE).for_each(|piece| {
                    populate(piece);
                    piece.fill(MaybeUninit::new(0));
                });
                // SAFETY: every byte was initialised just above, and `MaybeUninit<u8>` has the
                // layout of `u8`; the slice keeps `out`'s borrow.
                let out = unsafe { &mut *(out as *mut [MaybeUninit<u8>] as *mut [u8]) };
                fill(out);
                out
            })
            .collect()
    })
}

/// Maps the whole pages inside `piece` writable in one call (`madvise(MADV_POPULATE_WRITE)`,
/// Linux 5.14+) instead of a page fault per 4 KiB at the first write: in a virtual machine each
/// fault is an exit, and the faults were ~45% of writing a large scan's columns. A refusal (an
/// older kernel) leaves the faults to the writes; nothing is read or written. Pieces of a few
/// pages are left to their faults, cheaper than a system call.
fn populate(piece: &mut [MaybeUninit<u8>]) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let start = piece.as_mut_ptr() as usize;
        let first = start.next_multiple_of(PAGE);
        let end = (start + piece.len()) / PAGE * PAGE;
        if end >= first + 16 * PAGE {
            // SAFETY: the range lies inside `piece`, which the caller lends us mutably; the
            // call maps its pages, never changing what they hold.
            unsafe {
                libc::madvise(
                    first as *mut libc::c_void,
                    end - first,
                    libc::MADV_POPULATE_WRITE,
                );
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = piece;
}

/// `values` as little-endian bytes into `out` (`values.len() * N` bytes), on the current rayon
/// pool (the caller's, inside [`zero_then_fill_many`]).
///
/// ```
/// use lexiscan::buffers::fill_little_endian;
/// let mut out = [0u8; 16];
/// fill_little_endian(&mut out, &[1u64, 258], u64::to_le_bytes);
/// assert_eq!(out[..2], [1, 0]);
/// assert_eq!(out[8..10], [2, 1]);
/// ```
pub fn fill_little_endian<T: Copy + Sync, const N: usize>(
    out: &mut [u8],
    values: &[T],
    to_bytes: fn(T) -> [u8; N],
) {
    out.par_chunks_mut(N << 16)
        .zip(values.par_chunks(1 << 16))
        .for_each(|(out, values)| {
            for (chunk, &v) in out.chunks_exact_mut(N).zip(values) {
                chunk.copy_from_slice(&to_bytes(v));
            }
        });
}

/// The `u32`s of a little-endian buffer (numpy's `astype("<u4").tobytes()`), or None when
/// its length is not `len` values.
///
/// ```
/// use lexiscan::buffers::u32_from_little_endian;
/// assert_eq!(u32_from_little_endian(&[1, 0, 0, 0, 0, 1, 0, 0], 2), Some(vec![1, 256]));
/// assert_eq!(u32_from_little_endian(&[1, 0, 0], 1), None);
/// ```
pub fn u32_from_little_endian(bytes: &[u8], len: usize) -> Option<Vec<u32>> {
    (bytes.len() == len * 4).then(|| {
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_across_pieces_read_back() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        for n in [0, 1, (1 << 16) - 1, 1 << 16, (1 << 16) + 3, 300_000] {
            let values: Vec<u32> = (0..n as u32)
                .map(|v| v.wrapping_mul(2_654_435_761))
                .collect();
            let mut out = vec![MaybeUninit::uninit(); n * 4];
            let fill: Fill<'_> = Box::new(|b| fill_little_endian(b, &values, u32::to_le_bytes));
            let bytes = zero_then_fill_many(&pool, vec![(&mut out[..], fill)]).remove(0);
            let back: Vec<u32> = bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
                .collect();
            assert_eq!(back, values);
        }
    }

    /// Several buffers in one hand-off: each read back as written, whatever its size; the
    /// bytes a fill leaves alone are zero, also in memory that held something before.
    #[test]
    fn many_buffers_each_read_back() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let sizes = [0, 1, 7, PIECE - 1, PIECE + 3, 3 * PIECE];
        let mut buffers: Vec<Vec<MaybeUninit<u8>>> = sizes
            .iter()
            .map(|&n| vec![MaybeUninit::new(0xAA); n])
            .collect();
        let jobs = buffers
            .iter_mut()
            .enumerate()
            .map(|(i, b)| {
                let fill: Fill<'_> = Box::new(move |out: &mut [u8]| {
                    // Every other byte: its buffer's number and its place.
                    for (at, byte) in out.iter_mut().enumerate().step_by(2) {
                        *byte = (i + at) as u8;
                    }
                });
                (&mut b[..], fill)
            })
            .collect();
        let filled = zero_then_fill_many(&pool, jobs);
        assert_eq!(filled.len(), sizes.len());
        for (i, (bytes, &n)) in filled.iter().zip(&sizes).enumerate() {
            assert_eq!(bytes.len(), n);
            for (at, &byte) in bytes.iter().enumerate() {
                let expected = if at % 2 == 0 { (i + at) as u8 } else { 0 };
                assert_eq!(byte, expected, "buffer {i}, byte {at}");
            }
        }
    }
}
