"""The Fibonacci loop of "Release the GIL": nogil against a C loop, Numba, Cython and CPython.

    python benchmarks/fib.py [--n N] [--rounds R]

All variants run in one process, round by round and interleaved, so a drift in the machine's
speed hits them alike. Ratios are computed within each round, then the median is taken. The
output is a markdown table, with the date, the machine and the command that produced it.
The same loop written with a tuple swap (`a, b = b, a + b`) runs for nogil, Numba and C.
"""

import argparse
import ctypes
import datetime
import hashlib
import os
import platform
import shlex
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nogil import njit
from nogil.demo import (
    NOGIL,
    PeerUnavailable,
    TimedCall,
    build_cython_fibonacci,
    busy_warning,
    cache_dir,
    check,
    fibonacci,
    fibonacci_masked,
    fibonacci_mod64,
    format_ms,
    load_numba,
    parse_count,
    run_calls,
)

DEFAULT_N = 10**9
DEFAULT_ROUNDS = 7
PYTHON_STEPS = 10**7
C_FLAGS = ("-O2", "-shared", "-fPIC")
C_SOURCE = """\
#include <stdint.h>

uint64_t fibonacci(uint64_t n) {
    if (n <= 1) return n;
    uint64_t a = 0, b = 1, c = a + b;
    for (uint64_t i = 2; i < n; i++) {
        a = b;
        b = c;
        c = a + b;
    }
    return c;
}

uint64_t fibonacci_swap(uint64_t n) {
    uint64_t a = 0, b = 1;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t next = a + b;
        a = b;
        b = next;
    }
    return a;
}
"""
SWAP = "tuple swap"


def fibonacci_swap(n):
    """The loop as it is often written: one tuple assignment per step, F(n) in `a`."""
    a, b = 0, 1
    for _i in range(n):
        a, b = b, a + b
    return a


@dataclass(frozen=True)
class Variant:
    name: str
    function: Callable[[int], int]
    threads: int = 1
    steps: int | None = None  # run this many steps and scale the time up to N
    single: str | None = None  # the one-call variant a two-thread row is compared with
    loop: str = "article"  # rows of one loop are compared with that loop's C and Numba rows
    tool: str = ""  # "C" and "Numba" mark the rows others are compared with


