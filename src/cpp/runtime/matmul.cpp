// Matrix products: OpenBLAS for floats and complex numbers, plain loops for integers and bools
// (NumPy computes those without BLAS too). An operand BLAS can read as it is (C- or
// Fortran-ordered with unit element stride, of the result's type) is passed with the
// matching transpose flag; any other (strided, negative strides, another dtype) is copied
// into a C-ordered buffer of the result's type first.
#include "runtime/matmul.h"

#include "runtime/error_record.h"
#include "runtime/parallel_for.h"

#include <dlfcn.h>

#include <algorithm>
#include <complex>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>

namespace {

using Index = int64_t; // scipy-openblas64: 64-bit integers throughout
enum Order : int { RowMajor = 101 };
enum Trans : int { NoTrans = 111, TransT = 112 };

template <typename T>
using Gemm = void (*)(int, int, int, Index, Index, Index, T, const void *, Index, const void *,
                      Index, T, void *, Index);
template <typename T>
using Gemv = void (*)(int, int, Index, Index, T, const void *, Index, const void *, Index, T,
                      void *, Index);
using ComplexGemm = void (*)(int, int, int, Index, Index, Index, const void *, const void *, Index,
                             const void *, Index, const void *, void *, Index);
using ComplexGemv = void (*)(int, int, Index, Index, const void *, const void *, Index,
                             const void *, Index, const void *, void *, Index);
using ComplexDot = void (*)(Index, const void *, Index, const void *, Index, void *);

/// The functions of the library, resolved once.
struct Blas {
  Gemm<float> sgemm;
  Gemm<double> dgemm;
  ComplexGemm cgemm, zgemm;
  Gemv<float> sgemv;
  Gemv<double> dgemv;
  ComplexGemv cgemv, zgemv;
  float (*sdot)(Index, const void *, Index, const void *, Index);
  double (*ddot)(Index, const void *, Index, const void *, Index);
  ComplexDot cdotu, zdotu, cdotc, zdotc;
  std::string error; ///< why the library is unusable, empty when it loaded
};

std::string &libraryPath() {
  static std::string path;
  return path;
}

/// Loads the library at the first product. Its pool of threads is sized as nogil's (the
/// thread limit), unless OPENBLAS_NUM_THREADS chose.
const Blas &blas() {
  static Blas loaded = [] {
    Blas b{};
    const std::string &path = libraryPath();
    if (path.empty()) {
      b.error = "matrix products of floats need the scipy-openblas64 package, which is not "
                "installed (pip install scipy-openblas64)";
      return b;
    }
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char *why = dlerror();
      b.error = "could not load the BLAS library " + path + ": " + (why ? why : "unknown error");
      return b;
    }
    bool missing = false;
    auto find = [&](auto &slot, const char *name) {
      std::string symbol = std::string("scipy_") + name + "64_";
      slot =
          reinterpret_cast<std::remove_reference_t<decltype(slot)>>(dlsym(handle, symbol.c_str()));
      if (!slot && !missing) {
        missing = true;
        b.error = "the BLAS library " + path + " has no " + symbol;
      }
    };
    find(b.sgemm, "cblas_sgemm");
    find(b.dgemm, "cblas_dgemm");
    find(b.cgemm, "cblas_cgemm");
    find(b.zgemm, "cblas_zgemm");
    find(b.sgemv, "cblas_sgemv");
    find(b.dgemv, "cblas_dgemv");
    find(b.cgemv, "cblas_cgemv");
    find(b.zgemv, "cblas_zgemv");
    find(b.sdot, "cblas_sdot");
    find(b.ddot, "cblas_ddot");
    find(b.cdotu, "cblas_cdotu_sub");
    find(b.zdotu, "cblas_zdotu_sub");
    find(b.cdotc, "cblas_cdotc_sub");
    find(b.zdotc, "cblas_zdotc_sub");
    void (*setThreads)(int) = nullptr;
    find(setThreads, "openblas_set_num_threads");
    if (setThreads && !std::getenv("OPENBLAS_NUM_THREADS"))
      setThreads(nogil::runtime::threadLimit());
    return b;
  }();
  return loaded;
}

