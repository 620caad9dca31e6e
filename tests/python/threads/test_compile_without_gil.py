"""Compilation runs without the GIL: other Python threads keep running while a function
compiles, different functions compile at once, and many threads calling and compiling
together get the serial results without deadlock."""

import importlib.util
import threading
import time

from nogil import njit

STRESS_TIMEOUT = 120.0


def load_module(directory, name, source):
    """A module from source written to `directory`: compiled functions need a source file."""
    path = directory / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def long_function_source(statements):
    """A function slow to compile: many dependent statements, each a branch and arithmetic."""
    lines = ["def long_function(x, y):", "    total = 0.0"]
    for k in range(statements):
        lines.append(f"    if x > {k}:")
        lines.append(f"        total += (x * {k + 1} - y) / {k + 2}")
        lines.append("    else:")
        lines.append(f"        total -= y * {k % 7 + 1}")
    lines.append("    return total")
    return "\n".join(lines) + "\n"


def test_other_threads_run_while_a_function_compiles(tmp_path):
    module = load_module(tmp_path, "slow_to_compile", long_function_source(400))
    cfunc = njit(module.long_function)
    cfunc(250, 3)  # reads and parses the source (Python code) and compiles for ints
    started = threading.Event()
    window = {}

    def compile_it():
        started.set()
        window["start"] = time.perf_counter()
        window["value"] = cfunc(250.0, 3.0)
        window["end"] = time.perf_counter()

    thread = threading.Thread(target=compile_it)
    stamps = []
    thread.start()
    started.wait()
    while thread.is_alive():
        stamps.append(time.perf_counter())
    thread.join()
    assert window["value"] == module.long_function(250.0, 3.0)
    duration = window["end"] - window["start"]
    assert duration > 0.02, f"the compile took {duration * 1e3:.1f} ms: too short to observe"
    low, high = window["start"] + duration / 4, window["end"] - duration / 4
    middle = [t for t in stamps if low < t < high]
    # The spinning thread ran during the middle half of the compile (for floats: typing and
    # LLVM only); holding the GIL it would not have run at all (native code checks no eval
    # breaker).
    assert len(middle) > 100, (len(middle), duration)


def test_different_functions_compile_at_once(tmp_path):
    sources = [
        long_function_source(150 + 10 * k).replace("long_function", f"f{k}") for k in range(4)
    ]
    modules = [load_module(tmp_path, f"module{k}", source) for k, source in enumerate(sources)]
    cfuncs = [njit(getattr(m, f"f{k}")) for k, m in enumerate(modules)]
    results = [None] * len(cfuncs)
    barrier = threading.Barrier(len(cfuncs))

    def run(k):
        barrier.wait()
        try:
            results[k] = cfuncs[k](100.0, 2.0)
        except BaseException as error:  # shown in the assertion below
            results[k] = repr(error)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(cfuncs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(STRESS_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "deadlock"
    assert results == [getattr(m, f"f{k}")(100.0, 2.0) for k, m in enumerate(modules)]
    assert all(cfunc.stats["compiles"] == 1 for cfunc in cfuncs)


def scaled_sum(n, scale):
    total = scale * 0
    for i in range(n):
        total += i * scale
    return total


def alternating(n, a, b):
    total = a - a
    for i in range(n):
        if i % 2:
            total += a
        else:
            total -= b
    return total


def test_many_threads_calling_and_compiling_at_once():
    shared = [njit(scaled_sum), njit(alternating)]
    argument_sets = [(50, 3), (50, 0.25), (50, True), (20, 2, 1), (20, 0.5, 2), (20, 1, 1.5)]
    calls = 10_000
    failures = []
    done = []

    def work(index):
        try:
            for k in range(calls):
                args = argument_sets[(index + k) % len(argument_sets)]
                function = shared[0] if len(args) == 2 else shared[1]
                got = function(*args)
                expected = function.py_func(*args)
                if got != expected or type(got) is not type(expected):
                    failures.append((index, args, got, expected))
                    return
                if k % 2500 == 0:  # a new dispatcher, so compiles keep happening
                    fresh = njit(alternating if index % 2 else scaled_sum)
                    fresh_args = (k % 7 + 1, index + 0.5) + ((index,) if index % 2 else ())
                    if fresh(*fresh_args) != fresh.py_func(*fresh_args):
                        failures.append((index, "fresh", fresh_args))
                        return
            done.append(index)
        except BaseException as error:  # reported below, with the thread that raised it
            failures.append((index, repr(error)))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + STRESS_TIMEOUT
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "deadlock or livelock"
    assert failures == []
    assert sorted(done) == list(range(8))
