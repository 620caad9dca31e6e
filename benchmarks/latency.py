"""Latency: call overhead, import time and compile time, nogil against Numba (and Cython).

    python benchmarks/latency.py [--rounds R]

In this process: the cost of calling `f(x) = x + 1` with a Python int and `f(a) = a[0]` with a
float64 array, net of an empty Python loop of the same length, for nogil and Numba (default and
nogil=True) and a Cython `cpdef` function. In fresh child processes: `import nogil` and
`import numba` net of `python -c pass`, the first compile and call of the Fibonacci loop of
nogil.demo, each further small function compiled in the same process, and the first call of a
function compiled with `cache=True` once its cache is filled.

Every measure runs once per round, and the rounds are interleaved, so a drift in the machine's
speed hits all of them alike. Ratios are computed within each round, then the median is taken.
Every compiled result is checked, in this process and in the children, before it counts.
"""

import argparse
import inspect
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

import numpy as np
from fib import cpu_model, median_range, report_header, software, usable_cpus

from nogil import njit
from nogil.demo import (
    PeerUnavailable,
    WrongResult,
    build_cython_fibonacci,
    fibonacci,
    parse_count,
)

DEFAULT_ROUNDS = 7
CALLS = 200_000  # calls per timed loop in this process
REPEATS = 3  # a call sample is the best of this many loops, an import one of this many children
FURTHER_FUNCTIONS = 10
CHILD_TIMEOUT = 120.0  # seconds

NOGIL, NUMBA, CYTHON = "nogil", "Numba", "Cython"
CALL_INT, CALL_INT_RELEASE = "call-int", "call-int-nogil"
CALL_ARRAY, CALL_ARRAY_RELEASE = "call-array", "call-array-nogil"
IMPORT, FIRST, FURTHER, CACHED = "import", "first", "further", "cached"
LOOP = "loop"  # the empty Python loop, subtracted from every call sample

# ---------------------------------------------------------------------------------------------
# The functions called in this process


def add_one(x):
    return x + 1


def first_element(a):
    return a[0]


CALL_ARGUMENT = 1
ARRAY_ARGUMENT = np.linspace(0.25, 2.0, 8)

# Built with nogil.demo's Cython helper (cached like the demo's module); `double[:]` is the
# usual Cython spelling of a float64 array argument.
CYTHON_SOURCE = """\
# cython: language_level=3
cpdef long long add_one(long long x):
    return x + 1


cpdef double first_element(double[:] a):
    return a[0]
"""

# ---------------------------------------------------------------------------------------------
# The children. Each is a script file (nogil reads a function's source, and Numba caches only
# functions defined in a file), and prints one JSON line last: the seconds it measured and the
# values it computed, which the driver checks. $jit_import imports the tool's `njit`,
# $fibonacci is the source of nogil.demo.fibonacci. The imports are not timed.

FIRST_COMPILE_CHILD = Template("""\
import json
import time

$jit_import


$fibonacci

start = time.perf_counter()
compiled = njit(fibonacci)
value = compiled(10)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "values": [value]}))
""")

FURTHER_CHILD = Template("""\
import json
import time

$jit_import


$fibonacci


$functions

warm_up = njit(fibonacci)(10)  # the first compile of the process, not timed
start = time.perf_counter()
values = [njit(function)(1.5, 10) for function in SMALL]
seconds = (time.perf_counter() - start) / len(SMALL)
print(json.dumps({"seconds": seconds, "values": [warm_up, *values]}))
""")

CACHED_CHILD = Template("""\
import json
import time

$jit_import


$fibonacci

start = time.perf_counter()
try:
    jit = njit(cache=True)
except TypeError as err:
    print(json.dumps({"unavailable": str(err)}))
    raise SystemExit(0) from None
compiled = jit(fibonacci)
value = compiled(10)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "values": [value], "cache_hits": $cache_hits}))
""")