int64_t itemsizeOf(int64_t dtype) {
  switch (dtype) {
  case NOGIL_MATMUL_BOOL:
  case NOGIL_MATMUL_I8:
  case NOGIL_MATMUL_U8:
    return 1;
  case NOGIL_MATMUL_I16:
  case NOGIL_MATMUL_U16:
    return 2;
  case NOGIL_MATMUL_I32:
  case NOGIL_MATMUL_U32:
  case NOGIL_MATMUL_F32:
    return 4;
  case NOGIL_MATMUL_C128:
    return 16;
  default:
    return 8;
  }
}

/// Calls `f` with a value of the C++ type of `dtype` (its type is all that matters).
template <typename F> auto withType(int64_t dtype, F &&f) {
  switch (dtype) {
  case NOGIL_MATMUL_BOOL:
    return f(bool{});
  case NOGIL_MATMUL_I8:
    return f(int8_t{});
  case NOGIL_MATMUL_I16:
    return f(int16_t{});
  case NOGIL_MATMUL_I32:
    return f(int32_t{});
  case NOGIL_MATMUL_U8:
    return f(uint8_t{});
  case NOGIL_MATMUL_U16:
    return f(uint16_t{});
  case NOGIL_MATMUL_U32:
    return f(uint32_t{});
  case NOGIL_MATMUL_U64:
    return f(uint64_t{});
  case NOGIL_MATMUL_F32:
    return f(float{});
  case NOGIL_MATMUL_F64:
    return f(double{});
  case NOGIL_MATMUL_C64:
    return f(std::complex<float>{});
  case NOGIL_MATMUL_C128:
    return f(std::complex<double>{});
  default:
    return f(int64_t{});
  }
}

