#include "runtime/complex_math.h"

#include <cfloat>
#include <cmath>
#include <complex>

namespace {

struct Complex {
  double re, im;
};

Complex product(Complex a, Complex b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

/// CPython's _Py_c_quot: scaled by the larger part of the divisor; `zeroDivisor` set for 0.
Complex quotient(Complex a, Complex b, bool &zeroDivisor) {
  double absRe = std::fabs(b.re), absIm = std::fabs(b.im);
  if (absRe >= absIm) {
    if (absRe == 0.0) {
      zeroDivisor = true;
      return {0.0, 0.0};
    }
    double ratio = b.im / b.re;
    double denom = b.re + b.im * ratio;
    return {(a.re + a.im * ratio) / denom, (a.im - a.re * ratio) / denom};
  }
  if (absIm >= absRe) {
    double ratio = b.re / b.im;
    double denom = b.re * ratio + b.im;
    return {(a.re * ratio + a.im) / denom, (a.im * ratio - a.re) / denom};
  }
  return {NAN, NAN}; // a NaN part in the divisor
}

/// x ** n for n >= 0 by squaring, as CPython's c_powu.
Complex powUnsigned(Complex x, int64_t n) {
  Complex result{1.0, 0.0};
  Complex power = x;
  for (int64_t mask = 1; mask > 0 && n >= mask; mask <<= 1) {
    if (n & mask)
      result = product(result, power);
    power = product(power, power);
  }
  return result;
}

/// CPython's _Py_c_pow; `zeroPower` set where it leaves errno at EDOM.
Complex polarPow(Complex a, Complex b, bool &zeroPower) {
  if (b.re == 0.0 && b.im == 0.0)
    return {1.0, 0.0};
  if (a.re == 0.0 && a.im == 0.0) {
    zeroPower = b.im != 0.0 || b.re < 0.0;
    return {0.0, 0.0};
  }
  double magnitude = std::hypot(a.re, a.im);
  double length = std::pow(magnitude, b.re);
  double angle = std::atan2(a.im, a.re);
  double phase = angle * b.re;
  if (b.im != 0.0) {
    length /= std::exp(angle * b.im);
    phase += b.im * std::log(magnitude);
  }
  // cos and sin of an infinite phase set errno to EDOM, which CPython reports as it reports
  // a zero base.
  zeroPower = std::isinf(phase);
  return {length * std::cos(phase), length * std::sin(phase)};
}

} // namespace

extern "C" int32_t nogil_rt_complex_pow(double ar, double ai, double br, double bi, double *out) {
  Complex a{ar, ai}, b{br, bi};
  bool zeroPower = false;
  Complex result;
  if (b.im == 0.0 && b.re == std::floor(b.re) && std::fabs(b.re) <= 100.0) {
    auto n = static_cast<int64_t>(b.re);
    result = n > 0 ? powUnsigned(a, n) : quotient({1.0, 0.0}, powUnsigned(a, -n), zeroPower);
  } else {
    result = polarPow(a, b, zeroPower);
  }
  out[0] = result.re;
  out[1] = result.im;
  // CPython's errno after the computation: EDOM stays; an infinite part is ERANGE.
  if (zeroPower)
    return NOGIL_COMPLEX_ZERO_POWER;
  if (std::isinf(result.re) || std::isinf(result.im))
    return NOGIL_COMPLEX_OVERFLOW;
  return NOGIL_COMPLEX_OK;
}

extern "C" NogilComplexValue nogil_rt_cmath_sqrt(double re, double im) {
  if (!std::isfinite(re) || !std::isfinite(im)) {
    std::complex<double> root = std::sqrt(std::complex<double>(re, im)); // C99's csqrt
    return {root.real(), root.imag()};
  }
  if (re == 0.0 && im == 0.0)
    return {0.0, im};
  double ax = std::fabs(re), ay = std::fabs(im);
  double s = 0.0;
  if (ax < DBL_MIN && ay < DBL_MIN) { // hypot(ax, ay) would be subnormal: scale up first
    constexpr int kScaleUp = 2 * (DBL_MANT_DIG / 2) + 1;
    constexpr int kScaleDown = -(kScaleUp + 1) / 2;
    ax = std::ldexp(ax, kScaleUp);
    s = std::ldexp(std::sqrt(ax + std::hypot(ax, std::ldexp(ay, kScaleUp))), kScaleDown);
  } else {
    ax /= 8.0;
    s = 2.0 * std::sqrt(ax + std::hypot(ax, ay / 8.0));
  }
  double d = ay / (2.0 * s);
  if (re >= 0.0)
    return {s, std::copysign(d, im)};
  return {d, std::copysign(s, im)};
}
