// Numeric helpers compiled code calls where CPython's exact result takes more than a few
// instructions: hashing and decimal rounding.
#pragma once

#include <cstdint>

extern "C" {

/// hash(v) for an int, as CPython computes it: v modulo 2**61 - 1 with v's sign, -1 -> -2.
int64_t nogil_rt_hash_int(int64_t value);

/// hash(v) for a uint64 (all 64 bits are magnitude).
int64_t nogil_rt_hash_uint(uint64_t value);

/// hash(v) for a float, as CPython's _Py_HashDouble (a float equal to an int hashes like it).
/// NaN hashes to 0: CPython hashes each NaN object by its identity, which has no equivalent.
int64_t nogil_rt_hash_float(double value);

/// round(x, ndigits) for an int with ndigits < 0: to a multiple of 10**-ndigits, ties to
/// even, wrapping to int64 like every int operation.
int64_t nogil_rt_round_int(int64_t value, int64_t ndigits);

/// math.gcd(a, b): non-negative; gcd(-2**63, 0) wraps to -2**63.
int64_t nogil_rt_gcd(int64_t a, int64_t b);

/// round(x, ndigits) for a float: x correctly rounded to a multiple of 10**-ndigits, ties to
/// even, as CPython's float.__round__.
double nogil_rt_round_float(double value, int64_t ndigits);
}