template <typename T> T load(const char *at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

template <typename T> struct IsComplex : std::false_type {};
template <typename T> struct IsComplex<std::complex<T>> : std::true_type {};

/// A value of type From as type To, as NumPy casts up the promotion lattice.
template <typename To, typename From> To castTo(From value) {
  if constexpr (IsComplex<To>::value && !IsComplex<From>::value)
    return To(static_cast<typename To::value_type>(value), 0);
  else if constexpr (IsComplex<To>::value)
    return To(static_cast<typename To::value_type>(value.real()),
              static_cast<typename To::value_type>(value.imag()));
  else if constexpr (IsComplex<From>::value)
    return static_cast<To>(value.real());
  else
    return static_cast<To>(value);
}

/// The operand as a C-ordered rows x cols buffer of type T (conjugated on request).
template <typename T>
bool pack(const NogilMatrix &m, bool conjugate, std::unique_ptr<T[]> &buffer) {
  buffer.reset(new (std::nothrow) T[static_cast<size_t>(m.rows * m.cols)]);
  if (!buffer)
    return false;
  withType(m.dtype, [&](auto source) {
    using From = decltype(source);
    T *to = buffer.get();
    for (int64_t i = 0; i < m.rows; ++i)
      for (int64_t j = 0; j < m.cols; ++j) {
        T value = castTo<T>(load<From>(m.data + i * m.rowStride + j * m.colStride));
        if constexpr (IsComplex<T>::value)
          if (conjugate)
            value = std::conj(value);
        *to++ = value;
      }
    return 0;
  });
  return true;
}

/// How BLAS reads an operand: its data, whether transposed (in row-major terms), its leading
/// dimension, and the buffer that holds a copy when one was needed.
template <typename T> struct BlasOperand {
  const T *data = nullptr;
  Trans trans = NoTrans;
  Index ld = 1;
  std::unique_ptr<T[]> copy;
};

/// Reads the operand in place when its layout allows, else copies it; false: out of memory.
template <typename T>
bool prepare(const NogilMatrix &m, int64_t dtype, bool conjugate, BlasOperand<T> &operand) {
  constexpr int64_t size = sizeof(T);
  // A stride along an axis of length one is never taken: any valid value will do.
  int64_t rows = std::max<int64_t>(m.rows, 1), cols = std::max<int64_t>(m.cols, 1);
  bool aligned = reinterpret_cast<uintptr_t>(m.data) % alignof(T) == 0;
  if (m.dtype == dtype && !conjugate && aligned) {
    int64_t rs = m.rows == 1 ? cols * size : m.rowStride;
    int64_t cs = m.cols == 1 ? size : m.colStride;
    if (cs == size && rs > 0 && rs % size == 0 && rs / size >= cols) {
      operand = {reinterpret_cast<const T *>(m.data), NoTrans, rs / size, nullptr};
      return true;
    }
    rs = m.rows == 1 ? size : m.rowStride;
    cs = m.cols == 1 ? rows * size : m.colStride;
    if (rs == size && cs > 0 && cs % size == 0 && cs / size >= rows) {
      operand = {reinterpret_cast<const T *>(m.data), TransT, cs / size, nullptr};
      return true;
    }
  }
  if (!pack(m, conjugate, operand.copy))
    return false;
  operand.data = operand.copy.get();
  operand.trans = NoTrans;
  operand.ld = std::max<int64_t>(m.cols, 1);
  return true;
}

/// BLAS's vector view of a one-row or one-column operand: its first element and stride.
template <typename T> struct BlasVector {
  const T *data;
  Index inc;
};
template <typename T> BlasVector<T> vectorOf(const BlasOperand<T> &o, bool isRow) {
  // A row of a row-major operand steps by one element; of a transposed one, by ld.
  bool unit = isRow == (o.trans == NoTrans);
  return {o.data, unit ? 1 : o.ld};
}

template <typename T> constexpr T one() { return T(1); }

template <typename T>
bool blasProduct(const Blas &lib, const NogilMatrix &a, const NogilMatrix &b, int64_t dtype,
                 bool conjugate, char *outBytes) {
  BlasOperand<T> left, right;
  if (!prepare(a, dtype, conjugate, left) || !prepare(b, dtype, false, right))
    return false;
  T *out = reinterpret_cast<T *>(outBytes);
  Index m = a.rows, k = a.cols, n = b.cols;
  T alpha = one<T>(), beta = T(0);
  if (m == 1 && n == 1) {
    BlasVector<T> x = vectorOf(left, true), y = vectorOf(right, false);
    if constexpr (std::is_same_v<T, float>)
      *out = lib.sdot(k, x.data, x.inc, y.data, y.inc);
    else if constexpr (std::is_same_v<T, double>)
      *out = lib.ddot(k, x.data, x.inc, y.data, y.inc);
    else if constexpr (std::is_same_v<T, std::complex<float>>)
      lib.cdotu(k, x.data, x.inc, y.data, y.inc, out);
    else
      lib.zdotu(k, x.data, x.inc, y.data, y.inc, out);
    return true;
  }
  if (n == 1 || m == 1) {
    // matrix @ vector: y = A x; vector @ matrix: y = B^T x (B read with the flag flipped).
    const BlasOperand<T> &matrix = n == 1 ? left : right;
    BlasVector<T> x = n == 1 ? vectorOf(right, false) : vectorOf(left, true);
    Trans trans = n == 1 ? matrix.trans : (matrix.trans == NoTrans ? TransT : NoTrans);
    // The matrix as stored: row-major rows x cols, or its transpose stored row-major.
    Index rows = n == 1 ? m : k, cols = n == 1 ? k : n;
    Index storedRows = matrix.trans == NoTrans ? rows : cols;
    Index storedCols = matrix.trans == NoTrans ? cols : rows;
    if constexpr (std::is_same_v<T, float>)
      lib.sgemv(RowMajor, trans, storedRows, storedCols, alpha, matrix.data, matrix.ld, x.data,
                x.inc, beta, out, 1);
    else if constexpr (std::is_same_v<T, double>)
      lib.dgemv(RowMajor, trans, storedRows, storedCols, alpha, matrix.data, matrix.ld, x.data,
                x.inc, beta, out, 1);
    else if constexpr (std::is_same_v<T, std::complex<float>>)
      lib.cgemv(RowMajor, trans, storedRows, storedCols, &alpha, matrix.data, matrix.ld, x.data,
                x.inc, &beta, out, 1);
    else
      lib.zgemv(RowMajor, trans, storedRows, storedCols, &alpha, matrix.data, matrix.ld, x.data,
                x.inc, &beta, out, 1);
    return true;
  }
  if constexpr (std::is_same_v<T, float>)
    lib.sgemm(RowMajor, left.trans, right.trans, m, n, k, alpha, left.data, left.ld, right.data,
              right.ld, beta, out, n);
  else if constexpr (std::is_same_v<T, double>)
    lib.dgemm(RowMajor, left.trans, right.trans, m, n, k, alpha, left.data, left.ld, right.data,
              right.ld, beta, out, n);
  else if constexpr (std::is_same_v<T, std::complex<float>>)
    lib.cgemm(RowMajor, left.trans, right.trans, m, n, k, &alpha, left.data, left.ld, right.data,
              right.ld, &beta, out, n);
  else
    lib.zgemm(RowMajor, left.trans, right.trans, m, n, k, &alpha, left.data, left.ld, right.data,
              right.ld, &beta, out, n);
  return true;
}

template <typename T> struct Unsigned {
  using type = std::make_unsigned_t<T>;
};
template <> struct Unsigned<bool> {
  using type = bool;
};

/// Integer and bool products: i-k-j order, so the innermost loop walks rows of b and out.
/// Integers wrap as NumPy's do (computed unsigned, where overflow is defined).
template <typename T> bool loopProduct(const NogilMatrix &a, const NogilMatrix &b, char *outBytes) {
  std::unique_ptr<T[]> left, right;
  if (!pack(a, false, left) || !pack(b, false, right))
    return false;
  T *out = reinterpret_cast<T *>(outBytes);
  int64_t m = a.rows, k = a.cols, n = b.cols;
  using Wide = typename Unsigned<T>::type;
  for (int64_t i = 0; i < m; ++i) {
    T *row = out + i * n;
    std::fill(row, row + n, T(0));
    for (int64_t p = 0; p < k; ++p) {
      T x = left[static_cast<size_t>(i * k + p)];
      const T *from = right.get() + p * n;
      for (int64_t j = 0; j < n; ++j) {
        if constexpr (std::is_same_v<T, bool>)
          row[j] = row[j] || (x && from[j]);
        else
          row[j] = static_cast<T>(static_cast<Wide>(row[j]) +
                                  static_cast<Wide>(x) * static_cast<Wide>(from[j]));
      }
    }
  }
  return true;
}

/// "(2,3)" or "(3,)": a shape as NumPy prints it.
std::string shapeText(const NogilMatrix &m, int64_t ndim, bool isLeft) {
  if (ndim == 2)
    return "(" + std::to_string(m.rows) + "," + std::to_string(m.cols) + ")";
  return "(" + std::to_string(isLeft ? m.cols : m.rows) + ",)";
}

void raiseMismatch(const NogilMatrix &a, int64_t aNdim, const NogilMatrix &b, int64_t bNdim,
                   int64_t kind, const NogilSite *site) {
  std::string inner = std::to_string(a.cols), other = std::to_string(b.rows);
  std::string text;
  if (kind == NOGIL_PRODUCT_MATMUL)
    text = "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
           "signature (n?,k),(k,m?)->(n?,m?) (size " +
           other + " is different from " + inner + ")";
  else if (kind == NOGIL_PRODUCT_VDOT)
    text = "cannot reshape array of size " + other + " into shape (" + inner + ",)";
  else
    text = "shapes " + shapeText(a, aNdim, true) + " and " + shapeText(b, bNdim, false) +
           " not aligned: " + inner + " (dim " + std::to_string(aNdim - 1) + ") != " + other +
           " (dim 0)";
  nogil_rt_raise(NOGIL_ERROR_VALUE, nullptr, site);
  auto &record = nogil::runtime::currentError();
  record.text = std::move(text);
  record.hasText = true;
}

void raiseText(int32_t kind, const std::string &text, const NogilSite *site) {
  nogil_rt_raise(kind, nullptr, site);
  auto &record = nogil::runtime::currentError();
  record.text = text;
  record.hasText = true;
}

} // namespace

