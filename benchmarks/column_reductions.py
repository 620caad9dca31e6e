"""Reductions and scans along the first axis of a C-ordered matrix (they walk its columns):
nogil against Numba and NumPy, in one process.

    python benchmarks/column_reductions.py [--side N] [--repeat R]

Each timing is the best of R calls after a warm-up call (which compiles); the ratio columns
divide nogil's time by Numba's and by NumPy's. Results are checked against NumPy's.
"""

import argparse

import numba
import numpy as np
from _timing import best_time

import nogil


def cumsum_rows(a):
    return np.cumsum(a, axis=0)


def argmax_rows(a):
    return np.argmax(a, axis=0)


def argmin_columns(a):
    return np.argmin(a, axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    a = rng.standard_normal((args.side, args.side))
    cases = [
        ("np.cumsum(a, axis=0)", cumsum_rows, (a,)),
        ("np.argmax(a, axis=0)", argmax_rows, (a,)),
        ("np.argmin(a, axis=1)", argmin_columns, (a,)),
        ("np.argmax(int64, axis=0)", argmax_rows, ((a * 1000).astype(np.int64),)),
    ]
    print(f"{'case':<28}{'nogil ms':>10}{'numba ms':>10}{'numpy ms':>10}{'/numba':>8}{'/numpy':>8}")
    for label, function, inputs in cases:
        compiled = nogil.njit(function)
        by_numba = numba.njit(function)
        expected = function(*inputs)
        np.testing.assert_allclose(compiled(*inputs), expected, rtol=1e-9)
        try:
            np.testing.assert_allclose(by_numba(*inputs), expected, rtol=1e-9)
        except numba.core.errors.TypingError:  # a form this Numba does not compile
            by_numba = None
        mine, numpys = best_time(compiled, inputs, args.repeat), best_time(function, inputs, 3)
        numbas = best_time(by_numba, inputs, args.repeat) if by_numba else float("nan")
        print(
            f"{label:<28}{mine * 1e3:>10.2f}{numbas * 1e3:>10.2f}{numpys * 1e3:>10.2f}"
            f"{mine / numbas:>8.2f}{mine / numpys:>8.2f}"
        )


if __name__ == "__main__":
    main()
