// Walking a strided array row by row, for the runtime's reductions and copies.
#pragma once

#include <cstdint>

namespace nogil::runtime {

/// Calls `visit(pointer to a row, length, stride)` for every innermost row, in C order; a
/// 0-d array is one row of one element. With `memoryOrder`, a Fortran-contiguous array is
/// one row in memory order, as NumPy's iterator sums it.
template <typename Visit>
void forEachRow(const char *data, int64_t ndim, const int64_t *shape, const int64_t *strides,
                bool memoryOrder, Visit visit) {
  if (ndim == 0) {
    visit(data, 1, 0);
    return;
  }
  for (int64_t d = 0; d < ndim; ++d)
    if (shape[d] == 0)
      return;
  // The array is one flat run when every dimension continues the next: sum it as NumPy
  // does a contiguous array, in one pairwise pass.
  bool flat = true;
  for (int64_t d = 0; d + 1 < ndim; ++d)
    flat &= strides[d] == strides[d + 1] * shape[d + 1];
  bool fortran = memoryOrder && ndim > 1;
  for (int64_t d = 0; d + 1 < ndim && fortran; ++d)
    fortran = strides[d + 1] == strides[d] * shape[d];
  if (flat || fortran) {
    int64_t n = 1;
    for (int64_t d = 0; d < ndim; ++d)
      n *= shape[d];
    visit(data, n, flat ? strides[ndim - 1] : strides[0]);
    return;
  }
  int64_t rows = 1;
  for (int64_t d = 0; d + 1 < ndim; ++d)
    rows *= shape[d];
  for (int64_t row = 0; row < rows; ++row) {
    int64_t rest = row;
    int64_t offset = 0;
    for (int64_t d = ndim - 2; d >= 0; --d) {
      offset += (rest % shape[d]) * strides[d];
      rest /= shape[d];
    }
    visit(data + offset, shape[ndim - 1], strides[ndim - 1]);
  }
}

} // namespace nogil::runtime