extern "C" void nogil_rt_matmul_mismatch(const NogilMatrix *a, int64_t aNdim, const NogilMatrix *b,
                                         int64_t bNdim, int64_t kind, const NogilSite *site) {
  raiseMismatch(*a, aNdim, *b, bNdim, kind, site);
}

namespace {

/// The lowest and one past the highest byte a matrix touches.
std::pair<uintptr_t, uintptr_t> byteRange(const NogilMatrix &m) {
  auto base = reinterpret_cast<uintptr_t>(m.data);
  int64_t low = 0, high = itemsizeOf(m.dtype);
  for (auto [extent, stride] : {std::pair{m.rows, m.rowStride}, std::pair{m.cols, m.colStride}}) {
    int64_t reach = (extent - 1) * stride;
    (reach < 0 ? low : high) += reach;
  }
  return {base + static_cast<uintptr_t>(low), base + static_cast<uintptr_t>(high)};
}

bool overlaps(const NogilMatrix &x, const NogilMatrix &y) {
  if (x.rows == 0 || x.cols == 0 || y.rows == 0 || y.cols == 0)
    return false;
  auto [xLow, xHigh] = byteRange(x);
  auto [yLow, yHigh] = byteRange(y);
  return xLow < yHigh && yLow < xHigh;
}

bool cContiguous(const NogilMatrix &m) {
  int64_t size = itemsizeOf(m.dtype);
  return (m.cols <= 1 || m.colStride == size) && (m.rows <= 1 || m.rowStride == m.cols * size);
}

/// NumPy's checks of an `out=` array of `outNdim` dimensions for an m x n result.
bool checkOut(const NogilMatrix &out, int64_t outNdim, int64_t m, int64_t n, int64_t kind,
              const NogilSite *site) {
  if (kind != NOGIL_PRODUCT_MATMUL) {
    if (out.rows != m || out.cols != n)
      raiseText(NOGIL_ERROR_VALUE, "output array has wrong dimensions", site);
    else if (!cContiguous(out))
      raiseText(NOGIL_ERROR_VALUE,
                "output array is not acceptable (must have the right datatype, number of "
                "dimensions, and be a C-Array)",
                site);
    else
      return true;
    return false;
  }
  // A 1-d `out` is described as the row or column of the result, whose other side is 1 on
  // both counts: a mismatch is in its only core dimension.
  std::pair<int64_t, int64_t> dims[2] = {{out.rows, m}, {out.cols, n}};
  for (int64_t d = 0; d < 2; ++d)
    if (dims[d].first != dims[d].second) {
      raiseText(NOGIL_ERROR_VALUE,
                "matmul: Output operand 0 has a mismatch in its core dimension " +
                    std::to_string(outNdim == 2 ? d : 0) +
                    ", with gufunc signature (n?,k),(k,m?)->(n?,m?) (size " +
                    std::to_string(dims[d].first) + " is different from " +
                    std::to_string(dims[d].second) + ")",
                site);
      return false;
    }
  return true;
}

/// Copies a C-ordered m x n result into `out` (any strides).
void scatter(const char *from, const NogilMatrix &out) {
  int64_t size = itemsizeOf(out.dtype);
  for (int64_t i = 0; i < out.rows; ++i)
    for (int64_t j = 0; j < out.cols; ++j, from += size)
      std::memcpy(const_cast<char *>(out.data) + i * out.rowStride + j * out.colStride, from,
                  static_cast<size_t>(size));
}

int32_t product(const NogilMatrix *a, const NogilMatrix *b, int64_t dtype, bool conjugate,
                char *out, const NogilSite *site);

} // namespace

