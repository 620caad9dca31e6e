"""Functions passed as arguments (issue 15): a Simpson quadrature on N points and a bisection
root finder run M times, each taking the integrand as an argument, nogil against Numba, and
against the same loops calling the function directly, in one process.

    python benchmarks/callables.py [--points N] [--roots M] [--repeat R]

Rows: a jitted global function passed from Python (a Dispatcher argument), a jitted function
passed between compiled functions, and the direct call. Each timing is the best of R calls
after a warm-up call (which compiles); every result is checked against the direct call's.
"""

import argparse
import math

import numba
from _timing import best_time

import nogil


def integrand(x):
    return math.exp(-x * x) * math.cos(3.0 * x)


def simpson(f, a, b, n):
    h = (b - a) / n
    total = f(a) + f(b)
    for i in range(1, n):
        total += (4.0 if i % 2 else 2.0) * f(a + i * h)
    return total * h / 3.0


def simpson_direct(a, b, n):
    h = (b - a) / n
    total = integrand(a) + integrand(b)
    for i in range(1, n):
        total += (4.0 if i % 2 else 2.0) * integrand(a + i * h)
    return total * h / 3.0


def bisect(f, lo, hi):
    flo = f(lo)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        fmid = f(mid)
        if (fmid < 0) == (flo < 0):
            lo, flo = mid, fmid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def roots(f, m):
    total = 0.0
    for k in range(m):
        total += bisect(f, 0.1 + k * 1e-7, 0.9)
    return total


def bisect_direct(lo, hi):
    flo = integrand(lo)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        fmid = integrand(mid)
        if (fmid < 0) == (flo < 0):
            lo, flo = mid, fmid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def roots_direct(m):
    total = 0.0
    for k in range(m):
        total += bisect_direct(0.1 + k * 1e-7, 0.9)
    return total


def simpson_of_integrand(a, b, n):  # the function passed between compiled functions
    return simpson(integrand, a, b, n)


def roots_of_integrand(m):
    return roots(integrand, m)


def compiled_set(jit):
    """The benchmark's functions compiled by `jit`, calling each other's compiled twins."""
    glob = dict(globals())
    made = {}
    for name in ("integrand", "simpson", "simpson_direct", "bisect", "bisect_direct"):
        function = globals()[name]
        made[name] = jit(type(function)(function.__code__, glob, name))
        glob[name] = made[name]
    for name in ("roots", "roots_direct", "simpson_of_integrand", "roots_of_integrand"):
        function = globals()[name]
        made[name] = jit(type(function)(function.__code__, glob, name))
        glob[name] = made[name]
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10**6)
    parser.add_argument("--roots", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=10)
    options = parser.parse_args()
    n, m = options.points, options.roots
    ours, theirs = compiled_set(nogil.njit), compiled_set(numba.njit)
    rows = [
        ("simpson, Dispatcher argument", "simpson", lambda c: (c["integrand"], 0.0, 2.0, n)),
        ("simpson, passed in compiled code", "simpson_of_integrand", lambda c: (0.0, 2.0, n)),
        ("simpson, direct call", "simpson_direct", lambda c: (0.0, 2.0, n)),
        ("bisection, Dispatcher argument", "roots", lambda c: (c["integrand"], m)),
        ("bisection, passed in compiled code", "roots_of_integrand", lambda c: (m,)),
        ("bisection, direct call", "roots_direct", lambda c: (m,)),
    ]
    expected = {
        "simpson": ours["simpson_direct"](0.0, 2.0, n),
        "bisection": ours["roots_direct"](m),
    }
    print(f"points {n}, roots {m}, best of {options.repeat}")
    print(f"| {'case':36} | nogil ms | Numba ms | nogil/Numba | nogil/direct |")
    print(f"|{'-' * 38}|---------:|---------:|------------:|-------------:|")
    timings = {}
    for label, name, arguments in rows:
        family = label.split(",")[0]
        got = ours[name](*arguments(ours))
        assert math.isclose(got, expected[family], rel_tol=1e-12), (label, got)
        mine = best_time(ours[name], arguments(ours), options.repeat)
        numbas = best_time(theirs[name], arguments(theirs), options.repeat)
        timings[label] = (mine, numbas)
    for label, _, _ in rows:
        mine, numbas = timings[label]
        direct = timings[label.split(",")[0] + ", direct call"][0]
        print(
            f"| {label:36} | {mine * 1e3:8.2f} | {numbas * 1e3:8.2f} | "
            f"{mine / numbas:11.2f} | {mine / direct:12.2f} |"
        )


if __name__ == "__main__":
    main()
