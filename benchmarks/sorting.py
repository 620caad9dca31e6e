"""np.sort and np.argsort of 10**6 float64 (random, with a few NaNs; and already sorted),
nogil against Numba and NumPy, in one process.

    python benchmarks/sorting.py [--size N] [--repeat R]

Each timing is the best of R calls after a warm-up call (which compiles); the ratio columns
divide nogil's time by Numba's and by NumPy's. The results are checked against NumPy's
(for argsort, as the order they give).
"""

import argparse
import time

import numba
import numpy as np

import nogil


def sort_values(a):
    return np.sort(a)


def sort_indices(a):
    return np.argsort(a)


def best_time(function, a, repeat):
    function(a)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(a)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**6)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    random = rng.standard_normal(args.size)
    random[rng.integers(0, args.size, 10)] = np.nan
    inputs = {
        "random float64": random,
        "sorted float64": np.sort(rng.standard_normal(args.size)),
        "random int64": rng.integers(-(10**9), 10**9, args.size),
    }
    print(f"{'case':<32}{'nogil ms':>10}{'numba ms':>10}{'numpy ms':>10}{'/numba':>8}{'/numpy':>8}")
    for label, function in (("np.sort", sort_values), ("np.argsort", sort_indices)):
        compiled = nogil.njit(function)
        by_numba = numba.njit(function)
        for name, a in inputs.items():
            # Equal values in sorted order (the order among ties and NaNs is free).
            expected = np.sort(a)
            for f in (compiled, by_numba):
                got = f(a)
                np.testing.assert_array_equal(got if function is sort_values else a[got], expected)
            times = [best_time(f, a, args.repeat) for f in (compiled, by_numba, function)]
            ms = [t * 1e3 for t in times]
            print(
                f"{label + ' ' + name:<32}{ms[0]:>10.1f}{ms[1]:>10.1f}{ms[2]:>10.1f}"
                f"{times[0] / times[1]:>8.2f}{times[0] / times[2]:>8.2f}"
            )


if __name__ == "__main__":
    main()
