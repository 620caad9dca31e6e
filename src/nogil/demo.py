"""The experiments of "Release the GIL" (speice.io, 2019), run with nogil and, when they are
available, with Numba and Cython side by side.

    python -m nogil.demo [--n N] [--rounds R] [--plot timeline.png]

Every tool compiles the article's Fibonacci loop twice: once holding the GIL during the native
call and once releasing it. Each scenario starts the calls on ``threading.Thread`` exactly as
the article does, and reports wall time, CPU time (all threads) and the ratio to one call.
"""

import argparse
import hashlib
import importlib.util
import os
import platform
import shlex
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from nogil import njit

SUMMARY = "Reproduce the experiments of 'Release the GIL' with nogil, Numba and Cython."
MASK64 = (1 << 64) - 1
DEFAULT_N = 10**9
GIL, NOGIL = "gil", "nogil"


def fibonacci(n):
    if n <= 1:
        return n
    a = 0
    b = 1
    c = a + b
    for _i in range(2, n):
        a = b
        b = c
        c = a + b
    return c


def make_recurse(jit: Callable) -> Callable[[int], int]:
    # The inner name resolves to the compiled function, so the native code calls itself while
    # the GIL is already released: the article's Cython version of this aborts the interpreter.
    @jit
    def recurse(n):
        if n <= 0:
            return 0
        return recurse(n - 1)

    return recurse


def fibonacci_masked(n: int) -> int:
    """The article's loop in plain Python. Python ints never overflow, so every step masks to
    64 bits; otherwise the numbers, and the time per step, would grow without bound."""
    if n <= 1:
        return n
    a, b = 0, 1
    c = a + b
    for _i in range(2, n):
        a = b
        b = c
        c = (a + b) & MASK64
    return c


def fibonacci_mod64(n: int) -> int:
    """F(n) mod 2**64 by fast doubling: an independent check that needs no loop of n steps."""
    f_k, f_k1 = 0, 1
    for bit in bin(n)[2:]:
        f_2k = f_k * (2 * f_k1 - f_k) & MASK64
        f_2k1 = (f_k * f_k + f_k1 * f_k1) & MASK64
        f_k, f_k1 = (f_2k1, (f_2k + f_2k1) & MASK64) if bit == "1" else (f_2k, f_2k1)
    return f_k


# ---------------------------------------------------------------------------------------------
# Tools


class PeerUnavailable(Exception):
    """A peer tool is not installed or could not be built; the demo runs without it."""


@dataclass
class Tool:
    name: str
    functions: dict[str, Callable[[int], int]]
    recursion: Callable[[], str]


def load_nogil() -> Tool:
    return Tool(
        name="nogil",
        functions={GIL: njit(nogil=False)(fibonacci), NOGIL: njit(nogil=True)(fibonacci)},
        recursion=lambda: run_recursion(make_recurse(njit(nogil=True))),
    )


def load_nogil_default() -> Tool:
    # Plain @njit (nogil="auto") in every cell: the scenario's GIL and nogil calls are the same
    # function, which releases the GIL once it has run for about 50 µs.
    default = njit(fibonacci)
    return Tool(
        name="nogil default",
        functions={GIL: default, NOGIL: default},
        recursion=lambda: run_recursion(make_recurse(njit)),
    )


def load_numba() -> Tool:
    try:
        import numba
    except ImportError as err:
        raise PeerUnavailable(f"not installed ({err})") from err

    def jit(nogil: bool) -> Callable:
        return numba.jit(nopython=True, nogil=nogil)

    return Tool(
        name="Numba",
        functions={GIL: jit(False)(fibonacci), NOGIL: jit(True)(fibonacci)},
        recursion=lambda: run_recursion(make_recurse(jit(True))),
    )


def load_cython() -> Tool:
    module = build_cython_fibonacci()
    return Tool(
        name="Cython",
        functions={GIL: module.cython_gil, NOGIL: module.cython_nogil},
        recursion=lambda: (
            "not run: a `with nogil` block entered without the GIL aborts the interpreter "
            "(Fatal Python error: PyEval_SaveThread: NULL tstate)"
        ),
    )


