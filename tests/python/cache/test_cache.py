"""cache=True across processes: entries are reused, never stale, and safe to share.

Each test writes a small package of modules to a temporary directory and runs child
interpreters on it: a cache only shows what it does in a process that did not compile."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pytest

import nogil
from nogil import njit

# The child prints, as its last line, each listed call's compiled and interpreted results,
# the process's cache counters and each cached function's stats.
CHILD = """\
import json
import sys

import nogil

import {module}



def shown(value):
    # NumPy scalars and arrays show as the Python numbers and lists they equal.
    return repr(value.tolist() if hasattr(value, "tolist") else value)


calls = {calls}
results = []
for name, args in calls:
    function = getattr({module}, name)
    try:
        compiled = shown(function(*args))
    except Exception as error:
        compiled = "raised " + type(error).__name__ + ": " + str(error)
    try:
        interpreted = shown(function.py_func(*args))
    except Exception as error:
        interpreted = "raised " + type(error).__name__ + ": " + str(error)
    results.append([compiled, interpreted])
stats = {{name: getattr({module}, name).stats for name, _ in calls}}
print(json.dumps({{"results": results, "info": nogil.cache_info(), "stats": stats}}))
"""


def write(directory: Path, name: str, source: str) -> None:
    (directory / name).write_text(textwrap.dedent(source))


def run_child(
    directory: Path, module: str, calls, cache_dir: Path | None = None, timeout: float = 120
) -> dict:
    script = directory / f"child_{module}.py"
    script.write_text(CHILD.format(module=module, calls=repr(calls)))
    env = dict(os.environ, PYTHONPATH=str(directory), PYTHONDONTWRITEBYTECODE="1")
    env.pop("NOGIL_CACHE_DIR", None)
    if cache_dir is not None:
        env["NOGIL_CACHE_DIR"] = str(cache_dir)
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    for compiled, interpreted in report["results"]:
        assert compiled == interpreted
    return report


def entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.nogil"))


KERNELS = """\
import numpy as np

from nogil import njit, prange

LIMIT = 1000


class Overflow(Exception):
    pass


@njit(cache=True)
def clipped_sum(n):
    s = 0
    for i in range(n):
        s += i * i
        if s > LIMIT:
            raise Overflow(f"sum passed {LIMIT} at {i}")
    return s


@njit(cache=True)
def safe_sum(n):
    try:
        return clipped_sum(n)
    except Overflow:
        return -1


@njit(cache=True)
def mean_of_squares(n):
    a = np.arange(n) * 0.5
    total = 0.0
    for x in a:
        total += x * x
    return total / n if n else 0.0


@njit(cache=True)
def divmod_pair(a, b):
    return a // b, a % b


@njit(cache=True)
def ramp(n):
    return np.arange(n) * 2.0 + LIMIT


@njit(cache=True, parallel=True)
def parallel_count(n):
    count = 0
    for i in prange(n):
        if i % 3 == 0:
            count += 1
    return count