# Distinct small functions of (float, int), three shapes in turn, each with its own constant.
SMALL_SHAPES = (
    Template("""\
def small_$k(x, n):
    s = 0.0
    for i in range(n):
        s += x * i + $k
    return s
"""),
    Template("""\
def small_$k(x, n):
    s = 0.0
    i = 0
    while i < n:
        if i % 2 == 0:
            s += x + $k
        else:
            s -= x / ($k + 2)
        i += 1
    return s
"""),
    Template("""\
def small_$k(x, n):
    y = x * $k - n
    if y < 0.0:
        y = -y
    return y / (n + $k) + x * x
"""),
)

JIT_IMPORTS = {NOGIL: "from nogil import njit", NUMBA: "from numba import njit"}
CACHE_HITS = {
    NOGIL: 'compiled.stats["cache_hits"]',
    NUMBA: "sum(compiled.stats.cache_hits.values())",
}
CACHE_VARIABLES = {NOGIL: "NOGIL_CACHE_DIR", NUMBA: "NUMBA_CACHE_DIR"}
IMPORT_MODULES = {NOGIL: "nogil", NUMBA: "numba"}
FIBONACCI_10 = 55


def small_source(count: int) -> str:
    functions = [SMALL_SHAPES[k % len(SMALL_SHAPES)].substitute(k=k) for k in range(count)]
    names = ", ".join(f"small_{k}" for k in range(count))
    return "\n\n".join(functions) + f"\n\nSMALL = [{names}]\n"


def small_expected(source: str) -> list[float]:
    namespace: dict[str, object] = {}
    exec(source, namespace)
    return [function(1.5, 10) for function in namespace["SMALL"]]


# ---------------------------------------------------------------------------------------------
# Measures and goals


@dataclass(frozen=True)
class Goal:
    """``ratio``: nogil / Numba at most this; ``ms``: nogil's median at most this."""

    text: str
    ratio: float | None = None
    ms: float | None = None


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    unit: str  # "ns" or "ms"
    goal: Goal | None  # None: shown for comparison, the goal is for the default policy


CALL_INT_TITLE = "call `f(x) = x + 1`, Python int, ns/call"
CALL_ARRAY_TITLE = "call `f(a) = a[0]`, float64[8], ns/call"
MEASURES = (
    Measure(CALL_INT, f"{CALL_INT_TITLE}, `njit`", "ns", Goal("<= 0.30x Numba", ratio=0.30)),
    Measure(
        CALL_INT_RELEASE,
        f"{CALL_INT_TITLE}, `njit(nogil=True)`",
        "ns",
        None,
    ),
    Measure(CALL_ARRAY, f"{CALL_ARRAY_TITLE}, `njit`", "ns", Goal("<= 0.20x Numba", ratio=0.20)),
    Measure(
        CALL_ARRAY_RELEASE,
        f"{CALL_ARRAY_TITLE}, `njit(nogil=True)`",
        "ns",
        None,
    ),
    Measure(
        IMPORT,
        "`import`, fresh interpreter, ms net of `python -c pass`",
        "ms",
        Goal("<= 60 ms", ms=60),
    ),
    Measure(
        FIRST,
        "first compile + call of `fibonacci`, fresh process, ms",
        "ms",
        Goal("<= 0.15x Numba", ratio=0.15),
    ),
    Measure(
        FURTHER,
        f"each further function compiled in the process, ms (mean of {FURTHER_FUNCTIONS})",
        "ms",
        Goal("<= 0.15x Numba", ratio=0.15),
    ),
    Measure(
        CACHED,
        "first call of a `cache=True` function, fresh process, ms",
        "ms",
        Goal("<= 10 ms", ms=10),
    ),
)


# ---------------------------------------------------------------------------------------------
# Setup: the compiled functions of this process, the children's scripts, the filled caches


@dataclass(frozen=True)
class Call:
    measure: str
    tool: str
    function: Callable
    argument: object


