"""Closures and lambdas (issue 15): a Simpson quadrature on N points and a bisection root
finder run M times, each given a lambda or an inner function that captures a local of its
caller, nogil against Numba with the same code, in one process.

    python benchmarks/closures.py [--points N] [--roots M] [--repeat R]

Rows: a lambda capturing a parameter passed to a compiled quadrature, an inner `def`
capturing two locals passed to a compiled root finder, the same inner function called in
the loop of the function that defines it, and the loop with the expression written out
(the direct row). Each timing is the best of R calls after a warm-up call (which
compiles); every result is checked against the direct row's. Numba refuses a closure over a
run-time value that escapes the function defining it ("Cannot capture the non-constant
value"): those rows say so, and nogil's speed is then measured against the direct row.
"""

import argparse
import math

import numba
from _timing import best_time

import nogil


def simpson(f, a, b, n):
    h = (b - a) / n
    total = f(a) + f(b)
    for i in range(1, n):
        total += (4.0 if i % 2 else 2.0) * f(a + i * h)
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


def simpson_lambda(k, a, b, n):
    return simpson(lambda x: math.exp(-x * x) * math.cos(k * x), a, b, n)


def simpson_inner_loop(k, a, b, n):  # the closure called where it is defined
    def f(x):
        return math.exp(-x * x) * math.cos(k * x)

    h = (b - a) / n
    total = f(a) + f(b)
    for i in range(1, n):
        total += (4.0 if i % 2 else 2.0) * f(a + i * h)
    return total * h / 3.0


def simpson_direct(k, a, b, n):
    h = (b - a) / n
    total = math.exp(-a * a) * math.cos(k * a) + math.exp(-b * b) * math.cos(k * b)
    for i in range(1, n):
        x = a + i * h
        total += (4.0 if i % 2 else 2.0) * (math.exp(-x * x) * math.cos(k * x))
    return total * h / 3.0


def roots_closure(k, shift, m):
    def f(x):
        return math.exp(-x * x) * math.cos(k * x) - shift

    total = 0.0
    for j in range(m):
        total += bisect(f, 0.1 + j * 1e-7, 0.9)
    return total


def roots_direct(k, shift, m):
    total = 0.0
    for j in range(m):
        lo, hi = 0.1 + j * 1e-7, 0.9
        flo = math.exp(-lo * lo) * math.cos(k * lo) - shift
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            fmid = math.exp(-mid * mid) * math.cos(k * mid) - shift
            if (fmid < 0) == (flo < 0):
                lo, flo = mid, fmid
            else:
                hi = mid
        total += 0.5 * (lo + hi)
    return total


def compiled_set(jit):
    """The benchmark's functions compiled by `jit`, calling each other's compiled twins."""
    glob = dict(globals())
    made = {}
    for name in ("simpson", "bisect"):
        function = globals()[name]
        made[name] = glob[name] = jit(type(function)(function.__code__, glob, name))
    for name in (
        "simpson_lambda",
        "simpson_inner_loop",
        "simpson_direct",
        "roots_closure",
        "roots_direct",
    ):
        function = globals()[name]
        made[name] = jit(type(function)(function.__code__, glob, name))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10**6)
    parser.add_argument("--roots", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=10)
    options = parser.parse_args()
    n, m = options.points, options.roots
    ours, theirs = compiled_set(nogil.njit), compiled_set(numba.njit)
    quadrature = (3.0, 0.0, 2.0, n)
    rows = [
        ("simpson, lambda passed", "simpson_lambda", quadrature),
        ("simpson, inner def called in a loop", "simpson_inner_loop", quadrature),
        ("simpson, direct", "simpson_direct", quadrature),
        ("bisection, closure passed", "roots_closure", (3.0, 0.05, m)),
        ("bisection, direct", "roots_direct", (3.0, 0.05, m)),
    ]
    print(f"points {n}, roots {m}, best of {options.repeat}")
    print(f"| {'case':36} | nogil ms | Numba ms | nogil/Numba | nogil/direct |")
    print(f"|{'-' * 38}|---------:|---------:|------------:|-------------:|")
    timings = {}
    for label, name, arguments in rows:
        family = label.split(",")[0]
        direct = "simpson_direct" if family == "simpson" else "roots_direct"
        expected = ours[direct](*arguments)
        got = ours[name](*arguments)
        assert math.isclose(got, expected, rel_tol=1e-12), (label, got, expected)
        mine = best_time(ours[name], arguments, options.repeat)
        try:  # Numba refuses a closure over a run-time value that escapes its frame
            assert math.isclose(theirs[name](*arguments), expected, rel_tol=1e-12), label
            numbas = best_time(theirs[name], arguments, options.repeat)
        except numba.core.errors.TypingError:
            numbas = None
        timings[label] = (mine, numbas, family)
    for label, (mine, numbas, family) in timings.items():
        direct = timings[f"{family}, direct"][0]
        numba_ms, ratio = (
            ("refused", "-") if numbas is None else (f"{numbas * 1e3:.2f}", f"{mine / numbas:.2f}")
        )
        print(
            f"| {label:36} | {mine * 1e3:8.2f} | {numba_ms:>8} | {ratio:>11} | "
            f"{mine / direct:12.2f} |"
        )


if __name__ == "__main__":
    main()