"""

KERNEL_CALLS = [
    ("clipped_sum", (5,)),
    ("clipped_sum", (50,)),
    ("safe_sum", (50,)),
    ("safe_sum", (4,)),
    ("mean_of_squares", (7,)),
    ("divmod_pair", (17, 5)),
    ("divmod_pair", (-7.5, 2)),
    ("divmod_pair", (1, 0)),
    ("parallel_count", (1000,)),
    ("ramp", (5,)),
]


def test_a_second_process_loads_what_the_first_stored(tmp_path):
    write(tmp_path, "kernels.py", KERNELS)
    first = run_child(tmp_path, "kernels", KERNEL_CALLS)
    pycache = tmp_path / "__pycache__"
    stored = entries(pycache)
    # One entry per specialization: divmod_pair has two (int, int and float, int).
    assert len(stored) == 7
    assert first["info"]["hits"] == 0
    assert first["info"]["misses"] == 7 and first["info"]["writes"] == 7
    second = run_child(tmp_path, "kernels", KERNEL_CALLS)
    assert second["info"]["hits"] == 7
    assert second["info"]["misses"] == 0 and second["info"]["writes"] == 0
    assert second["results"] == first["results"]
    assert second["stats"]["divmod_pair"]["cache_hits"] == 2
    assert second["stats"]["divmod_pair"]["cache_misses"] == 0
    assert entries(pycache) == stored


def test_nogil_cache_dir_is_used_instead_of_pycache(tmp_path):
    write(tmp_path, "kernels.py", KERNELS)
    cache_dir = tmp_path / "elsewhere"
    run_child(tmp_path, "kernels", KERNEL_CALLS[:2], cache_dir=cache_dir)
    assert len(entries(cache_dir)) == 1
    assert not (tmp_path / "__pycache__").exists()
    again = run_child(tmp_path, "kernels", KERNEL_CALLS[:2], cache_dir=cache_dir)
    assert again["info"]["hits"] == 1


def test_changing_a_callee_in_another_module_recompiles_the_caller(tmp_path):
    write(
        tmp_path,
        "helpers.py",
        """\
        from nogil import njit

        @njit
        def step(i):
            return i + 1
        """,
    )
    write(
        tmp_path,
        "caller.py",
        """\
        from nogil import njit

        from helpers import step

        @njit(cache=True)
        def total(n):
            s = 0
            for i in range(n):
                s += step(i)
            return s
        """,
    )
    calls = [("total", (10,))]
    assert run_child(tmp_path, "caller", calls)["results"] == [["55", "55"]]
    assert run_child(tmp_path, "caller", calls)["info"]["hits"] == 1
    (tmp_path / "helpers.py").write_text(
        (tmp_path / "helpers.py").read_text().replace("i + 1", "i * 2")
    )
    changed = run_child(tmp_path, "caller", calls)
    assert changed["results"] == [["90", "90"]]
    assert changed["info"]["hits"] == 0 and changed["info"]["misses"] == 1


def test_changing_an_inlined_generator_recompiles_its_consumer(tmp_path):
    write(
        tmp_path,
        "generators.py",
        """\
        from nogil import njit

        @njit
        def scaled(n):
            for i in range(n):
                yield i * 1
        """,
    )
    write(
        tmp_path,
        "consumer.py",
        """\
        from nogil import njit

        from generators import scaled

        @njit(cache=True)
        def total(n):
            return sum(scaled(n))
        """,
    )
    # Python cannot run total.py_func (a compiled generator is not callable from Python
    # yet), so the child prints the compiled result and the counters only.
    script = tmp_path / "child_consumer.py"
    script.write_text(
        "import json, nogil, consumer\n"
        "print(json.dumps([consumer.total(10), nogil.cache_info()['hits']]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(tmp_path), PYTHONDONTWRITEBYTECODE="1")
    env.pop("NOGIL_CACHE_DIR", None)

    def run() -> list:
        done = subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert run() == [45, 0]
    assert run() == [45, 1]
    (tmp_path / "generators.py").write_text(
        (tmp_path / "generators.py").read_text().replace("i * 1", "i * 3")
    )
    assert run() == [135, 0]


def test_changing_a_frozen_global_or_an_option_recompiles(tmp_path):
    source = """\
    from nogil import njit

    OFFSET = 10

    @njit(cache=True, error_model="python")
    def shifted(x):
        return x // 2 + OFFSET
    """
    write(tmp_path, "shifting.py", source)
    calls = [("shifted", (7,))]
    assert run_child(tmp_path, "shifting", calls)["results"][0][0] == "13"
    assert run_child(tmp_path, "shifting", calls)["info"]["hits"] == 1
    write(tmp_path, "shifting.py", source.replace("OFFSET = 10", "OFFSET = 20"))
    changed = run_child(tmp_path, "shifting", calls)
    assert changed["results"][0][0] == "23"
    assert changed["info"]["misses"] == 1
    write(tmp_path, "shifting.py", source.replace('"python"', '"numpy"').replace("10", "20"))
    assert run_child(tmp_path, "shifting", calls)["info"]["misses"] == 1
    # Back to an earlier state: its entry is still there.
    write(tmp_path, "shifting.py", source)
    assert run_child(tmp_path, "shifting", calls)["info"]["hits"] == 1


def test_changing_an_exception_class_binding_recompiles(tmp_path):
    source = """\
    from nogil import njit

    Problem = ValueError

    @njit(cache=True)
    def check(x):
        if x < 0:
            raise Problem("negative")
        return x
    """
    write(tmp_path, "checking.py", source)
    calls = [("check", (-1,))]
    assert run_child(tmp_path, "checking", calls)["results"][0][0] == "raised ValueError: negative"
    write(tmp_path, "checking.py", source.replace("= ValueError", "= KeyError"))
    changed = run_child(tmp_path, "checking", calls)
    assert changed["results"][0][0] == "raised KeyError: 'negative'"
    assert changed["info"]["misses"] == 1


def test_a_truncated_or_corrupt_entry_is_rejected_and_rewritten(tmp_path):
    write(tmp_path, "kernels.py", KERNELS)
    calls = KERNEL_CALLS[:1]
    run_child(tmp_path, "kernels", calls)
    (entry,) = entries(tmp_path / "__pycache__")
    whole = entry.read_bytes()
    damaged = [whole[: len(whole) // 2], whole[:-1], whole[:10], b""]
    flipped = bytearray(whole)
    flipped[len(whole) - 40] ^= 0x55  # inside the object code
    damaged.append(bytes(flipped))
    for bad in damaged:
        entry.write_bytes(bad)
        report = run_child(tmp_path, "kernels", calls)
        assert report["info"]["rejected"] == 1, len(bad)
        assert report["info"]["misses"] == 1 and report["info"]["writes"] == 1
        assert entry.read_bytes() == whole
    assert run_child(tmp_path, "kernels", calls)["info"]["hits"] == 1


def test_an_entry_stored_under_another_key_is_rejected(tmp_path):
    write(tmp_path, "kernels.py", KERNELS)
    run_child(tmp_path, "kernels", [("divmod_pair", (7, 2)), ("divmod_pair", (7.0, 2))])
    first, second = entries(tmp_path / "__pycache__")
    first.write_bytes(second.read_bytes())
    report = run_child(tmp_path, "kernels", [("divmod_pair", (7, 2)), ("divmod_pair", (7.0, 2))])
    assert report["info"]["rejected"] == 1 and report["info"]["hits"] == 1
    assert report["results"] == [["(3, 1)", "(3, 1)"], ["(3.0, 1.0)", "(3.0, 1.0)"]]


def replace_with_fifo(entry: Path) -> None:
    entry.unlink()
    os.mkfifo(entry)


def replace_with_symlink(target: str):
    def replace(entry: Path) -> None:
        entry.unlink()
        entry.symlink_to(target)

    return replace


def replace_with_socket(entry: Path) -> None:
    entry.unlink()
    # Bound at a short path (AF_UNIX paths are at most 107 bytes), then moved into place.
    with tempfile.TemporaryDirectory(dir="/tmp") as short, socket.socket(socket.AF_UNIX) as s:
        s.bind(f"{short}/s")
        os.rename(f"{short}/s", entry)


@pytest.mark.parametrize(
    "replace",
    [
        replace_with_fifo,
        replace_with_symlink("/dev/zero"),
        replace_with_symlink("/dev/null"),
        replace_with_symlink("/dev/urandom"),
        replace_with_socket,
    ],
    ids=["fifo", "symlink-to-dev-zero", "symlink-to-dev-null", "symlink-to-dev-urandom", "socket"],
)
def test_an_entry_that_is_not_a_regular_file_is_rejected_and_replaced(tmp_path, replace):
    # A FIFO in place of an entry blocked the next process forever in open().
    write(tmp_path, "kernels.py", KERNELS)
    calls = KERNEL_CALLS[:1]
    run_child(tmp_path, "kernels", calls)
    (entry,) = entries(tmp_path / "__pycache__")
    whole = entry.read_bytes()
    replace(entry)
    report = run_child(tmp_path, "kernels", calls, timeout=60)
    assert report["info"]["rejected"] == 1 and report["info"]["writes"] == 1
    assert entry.is_file() and not entry.is_symlink() and entry.read_bytes() == whole
    assert run_child(tmp_path, "kernels", calls)["info"]["hits"] == 1


def test_a_directory_in_place_of_an_entry_is_rejected_and_left(tmp_path):
    write(tmp_path, "kernels.py", KERNELS)
    calls = KERNEL_CALLS[:1]
    run_child(tmp_path, "kernels", calls)
    (entry,) = entries(tmp_path / "__pycache__")
    entry.unlink()
    entry.mkdir()
    report = run_child(tmp_path, "kernels", calls, timeout=60)
    assert report["info"]["rejected"] == 1 and report["info"]["write_errors"] == 1


def test_a_symlink_to_a_valid_entry_is_loaded(tmp_path):
    write(tmp_path, "kernels.py", KERNELS)
    calls = KERNEL_CALLS[:1]
    run_child(tmp_path, "kernels", calls)
    (entry,) = entries(tmp_path / "__pycache__")
    kept = tmp_path / "kept.nogil"
    entry.rename(kept)
    entry.symlink_to(kept)
    assert run_child(tmp_path, "kernels", calls, timeout=60)["info"]["hits"] == 1


def test_an_unreadable_or_huge_entry_is_rejected_and_rewritten(tmp_path):
    write(tmp_path, "kernels.py", KERNELS)
    calls = KERNEL_CALLS[:1]
    run_child(tmp_path, "kernels", calls)
    (entry,) = entries(tmp_path / "__pycache__")
    whole = entry.read_bytes()
    entry.chmod(0)
    if os.access(entry, os.R_OK):  # root reads anything
        entry.chmod(0o644)
    else:
        report = run_child(tmp_path, "kernels", calls, timeout=60)
        assert report["info"]["rejected"] == 1 and report["info"]["writes"] == 1
        assert entry.read_bytes() == whole
    with entry.open("r+b") as file:  # sparse: 4 GiB of size, no disk
        file.truncate(1 << 32)
    report = run_child(tmp_path, "kernels", calls, timeout=60)
    assert report["info"]["rejected"] == 1 and report["info"]["writes"] == 1
    assert entry.read_bytes() == whole


@pytest.mark.parametrize(
    "cache_dir",
    ["/dev/null", "/dev/zero", "/proc/self", "/proc/self/entries", "fifo", "x" * 5000],
)
def test_an_odd_nogil_cache_dir_still_compiles(tmp_path, cache_dir):
    write(tmp_path, "kernels.py", KERNELS)
    if cache_dir == "fifo":
        cache_dir = tmp_path / "fifo"
        os.mkfifo(cache_dir)
    report = run_child(tmp_path, "kernels", KERNEL_CALLS[:2], cache_dir=Path(cache_dir), timeout=60)
    assert report["info"]["writes"] == 0 and report["info"]["hits"] == 0
    # No entry can be there: a miss, not a rejected entry.
    assert report["info"]["rejected"] == 0 and report["info"]["misses"] == 1


def test_an_unwritable_cache_directory_still_compiles(tmp_path):
    write(tmp_path, "kernels.py", KERNELS)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    report = run_child(tmp_path, "kernels", KERNEL_CALLS[:2], cache_dir=blocker)
    assert report["info"]["write_errors"] == 1 and report["info"]["writes"] == 0


def test_eight_processes_filling_one_directory_at_once(tmp_path):
    write(tmp_path, "kernels.py", KERNELS)
    script = tmp_path / "child_race.py"
    script.write_text(CHILD.format(module="kernels", calls=repr(KERNEL_CALLS)))
    env = dict(os.environ, PYTHONPATH=str(tmp_path), PYTHONDONTWRITEBYTECODE="1")
    env.pop("NOGIL_CACHE_DIR", None)
    # Several rounds: in the first every process compiles and writes; later ones race
    # readers against the writers of entries removed between rounds.
    for round_number in range(3):
        children = [
            subprocess.Popen(
                [sys.executable, str(script)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(8)
        ]
        for child in children:
            out, err = child.communicate(timeout=300)
            assert child.returncode == 0, err
            report = json.loads(out.strip().splitlines()[-1])
            for compiled, interpreted in report["results"]:
                assert compiled == interpreted
            # A partly written file would fail its checksum and count as rejected.
            assert report["info"]["rejected"] == 0
            assert report["info"]["hits"] + report["info"]["misses"] == 7
        pycache = tmp_path / "__pycache__"
        assert len(entries(pycache)) == 7
        assert not list(pycache.glob("*.tmp.*")), "a temporary file was left behind"
        for stale in entries(pycache)[round_number::2]:
            stale.unlink()


def test_stats_and_cache_info_count_compiles(tmp_path):
    write(
        tmp_path,
        "counted.py",
        """\
        from nogil import njit

        @njit(cache=True)
        def twice(x):
            return 2 * x
        """,
    )
    calls = [("twice", (4,)), ("twice", (1.5,))]
    first = run_child(tmp_path, "counted", calls)
    stats = first["stats"]["twice"]
    assert stats["compiles"] == 2 and stats["cache_misses"] == 2 and stats["cache_hits"] == 0
    assert stats["compile_seconds"] > 0
    # Both clocks measure the same two compiles, but from different places (the process's
    # counter around the compiler, the dispatcher's around the whole miss): comparing them
    # would compare scheduling noise on a loaded machine.
    assert first["info"]["compile_seconds"] > 0
    assert first["info"]["misses"] == 2 and first["info"]["writes"] == 2
    second = run_child(tmp_path, "counted", calls)
    assert second["stats"]["twice"]["cache_hits"] == 2
    assert second["info"]["compile_seconds"] == 0
    assert second["info"]["load_seconds"] > 0


def cached_square(x):
    return x * x


def test_one_function_decorated_twice_in_a_process_shares_its_object(tmp_path, monkeypatch):
    monkeypatch.setenv("NOGIL_CACHE_DIR", str(tmp_path))
    first = njit(cache=True)(cached_square)
    second = njit(cache=True)(cached_square)
    assert first(7) == 49
    assert second(8) == 64
    assert second.stats["compiles"] == 1
    assert len(entries(tmp_path)) == 1


def test_uncached_code_calls_a_cached_function(tmp_path, monkeypatch):
    monkeypatch.setenv("NOGIL_CACHE_DIR", str(tmp_path))
    square = njit(cache=True)(cached_square)
    assert square(3) == 9

    @njit
    def sum_of_squares(n):
        s = 0
        for i in range(n):
            s += square(i)
        return s

    assert sum_of_squares(10) == sum_of_squares.py_func(10)


def test_cache_info_reports_every_counter():
    info = nogil.cache_info()
    assert set(info) == {
        "hits",
        "misses",
        "rejected",
        "writes",
        "write_errors",
        "compile_seconds",
        "load_seconds",
    }
    before = nogil.cache_info()["compile_seconds"]
    njit(lambda_free_function)(2)
    assert nogil.cache_info()["compile_seconds"] > before


def lambda_free_function(x):
    return x - 1


def cached_ramp(n):
    return np.arange(n) * 1.0


def test_arrays_a_cached_callee_returns_are_freed_by_an_uncached_caller(tmp_path, monkeypatch):
    # The caller allocates nothing itself: only its call of the cached function (whose
    # symbol is the cache key's, not a specialization's usual name) can hand it arrays.
    monkeypatch.setenv("NOGIL_CACHE_DIR", str(tmp_path))
    ramp = njit(cache=True)(cached_ramp)
    megabyte_of_floats = 131_072
    assert ramp(megabyte_of_floats)[5] == 5.0  # compiled (and cached) before its caller

    @njit
    def caller(n):
        total = 0.0
        for i in range(n):
            total += ramp(megabyte_of_floats)[i]
        return total

    assert caller(3) == 3.0
    nogil.reset_array_memory_peak()
    live_before = nogil.array_memory()[0]
    assert caller(300) == sum(range(300))
    live, peak = nogil.array_memory()
    assert live == live_before
    assert peak - live_before <= 3 * megabyte_of_floats * 8  # not 300 MB


TYPED = """\
import numpy as np

