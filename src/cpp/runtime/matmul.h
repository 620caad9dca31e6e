// Matrix products (np.dot, np.matmul and `@` on 1-d and 2-d arrays, np.vdot) for compiled
// code. Floating-point products go to OpenBLAS (scipy-openblas64, loaded at the first use from
// the path the python layer gives); integer and bool products are plain loops, as NumPy's.
#pragma once

#include "runtime/error_record.h"

#include <cstdint>

extern "C" {

/// The element types of a product's operands and result.
enum NogilMatmulDtype : int64_t {
  NOGIL_MATMUL_BOOL = 0,
  NOGIL_MATMUL_I8,
  NOGIL_MATMUL_I16,
  NOGIL_MATMUL_I32,
  NOGIL_MATMUL_I64,
  NOGIL_MATMUL_U8,
  NOGIL_MATMUL_U16,
  NOGIL_MATMUL_U32,
  NOGIL_MATMUL_U64,
  NOGIL_MATMUL_F32,
  NOGIL_MATMUL_F64,
  NOGIL_MATMUL_C64,
  NOGIL_MATMUL_C128,
};

/// One operand seen as a matrix of `rows` x `cols` (byte strides, any sign): a 1-d left
/// operand is one row, a 1-d right operand one column.
struct NogilMatrix {
  const char *data;
  int64_t rows;
  int64_t cols;
  int64_t rowStride;
  int64_t colStride;
  int64_t dtype; ///< NogilMatmulDtype
};

/// Which function the product computes, for its errors' wording (and vdot's conjugation).
enum NogilProductKind : int64_t {
  NOGIL_PRODUCT_MATMUL = 0, ///< `@`, np.matmul
  NOGIL_PRODUCT_DOT = 1,    ///< np.dot, a.dot(b), np.inner
  NOGIL_PRODUCT_VDOT = 2,   ///< np.vdot: conjugates a
  NOGIL_PRODUCT_OUTER = 3,  ///< np.outer: a column times a row, never mismatched
};

/// out = a @ b, `out` a rows(a) x cols(b) matrix of `dtype` (operands of another dtype are
/// converted to it first). `aNdim` and `bNdim` are the operands' own dimensions (1 or 2), for
/// the messages; `outNdim` is 0 for a result compiled code allocated (C-contiguous), else the
/// dimensions of the user's `out=` array, whose shape (and, for np.dot, C order) is checked
/// as NumPy does. An `out` that is not C-contiguous or overlaps an operand receives a copy of
/// the result. Non-zero: an exception is recorded at `site`: ValueError with NumPy's message
/// (inner dimensions, `out`), MemoryError, or ImportError when the BLAS library could not be
/// loaded.
int32_t nogil_rt_matmul(const NogilMatrix *a, int64_t aNdim, const NogilMatrix *b, int64_t bNdim,
                        int64_t dtype, int64_t kind, const NogilMatrix *out, int64_t outNdim,
                        const NogilSite *site);

/// Records NumPy's ValueError for cols(a) != rows(b), in the wording of product `kind`;
/// compiled code calls it before allocating the result.
void nogil_rt_matmul_mismatch(const NogilMatrix *a, int64_t aNdim, const NogilMatrix *b,
                              int64_t bNdim, int64_t kind, const NogilSite *site);
}

namespace nogil::runtime {

/// Where the BLAS library is (set once by the python layer at import, before any call), or
/// empty when it is not installed: products of floats then raise ImportError-like errors.
void setBlasLibrary(const char *path);

} // namespace nogil::runtime