def run_recursion(recurse: Callable[[int], int]) -> str:
    value = recurse(2)
    if value != 0:
        raise WrongResult(f"recurse(2) returned {value}, expected 0")
    return "recurse(2) returned 0: the nested calls do not release the GIL a second time"


PEER_LOADERS = (load_numba, load_cython)


# ---------------------------------------------------------------------------------------------
# Cython, built at run time into a cache and rebuilt only when its source changes

# `noexcept` keeps Cython 3 from checking for a Python exception after every call, which needs
# the GIL; it makes the function what Cython 0.29 (the article's) compiled it to.
CYTHON_SOURCE = """\
# cython: language_level=3
cdef unsigned long fibonacci(unsigned long n) noexcept nogil:
    if n <= 1:
        return n
    cdef unsigned long a = 0, b = 1, c = 0
    c = a + b
    for _i in range(2, n):
        a = b
        b = c
        c = a + b
    return c


def cython_nogil(unsigned long n):
    with nogil:
        value = fibonacci(n)
    return value


def cython_gil(unsigned long n):
    return fibonacci(n)
"""


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    path = base / "nogil-demo"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        path = Path(tempfile.gettempdir()) / f"nogil-demo-{os.getuid()}"
        path.mkdir(parents=True, exist_ok=True)
    return path


def build_cython_fibonacci(source: str = CYTHON_SOURCE) -> ModuleType:
    """Compiles ``source`` with Cython and the C compiler CPython was built with, and imports
    it. The module name carries a hash of everything that changes the binary, so an unchanged
    source imports the cached build."""
    try:
        import Cython
    except ImportError as err:
        raise PeerUnavailable(f"not installed ({err})") from err
    flags = [sysconfig.get_config_var(key) or "" for key in ("CC", "CFLAGS", "LDSHARED")]
    key = "\0".join([source, Cython.__version__, sys.version, *flags])
    name = "fib_cython_" + hashlib.sha256(key.encode()).hexdigest()[:16]
    cache = cache_dir()
    binary = cache / (name + sysconfig.get_config_var("EXT_SUFFIX"))
    if not binary.exists():
        with tempfile.TemporaryDirectory(dir=cache) as scratch:
            built = compile_extension(Path(scratch), name, source)
            os.replace(built, binary)
    return import_extension(name, binary)


def compile_extension(scratch: Path, name: str, source: str) -> Path:
    pyx, c_file, obj = (scratch / (name + suffix) for suffix in (".pyx", ".c", ".o"))
    binary = scratch / (name + sysconfig.get_config_var("EXT_SUFFIX"))
    pyx.write_text(source)
    config = sysconfig.get_config_var
    compile_c = [
        *shlex.split(config("CC")),
        *shlex.split(config("CFLAGS") or ""),
        *shlex.split(config("CCSHARED") or ""),
        "-I" + sysconfig.get_paths()["include"],
    ]
    quiet_run([sys.executable, "-m", "cython", "-3", str(pyx), "-o", str(c_file)])
    quiet_run([*compile_c, "-c", str(c_file), "-o", str(obj)])
    quiet_run([*shlex.split(config("LDSHARED")), str(obj), "-o", str(binary)])
    return binary


