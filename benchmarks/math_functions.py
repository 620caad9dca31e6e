"""math, cmath and operator functions in a loop (issue 15), nogil against Numba.

    python benchmarks/math_functions.py [--n N] [--repeat R]

Each kernel applies one function to every element of a float64 array and sums; the best of
R runs of each compiled kernel is printed with the ratio nogil / Numba (below 1: nogil is
faster). The results are checked against each other first.
"""

import argparse
import cmath
import math
import operator
import time

import numba
import numpy as np

import nogil


def erf_sum(a):
    total = 0.0
    for i in range(a.shape[0]):
        total += math.erf(a[i])
    return total


def gamma_sum(a):
    total = 0.0
    for i in range(a.shape[0]):
        total += math.lgamma(a[i]) + math.gamma(a[i] * 0.01 + 1.0)
    return total


def ldexp_frexp_sum(a):
    total = 0.0
    for i in range(a.shape[0]):
        m, e = math.frexp(a[i])
        total += math.ldexp(m, e + 1)
    return total


def operator_sum(a):
    total = 0.0
    for i in range(a.shape[0]):
        total = operator.add(total, operator.mul(a[i], 0.5))
    return total


def complex_power_sum(a):
    total = 0j
    for i in range(a.shape[0]):
        z = complex(a[i], 1.0)
        total += z**3
    return total


def cmath_exp_log_sum(a):
    total = 0j
    for i in range(a.shape[0]):
        z = complex(a[i], 0.5)
        total += cmath.exp(z * 0.01) + cmath.log(z)
    return total


def cmath_trig_sum(a):
    total = 0j
    for i in range(a.shape[0]):
        z = complex(a[i] * 0.01, 0.5)
        total += cmath.sin(z) + cmath.tanh(z) + cmath.atan(z) + cmath.acosh(z)
    return total


def hypot_sum(a):
    total = 0.0
    for i in range(a.shape[0]):
        total += math.hypot(a[i], 2.0)
    return total


KERNELS = [
    erf_sum,
    gamma_sum,
    ldexp_frexp_sum,
    operator_sum,
    complex_power_sum,
    cmath_exp_log_sum,
    cmath_trig_sum,
    hypot_sum,
]


def best_time(function, a, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(a)
        best = min(best, time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    a = np.linspace(0.5, 100.0, args.n)
    print(f"{'kernel':<20}{'nogil ms':>10}{'numba ms':>10}{'ratio':>8}")
    for kernel in KERNELS:
        ours = nogil.njit(kernel)
        theirs = numba.njit(kernel)
        expected, got = theirs(a), ours(a)
        assert abs(expected - got) <= 1e-9 * abs(expected), (kernel.__name__, expected, got)
        t_ours = best_time(ours, a, args.repeat)
        t_theirs = best_time(theirs, a, args.repeat)
        print(
            f"{kernel.__name__:<20}{t_ours * 1e3:>10.2f}{t_theirs * 1e3:>10.2f}"
            f"{t_ours / t_theirs:>8.2f}"
        )


if __name__ == "__main__":
    main()
