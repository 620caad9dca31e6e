"""Generator expressions and generator functions against the hand-written loop, nogil
against Numba, in one process: `sum(x * x for x in range(n))`, a filtered `max` over an
array, and a generator function consumed by `for`.

    python benchmarks/generators.py [--size N] [--repeat R]

Each timing is the best of R calls after a warm-up call (which compiles); nogil's and
Numba's results are checked against the hand loop's. Numba compiles no generator expression
(its column says so); its generator functions run as a frame object resumed per item.
"""

import argparse
import time

import numba
import numpy as np

import nogil


def make_kernels(jit):
    """Each kernel written with a generator and by hand, compiled by ``jit``."""

    def sum_squares_generator(n, a):
        return sum(x * x for x in range(n))

    def sum_squares_loop(n, a):
        total = 0
        for x in range(n):
            total += x * x
        return total

    def filtered_max_generator(n, a):
        return max(v for v in a if v < 0.5)

    def filtered_max_loop(n, a):
        best = -np.inf
        for v in a:
            if v < 0.5 and v > best:
                best = v
        return best

    @jit
    def strided(a, step):
        for i in range(0, len(a), step):
            yield a[i] * a[i]

    def generator_function(n, a):
        total = 0.0
        for v in strided(a, 2):
            total += v
        return total

    def generator_function_loop(n, a):
        total = 0.0
        for i in range(0, len(a), 2):
            total += a[i] * a[i]
        return total

    kernels = {
        "sum(x*x for x in range)": (sum_squares_generator, sum_squares_loop),
        "max(v for v in a if)": (filtered_max_generator, filtered_max_loop),
        "for v in generator(a)": (generator_function, generator_function_loop),
    }
    return {name: (jit(g), jit(h)) for name, (g, h) in kernels.items()}


def best_time(function, args, repeat):
    try:
        function(*args)
    except numba.core.errors.UnsupportedError:
        return float("nan")
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**6)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    args = (options.size, np.random.default_rng(0).random(options.size))
    ours, theirs = make_kernels(nogil.njit), make_kernels(numba.njit)
    header = f"{'kernel':<26} {'nogil gen':>10} {'nogil loop':>10} {'numba gen':>10}"
    print(f"{header} {'numba loop':>10} {'gen/loop':>8} {'/numba':>7}")
    # /numba: nogil's generator against Numba's generator, or its loop where it has none.
    for name, (generator, loop) in ours.items():
        numba_generator, numba_loop = theirs[name]
        expected = loop(*args)
        assert np.isclose(generator(*args), expected)
        times = [
            best_time(f, args, options.repeat)
            for f in (generator, loop, numba_generator, numba_loop)
        ]
        if times[2] == times[2]:
            assert np.isclose(numba_generator(*args), expected)
        numba_best = times[2] if times[2] == times[2] else times[3]
        print(
            f"{name:<26} "
            + " ".join(f"{t * 1e3:>8.3f}ms" if t == t else f"{'n/a':>10}" for t in times)
            + f" {times[0] / times[1]:>8.2f} {times[0] / numba_best:>7.2f}"
        )


if __name__ == "__main__":
    main()
