// math's integer functions (factorial, comb, perm, isqrt) and pow(base, exp, mod), for
// compiled code. The checks CPython raises for (negative arguments, a zero modulus) are the
// caller's; these compute.
#pragma once

#include <cstdint>

extern "C" {

/// n! for 0 <= n <= 20; -1 when n! does not fit in int64 (n > 20).
int64_t nogil_rt_factorial(int64_t n);

/// C(n, k) for n, k >= 0 (0 when k > n); -1 when the result does not fit in int64.
int64_t nogil_rt_comb(int64_t n, int64_t k);

/// n! / (n - k)! for n, k >= 0 (0 when k > n); -1 when the result does not fit in int64.
int64_t nogil_rt_perm(int64_t n, int64_t k);

/// The floor of the square root of n >= 0, exactly.
int64_t nogil_rt_isqrt(int64_t n);

/// pow(base, exp, mod) as Python computes it: mod != 0; when exp < 0, base is invertible
/// modulo mod. The result has mod's sign (or is 0).
int64_t nogil_rt_pow_mod(int64_t base, int64_t exp, int64_t mod);
}