@dataclass(frozen=True)
class Child:
    """A script run once per round for ``measure`` and ``tool``."""

    measure: str
    tool: str
    script: Path
    expected: list[float]
    env: dict[str, str] | None = None


@dataclass
class Bench:
    jit_tools: list[str]  # nogil, and Numba when installed
    calls: list[Call]
    children: list[Child]
    scratch: Path
    unavailable: dict[str, str] = field(default_factory=dict)  # cache=True, per tool
    notes: list[str] = field(default_factory=list)
    numpy_imported: dict[str, list[bool]] = field(default_factory=dict)
    cache_hits: dict[str, list[int]] = field(default_factory=dict)
    failures: dict[tuple[str, str], str] = field(default_factory=dict)


class ChildFailed(Exception):
    pass


def load_numba() -> types.ModuleType:
    try:
        import numba
    except ImportError as err:
        raise PeerUnavailable(f"not installed ({err})") from err
    return numba


def load_peers() -> tuple[dict[str, object], list[str]]:
    """Numba and Cython are optional: a missing one is named in the second list."""
    peers, skipped = {}, []
    for key, load in ((NUMBA, load_numba), (CYTHON, lambda: build_cython_fibonacci(CYTHON_SOURCE))):
        try:
            peers[key] = load()
        except PeerUnavailable as err:
            skipped.append(f"{key}: {err}")
    return peers, skipped


def in_process_calls(peers: dict[str, object]) -> list[Call]:
    calls = [
        Call(CALL_INT, NOGIL, njit(add_one), CALL_ARGUMENT),
        Call(CALL_INT_RELEASE, NOGIL, njit(nogil=True)(add_one), CALL_ARGUMENT),
        Call(CALL_ARRAY, NOGIL, njit(first_element), ARRAY_ARGUMENT),
        Call(CALL_ARRAY_RELEASE, NOGIL, njit(nogil=True)(first_element), ARRAY_ARGUMENT),
    ]
    numba = peers.get(NUMBA)
    if numba is not None:
        calls += [
            Call(CALL_INT, NUMBA, numba.njit(add_one), CALL_ARGUMENT),
            Call(CALL_INT_RELEASE, NUMBA, numba.njit(nogil=True)(add_one), CALL_ARGUMENT),
            Call(CALL_ARRAY, NUMBA, numba.njit(first_element), ARRAY_ARGUMENT),
            Call(CALL_ARRAY_RELEASE, NUMBA, numba.njit(nogil=True)(first_element), ARRAY_ARGUMENT),
        ]
    cython = peers.get(CYTHON)
    if cython is not None:
        calls += [
            Call(CALL_INT, CYTHON, cython.add_one, CALL_ARGUMENT),
            Call(CALL_ARRAY, CYTHON, cython.first_element, ARRAY_ARGUMENT),
        ]
    return calls


def check_calls(calls: Sequence[Call]) -> None:
    """Calls every function once (which compiles the JIT ones) and checks the result."""
    for call in calls:
        value = call.function(call.argument)
        integer = call.measure in (CALL_INT, CALL_INT_RELEASE)
        expected = CALL_ARGUMENT + 1 if integer else ARRAY_ARGUMENT[0]
        if value != expected:
            raise WrongResult(f"{call.tool}, {call.measure}: returned {value!r}, not {expected!r}")


def write_script(scratch: Path, name: str, text: str) -> Path:
    path = scratch / f"{name}.py"
    path.write_text(text)
    return path


def prepare(scratch: Path, peers: dict[str, object]) -> Bench:
    jit_tools = [NOGIL] + ([NUMBA] if NUMBA in peers else [])
    calls = in_process_calls(peers)
    check_calls(calls)
    bench = Bench(jit_tools=jit_tools, calls=calls, children=[], scratch=scratch)
    source = inspect.getsource(fibonacci)
    functions = small_source(FURTHER_FUNCTIONS)
    further_expected = [FIBONACCI_10, *small_expected(functions)]
    for tool in jit_tools:
        fields = {"jit_import": JIT_IMPORTS[tool], "fibonacci": source}
        name = tool.lower()
        first = write_script(scratch, f"first_{name}", FIRST_COMPILE_CHILD.substitute(fields))
        further = FURTHER_CHILD.substitute(fields, functions=functions)
        further = write_script(scratch, f"further_{name}", further)
        bench.children += [
            Child(FIRST, tool, first, [FIBONACCI_10]),
            Child(FURTHER, tool, further, further_expected),
        ]
        cached = fill_cache(bench, tool, fields)
        if cached is not None:
            bench.children.append(cached)
    return bench