from nogil import njit


@njit(cache=True)
def first_field(a):
    return a[0][0]


@njit(cache=True)
def itemsize_of(t):
    return np.zeros(1, t).itemsize
"""

TYPED_CHILD = """\
import json

import numpy as np

import typed

a = np.zeros(1, dtype=[("f", np.float64), ("g", np.int32)])
a[0]["f"] = 2.5
b = np.zeros(1, dtype=[("g", np.int32), ("f", np.float64)])
b[0]["g"] = 7
print(json.dumps([float(typed.first_field(a)), float(typed.first_field(b)),
                  typed.itemsize_of(np.float32), typed.itemsize_of(np.float64)]))
"""


def test_records_and_dtypes_of_different_layouts_are_cached_apart(tmp_path):
    # Each record layout and each dtype value is a key of its own: one process, then a second
    # that loads every entry, both read each argument as its own type.
    write(tmp_path, "typed.py", TYPED)
    script = tmp_path / "typed_child.py"
    script.write_text(TYPED_CHILD)
    env = dict(os.environ, PYTHONPATH=str(tmp_path), PYTHONDONTWRITEBYTECODE="1")
    env.pop("NOGIL_CACHE_DIR", None)
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.strip().splitlines()[-1]) == [2.5, 7.0, 4, 8]
    assert len(entries(tmp_path / "__pycache__")) == 4
