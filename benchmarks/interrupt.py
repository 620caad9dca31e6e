"""Ctrl-C inside a long compiled loop, and what the polling that makes it work costs.

    python benchmarks/interrupt.py [--seconds S] [--rounds R]

Part 1: for nogil (every GIL mode), Numba and Cython, a child process runs the article's
Fibonacci loop sized to last about S seconds; the driver sends it SIGINT one second in and
measures how long the child takes to exit with KeyboardInterrupt.

Part 2: the same loop (N = 10^9) called in this process, rounds interleaved: nogil's
default (which polls at its back edges) against nogil=True, Numba and Cython, as ratios
within each round. The array kernels' side of "polls keep loops vectorized" is
benchmarks/kernels.py.
"""

import argparse
import datetime
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from nogil import njit
from nogil.demo import PeerUnavailable, build_cython_fibonacci, busy_warning, fibonacci

LOOP_N = 10**9
STEP_SECONDS = 0.27e-9  # the loop's time per step here (benchmarks/fib.py)


def load(tool: str) -> Callable[[int], int]:
    if tool == "numba":
        try:
            import numba
        except ImportError as err:
            raise PeerUnavailable(f"not installed ({err})") from err
        return numba.jit(nopython=True, nogil=True)(fibonacci)
    if tool == "cython":
        return build_cython_fibonacci().cython_nogil
    mode = {"nogil-auto": "auto", "nogil-true": True, "nogil-false": False}[tool]
    return njit(nogil=mode)(fibonacci)


def child(tool: str, seconds: float) -> None:
    function = load(tool)
    function(10)  # compile before the clock starts
    steps = int(seconds / STEP_SECONDS)
    print("ready", flush=True)
    try:
        function(steps)
        print("finished", flush=True)
    except KeyboardInterrupt:
        print("interrupted", flush=True)


def interrupt_latency(tool: str, seconds: float) -> tuple[str, float | None]:
    """(what the child printed, seconds from SIGINT to its exit)."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", tool, "--seconds", str(seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stdout.readline().strip()
    if first != "ready":
        process.kill()
        return "could not start: " + process.stderr.read().strip().splitlines()[-1], None
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    sent = time.perf_counter()
    out, _ = process.communicate(timeout=seconds * 3 + 30)
    return out.strip(), time.perf_counter() - sent


TOOLS = [
    ("nogil, default (nogil='auto')", "nogil-auto"),
    ("nogil, nogil=True", "nogil-true"),
    ("nogil, nogil=False", "nogil-false"),
    ("Numba, jit(nopython=True, nogil=True)", "numba"),
    ("Cython, cython_nogil", "cython"),
]


def polling_cost(rounds: int) -> list[str]:
    rows = []
    functions = {}
    for name, tool in [("nogil default", "nogil-auto"), ("nogil nogil=True", "nogil-true")] + [
        (name, tool) for name, tool in TOOLS[3:]
    ]:
        try:
            functions[name] = load(tool)
            functions[name](10)
        except PeerUnavailable:
            continue
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            start = time.perf_counter()
            function(LOOP_N)
            times[name].append(time.perf_counter() - start)
    reference = "nogil nogil=True"
    for name, samples in times.items():
        ratios = [t / r for t, r in zip(samples, times[reference], strict=True)]
        median_ms = statistics.median(samples) * 1e3
        rows.append(f"| {name} | {median_ms:,.0f} | {statistics.median(ratios):.3f} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the child's loop")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seconds)
        return 0
    print(f"## Ctrl-C in a compiled loop ({datetime.date.today()}, `{' '.join(sys.argv)}`)")
    warning = busy_warning("so timings may be noisy")
    if warning:
        print(warning)
    print()
    print(f"A loop of about {args.seconds:g} s; SIGINT after 1 s.")
    print()
    print("| tool | outcome | SIGINT to exit, ms |")
    print("|---|---|---|")
    for name, tool in TOOLS:
        outcome, latency = interrupt_latency(tool, args.seconds)
        shown = "-" if latency is None else f"{latency * 1e3:,.0f}"
        print(f"| {name} | {outcome} | {shown} |", flush=True)
    print()
    print(f"Polling cost: the loop with N = {LOOP_N:,}, {args.rounds} rounds interleaved.")
    print()
    print("| variant | ms, median | vs nogil=True |")
    print("|---|---|---|")
    for row in polling_cost(args.rounds):
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
