"""complex64 kernels, nogil against Numba and NumPy in one run: a fused elementwise
expression with np.abs (NumPy's absolute loop reproduced) and a scalar accumulation loop.

    python benchmarks/complex64.py [--n N]

Best of 7 calls after a warm-up call; the ratios are nogil / Numba and nogil / NumPy.
"""

import argparse
import time

import numba
import numpy as np

import nogil


def fused(z, w):
    return np.abs(z * w + 1j)


def accumulate(z):
    s = np.complex64(0)
    for i in range(z.shape[0]):
        s += z[i] * z[i]
    return s


def best(f, *args):
    f(*args)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        f(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    n = parser.parse_args().n
    rng = np.random.default_rng(0)
    z = (rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64)
    w = z[::-1].copy()
    rows = [
        ("np.abs(z * w + 1j)", fused, (z, w), lambda z, w: np.abs(z * w + 1j)),
        ("loop s += z[i] * z[i]", accumulate, (z,), lambda z: (z * z).sum()),
    ]
    print(f"complex64, n = {n}: milliseconds (nogil / Numba, nogil / NumPy)")
    for name, kernel, args, numpy_version in rows:
        ours = best(nogil.njit(kernel), *args)
        theirs = best(numba.njit(kernel), *args)
        reference = best(numpy_version, *args)
        print(
            f"{name:24} nogil {ours * 1e3:7.2f}  numba {theirs * 1e3:7.2f}  "
            f"numpy {reference * 1e3:7.2f}  ({ours / theirs:.2f}x, {ours / reference:.2f}x)"
        )


if __name__ == "__main__":
    main()
