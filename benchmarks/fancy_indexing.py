"""Advanced indexing, `a.flat` and sliding windows: nogil against Numba and NumPy, in one
process.

    python benchmarks/fancy_indexing.py [--size N] [--repeat R]

Each timing is the best of R calls after a warm-up call (which compiles); the ratio columns
divide nogil's time by Numba's and by NumPy's. Results are checked against NumPy's.
"""

import argparse
import time

import numba
import numpy as np

import nogil


def gather_pairs(a, i, j):
    return a[i, j]


def gather_2d_index(v, k):
    return v[k]


def gather_adjacent(x, i, j):
    return x[:, i, j]


def scatter_pairs(a, i, j, values):
    a[i, j] = values
    return a


def add_at_indices(a, i, value):
    a[i] += value
    return a


def add_pairs(a, i, j, values):
    a[i, j] += values
    return a


def scatter(a, i, values):
    a[i] = values
    return a


def masked_store(a, m, values):
    a[m] = values
    return a


def flat_sum(a):
    total = 0.0
    for e in a.flat:
        total += e
    return total


def window_means(x):
    v = np.lib.stride_tricks.sliding_window_view(x, 16)
    out = np.empty(v.shape[0])
    for k in range(v.shape[0]):
        s = 0.0
        for w in range(16):
            s += v[k, w]
        out[k] = s / 16
    return out


def best_time(function, args, repeat):
    function(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    best = float("inf")
    for _ in range(repeat):
        fresh = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        start = time.perf_counter()
        function(*fresh)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**6)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n = args.size
    rng = np.random.default_rng(0)
    side = int(n**0.5)
    a = rng.standard_normal((side, side))
    i = rng.integers(0, side, n)
    j = rng.integers(-side, side, n)
    x = rng.standard_normal((4, side // 2, side // 2))
    mask = rng.random(side * side) < 0.5
    cases = [
        ("a[i, j] (two index arrays)", gather_pairs, (a, i, j)),
        ("v[k] (2-d index array)", gather_2d_index, (a.ravel(), i.reshape(-1, 100))),
        ("x[:, i, j] (adjacent)", gather_adjacent, (x, i[: n // 8] // 2, j[: n // 8] // 2)),
        ("a[i, j] = values", scatter_pairs, (a, i, j, rng.standard_normal(n))),
        ("a[i] += 1.0 (1-d)", add_at_indices, (a.ravel(), i, 1.0)),
        ("a[i] += v (2 index arrays)", add_pairs, (a, i, j, rng.standard_normal(n))),
        ("a[i] = v (1-d)", scatter, (a.ravel(), i, rng.standard_normal(n))),
        ("a[m] = values (1-d)", masked_store, (a.ravel(), mask, rng.standard_normal(mask.sum()))),
        ("for e in a.flat (Fortran)", flat_sum, (np.asfortranarray(a),)),
        ("sliding_window_view means", window_means, (rng.standard_normal(n),)),
    ]
    print(f"{'case':<32}{'nogil ms':>10}{'numba ms':>10}{'numpy ms':>10}{'/numba':>8}{'/numpy':>8}")
    for label, function, inputs in cases:
        compiled = nogil.njit(function)
        by_numba = numba.njit(function)
        expected = function(*[v.copy() if isinstance(v, np.ndarray) else v for v in inputs])
        for f in (compiled, by_numba):
            got = f(*[v.copy() if isinstance(v, np.ndarray) else v for v in inputs])
            np.testing.assert_allclose(got, expected, rtol=1e-9)
        times = [best_time(f, inputs, args.repeat) for f in (compiled, by_numba, function)]
        ms = [t * 1e3 for t in times]
        print(
            f"{label:<32}{ms[0]:>10.2f}{ms[1]:>10.2f}{ms[2]:>10.2f}"
            f"{times[0] / times[1]:>8.2f}{times[0] / times[2]:>8.2f}"
        )


if __name__ == "__main__":
    main()
