"""Many threads calling compiled functions at once: results, first-call compilation, errors."""

import threading
from collections.abc import Callable
from typing import Any

import pytest

from nogil import njit


def parallelize(fn: Callable[[int], Any], n: int) -> list[Any]:
    """Runs fn(0) .. fn(n - 1) in n threads released together; returns their results, or
    re-raises the first exception a thread raised."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = fn(index)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def collatz_total(limit, offset):
    total = 0
    for start in range(1, limit):
        n = start + offset
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            total += 1
    return total


def harmonic(n, shift):
    total = 0.0
    for k in range(1, n):
        total += 1.0 / (k + shift)
    return total


def make_fib(decorate):
    @decorate
    def fib(n):
        if n < 2:
            return n
        return fib(n - 1) + fib(n - 2)

    return fib


def checked_divide(a, b):
    total = 0
    for i in range(a):
        total += i // b
    return total


@pytest.mark.parametrize("nogil", [True, False])
def test_threads_calling_the_same_function_get_their_own_results(nogil):
    cfunc = njit(nogil=nogil)(collatz_total)
    cfunc(2, 0)

    def work(index):
        return [cfunc(3000, index * 7 + k) for k in range(5)]

    results = parallelize(work, 4)
    for index, got in enumerate(results):
        assert got == [collatz_total(3000, index * 7 + k) for k in range(5)]


@pytest.mark.parametrize("nogil", [True, False])
def test_first_call_from_many_threads_compiles_once(nogil):
    cfunc = njit(nogil=nogil)(harmonic)
    assert len(cfunc.signatures) == 0

    results = parallelize(lambda index: cfunc(20000, index), 8)
    assert results == [harmonic(20000, index) for index in range(8)]
    assert len(cfunc.signatures) == 1
    assert cfunc.stats["compiles"] == 1  # the others waited for it, without the GIL


def test_first_calls_with_different_types_from_many_threads():
    cfunc = njit(harmonic)
    args = [(1000, 1), (1000, 0.5), (1000, True), (1000, 2), (1000, 1.5), (1000, False)]
    results = parallelize(lambda index: cfunc(*args[index]), len(args))
    assert results == [harmonic(*a) for a in args]
    assert len(cfunc.signatures) == 3
    assert cfunc.stats["compiles"] == 3


def test_recursion_in_releasing_threads():
    plain = make_fib(lambda f: f)
    compiled = make_fib(njit(nogil=True))
    results = parallelize(lambda index: compiled(20 + index % 3), 6)
    assert results == [plain(20 + index % 3) for index in range(6)]


def test_errors_in_one_thread_do_not_leak_into_others():
    cfunc = njit(checked_divide)
    cfunc(1, 1)

    def work(index):
        outcomes = []
        for k in range(200):
            if index % 2:
                try:
                    cfunc(50, 0)
                    outcomes.append("no error")
                except ZeroDivisionError as err:
                    outcomes.append(str(err))
            else:
                outcomes.append(cfunc(50 + k, 3))
        return outcomes

    results = parallelize(work, 6)
    for index, outcomes in enumerate(results):
        if index % 2:
            assert outcomes == ["integer division or modulo by zero"] * 200
        else:
            assert outcomes == [checked_divide(50 + k, 3) for k in range(200)]
