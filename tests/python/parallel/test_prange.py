"""prange loops in parallel=True functions, against the same functions run by CPython (where
prange is range): every reduction kind, steps, private values, nesting, exceptions, threads."""

import math
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import nogil
from nogil import njit, prange

SIZES = st.integers(min_value=0, max_value=5000)


def both(function):
    """(compiled with parallel=True, the plain Python function)."""
    return njit(parallel=True)(function), function


def add_ints(a):
    total = 7
    for i in prange(len(a)):
        total += a[i]
    return total


def subtract_ints(a):
    total = 100
    for i in prange(len(a)):
        total -= a[i] * 2
    return total


def multiply_signs(a):
    product = 3
    for i in prange(len(a)):
        product *= a[i] % 2 * 2 - 1  # -1 or 1: exact in int64 and in CPython
    return product


def or_bits(a):
    bits = 0
    for i in prange(len(a)):
        bits |= 1 << (a[i] % 60)
    return bits


def and_bits(a):
    bits = -1
    for i in prange(len(a)):
        bits &= ~(1 << (a[i] % 60)) if a[i] % 7 == 0 else -1
    return bits


def xor_bits(a):
    bits = 5
    for i in prange(len(a)):
        bits ^= a[i] * 31
    return bits


def min_and_max(a):
    low = 10**6
    high = -(10**6)
    for i in prange(len(a)):
        low = min(low, a[i])
        high = max(a[i] * 3, high)
    return low, high


def any_and_all(a):
    seen = False
    every = True
    for i in prange(len(a)):
        seen |= a[i] > 900
        every &= a[i] >= 0
    return seen, every


INT_REDUCTIONS = [
    add_ints,
    subtract_ints,
    multiply_signs,
    or_bits,
    and_bits,
    xor_bits,
    min_and_max,
    any_and_all,
]


@pytest.mark.parametrize("function", INT_REDUCTIONS, ids=lambda f: f.__name__)
@given(size=SIZES, seed=st.integers(0, 2**32 - 1))
@example(size=0, seed=0)
@example(size=1, seed=0)
def test_integer_reductions_equal_the_serial_loop(function, size, seed):
    compiled, plain = both(function)
    a = np.random.default_rng(seed).integers(-1000, 1000, size)
    assert compiled(a) == plain(a)


def sum_floats(a):
    total = 0.5
    for i in prange(len(a)):
        total += a[i] * a[i]
    return total


def min_and_max_floats(a):
    low = math.inf
    high = -math.inf
    for i in prange(len(a)):
        low = min(low, a[i])
        high = max(high, a[i])
    return low, high


@given(size=SIZES, seed=st.integers(0, 2**32 - 1))
@example(size=0, seed=0)
@example(size=1, seed=0)
def test_float_reductions_equal_the_serial_loop(size, seed):
    a = np.random.default_rng(seed).normal(size=size)
    compiled, plain = both(sum_floats)
    # Summed in another order: equal up to rounding.
    assert compiled(a) == pytest.approx(plain(a), rel=1e-12, abs=1e-12)
    compiled, plain = both(min_and_max_floats)
    assert compiled(a) == plain(a)


def test_float_sums_give_the_same_bits_whatever_the_thread_count():
    compiled, _ = both(sum_floats)
    a = np.random.default_rng(1).normal(size=100_003)
    default = compiled(a)
    assert all(compiled(a) == default for _ in range(5))
    nogil.set_num_threads(1)
    try:
        assert compiled(a) == default
    finally:
        nogil.set_num_threads(nogil._core._thread_limit())


def steps(start, stop, step, out):
    count = 0
    for i in prange(start, stop, step):
        out[i] += i
        count += 1
    return count


@given(
    start=st.integers(-50, 50),
    stop=st.integers(-50, 50),
    step=st.integers(-7, 7).filter(lambda s: s != 0),
)
def test_ranges_with_start_stop_and_step(start, stop, step):
    compiled, plain = both(steps)
    expected, got = np.zeros(101, dtype=np.int64), np.zeros(101, dtype=np.int64)
    # Indices from -50 to 50: negative ones count from the end, as in CPython.
    assert compiled(start, stop, step, got) == plain(start, stop, step, expected)
    assert np.array_equal(got, expected)


def test_a_zero_step_raises_as_range_does():
    compiled, plain = both(steps)
    with pytest.raises(ValueError, match="arg 3 must not be zero"):
        plain(0, 5, 0, np.zeros(5, dtype=np.int64))
    with pytest.raises(ValueError, match="arg 3 must not be zero"):
        compiled(0, 5, 0, np.zeros(5, dtype=np.int64))


