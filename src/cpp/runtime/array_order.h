// The memory order of a new array that follows another's (order='A' and 'K' of np.copy,
// np.empty_like, a.astype...), NumPy's rules, and the copy into an array of any order.
#pragma once

#include <cstdint>

extern "C" {

/// The byte strides, written to `strides`, of a new contiguous array of `shape` and
/// `itemsize` laid out as NumPy lays out a copy of an array with `sourceStrides` (and
/// `sourceItemsize`):
/// `order` 'A' is F order when the source is F- and not C-contiguous, else C order; 'K'
/// keeps the order of the source's axes by decreasing absolute stride (NumPy's
/// PyArray_NewLikeArray with its stable insertion sort, axes of extent 1 left in place).
void nogil_rt_like_strides(int64_t ndim, const int64_t *shape, const int64_t *sourceStrides,
                           int64_t sourceItemsize, int64_t itemsize, int64_t order,
                           int64_t *strides);

/// Copies an array of `ndim` dimensions and `shape` from `source` (its `sourceStrides`) into
/// `destination`, a contiguous array whose `destinationStrides` are a permutation of C
/// order's (a C, F or 'K' layout).
void nogil_rt_array_copy_to(char *destination, const int64_t *destinationStrides,
                            const char *source, int64_t ndim, const int64_t *shape,
                            const int64_t *sourceStrides, int64_t itemsize);
}
