"""Compile time of a kernel that uses several library-layer functions, nogil against Numba.

    python benchmarks/compile_time.py [--rounds R]

Each round runs one fresh child process per compiler. In it, a tiny function is compiled
first (so that neither compiler's start-up counts), then the timed part: the first call of
KERNEL (about 25 lines: np.sum along both axes, b.prod(), np.mean, np.std, np.nansum,
np.count_nonzero, np.min, np.max, np.all; what Numba also compiles), which compiles it and,
in that process, the library functions it uses; then a second kernel using the same
functions (compiled already). The results are checked against each other. Medians over
rounds, and the ratio nogil / Numba computed within each round.
"""

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

from fib import cpu_model, report_header, software, usable_cpus

KERNEL = """
import time, json, sys
import numpy as np
from {module} import njit

@njit
def warm(x):
    return x + 1

warm(1)

@njit
def kernel(a, b):
    rows = np.sum(a, axis=1)
    cols = np.sum(a, axis=0)
    prods = b.prod()
    total = 0.0
    for i in range(rows.shape[0]):
        total += rows[i] * 0.5
    for j in range(cols.shape[0]):
        total -= cols[j]
    centred = 0.0
    m = np.mean(a)
    s = np.std(a)
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            centred += (a[i, j] - m) / (s + 1.0)
    extra = np.nansum(b) + np.count_nonzero(b) + np.max(a) - np.min(b)
    flags = np.all(b >= 0.0)
    return total + centred + extra + prods + (1.0 if flags else 0.0)

@njit
def second(a, b):
    return np.sum(a, axis=0)[0] + np.sum(a, axis=1)[1] + np.mean(b) + np.std(b) + b.prod()

a = np.linspace(0.0, 1.0, 64).reshape(8, 8)
b = np.linspace(0.5, 1.5, 16).reshape(4, 4)
t0 = time.perf_counter()
first_result = kernel(a, b)
t1 = time.perf_counter()
second_result = second(a, b)
t2 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1, first_result, second_result]))
"""


def run(module: str) -> list[float]:
    completed = subprocess.run(
        [sys.executable, "-c", KERNEL.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    return json.loads(completed.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    print(
        report_header(
            "Compile time of a kernel using library-layer functions",
            [
                f"machine: {cpu_model()}, {usable_cpus()} CPUs (nproc), {platform.system()}",
                f"software: {software()}",
            ],
            [f"{rounds} rounds, one fresh process per compiler each; medians, ratios per round"],
            [],
        )
    )
    print()
    firsts, seconds = {"nogil": [], "numba": []}, {"nogil": [], "numba": []}
    ratios_first, ratios_second = [], []
    for _ in range(rounds):
        ours, numba = run("nogil"), run("numba")
        for got, want in zip(ours[2:], numba[2:], strict=True):
            assert abs(got - want) <= 1e-9 * max(1.0, abs(want)), (got, want)
        firsts["nogil"].append(ours[0])
        firsts["numba"].append(numba[0])
        seconds["nogil"].append(ours[1])
        seconds["numba"].append(numba[1])
        ratios_first.append(ours[0] / numba[0])
        ratios_second.append(ours[1] / numba[1])
    print("| compile | nogil (ms) | Numba (ms) | nogil / Numba |")
    print("|---|---|---|---|")
    for label, times, ratios in (
        ("kernel, library functions compiled with it", firsts, ratios_first),
        ("second kernel, the same library functions", seconds, ratios_second),
    ):
        print(
            f"| {label} | {statistics.median(times['nogil']) * 1e3:.1f} "
            f"| {statistics.median(times['numba']) * 1e3:.1f} "
            f"| {statistics.median(ratios):.3f} |"
        )


if __name__ == "__main__":
    main()