def private_values(a, out):
    scale = 2.5
    for i in prange(len(a)):
        acc = 0.0
        for j in range(4):
            acc += a[i] * j
        if acc > 0:  # noqa: SIM108 (assigned on both branches: private to the iteration)
            sign = 1.0
        else:
            sign = -1.0
        row = np.empty(3)  # an array per iteration, freed with it
        row[0] = acc
        out[i] = row[0] * sign * scale


@given(size=SIZES, seed=st.integers(0, 2**32 - 1))
@example(size=0, seed=0)
@example(size=1, seed=0)
def test_private_values_and_arrays_per_iteration(size, seed):
    compiled, plain = both(private_values)
    a = np.random.default_rng(seed).normal(size=size)
    expected, got = np.zeros(size), np.zeros(size)
    plain(a, expected)
    live = nogil.array_memory()[0]
    compiled(a, got)
    assert np.array_equal(got, expected)
    assert nogil.array_memory()[0] == live


def nested(n, m, out):
    total = 0
    for i in prange(n):
        row = 0
        for j in prange(m):
            row += i * j + 1
        out[i] = row
        total += row
    return total


@given(n=st.integers(0, 60), m=st.integers(0, 60))
def test_nested_prange(n, m):
    compiled, plain = both(nested)
    expected, got = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    assert compiled(n, m, got) == plain(n, m, expected)
    assert np.array_equal(got, expected)


def raises_at(n, bad):
    total = 0
    for i in prange(n):
        if i == bad:
            raise ValueError("iteration failed")
        total += i
    return total


def test_an_exception_cancels_the_loop_and_is_raised_once():
    compiled, plain = both(raises_at)
    for bad in [0, 1, 999, 99_999]:
        with pytest.raises(ValueError, match=r"^iteration failed$") as info:
            compiled(100_000, bad)
        assert info.value.__cause__ is None and info.value.__context__ is None
    # The pool still works, and the result is the serial one.
    assert compiled(100_000, -1) == plain(100_000, -1)


parallel_raises_at = njit(parallel=True)(raises_at)


def catches(n, bad):
    try:
        total = parallel_raises_at(n, bad)
    except ValueError:
        total = -1
    return total


def test_compiled_code_catches_an_exception_from_a_prange_loop():
    compiled = njit(catches)
    assert compiled(1000, 500) == -1
    assert compiled(1000, -1) == sum(range(1000))


def test_index_errors_inside_the_loop():
    def out_of_bounds(a):
        for i in prange(len(a) + 1):
            a[i] = 1.0

    compiled = njit(parallel=True)(out_of_bounds)
    with pytest.raises(IndexError, match="out of bounds for axis 0 with size 10"):
        compiled(np.zeros(10))


def test_calls_from_many_python_threads_at_once():
    compiled, plain = both(nested)
    add, add_plain = both(add_ints)
    a = np.arange(10_000)
    expected = plain(40, 50, np.zeros(40, dtype=np.int64)), add_plain(a)
    results, errors = [], []

    def work():
        try:
            for _ in range(30):
                results.append((compiled(40, 50, np.zeros(40, dtype=np.int64)), add(a)))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "deadlock"
    assert errors == []
    assert results == [expected] * 120


def test_prange_outside_a_parallel_function_is_range():
    compiled = njit(add_ints)
    a = np.arange(100)
    assert compiled(a) == add_ints(a)


def test_number_of_threads():
    limit = nogil._core._thread_limit()
    assert nogil.get_num_threads() == limit >= 1
    nogil.set_num_threads(1)
    try:
        assert nogil.get_num_threads() == 1
        seen = []
        other = threading.Thread(target=lambda: seen.append(nogil.get_num_threads()))
        other.start()
        other.join()
        assert seen == [limit]  # a per-thread setting, as in Numba
        compiled, plain = both(nested)
        out = np.zeros(20, dtype=np.int64)
        assert compiled(20, 30, out) == plain(20, 30, np.zeros(20, dtype=np.int64))
    finally:
        nogil.set_num_threads(limit)
    for bad in [0, -1, limit + 1]:
        with pytest.raises(ValueError, match="number of threads must be between 1 and"):
            nogil.set_num_threads(bad)


def run_with_threads(value: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NOGIL_NUM_THREADS=value)
    code = "import nogil; print(nogil.get_num_threads())"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_nogil_num_threads_sets_the_limit():
    done = run_with_threads("3")
    assert done.stdout.split() == ["3"], done.stderr
    for bad in ["0", "many"]:
        done = run_with_threads(bad)
        assert done.returncode != 0
        assert "NOGIL_NUM_THREADS must be a positive integer" in done.stderr