def quiet_run(command: Sequence[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as err:
        raise PeerUnavailable(f"build failed: {command[0]}: {err}") from err
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
        raise PeerUnavailable(f"build failed: {Path(command[0]).name}: {lines[-1]}")


def import_extension(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise PeerUnavailable(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_tools() -> tuple[list[Tool], list[str]]:
    tools, skipped = [load_nogil(), load_nogil_default()], []
    for loader in PEER_LOADERS:
        try:
            tools.append(loader())
        except PeerUnavailable as err:
            skipped.append(f"{loader.__name__.removeprefix('load_').title()}: {err}")
    return tools, skipped


# ---------------------------------------------------------------------------------------------
# Measurement


class WrongResult(AssertionError):
    pass


SMALL_CHECKS = (0, 1, 2, 3, 10, 50, 93, 94, 100, 1000)


def warm_up(tools: Sequence[Tool]) -> None:
    """Compiles every function, and checks it, wraparound included, against plain Python."""
    for tool in tools:
        for mode, function in tool.functions.items():
            for n in SMALL_CHECKS:
                check(f"{tool.name} {mode} fibonacci({n})", function(n), fibonacci_masked(n))


def check(what: str, value: int, expected: int) -> None:
    if value & MASK64 != expected:
        raise WrongResult(f"{what} returned {value}, expected {expected} (mod 2**64)")


@dataclass
class TimedCall:
    """A thread target that records when its call started and returned."""

    function: Callable[[int], int]
    mode: str
    label: str
    start: float = 0.0
    end: float = 0.0
    value: int | None = None

    def __call__(self, n: int) -> None:
        self.start = time.perf_counter()
        self.value = self.function(n)
        self.end = time.perf_counter()


@dataclass
class Measurement:
    wall: float
    cpu: float
    calls: list[TimedCall] = field(default_factory=list)
    origin: float = 0.0


def run_calls(calls: Sequence[TimedCall], n: int, threaded: bool) -> Measurement:
    cpu_start, origin = time.process_time(), time.perf_counter()
    if threaded:
        threads = [threading.Thread(target=call, args=[n]) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for call in calls:
            call(n)
    wall, cpu = time.perf_counter() - origin, time.process_time() - cpu_start
    return Measurement(wall=wall, cpu=cpu, calls=list(calls), origin=origin)


@dataclass(frozen=True)
class Scenario:
    title: str
    modes: tuple[str, ...]
    threaded: bool = True


SCENARIOS = (
    Scenario("single call, GIL held", (GIL,), threaded=False),
    Scenario("single call, GIL released", (NOGIL,), threaded=False),
    Scenario("2 threads, both GIL", (GIL, GIL)),
    Scenario("2 threads, nogil first + GIL", (NOGIL, GIL)),
    Scenario("2 threads, GIL first + nogil", (GIL, NOGIL)),
    Scenario("2 threads, both nogil", (NOGIL, NOGIL)),
)
BASELINE = SCENARIOS[0]


def run_scenario(scenario: Scenario, tool: Tool, n: int, expected: int) -> Measurement:
    labels = [f"t{i}" for i in range(1, 3)] if scenario.threaded else ["main"]
    calls = [
        TimedCall(tool.functions[mode], mode, label)
        for mode, label in zip(scenario.modes, labels, strict=False)
    ]
    measurement = run_calls(calls, n, scenario.threaded)
    for call in calls:
        check(f"{tool.name}, {scenario.title}", call.value, expected)
    return measurement


Results = dict[tuple[str, str], list[Measurement]]


def run_rounds(tools: Sequence[Tool], n: int, rounds: int, expected: int) -> Results:
    """Interleaves tools and scenarios inside each round, so a drift in the machine's speed
    hits every cell alike."""
    results: Results = {}
    for _round in range(rounds):
        for scenario in SCENARIOS:
            for tool in tools:
                measurement = run_scenario(scenario, tool, n, expected)
                results.setdefault((scenario.title, tool.name), []).append(measurement)
    return results


# ---------------------------------------------------------------------------------------------
# Report


@dataclass
class Cell:
    walls: list[float]
    cpu: float
    cpu_per_wall: float
    vs_single: float


def summarize(results: Results, scenario: Scenario, tool: Tool) -> Cell:
    runs = results[scenario.title, tool.name]
    singles = results[BASELINE.title, tool.name]
    return Cell(
        walls=[run.wall for run in runs],
        cpu=statistics.median(run.cpu for run in runs),
        cpu_per_wall=statistics.median(run.cpu / run.wall for run in runs),
        vs_single=statistics.median(
            run.wall / single.wall for run, single in zip(runs, singles, strict=True)
        ),
    )


def format_ms(seconds: float) -> str:
    ms = seconds * 1e3
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 10 else f"{ms:.2f}"


def format_wall(walls: Sequence[float]) -> str:
    median = format_ms(statistics.median(walls))
    if len(walls) == 1:
        return median
    return f"{median} [{format_ms(min(walls))}-{format_ms(max(walls))}]"


COLUMNS = ("wall ms", "CPU ms", "CPU/wall", "x single")


def tool_cells(results: Results, scenario: Scenario, tool: Tool) -> list[str]:
    cell = summarize(results, scenario, tool)
    return [
        format_wall(cell.walls),
        format_ms(cell.cpu),
        f"{cell.cpu_per_wall:.2f}",
        f"{cell.vs_single:.2f}",
    ]


def format_table(results: Results, tools: Sequence[Tool]) -> str:
    header = ["scenario", *(COLUMNS * len(tools))]
    rows = [
        [scenario.title, *(text for tool in tools for text in tool_cells(results, scenario, tool))]
        for scenario in SCENARIOS
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        groups = [cells[0].ljust(widths[0])]
        for first in range(1, len(cells), len(COLUMNS)):
            group = slice(first, first + len(COLUMNS))
            groups.append(
                "  ".join(c.rjust(w) for c, w in zip(cells[group], widths[group], strict=True))
            )
        return " | ".join(groups)

    group_widths = [len(group) for group in line(header).split(" | ")]
    names = ["", *(tool.name for tool in tools)]
    title = " | ".join(name.center(w) for name, w in zip(names, group_widths, strict=True))
    rule = "-+-".join("-" * w for w in group_widths)
    return "\n".join([title.rstrip(), line(header), rule, *(line(row) for row in rows)])


def explain(results: Results, tools: Sequence[Tool]) -> str:
    both = next(s for s in SCENARIOS if s.modes == (NOGIL, NOGIL))
    gil_first = next(s for s in SCENARIOS if s.modes == (GIL, NOGIL))
    nogil_first = next(s for s in SCENARIOS if s.modes == (NOGIL, GIL))
    lines = [
        "What the table shows:",
        "- Two threads overlap only while at least the first call releases the GIL: their wall",
        "  time is then about one call (x single ~ 1) while the CPU time is about two calls",
        "  (CPU/wall ~ 2). When both hold it, the calls run one after the other (x single ~ 2).",
        "- Start order matters for a GIL-holding call: started first, it keeps the GIL for its",
        "  whole native call, so the second thread cannot even begin until it returns; started",
        "  second, it takes the GIL the first thread released and both run at once.",
        "- nogil default is plain @njit (nogil='auto') in every cell: a call starts with the",
        "  GIL and releases it after about 50 us of work, so every two-thread row overlaps,",
        "  whatever the start order, and short calls never pay for a release.",
        "- x single is the wall time over the same tool's single GIL-holding call in the same",
        "  round; CPU is process CPU time over the same interval, all threads included.",
    ]
    for tool in tools:
        cells = {s.title: summarize(results, s, tool) for s in (both, nogil_first, gil_first)}
        lines.append(
            f"  {tool.name}: both nogil x{cells[both.title].vs_single:.2f}, "
            f"nogil first x{cells[nogil_first.title].vs_single:.2f}, "
            f"GIL first x{cells[gil_first.title].vs_single:.2f}"
        )
    return "\n".join(lines)


def plot_timeline(path: Path, results: Results, tools: Sequence[Tool]) -> str:
    """One bar per call, from the moment its thread started it until it returned, for the last
    round of every scenario: overlapping bars ran at the same time."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.patches import Patch
    except ImportError as err:
        return f"matplotlib is not installed ({err}); no timeline drawn"
    colors = {GIL: "tab:red", NOGIL: "tab:green"}
    bars_per_scenario = [len(s.modes) * len(tools) for s in SCENARIOS]
    fig, axes = plt.subplots(
        len(SCENARIOS),
        1,
        sharex=True,
        figsize=(10, 1.0 + 0.28 * sum(bars_per_scenario) + 0.35 * len(SCENARIOS)),
        height_ratios=bars_per_scenario,
    )
    # Every panel on one scale, wide enough for the longest scenario (two calls in sequence).
    last_end_ms = 0.0
    for ax, scenario in zip(axes, SCENARIOS, strict=True):
        labels = []
        for tool in tools:
            run = results[scenario.title, tool.name][-1]
            for call in run.calls:
                y = len(labels)
                start_ms = (call.start - run.origin) * 1e3
                ax.barh(y, (call.end - call.start) * 1e3, left=start_ms, color=colors[call.mode])
                last_end_ms = max(last_end_ms, (call.end - run.origin) * 1e3)
                labels.append(f"{tool.name} {call.label}")
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(scenario.title, fontsize=9, loc="left")
        ax.grid(axis="x", alpha=0.3)
    for ax in axes:
        ax.set_xlim(0, last_end_ms * 1.03)
    axes[-1].set_xlabel("ms since the scenario started")
    fig.legend(
        handles=[
            Patch(color=colors[GIL], label="call holds the GIL"),
            Patch(color=colors[NOGIL], label="call releases the GIL"),
        ],
        loc="upper right",
        fontsize=8,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return f"timeline written to {path.resolve()}"


# ---------------------------------------------------------------------------------------------
# Command line


def parse_count(text: str) -> int:
    """Accepts 1000000000, 1_000_000_000, 10**9 and 1e9."""
    cleaned = text.replace("_", "").strip()
    try:
        if "**" in cleaned:
            base, exponent = cleaned.split("**")
            value = int(base) ** int(exponent)
        elif "e" in cleaned.lower():
            mantissa, exponent = cleaned.lower().split("e")
            value = int(mantissa) * 10 ** int(exponent)
        else:
            value = int(cleaned)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from err
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m nogil.demo", description=SUMMARY)
    parser.add_argument("--n", type=parse_count, default=DEFAULT_N, help="Fibonacci index")
    parser.add_argument("--rounds", type=parse_count, default=1, help="rounds; median is shown")
    parser.add_argument("--plot", type=Path, help="write a thread timeline PNG here")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


def describe_run(args: argparse.Namespace, tools: Sequence[Tool], expected: int) -> str:
    versions = [f"Python {platform.python_version()}"]
    for name in ("numba", "Cython"):
        module = sys.modules.get(name)
        if module is not None and any(t.name.lower() == name.lower() for t in tools):
            versions.append(f"{name} {module.__version__}")
    return (
        f"Fibonacci loop, N = {args.n:,}, {args.rounds} round(s), "
        f"{os.cpu_count()} CPUs, {', '.join(versions)}\n"
        f"expected F(N) mod 2**64 = {expected}"
    )


def busy_warning(consequence: str = "so two-thread figures may not show the overlap") -> str | None:
    """A warning when other processes keep the CPUs busy, with what that spoils: two threads
    can only overlap on idle CPUs, and memory-bound kernels share the memory bus."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return None
    if load < 0.5:
        return None
    return (
        f"warning: load average {load:.2f} before the run; other processes are using the CPUs, "
        + consequence
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    tools, skipped = load_tools()
    expected = fibonacci_mod64(args.n)
    print(describe_run(args, tools, expected))
    print("peers skipped: " + ("; ".join(skipped) if skipped else "none"))
    warning = busy_warning()
    if warning:
        print(warning)
    if (os.cpu_count() or 1) < 2:
        print("only one CPU: even GIL-releasing threads cannot run at the same time here")
    try:
        warm_up(tools)
        recursion = {tool.name: tool.recursion() for tool in tools}
        results = run_rounds(tools, args.n, args.rounds, expected)
    except WrongResult as err:
        print(f"WRONG RESULT: {err}", file=sys.stderr)
        return 1
    print()
    print(format_table(results, tools))
    print()
    print("recursion (a nogil=True, or default, function calling itself):")
    for name, outcome in recursion.items():
        print(f"  {name}: {outcome}")
    if args.plot is not None:
        print(plot_timeline(args.plot, results, tools))
    print()
    print(explain(results, tools))
    return 0


if __name__ == "__main__":
    sys.exit(main())
