"""datetime64 kernels on 10**6 datetime64[s] values (one in 97 NaT), nogil against Numba and
NumPy, in one process.

    python benchmarks/datetimes.py [--size N] [--repeat R]

`loop` counts the elements after the first once shifted by a timedelta64[m] (a loop over
elements with np.isnat, an addition in the finer unit and a comparison); `expression` is
`(d + t) - d` on the whole array (Numba 0.68 cannot compile it: "No conversion from
timedelta64[s] to timedelta64[]", so its column shows NumPy). Each timing is the best of R
calls after a warm-up call (which compiles); results are checked against the Python run.
"""

import argparse

import numba
import numpy as np
from _timing import best_time

import nogil


def loop(d, t):
    count = 0
    for i in range(d.shape[0]):
        if not np.isnat(d[i]) and d[i] + t > d[0]:
            count += 1
    return count


def expression(d, t):
    return (d + t) - d


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**6)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    d = (np.arange(options.size) * 37 % 100000).astype("M8[s]")
    d[::97] = np.datetime64("NaT")
    t = np.timedelta64(5, "m")
    args = (d, t)
    assert nogil.njit(loop)(*args) == numba.njit(loop)(*args)
    assert np.array_equal(nogil.njit(expression)(*args), expression(*args), equal_nan=True)
    print(f"{'kernel':<12}{'nogil ms':>10}{'other ms':>10}{'ratio':>8}  other")
    for name, function, other, other_name in [
        ("loop", loop, numba.njit(loop), "Numba"),
        ("expression", expression, expression, "NumPy"),
    ]:
        ours = best_time(nogil.njit(function), args, options.repeat)
        theirs = best_time(other, args, options.repeat)
        ratio = ours / theirs
        print(f"{name:<12}{ours * 1e3:>10.2f}{theirs * 1e3:>10.2f}{ratio:>8.2f}  {other_name}")


if __name__ == "__main__":
    main()