def fill_cache(bench: Bench, tool: str, fields: dict[str, str]) -> Child | None:
    """Writes the cache=True script, runs it once to fill an empty cache directory, and returns
    the child to time; None when the tool has no cache=True or the fill failed."""
    name = tool.lower()
    script = CACHED_CHILD.substitute(fields, cache_hits=CACHE_HITS[tool])
    path = write_script(bench.scratch, f"cached_{name}", script)
    cache = bench.scratch / f"cache_{name}"
    cache.mkdir()
    env = {**os.environ, CACHE_VARIABLES[tool]: str(cache)}
    child = Child(CACHED, tool, path, [FIBONACCI_10], env)
    try:
        report = run_child(child)
    except ChildFailed as err:
        bench.failures[CACHED, tool] = f"filling the cache: {err}"
        return None
    if "unavailable" in report:
        bench.unavailable[tool] = report["unavailable"]
        return None
    check_values(f"{tool}, filling the cache", report["values"], child.expected)
    if not any(cache.iterdir()):
        bench.notes.append(
            f"{tool}'s cache directory is empty after the filling child: its cached row times "
            "a compile, not a load"
        )
    return child


# ---------------------------------------------------------------------------------------------
# Timing


Samples = dict[tuple[str, str], list[float]]


def best_loop(statement: str, namespace: dict[str, object]) -> float:
    """timeit's loop (the garbage collector off), best of REPEATS."""
    return min(timeit.Timer(statement, globals=namespace).repeat(REPEATS, CALLS))


def run_child(child: Child) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, str(child.script)],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            cwd=child.script.parent,
            env=child.env,
        )
    except subprocess.TimeoutExpired as err:
        raise ChildFailed(f"no answer within {CHILD_TIMEOUT:g} s") from err
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        errors = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
        raise ChildFailed(f"exit status {done.returncode}: {errors[-1]}")
    return json.loads(lines[-1])


def check_values(what: str, values: Sequence[float], expected: Sequence[float]) -> None:
    if len(values) != len(expected) or not all(
        math.isclose(value, want, rel_tol=1e-12)
        for value, want in zip(values, expected, strict=True)
    ):
        raise WrongResult(f"{what}: returned {values}, expected {expected}")


