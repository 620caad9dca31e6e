"""One dispatcher hammered from many threads with new argument types at once: compiles race
with calls, with the fast path's updates and with the first load of the function's source.
The dispatcher's state relies on no GIL (docs/design.md, "Free-threaded Python"); on a build
with the GIL these still cross every point where compiling releases it."""

import re
import threading
import time

import numpy as np
import pytest

from nogil import njit

THREADS = 8
ROUNDS = 40
TIMEOUT = 300.0  # seconds: only a deadlock comes near it


def hammer(work, threads=THREADS):
    """Runs work(index) in `threads` threads released together; returns the failures."""
    barrier = threading.Barrier(threads)
    failures = []

    def run(index):
        try:
            barrier.wait()
            work(index)
        except BaseException as error:  # reported by the test, with the thread that raised
            failures.append((index, repr(error)))

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + TIMEOUT
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    assert not any(worker.is_alive() for worker in workers), "deadlock or livelock"
    return failures


def weigh(a, b):
    return a * 2 + b


def weigh_first(a, b):
    return a[0] * 2 + b


# Each entry makes a new specialization of `weigh` (or `weigh_first`, for arrays): scalars of
# several kinds, and arrays of several dtypes and layouts, which the fast path keys apart.
SCALAR_ARGUMENTS = [
    (3, 4),
    (2.5, 1),
    (True, 2),
    (7, 0.5),
    (np.int32(5), 1),
    (np.float32(1.5), 2.0),
    (np.uint8(20), 3),
    (False, False),
]


def array_arguments():
    base = np.arange(12.0)
    return [
        (base, 1.0),
        (base.astype(np.int32), 2),
        (base[::-2], 0.5),
        (base.reshape(3, 4).T[0], 1),
        (base.astype(np.float32), 2),
        (np.frombuffer(base.tobytes()), 3.0),  # read-only
    ]


def expected_of(function, args):
    """CPython's value, and the type the same function compiled by a dispatcher of its own
    returns when called from one thread (for NumPy scalars nogil computes in int64 and
    float64, a documented difference)."""
    value = function.py_func(*args)
    return value, type(njit(function.py_func)(*args))


def test_new_argument_types_from_many_threads_at_once():
    weigh_jit = njit(weigh)
    first_jit = njit(weigh_first)
    arrays = array_arguments()
    jobs = [(weigh_jit, args) for args in SCALAR_ARGUMENTS] + [(first_jit, a) for a in arrays]
    expected = [expected_of(function, args) for function, args in jobs]
    mismatches = []

    def work(index):
        # Every thread walks the same jobs from a different start, so that the first call of
        # each new type, the fast path's switch between types and plain calls overlap.
        for k in range(ROUNDS * len(jobs)):
            slot = (index * 3 + k) % len(jobs)
            function, args = jobs[slot]
            got = function(*args)
            want, want_type = expected[slot]
            if got != want or type(got) is not want_type:
                mismatches.append((index, slot, got, want))
                return

    assert hammer(work) == []
    assert mismatches == []
    # Each specialization compiled and published once, however many threads missed on it.
    for function, count in ((weigh_jit, len(SCALAR_ARGUMENTS)), (first_jit, len(arrays))):
        assert function.stats["specializations"] == count
        assert function.stats["compiles"] == count
        assert len(set(function.signatures)) == len(function.signatures) == count


@njit
def increment(x):
    return x + 1


def caller(x, y):
    return increment(x) * y


def test_first_calls_of_fresh_dispatchers_race_their_loading():
    # The source (and the callee it names) is loaded once per dispatcher while the others
    # wait; each round makes a new dispatcher, so every round races a load.
    for round_number in range(6):
        shared = njit(caller)
        values = [(i, round_number + 0.5) if i % 2 else (i, round_number) for i in range(8)]
        results = [None] * THREADS

        def work(index, shared=shared, values=values, results=results):
            results[index] = [shared(*values[(index + k) % len(values)]) for k in range(20)]

        assert hammer(work) == []
        for index, got in enumerate(results):
            assert got == [caller(*values[(index + k) % len(values)]) for k in range(20)]
        assert shared.stats["specializations"] == 2


def test_explicit_signature_that_cannot_hold_the_result_publishes_nothing():
    from nogil.errors import TypingError

    cfunc = njit(weigh)
    cfunc._compile(("float64", "float64"), "float64")
    # A number is cast to a declared number; an array type cannot hold one.
    declared = "array(float64, 1d, C)"
    with pytest.raises(TypingError, match=rf"declared return type {re.escape(declared)} cannot"):
        cfunc._compile(("float64", "int64"), declared)
    assert cfunc.signatures == [("float64", "float64")]
    assert cfunc.stats["specializations"] == 1


def is_even(n):
    return True if n == 0 else is_odd_jit(n - 1)


def is_odd(n):
    return False if n == 0 else is_even_jit(n - 1)


is_even_jit = is_odd_jit = None


def test_mutually_recursive_functions_first_called_from_two_threads(monkeypatch):
    # Each thread starts loading one of the two functions; each load needs the other's. A
    # slow source loader (it sleeps, without the GIL) makes both loads start before either
    # ends: loads are one thread's at a time, so the first loads both and the other waits.
    from nogil import _frontend

    real_loader = _frontend.loader

    def slow_loader(captured, options=None):
        load = real_loader(captured, options)

        def load_slowly(function):
            time.sleep(0.2)
            return load(function)

        return load_slowly

    monkeypatch.setattr(_frontend, "loader", slow_loader)
    global is_even_jit, is_odd_jit
    is_even_jit, is_odd_jit = njit(is_even), njit(is_odd)
    barrier = threading.Barrier(2)
    results = {}

    def run(function, n):
        barrier.wait()
        results[function.__name__] = function(n)

    workers = [
        threading.Thread(target=run, args=(is_even_jit, 10), daemon=True),
        threading.Thread(target=run, args=(is_odd_jit, 7), daemon=True),
    ]
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 30.0  # the loads take about a second
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    assert not any(worker.is_alive() for worker in workers), "the two loads wait for each other"
    assert results == {"is_even": True, "is_odd": True}
