// NumPy's layout of an array made like another (order 'A' and 'K'), and copies into it.
#include "runtime/array_order.h"

#include "runtime/array_memory.h"

#include <cstdlib>
#include <vector>

namespace {

bool contiguous(int64_t ndim, const int64_t *shape, const int64_t *strides, int64_t itemsize,
                bool fortran) {
  // NumPy's flags: axes of extent 1 do not count, and an empty array is contiguous
  int64_t expected = itemsize;
  for (int64_t k = 0; k < ndim; ++k) {
    int64_t d = fortran ? k : ndim - 1 - k;
    if (shape[d] == 0)
      return true;
    if (shape[d] != 1) {
      if (strides[d] != expected)
        return false;
      expected *= shape[d];
    }
  }
  return true;
}

/// The axes from the largest absolute stride to the smallest, stable; an axis of extent 1
/// compares with none (NumPy's PyArray_CreateMultiSortedStridePerm for one array).
std::vector<int64_t> keptAxisOrder(int64_t ndim, const int64_t *shape, const int64_t *strides) {
  std::vector<int64_t> perm(static_cast<size_t>(ndim));
  for (int64_t i = 0; i < ndim; ++i)
    perm[static_cast<size_t>(i)] = i;
  for (int64_t i0 = 1; i0 < ndim; ++i0) {
    int64_t position = i0;
    int64_t axis0 = perm[static_cast<size_t>(i0)];
    for (int64_t i1 = i0 - 1; i1 >= 0; --i1) {
      int64_t axis1 = perm[static_cast<size_t>(i1)];
      if (shape[axis0] == 1 || shape[axis1] == 1)
        continue; // ambiguous: look further back
      if (std::llabs(strides[axis0]) <= std::llabs(strides[axis1]))
        break;
      position = i1;
    }
    for (int64_t i1 = i0; i1 > position; --i1)
      perm[static_cast<size_t>(i1)] = perm[static_cast<size_t>(i1 - 1)];
    perm[static_cast<size_t>(position)] = axis0;
  }
  return perm;
}

} // namespace

extern "C" void nogil_rt_like_strides(int64_t ndim, const int64_t *shape,
                                      const int64_t *sourceStrides, int64_t sourceItemsize,
                                      int64_t itemsize, int64_t order, int64_t *strides) {
  bool cContiguous = contiguous(ndim, shape, sourceStrides, sourceItemsize, false);
  bool fContiguous = contiguous(ndim, shape, sourceStrides, sourceItemsize, true);
  std::vector<int64_t> axes(static_cast<size_t>(ndim));
  if (order == 'K' && !cContiguous && !fContiguous) {
    axes = keptAxisOrder(ndim, shape, sourceStrides);
  } else {
    bool fortran = fContiguous && !cContiguous; // 'A' and a contiguous 'K' alike
    for (int64_t i = 0; i < ndim; ++i)
      axes[static_cast<size_t>(i)] = fortran ? ndim - 1 - i : i;
  }
  int64_t stride = itemsize;
  for (int64_t i = ndim; i-- > 0;) {
    int64_t axis = axes[static_cast<size_t>(i)];
    strides[axis] = stride;
    stride *= shape[axis];
  }
}

extern "C" void nogil_rt_array_copy_to(char *destination, const int64_t *destinationStrides,
                                       const char *source, int64_t ndim, const int64_t *shape,
                                       const int64_t *sourceStrides, int64_t itemsize) {
  // Read the source in the destination's memory order (its axes by decreasing stride), so
  // that the destination fills in one pass as a C-order copy would.
  std::vector<int64_t> axes = keptAxisOrder(ndim, shape, destinationStrides);
  std::vector<int64_t> permutedShape(static_cast<size_t>(ndim));
  std::vector<int64_t> permutedStrides(static_cast<size_t>(ndim));
  for (size_t i = 0; i < axes.size(); ++i) {
    permutedShape[i] = shape[axes[i]];
    permutedStrides[i] = sourceStrides[axes[i]];
  }
  nogil_rt_array_copy(destination, source, ndim, permutedShape.data(), permutedStrides.data(),
                      itemsize);
}
