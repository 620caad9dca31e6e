// Shape arithmetic for array views, NumPy's own rules: reshape's new shape (with one
// unknown dimension) and whether an array's strides allow a reshape without a copy.
#pragma once

#include "runtime/error_record.h"

#include <cstdint>

extern "C" {

/// Completes `shape` (`ndim` extents, one of them negative: unknown) for an array of `size`
/// elements, as ndarray.reshape does. Returns 0, or 1 with NumPy's ValueError recorded at
/// `site` ("cannot reshape array of size 6 into shape (4,)", "can only specify one unknown
/// dimension").
int32_t nogil_rt_reshape_shape(int64_t size, int64_t ndim, int64_t *shape, const NogilSite *site);

/// The strides of a view of shape `newShape` over an array of shape `oldShape` and strides
/// `oldStrides`, in C order, written to `newStrides`: 1 when such a view exists, 0 when
/// reshape must copy (NumPy's _attempt_nocopy_reshape).
int32_t nogil_rt_reshape_strides(int64_t oldNdim, const int64_t *oldShape,
                                 const int64_t *oldStrides, int64_t newNdim,
                                 const int64_t *newShape, int64_t *newStrides, int64_t itemsize);

/// Raises item()'s IndexError: "index 7 is out of bounds for size 6".
void nogil_rt_raise_flat_index(int64_t index, int64_t size, const NogilSite *site);
}