def compile_c(prefix: str, source_text: str, flags: Sequence[str], *key_parts: str) -> ctypes.CDLL:
    """Compiles C source into the demo's cache, once per source, flags, gcc version and any
    `key_parts` (a CPU model for -march=native code), and loads it."""
    try:
        version = subprocess.run(
            ["gcc", "-dumpfullversion"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as err:
        raise PeerUnavailable(f"gcc is not available ({err})") from err
    key = "\0".join([source_text, version, *key_parts, *flags])
    name = f"{prefix}_" + hashlib.sha256(key.encode()).hexdigest()[:16]
    cache = cache_dir()
    library = cache / f"{name}.so"
    if not library.exists():
        source, scratch = cache / f"{name}.c", cache / f"{name}.{os.getpid()}.so"
        source.write_text(source_text)
        done = subprocess.run(
            ["gcc", *flags, str(source), "-o", str(scratch)], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise PeerUnavailable(f"gcc failed: {done.stderr.strip()}")
        os.replace(scratch, library)
    return ctypes.CDLL(str(library))


def build_c_fibonacci(symbol: str = "fibonacci") -> Callable[[int], int]:
    """A C loop (`fibonacci` or `fibonacci_swap`), compiled once into the demo's cache."""
    function = getattr(compile_c("fib_c", C_SOURCE, C_FLAGS), symbol)
    function.argtypes = [ctypes.c_uint64]
    function.restype = ctypes.c_uint64
    return function


def numba_fibonacci() -> Callable[[int], int]:
    return load_numba().functions[NOGIL]


def numba_fibonacci_swap() -> Callable[[int], int]:
    load_numba()  # raises PeerUnavailable without Numba
    import numba

    return numba.jit(nopython=True, nogil=True)(fibonacci_swap)


def cython_fibonacci() -> Callable[[int], int]:
    return build_cython_fibonacci().cython_nogil


def variants(n: int) -> tuple[list[Variant], list[str]]:
    """The rows of the table, peers that are missing left out and named in the second list."""
    c_name = "C loop, gcc -O2, via ctypes"
    numba_name = "Numba `jit(nopython=True, nogil=True)`"
    found, skipped = [], []
    peers = [
        (c_name, build_c_fibonacci, "article", "C"),
        ('nogil `njit` (default: nogil="auto")', lambda: njit(fibonacci), "article", ""),
        (numba_name, numba_fibonacci, "article", "Numba"),
        ("Cython `cython_nogil`", cython_fibonacci, "article", ""),
        (f"{SWAP}: C, gcc -O2", lambda: build_c_fibonacci("fibonacci_swap"), SWAP, "C"),
        (f"{SWAP}: nogil `njit`", lambda: njit(fibonacci_swap), SWAP, ""),
        (f"{SWAP}: Numba", numba_fibonacci_swap, SWAP, "Numba"),
    ]
    for name, load, loop, tool in peers:
        try:
            found.append(Variant(name, load(), loop=loop, tool=tool))
        except PeerUnavailable as err:
            skipped.append(f"{name}: {err}")
    python_steps = min(n, PYTHON_STEPS)
    python_name = f"CPython, `c = (a + b) & MASK64`, N = {python_steps:,} scaled to N"
    found.append(Variant(python_name, fibonacci_masked, steps=python_steps))
    threaded = [
        Variant(f"{v.name}, 2 threads", v.function, 2, single=v.name, loop=v.loop, tool=v.tool)
        for v in found
        if v.steps is None
    ]
    return found + threaded, skipped


def warm_up(rows: Sequence[Variant]) -> None:
    for row in rows:
        for n in (0, 1, 2, 10, 93, 100, 1000):
            check(f"{row.name}: fibonacci({n})", row.function(n), fibonacci_masked(n))


@dataclass
class Sample:
    wall: float
    cpu: float


def measure(row: Variant, n: int) -> Sample:
    steps = row.steps or n
    calls = [TimedCall(row.function, NOGIL, f"t{i + 1}") for i in range(row.threads)]
    measurement = run_calls(calls, steps, threaded=row.threads > 1)
    expected = fibonacci_mod64(steps)
    for call in calls:
        check(row.name, call.value, expected)
    scale = n / steps
    return Sample(wall=measurement.wall * scale, cpu=measurement.cpu * scale)


def run_rounds(rows: Sequence[Variant], n: int, rounds: int) -> dict[str, list[Sample]]:
    samples: dict[str, list[Sample]] = {row.name: [] for row in rows}
    for _round in range(rounds):
        for row in rows:
            samples[row.name].append(measure(row, n))
    return samples


def median_ratio(numerators: Sequence[Sample], denominators: Sequence[Sample]) -> float:
    return statistics.median(a.wall / b.wall for a, b in zip(numerators, denominators, strict=True))


def median_range(seconds: Sequence[float]) -> str:
    low, high = format_ms(min(seconds)), format_ms(max(seconds))
    return f"{format_ms(statistics.median(seconds))} [{low}-{high}]"


def median_cpu_ratio(numerators: Sequence[Sample], denominators: Sequence[Sample]) -> float:
    return statistics.median(a.cpu / b.cpu for a, b in zip(numerators, denominators, strict=True))


def table(rows: Sequence[Variant], samples: dict[str, list[Sample]], n: int) -> str:
    """One line per row. "vs C loop": against the single-thread C row of the same loop; "vs
    Numba": against Numba's row of the same loop and thread count, in wall time and in CPU
    time (which a busy machine inflates less: a descheduled thread spends none)."""

    def peer(row: Variant, tool: str, threads: int) -> list[Sample] | None:
        for other in rows:
            if other.loop == row.loop and other.tool == tool and other.threads == threads:
                return samples[other.name]
        return None

    lines = [
        "| implementation | threads | wall ms, median [min-max] | ns/step | vs C loop "
        "| vs one call | vs Numba | vs Numba, CPU time | CPU/wall |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        runs = samples[row.name]
        walls = [s.wall for s in runs]
        wall = median_range(walls)
        per_step = f"{statistics.median(walls) / n * 1e9:.2f}" if row.threads == 1 else "-"
        baseline = peer(row, "C", 1)
        vs_c = f"{median_ratio(runs, baseline):.2f}" if baseline else "-"
        vs_one = f"{median_ratio(runs, samples[row.single]):.2f}" if row.single else "-"
        numba = peer(row, "Numba", row.threads) if row.steps is None else None
        vs_numba = f"{median_ratio(runs, numba):.2f}" if numba else "-"
        vs_numba_cpu = f"{median_cpu_ratio(runs, numba):.2f}" if numba else "-"
        cpu_per_wall = statistics.median(s.cpu / s.wall for s in runs)
        lines.append(
            f"| {row.name} | {row.threads} | {wall} | {per_step} | {vs_c} | {vs_one} "
            f"| {vs_numba} | {vs_numba_cpu} | {cpu_per_wall:.2f} |"
        )
    return "\n".join(lines)


def cpu_model() -> str:
    """The model name, with family and model numbers: a virtual machine often names only the
    vendor's brand, and the numbers still tell the generation."""
    try:
        lines = Path("/proc/cpuinfo").read_text().split("\n\n")[0].splitlines()
    except OSError:
        return platform.processor() or platform.machine()
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    name = fields.get("model name", platform.machine())
    if "cpu family" in fields and "model" in fields:
        name += f" (family {fields['cpu family']}, model {fields['model']})"
    return name


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def software() -> str:
    parts = [f"Python {platform.python_version()}"]
    try:
        gcc = subprocess.run(["gcc", "-dumpfullversion"], capture_output=True, text=True)
        parts.append(f"gcc {gcc.stdout.strip()}")
    except OSError:
        pass
    for name in ("numba", "Cython"):
        module = sys.modules.get(name)
        if module is not None:
            parts.append(f"{name} {module.__version__}")
    return ", ".join(parts)


def report_header(
    title: str,
    setup: Sequence[str],
    method: Sequence[str],
    skipped: Sequence[str],
    busy_note: str | None = None,
) -> str:
    """The markdown header every benchmark prints: the title, the date, `setup` (machine,
    software), the command, `method`, the tools skipped, and a warning if the machine is busy."""
    lines = [f"## {title}", "", f"- date: {datetime.date.today().isoformat()}"]
    lines += [f"- {line}" for line in setup]
    lines.append(f"- command: `{shlex.join(['python', *sys.argv])}`")
    lines += [f"- {line}" for line in method]
    lines += [f"- skipped: {reason}" for reason in skipped]
    warning = busy_warning(busy_note) if busy_note else busy_warning()
    if warning:
        lines.append(f"- {warning}")
    return "\n".join(lines)


def header(n: int, rounds: int, skipped: Sequence[str]) -> str:
    return report_header(
        f"Fibonacci loop, N = {n:,}, uint64 wraparound",
        [
            f"machine: {cpu_model()}, {usable_cpus()} CPUs (nproc), {platform.system()}",
            f"software: {software()}",
        ],
        [
            f"{rounds} interleaved rounds; ratios are computed per round, then the median is "
            "taken; CPU is the process's CPU time, all threads",
        ],
        skipped,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=parse_count, default=DEFAULT_N, help="Fibonacci index")
    parser.add_argument("--rounds", type=parse_count, default=DEFAULT_ROUNDS, help="rounds")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.n < 1:
        parser.error("--n and --rounds must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rows, skipped = variants(args.n)
    preamble = header(args.n, args.rounds, skipped)
    warm_up(rows)
    print(f"{len(rows)} variants, {args.rounds} rounds...", file=sys.stderr)
    samples = run_rounds(rows, args.n, args.rounds)
    print(preamble)
    print()
    print(table(rows, samples, args.n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