extern "C" int32_t nogil_rt_matmul(const NogilMatrix *a, int64_t aNdim, const NogilMatrix *b,
                                   int64_t bNdim, int64_t dtype, int64_t kind,
                                   const NogilMatrix *out, int64_t outNdim, const NogilSite *site) {
  if (a->cols != b->rows) {
    raiseMismatch(*a, aNdim, *b, bNdim, kind, site);
    return 1;
  }
  int64_t m = a->rows, n = b->cols;
  if (outNdim > 0 && !checkOut(*out, outNdim, m, n, kind, site))
    return 1;
  bool conjugate = kind == NOGIL_PRODUCT_VDOT;
  if (cContiguous(*out) && !overlaps(*out, *a) && !overlaps(*out, *b))
    return product(a, b, dtype, conjugate, const_cast<char *>(out->data), site);
  // Into a buffer first: BLAS writes C-ordered results, and must not overwrite its operands.
  std::unique_ptr<char[]> buffer(
      new (std::nothrow) char[static_cast<size_t>(m * n * itemsizeOf(dtype))]);
  if (!buffer) {
    nogil_rt_raise(NOGIL_ERROR_MEMORY, nullptr, site);
    return 1;
  }
  if (int32_t status = product(a, b, dtype, conjugate, buffer.get(), site))
    return status;
  scatter(buffer.get(), *out);
  return 0;
}

