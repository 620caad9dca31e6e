// Whole-array reductions (sum, min, max, argmin, argmax), computed as NumPy computes
// them: float sums by NumPy's pairwise summation (so results match np.sum bit for bit on
// contiguous and 1-d arrays), NaN propagating through min and max, first occurrence for
// argmin and argmax. Called by compiled code with an array's data, ndim, shape and strides.
#pragma once

#include <cstdint>

extern "C" {

// One family per element type; SUFFIX: b (bool), i8 ... i64, u8 ... u64, f32, f64.
// sum: float -> float, signed -> int64, unsigned -> uint64, bool -> int64.
// min/max: the element type; the caller checks that the array is not empty.
// argmin/argmax: the flat (C order) index of the first extreme, NaN counting as extreme.
// fsum: the pairwise sum of the elements converted to float64, as np.mean sums integers.
#define NOGIL_REDUCTIONS(SUFFIX, T, SUM)                                                           \
  SUM nogil_rt_sum_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,                  \
                            const int64_t *strides);                                               \
  T nogil_rt_min_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,                    \
                          const int64_t *strides);                                                 \
  T nogil_rt_max_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,                    \
                          const int64_t *strides);                                                 \
  int64_t nogil_rt_argmin_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,           \
                                   const int64_t *strides);                                        \
  int64_t nogil_rt_argmax_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,           \
                                   const int64_t *strides);                                        \
  double nogil_rt_fsum_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,              \
                                const int64_t *strides);
#include "runtime/reduction_types.def"
#undef NOGIL_REDUCTIONS
}
