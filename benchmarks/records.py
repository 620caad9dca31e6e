"""Loops over a structured array (10**6 records of a float64 and an int32, packed), nogil
against Numba and NumPy, in one process: a field-by-field reduction through `a[i]['f']`, an
update through `a[i].f`, a reduction of a field view `a['f'].sum()`, and the call overhead
of a record argument.

    python benchmarks/records.py [--size N] [--repeat R]

Each timing is the best of R calls after a warm-up call (which compiles); results are
checked against NumPy's.
"""

import argparse

import numba
import numpy as np
from _timing import best_time

import nogil

POINT = np.dtype([("f", np.float64), ("g", np.int32)])


def weighted_sum(a):
    total = 0.0
    for i in range(len(a)):
        total += a[i]["f"] * a[i]["g"]
    return total


def scale_field(a):
    for i in range(len(a)):
        a[i].f = a[i].f * 0.5 + a[i].g


def field_view_sum(a):
    return a["f"].sum()


def record_argument(r):
    return r["f"] + r["g"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**6)
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    a = np.zeros(options.size, POINT)
    a["f"] = np.random.default_rng(0).normal(size=options.size)
    a["g"] = np.arange(options.size) % 7
    numpy_versions = {
        "weighted_sum": lambda a: float((a["f"] * a["g"]).sum()),
        "scale_field": lambda a: a.__setitem__("f", a["f"] * 0.5 + a["g"]),
        "field_view_sum": lambda a: a["f"].sum(),
        "record_argument": lambda r: r["f"] + r["g"],
    }
    print(f"{'kernel':<16} {'nogil':>10} {'numba':>10} {'numpy':>10} {'/numba':>7} {'/numpy':>7}")
    for plain in (weighted_sum, scale_field, field_view_sum, record_argument):
        args = (a[3],) if plain is record_argument else (a,)
        repeat = options.repeat * (1000 if plain is record_argument else 1)
        compiled, reference = nogil.njit(plain), numba.njit(plain)
        if plain is not scale_field:
            assert np.isclose(compiled(*args), numpy_versions[plain.__name__](*args))
        times = [
            best_time(f, args, repeat)
            for f in (compiled, reference, numpy_versions[plain.__name__])
        ]
        print(
            f"{plain.__name__:<16} {times[0] * 1e6:>8.2f}us {times[1] * 1e6:>8.2f}us "
            f"{times[2] * 1e6:>8.2f}us {times[0] / times[1]:>7.2f} {times[0] / times[2]:>7.2f}"
        )


if __name__ == "__main__":
    main()
