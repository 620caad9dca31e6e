"""Optional arguments: the `out=None` and `scale=None` idioms, nogil against Numba.

    python benchmarks/optional_args.py [--rounds R] [--size N]

Each kernel doubles (or scales) a float64 array into an output. Rows: the output given by the
caller (`out` is an array: `if out is None` is decided when compiling), the output left to
its default None (allocated inside: `out` is optional there), and the same loop without any
optional parameter, for reference. Small arrays show the call path, large ones the loop.
The median time per call of each row is printed for both compilers, with their ratio.
"""

import argparse
import statistics
import timeit

import numpy as np


def doubled(a, out=None):
    if out is None:
        out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = a[i] * 2.0
    return out


def doubled_plain(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i] * 2.0
    return out


def scaled_sum(a, scale=None):
    if scale is None:
        scale = 1.0
    total = 0.0
    for i in range(a.shape[0]):
        total += a[i] * scale
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    import numba

    import nogil

    compilers = {"nogil": nogil.njit, "Numba": numba.njit}
    for size in (8, 100_000):
        a = np.linspace(0.0, 1.0, size)
        out = np.empty_like(a)
        calls = max(10, 2_000_000 // (size + 100))
        rows = {}
        for name, njit in compilers.items():
            d, dp, s = njit(doubled), njit(doubled_plain), njit(scaled_sum)
            cases = {
                "out given": lambda d=d, a=a, out=out: d(a, out),
                "out=None": lambda d=d, a=a: d(a),
                "no optional": lambda dp=dp, a=a, out=out: dp(a, out),
                "scale given": lambda s=s, a=a: s(a, 2.0),
                "scale=None": lambda s=s, a=a: s(a),
            }
            for case, call in cases.items():
                call()  # compile
                samples = [
                    min(timeit.repeat(call, number=calls, repeat=3)) / calls
                    for _ in range(args.rounds)
                ]
                rows.setdefault(case, {})[name] = statistics.median(samples)
        print(f"size {size}: time per call (µs), nogil / Numba")
        for case, times in rows.items():
            ratio = times["nogil"] / times["Numba"]
            print(
                f"  {case:12s} nogil {times['nogil'] * 1e6:9.3f}  "
                f"Numba {times['Numba'] * 1e6:9.3f}  ratio {ratio:5.2f}"
            )


if __name__ == "__main__":
    main()
