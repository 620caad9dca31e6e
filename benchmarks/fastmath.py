"""fastmath side by side: a float sum and a dot product, nogil and Numba, each with and
without ``fastmath=True``, in one process, round by round and interleaved.

    python benchmarks/fastmath.py [--rounds R] [--size N]

A sample is the best of a few back-to-back calls; each row gives the median time and the
ratio to Numba's with the same option, computed within each round.
"""

import argparse
import statistics
import time

import numba
import numpy as np

import nogil


def total(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


KERNELS = {"sum": (total, 1), "dot": (dot, 2)}


def best_of(function, args, calls=5):
    best = float("inf")
    for _ in range(calls):
        started = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--size", type=int, default=1_000_000)
    options = parser.parse_args()
    rng = np.random.default_rng(1)
    arrays = [rng.random(options.size) for _ in range(2)]
    print(f"n = {options.size}, {options.rounds} rounds, median of best-of-5 samples")
    print(f"{'kernel':8} {'fastmath':9} {'nogil ms':>9} {'Numba ms':>9} {'nogil/Numba':>12}")
    for name, (kernel, arity) in KERNELS.items():
        args = arrays[:arity]
        for fast in (False, True):
            ours = nogil.njit(fastmath=fast)(kernel)
            theirs = numba.njit(fastmath=fast)(kernel)
            assert np.isclose(ours(*args), theirs(*args))
            times, ratios = {"nogil": [], "numba": []}, []
            for _ in range(options.rounds):
                a, b = best_of(ours, args), best_of(theirs, args)
                times["nogil"].append(a)
                times["numba"].append(b)
                ratios.append(a / b)
            print(
                f"{name:8} {fast!s:9} {statistics.median(times['nogil']) * 1e3:9.3f} "
                f"{statistics.median(times['numba']) * 1e3:9.3f} {statistics.median(ratios):12.2f}"
            )


if __name__ == "__main__":
    main()