def wall_seconds(command: Sequence[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=CHILD_TIMEOUT, cwd=cwd
        )
    except subprocess.TimeoutExpired as err:
        raise ChildFailed(f"no answer within {CHILD_TIMEOUT:g} s") from err
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        errors = done.stderr.strip().splitlines() or ["(no output)"]
        raise ChildFailed(f"exit status {done.returncode}: {errors[-1]}")
    return seconds, done.stdout.strip()


def time_imports(bench: Bench, samples: Samples) -> None:
    """Best of REPEATS fresh interpreters per tool, less the best of REPEATS `python -c pass`;
    the runs alternate, so that the baseline sees the same machine."""
    tools = [tool for tool in bench.jit_tools if (IMPORT, tool) not in bench.failures]
    best = dict.fromkeys(["pass", *tools], math.inf)
    for _repeat in range(REPEATS):
        seconds, _ = wall_seconds([sys.executable, "-c", "pass"], bench.scratch)
        best["pass"] = min(best["pass"], seconds)
        for tool in tools:
            statement = f"import {IMPORT_MODULES[tool]}, sys; print('numpy' in sys.modules)"
            try:
                seconds, out = wall_seconds([sys.executable, "-c", statement], bench.scratch)
            except ChildFailed as err:
                bench.failures[IMPORT, tool] = str(err)
                continue
            best[tool] = min(best[tool], seconds)
            bench.numpy_imported.setdefault(tool, []).append(out == "True")
    for tool in tools:
        if (IMPORT, tool) not in bench.failures:
            samples.setdefault((IMPORT, tool), []).append(best[tool] - best["pass"])


def time_child(bench: Bench, child: Child, samples: Samples) -> None:
    if (child.measure, child.tool) in bench.failures:
        return
    try:
        report = run_child(child)
    except ChildFailed as err:
        bench.failures[child.measure, child.tool] = str(err)
        return
    check_values(f"{child.tool}, {child.measure}", report.get("values", []), child.expected)
    samples.setdefault((child.measure, child.tool), []).append(report["seconds"])
    hits = report.get("cache_hits")
    if hits is not None:
        bench.cache_hits.setdefault(child.tool, []).append(hits)


def run_round(bench: Bench, samples: Samples) -> None:
    empty = best_loop("pass", {})
    samples.setdefault((LOOP, "Python"), []).append(empty / CALLS)
    for call in bench.calls:
        loop = best_loop("f(x)", {"f": call.function, "x": call.argument})
        samples.setdefault((call.measure, call.tool), []).append((loop - empty) / CALLS)
    time_imports(bench, samples)
    for child in bench.children:
        time_child(bench, child, samples)


def run_rounds(bench: Bench, rounds: int) -> Samples:
    samples: Samples = {}
    for _round in range(rounds):
        run_round(bench, samples)
    for key in bench.failures:  # a cell that failed in any round is not shown
        samples.pop(key, None)
    return samples


def median_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    return statistics.median(a / b for a, b in zip(numerators, denominators, strict=True))


# ---------------------------------------------------------------------------------------------
# Report


def ns_range(seconds: Sequence[float]) -> str:
    """fib.median_range's form, in nanoseconds."""
    median, low, high = (x * 1e9 for x in (statistics.median(seconds), min(seconds), max(seconds)))
    return f"{median:.0f} [{low:.0f}-{high:.0f}]"


def cell(measure: Measure, tool: str, bench: Bench, samples: Samples) -> str:
    runs = samples.get((measure.key, tool))
    if runs:
        return ns_range(runs) if measure.unit == "ns" else median_range(runs)
    if (measure.key, tool) in bench.failures:
        return "failed (see below)"
    if measure.key == CACHED and tool in bench.unavailable:
        return "n/a (cache=True not available)"
    return "-"


def goal_cell(measure: Measure, nogil: list[float] | None, ratio: float | None) -> str:
    goal = measure.goal
    if goal is None:
        return "- (goals are for the default GIL policy)"
    if goal.ratio is not None:
        if ratio is None:
            return f"{goal.text}: -"
        return f"{goal.text}: {'met' if ratio <= goal.ratio else 'NOT met'}"
    if not nogil:
        return f"{goal.text}: -"
    return f"{goal.text}: {'met' if statistics.median(nogil) * 1e3 <= goal.ms else 'NOT met'}"


def numpy_row(bench: Bench) -> str:
    def imported(tool: str) -> str:
        flags = bench.numpy_imported.get(tool)
        if not flags:
            return "-"
        if all(flags) or not any(flags):
            return "yes" if flags[0] else "no"
        return f"in {sum(flags)} of {len(flags)} runs"

    nogil = imported(NOGIL)
    verdict = "-" if nogil == "-" else "met" if nogil == "no" else "NOT met"
    return (
        f"| NumPy imported by `import` | {imported(NUMBA)} | {nogil} | - | - "
        f"| not imported: {verdict} |"
    )


def table(bench: Bench, samples: Samples) -> str:
    lines = [
        "| measure | Numba | nogil | nogil / Numba | Cython | goal |",
        "|---|---|---|---|---|---|",
    ]
    for measure in MEASURES:
        nogil, numba = samples.get((measure.key, NOGIL)), samples.get((measure.key, NUMBA))
        ratio = median_ratio(nogil, numba) if nogil and numba else None
        cells = [cell(measure, tool, bench, samples) for tool in (NUMBA, NOGIL)]
        cells.append("-" if ratio is None else f"{ratio:.2f}")
        cells.append(cell(measure, CYTHON, bench, samples))
        cells.append(goal_cell(measure, nogil, ratio))
        lines.append(f"| {measure.title} | {' | '.join(cells)} |")
        if measure.key == IMPORT:
            lines.append(numpy_row(bench))
    return "\n".join(lines)


def notes(bench: Bench, samples: Samples) -> list[str]:
    loop = statistics.median(samples[LOOP, "Python"]) * 1e9
    lines = [
        f"call rows: the best of {REPEATS} timeit loops of {CALLS:,} calls, less the best of "
        f"{REPEATS} empty loops ({loop:.1f} ns per iteration, median); `f(x)` with x = "
        f"{CALL_ARGUMENT}, `f(a)` with a float64[{ARRAY_ARGUMENT.size}]; Numba rows are "
        "`numba.njit` and `numba.njit(nogil=True)`; Cython is `cpdef long long add_one(long long "
        "x)` and `cpdef double first_element(double[:] a)`, called from Python",
        f"import: wall time of `python -c 'import MODULE'`, best of {REPEATS}, less the best of "
        f"{REPEATS} `python -c pass`",
        "first compile: decoration + first call `fibonacci(10)` (nogil.demo's loop), timed inside "
        "a fresh process after `from TOOL import njit`",
        f"further function: after a first compile of `fibonacci`, {FURTHER_FUNCTIONS} distinct "
        "small functions of (float, int), decoration + first call each, the mean",
        "cached: one child fills an empty cache (`NOGIL_CACHE_DIR`, `NUMBA_CACHE_DIR` in a "
        "temporary directory), then a fresh child per round times decoration + first call",
    ]
    for tool, message in bench.unavailable.items():
        lines.append(f"{tool}: `njit(cache=True)` raised TypeError ({message})")
    for tool, hits in bench.cache_hits.items():
        hit = sum(count > 0 for count in hits)
        lines.append(f"{tool} reported a cache hit in {hit} of {len(hits)} timed runs")
    lines += bench.notes
    for (measure, tool), message in bench.failures.items():
        lines.append(f"FAILED: {tool}, {measure}: {message}")
    return lines


def header(rounds: int, skipped: Sequence[str]) -> str:
    return report_header(
        "Latency: calls, import and compile, nogil against Numba",
        [
            f"machine: {cpu_model()}, {usable_cpus()} CPUs (nproc)",
            f"software: {software()}, NumPy {np.__version__}",
        ],
        [
            f"{rounds} interleaved rounds; ratios are computed per round, then the median is "
            "taken; cells are median [min-max]",
        ],
        skipped,
        "so the spread, not only the medians, widens",
    )


# ---------------------------------------------------------------------------------------------
# Command line


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=parse_count, default=DEFAULT_ROUNDS, help="rounds")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    peers, skipped = load_peers()
    preamble = header(args.rounds, skipped)  # before the checks, whose compiling adds load
    with tempfile.TemporaryDirectory(prefix="nogil-latency-") as scratch:
        try:
            bench = prepare(Path(scratch), peers)
            print(f"{args.rounds} rounds...", file=sys.stderr)
            samples = run_rounds(bench, args.rounds)
        except WrongResult as err:
            print(f"WRONG RESULT: {err}", file=sys.stderr)
            return 1
    print(preamble)
    print()
    print(table(bench, samples))
    print()
    print("\n".join(f"- {line}" for line in notes(bench, samples)))
    return 1 if bench.failures else 0


if __name__ == "__main__":
    sys.exit(main())
