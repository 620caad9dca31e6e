// Complex arithmetic whose CPython result takes more than a few instructions: `**` and
// cmath.sqrt.
#pragma once

#include <cstdint>

extern "C" {

/// How a complex operation failed, as CPython's errno after it.
enum NogilComplexStatus : int32_t {
  NOGIL_COMPLEX_OK = 0,
  NOGIL_COMPLEX_ZERO_POWER = 1, ///< EDOM: 0 to a negative or complex power, or an infinite
                                ///< phase (ZeroDivisionError, CPython's message for both)
  NOGIL_COMPLEX_OVERFLOW = 2,   ///< an infinite part in the result (OverflowError)
};

/// (ar + ai j) ** (br + bi j) as CPython's complex_pow: repeated squaring for an integral
/// exponent of magnitude <= 100, else polar form. Writes the result to out[0], out[1].
int32_t nogil_rt_complex_pow(double ar, double ai, double br, double bi, double *out);

/// A complex result, returned in two registers like C's `double _Complex`.
struct NogilComplexValue {
  double re, im;
};

/// cmath.sqrt(re + im j): CPython's algorithm for finite values (scaled against overflow
/// and subnormals), C99 Annex G's special values (csqrt) for the others.
NogilComplexValue nogil_rt_cmath_sqrt(double re, double im);
}
