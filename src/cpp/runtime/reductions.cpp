#include "runtime/reductions.h"
#include "runtime/strided.h"

#include <cmath>
#include <cstring>
#include <type_traits>

namespace {

using nogil::runtime::forEachRow;

template <typename T> T load(const char *p) {
  T value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

/// NumPy's pairwise_sum (loops_utils.h.src), step for step: 8 accumulators over blocks of at
/// most 128 elements, halves combined recursively. The order decides the rounding.
template <typename T, typename Acc> Acc pairwiseSum(const char *a, int64_t n, int64_t stride) {
  if (n < 8) {
    Acc result = 0;
    for (int64_t i = 0; i < n; ++i)
      result += static_cast<Acc>(load<T>(a + i * stride));
    return result;
  }
  if (n <= 128) {
    Acc r[8];
    for (int k = 0; k < 8; ++k)
      r[k] = static_cast<Acc>(load<T>(a + k * stride));
    int64_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int k = 0; k < 8; ++k)
        r[k] += static_cast<Acc>(load<T>(a + (i + k) * stride));
    Acc result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i)
      result += static_cast<Acc>(load<T>(a + i * stride));
    return result;
  }
  int64_t half = n / 2;
  half -= half % 8;
  return pairwiseSum<T, Acc>(a, half, stride) +
         pairwiseSum<T, Acc>(a + half * stride, n - half, stride);
}

template <typename T, typename Sum>
Sum sum(const char *data, int64_t ndim, const int64_t *shape, const int64_t *strides) {
  Sum total = 0;
  forEachRow(data, ndim, shape, strides, true, [&](const char *row, int64_t n, int64_t stride) {
    if constexpr (std::is_floating_point_v<Sum>) {
      total += pairwiseSum<T, Sum>(row, n, stride);
    } else { // integers wrap, in any order
      for (int64_t i = 0; i < n; ++i)
        total =
            static_cast<Sum>(static_cast<uint64_t>(total) +
                             static_cast<uint64_t>(static_cast<Sum>(load<T>(row + i * stride))));
    }
  });
  return total;
}

/// The first extreme element and its flat index; NaN is the extreme, as in NumPy.
template <typename T, bool Max>
std::pair<T, int64_t> extreme(const char *data, int64_t ndim, const int64_t *shape,
                              const int64_t *strides) {
  T best{};
  int64_t bestIndex = -1;
  int64_t flat = 0;
  bool done = false;
  // In C order, whatever the layout: the flat index is into a.ravel().
  forEachRow(data, ndim, shape, strides, false, [&](const char *row, int64_t n, int64_t stride) {
    for (int64_t i = 0; i < n && !done; ++i, ++flat) {
      T value = load<T>(row + i * stride);
      if constexpr (std::is_floating_point_v<T>) {
        if (std::isnan(value)) {
          best = value;
          bestIndex = flat;
          done = true;
          break;
        }
      }
      if (bestIndex < 0 || (Max ? value > best : value < best)) {
        best = value;
        bestIndex = flat;
      }
    }
  });
  return {best, bestIndex};
}

} // namespace

extern "C" {

#define NOGIL_REDUCTIONS(SUFFIX, T, SUM)                                                           \
  SUM nogil_rt_sum_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,                  \
                            const int64_t *strides) {                                              \
    return sum<T, SUM>(data, ndim, shape, strides);                                                \
  }                                                                                                \
  T nogil_rt_min_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,                    \
                          const int64_t *strides) {                                                \
    return extreme<T, false>(data, ndim, shape, strides).first;                                    \
  }                                                                                                \
  T nogil_rt_max_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,                    \
                          const int64_t *strides) {                                                \
    return extreme<T, true>(data, ndim, shape, strides).first;                                     \
  }                                                                                                \
  int64_t nogil_rt_argmin_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,           \
                                   const int64_t *strides) {                                       \
    return extreme<T, false>(data, ndim, shape, strides).second;                                   \
  }                                                                                                \
  int64_t nogil_rt_argmax_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,           \
                                   const int64_t *strides) {                                       \
    return extreme<T, true>(data, ndim, shape, strides).second;                                    \
  }                                                                                                \
  double nogil_rt_fsum_##SUFFIX(const char *data, int64_t ndim, const int64_t *shape,              \
                                const int64_t *strides) {                                          \
    return sum<T, double>(data, ndim, shape, strides);                                             \
  }
#include "runtime/reduction_types.def"
#undef NOGIL_REDUCTIONS
}
