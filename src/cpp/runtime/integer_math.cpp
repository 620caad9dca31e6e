#include "runtime/integer_math.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace {

constexpr int64_t kDoesNotFit = -1;
constexpr unsigned __int128 kInt64Max = std::numeric_limits<int64_t>::max();

uint64_t magnitude(int64_t value) {
  return value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
}

/// The inverse of `value` modulo `modulus` (> 1, coprime with value), extended Euclid.
uint64_t inverseModulo(uint64_t value, uint64_t modulus) {
  __int128 oldR = value, r = modulus, oldS = 1, s = 0;
  while (r != 0) {
    __int128 quotient = oldR / r;
    __int128 nextR = oldR - quotient * r;
    oldR = r;
    r = nextR;
    __int128 nextS = oldS - quotient * s;
    oldS = s;
    s = nextS;
  }
  oldS %= static_cast<__int128>(modulus);
  if (oldS < 0)
    oldS += modulus;
  return static_cast<uint64_t>(oldS);
}

} // namespace

extern "C" int64_t nogil_rt_factorial(int64_t n) {
  if (n > 20)
    return kDoesNotFit;
  int64_t result = 1;
  for (int64_t i = 2; i <= n; ++i)
    result *= i;
  return result;
}

extern "C" int64_t nogil_rt_comb(int64_t n, int64_t k) {
  if (k > n)
    return 0;
  k = std::min(k, n - k);
  // C(n - k + i, i) after step i, which grows with i: past int64 once, past it at the end.
  // Since C(n, i) >= 2**i for i <= n / 2, at most 63 steps run before that happens.
  unsigned __int128 result = 1;
  for (int64_t i = 1; i <= k; ++i) {
    result = result * static_cast<unsigned __int128>(n - k + i) / static_cast<uint64_t>(i);
    if (result > kInt64Max)
      return kDoesNotFit;
  }
  return static_cast<int64_t>(result);
}

extern "C" int64_t nogil_rt_perm(int64_t n, int64_t k) {
  if (k > n)
    return 0;
  unsigned __int128 result = 1;
  // Every factor but possibly the last is >= 2: at most 64 steps before the result overflows.
  for (int64_t i = 0; i < k; ++i) {
    result *= static_cast<unsigned __int128>(n - i);
    if (result > kInt64Max)
      return kDoesNotFit;
  }
  return static_cast<int64_t>(result);
}

extern "C" int64_t nogil_rt_isqrt(int64_t n) {
  auto root = static_cast<unsigned __int128>(std::sqrt(static_cast<double>(n)));
  auto value = static_cast<unsigned __int128>(n);
  while (root * root > value)
    --root;
  while ((root + 1) * (root + 1) <= value)
    ++root;
  return static_cast<int64_t>(root);
}

extern "C" int64_t nogil_rt_pow_mod(int64_t base, int64_t exp, int64_t mod) {
  uint64_t modulus = magnitude(mod);
  if (modulus == 1)
    return 0;
  auto reduced = static_cast<__int128>(base) % static_cast<__int128>(modulus);
  if (reduced < 0)
    reduced += modulus;
  auto factor = static_cast<unsigned __int128>(reduced);
  uint64_t power = magnitude(exp);
  if (exp < 0)
    factor = inverseModulo(static_cast<uint64_t>(factor), modulus);
  unsigned __int128 result = 1;
  while (power != 0) {
    if (power & 1)
      result = result * factor % modulus;
    factor = factor * factor % modulus;
    power >>= 1;
  }
  auto value = static_cast<int64_t>(result); // < modulus <= 2**63
  if (mod < 0 && value != 0)
    value = static_cast<int64_t>(static_cast<uint64_t>(value) - modulus);
  return value;
}
