// nogil_rt_array_new: NumPy's checks on a new array's shape, before the allocation.
#include "runtime/array_memory.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace {

constexpr const char *kNegativeDimension = "negative dimensions are not allowed";
constexpr const char *kTooBig = "array is too big; `arr.size * arr.dtype.itemsize` is larger "
                                "than the maximum possible size.";

/// A byte count as NumPy's _ArrayMemoryError spells it: "400 bytes", "4.00 EiB", "1.50 GiB".
std::string sizeText(int64_t bytes) {
  static constexpr const char *kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  constexpr int kLastUnit = 6;
  int bitLength = 0;
  for (uint64_t rest = static_cast<uint64_t>(bytes); rest != 0; rest >>= 1)
    ++bitLength;
  int unit = std::max(bitLength - 1, 1) / 10;
  double units = static_cast<double>(bytes) / std::ldexp(1.0, unit * 10);
  if (std::nearbyint(units) == 1024) { // 1023.99 KiB reads as 1.00 MiB, as in NumPy
    ++unit;
    units /= 1024;
  }
  if (unit > kLastUnit) {
    units *= std::ldexp(1.0, (unit - kLastUnit) * 10);
    unit = kLastUnit;
  }
  char text[64];
  if (unit == 0)
    std::snprintf(text, sizeof text, "%.0f %s", units, kUnits[unit]);
  else if (std::nearbyint(units) < 1000)
    std::snprintf(text, sizeof text, "%#.3g %s", units, kUnits[unit]);
  else
    std::snprintf(text, sizeof text, "%#.0f %s", units, kUnits[unit]);
  return text;
}

/// A shape as Python prints a tuple: "(3,)", "(2, 3)", "()".
std::string shapeText(int64_t ndim, const int64_t *shape) {
  std::string text = "(";
  for (int64_t d = 0; d < ndim; ++d) {
    if (d > 0)
      text += ", ";
    text += std::to_string(shape[d]);
  }
  return text + (ndim == 1 ? ",)" : ")");
}

} // namespace

extern "C" void *nogil_rt_array_new(int64_t ndim, const int64_t *shape, int64_t itemsize,
                                    const char *dtypeName, NogilArrayMemory **memory,
                                    const NogilSite *site) {
  // NumPy's rule (PyArray_NewFromDescr): dimensions in order, a zero one skipped, each
  // multiplied into the byte count, which must stay within int64.
  int64_t bytes = itemsize;
  for (int64_t d = 0; d < ndim; ++d) {
    int64_t extent = shape[d];
    if (extent == 0)
      continue;
    if (extent < 0) {
      nogil_rt_raise(NOGIL_ERROR_VALUE, kNegativeDimension, site);
      return nullptr;
    }
    if (__builtin_mul_overflow(bytes, extent, &bytes)) {
      nogil_rt_raise(NOGIL_ERROR_VALUE, kTooBig, site);
      return nullptr;
    }
  }
  for (int64_t d = 0; d < ndim; ++d)
    if (shape[d] == 0)
      bytes = 0;
  void *data = nogil_rt_array_alloc(bytes, memory);
  if (!data) {
    nogil_rt_raise(NOGIL_ERROR_MEMORY, nullptr, site);
    auto &record = nogil::runtime::currentError();
    record.text = "Unable to allocate " + sizeText(bytes) + " for an array with shape " +
                  shapeText(ndim, shape) + " and data type " + dtypeName;
    record.hasText = true;
  }
  return data;
}
