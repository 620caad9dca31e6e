// Reshape's shape and strides, as NumPy computes them (numpy/_core/src/multiarray/shape.c).
#include "runtime/array_shape.h"

#include <string>

namespace {

/// NumPy's convert_shape_to_string: unknown (negative) extents print as "newaxis", and
/// leading ones not at all.
std::string shapeText(int64_t ndim, const int64_t *shape) {
  int64_t i = 0;
  while (i < ndim && shape[i] < 0)
    ++i;
  if (i == ndim)
    return "()";
  std::string text = "(" + std::to_string(shape[i++]);
  for (; i < ndim; ++i)
    text += shape[i] < 0 ? ",newaxis" : "," + std::to_string(shape[i]);
  return text + (i == 1 ? ",)" : ")");
}

int32_t raiseValueError(std::string text, const NogilSite *site) {
  nogil_rt_raise(NOGIL_ERROR_VALUE, nullptr, site);
  auto &record = nogil::runtime::currentError();
  record.text = std::move(text);
  record.hasText = true;
  return 1;
}

} // namespace

extern "C" int32_t nogil_rt_reshape_shape(int64_t size, int64_t ndim, int64_t *shape,
                                          const NogilSite *site) {
  int64_t unknown = -1;
  int64_t known = 1;
  bool overflow = false;
  for (int64_t i = 0; i < ndim; ++i) {
    if (shape[i] < 0) {
      if (unknown >= 0)
        return raiseValueError("can only specify one unknown dimension", site);
      unknown = i;
      continue;
    }
    overflow |= __builtin_mul_overflow(known, shape[i], &known);
  }
  auto mismatch = [&] {
    return raiseValueError("cannot reshape array of size " + std::to_string(size) + " into shape " +
                               shapeText(ndim, shape),
                           site);
  };
  if (overflow)
    return raiseValueError("array is too big; `arr.size * arr.dtype.itemsize` is larger than "
                           "the maximum possible size.",
                           site);
  if (unknown >= 0) {
    if (known == 0 || size % known != 0)
      return mismatch();
    shape[unknown] = size / known;
  } else if (known != size) {
    return mismatch();
  }
  return 0;
}

extern "C" int32_t nogil_rt_reshape_strides(int64_t oldNdim, const int64_t *oldShapeIn,
                                            const int64_t *oldStridesIn, int64_t newNdim,
                                            const int64_t *newShape, int64_t *newStrides,
                                            int64_t itemsize) {
  // Axes of length one say nothing about the layout: drop them first.
  int64_t oldShape[64];
  int64_t oldStrides[64];
  int64_t oldN = 0;
  if (oldNdim > 64)
    return 0;
  for (int64_t i = 0; i < oldNdim; ++i)
    if (oldShapeIn[i] != 1) {
      oldShape[oldN] = oldShapeIn[i];
      oldStrides[oldN++] = oldStridesIn[i];
    }
  // Empty arrays: any strides do; C-contiguous ones as NumPy would give them.
  for (int64_t i = 0; i < oldN; ++i)
    if (oldShape[i] == 0) {
      int64_t stride = itemsize;
      for (int64_t d = newNdim; d-- > 0;) {
        newStrides[d] = stride;
        stride *= newShape[d] ? newShape[d] : 1;
      }
      return 1;
    }
  int64_t oi = 0, oj = 1, ni = 0, nj = 1;
  while (ni < newNdim && oi < oldN) {
    int64_t np = newShape[ni];
    int64_t op = oldShape[oi];
    while (np != op) {
      if (np < op)
        np *= newShape[nj++];
      else
        op *= oldShape[oj++];
    }
    // The old axes [oi, oj) must be one contiguous run to be split as [ni, nj).
    for (int64_t ok = oi; ok < oj - 1; ++ok)
      if (oldStrides[ok] != oldShape[ok + 1] * oldStrides[ok + 1])
        return 0;
    newStrides[nj - 1] = oldStrides[oj - 1];
    for (int64_t nk = nj - 1; nk > ni; --nk)
      newStrides[nk - 1] = newStrides[nk] * newShape[nk];
    ni = nj++;
    oi = oj++;
  }
  // Trailing axes of length one take the last stride set, as in NumPy.
  int64_t last = ni >= 1 ? newStrides[ni - 1] : itemsize;
  for (int64_t nk = ni; nk < newNdim; ++nk)
    newStrides[nk] = last;
  return 1;
}

extern "C" void nogil_rt_raise_flat_index(int64_t index, int64_t size, const NogilSite *site) {
  nogil_rt_raise(NOGIL_ERROR_INDEX, nullptr, site);
  auto &record = nogil::runtime::currentError();
  record.text =
      "index " + std::to_string(index) + " is out of bounds for size " + std::to_string(size);
  record.hasText = true;
}