namespace {

int32_t product(const NogilMatrix *a, const NogilMatrix *b, int64_t dtype, bool conjugate,
                char *out, const NogilSite *site) {
  int64_t m = a->rows, k = a->cols, n = b->cols;
  if (m == 0 || n == 0)
    return 0;
  if (k == 0) { // a sum of no terms
    std::memset(out, 0, static_cast<size_t>(m * n * itemsizeOf(dtype)));
    return 0;
  }
  bool done = false;
  switch (dtype) {
  case NOGIL_MATMUL_F32:
  case NOGIL_MATMUL_F64:
  case NOGIL_MATMUL_C64:
  case NOGIL_MATMUL_C128: {
    const Blas &lib = blas();
    if (!lib.error.empty()) {
      raiseText(NOGIL_ERROR_IMPORT, lib.error, site);
      return 1;
    }
    if (dtype == NOGIL_MATMUL_F32)
      done = blasProduct<float>(lib, *a, *b, dtype, false, out);
    else if (dtype == NOGIL_MATMUL_F64)
      done = blasProduct<double>(lib, *a, *b, dtype, false, out);
    else if (dtype == NOGIL_MATMUL_C64)
      done = blasProduct<std::complex<float>>(lib, *a, *b, dtype, conjugate, out);
    else
      done = blasProduct<std::complex<double>>(lib, *a, *b, dtype, conjugate, out);
    break;
  }
  default:
    done = withType(dtype, [&](auto value) {
      using T = decltype(value);
      if constexpr (IsComplex<T>::value || std::is_floating_point_v<T>)
        return false; // handled above
      else
        return loopProduct<T>(*a, *b, out);
    });
  }
  if (!done) {
    nogil_rt_raise(NOGIL_ERROR_MEMORY, nullptr, site);
    return 1;
  }
  return 0;
}

} // namespace

namespace nogil::runtime {

void setBlasLibrary(const char *path) { libraryPath() = path ? path : ""; }

} // namespace nogil::runtime
