"""A compiled generator function consumed from Python (`sum(gen(...))`, one compiled step per
item), nogil against Numba's generator and CPython's, in one process; and the same generator
consumed by a compiled `for` loop (inlined, no frame).

    python benchmarks/generator_objects.py [--size N] [--repeat R]

Each timing is the best of R calls after a warm-up call (which compiles); the results are
checked against CPython's.
"""

import argparse
import sys
from pathlib import Path

import numba
import numpy as np

import nogil

sys.path.insert(0, str(Path(__file__).parent))
from _timing import best_time


def strided_squares(a, step):
    for i in range(0, len(a), step):
        yield a[i] * a[i]


def running_max(a):
    best = -np.inf
    for v in a:
        if v > best:
            best = v
        yield best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    a = np.random.default_rng(0).random(args.size)

    rows = []
    for name, generator, call_args in [
        ("sum(strided_squares(a, 2))", strided_squares, (a, 2)),
        ("sum(running_max(a))", running_max, (a,)),
    ]:
        compiled = {
            "CPython": generator,
            "Numba": numba.njit(generator),
            "nogil": nogil.njit(generator),
        }
        expected = sum(generator(*call_args))
        times = {}
        for label, function in compiled.items():
            result = sum(function(*call_args))
            assert np.isclose(result, expected), (label, result, expected)
            times[label] = best_time(lambda f=function, c=call_args: sum(f(*c)), (), args.repeat)
        rows.append((f"from Python: {name}", times))

    inlined_gen = nogil.njit(strided_squares)

    @nogil.njit
    def consume_inlined(a):
        total = 0.0
        for v in inlined_gen(a, 2):
            total += v
        return total

    numba_gen = numba.njit(strided_squares)

    @numba.njit
    def consume_numba(a):
        total = 0.0
        for v in numba_gen(a, 2):
            total += v
        return total

    times = {
        "CPython": best_time(lambda: sum(strided_squares(a, 2)), (), args.repeat),
        "Numba": best_time(consume_numba, (a,), args.repeat),
        "nogil": best_time(consume_inlined, (a,), args.repeat),
    }
    rows.append(("compiled for loop over strided_squares(a, 2)", times))

    print(f"size {args.size}, best of {args.repeat}; per item in ns; ratio = Numba / nogil")
    for name, times in rows:
        per_item = {k: v / args.size * 1e9 for k, v in times.items()}
        shown = "  ".join(f"{k} {v:8.1f}" for k, v in per_item.items())
        print(f"{name:48} {shown}  ratio {times['Numba'] / times['nogil']:.2f}")


if __name__ == "__main__":
    main()
