"""Matrix products side by side: `a @ b` compiled by nogil and by Numba, and run by NumPy.

    python benchmarks/matmul.py [--rounds R]

Every variant calls an optimised BLAS: nogil scipy-openblas64 (the OpenBLAS NumPy's wheels
bundle, loaded by nogil itself), NumPy its own bundled OpenBLAS, Numba SciPy's. Each runs on one
thread unless OPENBLAS_NUM_THREADS says otherwise: on a busy two-CPU machine a BLAS worker per
CPU makes every call wait for whichever worker got descheduled (a 200x200 product then takes
tens of ms instead of a fraction of one), which would time the machine's load. Rounds are
interleaved; a sample is the best of a few back-to-back calls; ratios are computed per round,
then the median is taken. Results are checked against NumPy's before anything is timed.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable

# Read when each BLAS loads, so this precedes the imports of NumPy, nogil and Numba.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
from fib import cpu_model, median_range, report_header, software, usable_cpus

from nogil import njit
from nogil.demo import PeerUnavailable, parse_count

DEFAULT_ROUNDS = 9
CALLS_PER_SAMPLE = 5
GOAL = 1.10  # `@` within 10% of NumPy's time


def product(a, b):
    return a @ b


CASES = (
    ("float64 200x200 @ 200x200", (200, 200), (200, 200), np.float64),
    ("float64 1000x1000 @ 1000x1000", (1000, 1000), (1000, 1000), np.float64),
    ("float64 2000x2000 @ 2000 (matrix-vector)", (2000, 2000), (2000,), np.float64),
    ("float64 100,000 @ 100,000 (dot)", (100_000,), (100_000,), np.float64),
    ("float32 500x500 @ 500x500", (500, 500), (500, 500), np.float32),
    ("complex128 300x300 @ 300x300", (300, 300), (300, 300), np.complex128),
)


def sample(run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(CALLS_PER_SAMPLE):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=parse_count, default=DEFAULT_ROUNDS)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(20240601)
    compiled = {"nogil": njit(product)}
    skipped = []
    try:
        import numba

        compiled["Numba"] = numba.njit(product)
    except ImportError as err:
        skipped.append(f"Numba: {PeerUnavailable(err)}")
    tables = []
    for title, left, right, dtype in CASES:
        a = rng.standard_normal(left).astype(dtype)
        b = rng.standard_normal(right).astype(dtype)
        expected = product(a, b)
        rows = {"NumPy": lambda a=a, b=b: product(a, b)}
        for name, function in compiled.items():
            np.testing.assert_allclose(function(a, b), expected, rtol=1e-3)
            rows[name] = lambda f=function, a=a, b=b: f(a, b)
        tables.append((title, rows))
    samples = {(title, name): [] for title, rows in tables for name in rows}
    for _round in range(args.rounds):
        for title, rows in tables:
            for name, run in rows.items():
                samples[title, name].append(sample(run))
    print(
        report_header(
            "Matrix products: nogil, Numba and NumPy",
            [f"machine: {cpu_model()}, {usable_cpus()} CPUs (nproc)", f"software: {software()}"],
            [
                f"BLAS threads: OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}",
                f"NumPy {np.__version__}; {args.rounds} interleaved rounds, best of "
                f"{CALLS_PER_SAMPLE} calls a sample; per-round ratios, median",
            ],
            skipped,
        )
    )

    def ratio(title, numerator, denominator):
        pairs = zip(samples[title, numerator], samples[title, denominator], strict=True)
        return statistics.median(x / y for x, y in pairs)

    print("\n| product | variant | ms, median [min-max] | vs NumPy | vs Numba |")
    print("|---|---|---|---|---|")
    for title, rows in tables:
        for name in rows:
            runs = samples[title, name]
            vs_numpy = f"{ratio(title, name, 'NumPy'):.2f}"
            vs_numba = f"{ratio(title, name, 'Numba'):.2f}" if "Numba" in rows else "-"
            print(f"| {title} | {name} | {median_range(runs)} | {vs_numpy} | {vs_numba} |")
    worst = max(ratio(title, "nogil", "NumPy") for title, _ in tables)
    verdict = "met" if worst <= GOAL else "NOT met"
    print(f"\n- nogil / NumPy at worst {worst:.2f} (goal <= {GOAL:.2f}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
