#include "runtime/numeric.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

constexpr int kHashBits = 61;
constexpr uint64_t kHashModulus = (uint64_t{1} << kHashBits) - 1;
constexpr int64_t kHashInf = 314159;

/// Beyond these, round(x, ndigits) is x itself, or a zero of x's sign (CPython's bounds:
/// NDIGITS_MAX and NDIGITS_MIN in floatobject.c).
constexpr int64_t kMaxNdigits = 323;
constexpr int64_t kMinNdigits = -308;

int64_t finishHash(uint64_t magnitude, bool negative) {
  int64_t hash = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  return hash == -1 ? -2 : hash;
}

/// Formats `value` with printf, which rounds the exact binary value correctly (ties to even
/// in the default rounding mode), and reads the digits back.
double roundTrip(const char *format, int precision, double value) {
  int size = std::snprintf(nullptr, 0, format, precision, value);
  std::vector<char> text(static_cast<size_t>(size) + 1);
  std::snprintf(text.data(), text.size(), format, precision, value);
  return std::strtod(text.data(), nullptr);
}

} // namespace

extern "C" int64_t nogil_rt_hash_int(int64_t value) {
  bool negative = value < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  return finishHash(magnitude % kHashModulus, negative);
}

extern "C" int64_t nogil_rt_hash_uint(uint64_t value) {
  return finishHash(value % kHashModulus, false);
}

extern "C" int64_t nogil_rt_hash_float(double value) {
  if (std::isinf(value))
    return value > 0 ? kHashInf : -kHashInf;
  if (std::isnan(value))
    return 0;
  int exponent = 0;
  double mantissa = std::frexp(value, &exponent);
  bool negative = mantissa < 0;
  if (negative)
    mantissa = -mantissa;
  // 28 bits at a time, reduced modulo 2**61 - 1 as they come: _Py_HashDouble step for step.
  uint64_t hash = 0;
  while (mantissa != 0) {
    hash = ((hash << 28) & kHashModulus) | hash >> (kHashBits - 28);
    mantissa *= 268435456.0;
    exponent -= 28;
    auto digit = static_cast<uint64_t>(mantissa);
    mantissa -= static_cast<double>(digit);
    hash += digit;
    if (hash >= kHashModulus)
      hash -= kHashModulus;
  }
  exponent = exponent >= 0 ? exponent % kHashBits : kHashBits - 1 - ((-1 - exponent) % kHashBits);
  hash = ((hash << exponent) & kHashModulus) | hash >> (kHashBits - exponent);
  return finishHash(hash, negative);
}

extern "C" int64_t nogil_rt_round_int(int64_t value, int64_t ndigits) {
  if (ndigits >= 0)
    return value;
  // |value| < 10**19, so from 10**20 on every value rounds to 0.
  if (ndigits < -19)
    return 0;
  __int128 unit = 1;
  for (int64_t i = 0; i < -ndigits; ++i)
    unit *= 10;
  __int128 quotient = value / unit;
  __int128 remainder = value % unit;
  if (remainder < 0) { // floor division, as Python's divmod
    remainder += unit;
    quotient -= 1;
  }
  if (2 * remainder > unit || (2 * remainder == unit && (quotient & 1) != 0))
    quotient += 1;
  return static_cast<int64_t>(static_cast<uint64_t>(quotient * unit));
}

extern "C" int64_t nogil_rt_gcd(int64_t a, int64_t b) {
  uint64_t x = a < 0 ? 0 - static_cast<uint64_t>(a) : static_cast<uint64_t>(a);
  uint64_t y = b < 0 ? 0 - static_cast<uint64_t>(b) : static_cast<uint64_t>(b);
  while (y != 0) {
    uint64_t next = x % y;
    x = y;
    y = next;
  }
  return static_cast<int64_t>(x);
}

extern "C" double nogil_rt_round_float(double value, int64_t ndigits) {
  if (!std::isfinite(value) || value == 0 || ndigits > kMaxNdigits)
    return value;
  if (ndigits < kMinNdigits)
    return std::copysign(0.0, value);
  if (ndigits >= 0)
    return roundTrip("%.*f", static_cast<int>(ndigits), value);
  // Rounding to a multiple of 10**places keeps the digits from the leading one down to that
  // place. 17 significant digits never round up to the next power of ten, so the exponent
  // printf shows for them is the leading digit's.
  int places = static_cast<int>(-ndigits);
  char exponentText[40];
  std::snprintf(exponentText, sizeof exponentText, "%.16e", std::fabs(value));
  int leading = std::atoi(std::strchr(exponentText, 'e') + 1);
  int significant = leading + 1 - places;
  if (significant > 0)
    return roundTrip("%.*e", significant - 1, value);
  if (significant < 0)
    return std::copysign(0.0, value);
  // The value lies in [10**(places-1), 10**places): one unit of 10**places when above half
  // of it, else 0 (an exact half goes to the even 0).
  std::snprintf(exponentText, sizeof exponentText, "1e%d", places);
  double unit = std::strtod(exponentText, nullptr);
  return std::fabs(value) > unit / 2 ? std::copysign(unit, value) : std::copysign(0.0, value);
}
