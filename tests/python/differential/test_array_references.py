"""Arrays created in compiled code are reference-counted: memory comes back as soon as no
local holds it, not when the Python call ends. Each function is checked against CPython
(values), and the memory it holds against what the runtime reports (nogil.array_memory).
The test run sets MALLOC_PERTURB_, so memory freed too early reads as garbage, not as the
old values."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nogil
from nogil import njit

from .oracle import assert_same

MEGABYTE_OF_FLOATS = 131_072


def rebind_in_loop(n, m):
    total = 0.0
    for i in range(n):
        block = np.full(m, i * 0.5)
        total += block.sum()
    return total


def temporaries_in_loop(n, m):
    total = 0.0
    for i in range(n):
        total += (np.ones(m) * i).sum() + np.arange(m).sum()
    return total


def loop_over_a_temporary(n):
    total = 0.0
    for x in np.arange(n) * 1.5:
        scratch = np.zeros(4) + x
        total += scratch.sum()
    return total


def enumerate_and_zip_temporaries(n):
    total = 0.0
    for i, x in enumerate(np.arange(n) * 2.0):
        total += i * x + np.ones(2).sum()
    for x, y in zip(np.arange(n) * 1.0, np.arange(n)[::-1] * 3.0):  # noqa: B905
        total += x - y + np.zeros(3).sum()
    return total


def view_outlives_its_temporary(n):
    view = (np.arange(n) * 1.0)[::2]
    other = np.full(n, 7.0)
    return view.sum() + other.sum() + len(view)


def reassign_parameter(a):
    a = np.zeros(3)
    return a.sum()


def call_rebinding_callee(n):
    total = 0.0
    for i in range(n):
        total += REASSIGN_PARAMETER(np.arange(5) * 1.0 + i) + i
    return total


def make_ramp(n):
    ramp = np.arange(n) * 1.0
    return ramp


def keep_callee_results(n):
    first = MAKE_RAMP(n)
    total = 0.0
    for i in range(n):
        latest = MAKE_RAMP(i + 1)
        total += latest[-1]
    return total + first.sum()


def swap_tuples_of_arrays(n):
    pair = (np.arange(n) * 1.0, np.ones(n))
    for _ in range(3):
        pair = (pair[1], pair[0])
    a, b = pair
    a, b = b, a
    a = a
    return a.sum() * 10.0 + b.sum()


def condition_allocates(n):
    k = 0
    while np.ones(3).sum() * k < n:
        k += 1
    return k


def returned_while_finally_rebinds(n):
    result = np.arange(n) * 2.0
    try:
        return result
    finally:
        result = np.zeros(n) + np.ones(n)


def allocate_then_raise(n):
    scratch = np.ones(n)
    if n > 0:
        raise ValueError("raised after allocating")
    return scratch.sum()


def catch_callee_failures(n, m):
    caught = 0
    for _ in range(n):
        try:
            ALLOCATE_THEN_RAISE(m)
        except ValueError:
            caught += 1
    return caught


def shift_views(a, k):
    # Allocates nothing and calls nothing that does: its frame drops its sweeps. It rebinds
    # its parameter to views of the caller's array and returns one.
    for _ in range(k):
        a = a[1:]
    b = a
    a = b[:1]
    return b


def views_of_fresh_arrays(n, m):
    total = 0.0
    for i in range(n):
        kept = SHIFT_VIEWS(np.arange(m + 3) * 1.0 + i, 2)  # a temporary of the caller
        total += kept.sum() + SHIFT_VIEWS(kept, 1).sum()
    return total


REASSIGN_PARAMETER = njit(reassign_parameter)
SHIFT_VIEWS = njit(shift_views)
MAKE_RAMP = njit(make_ramp)
ALLOCATE_THEN_RAISE = njit(allocate_then_raise)

VALUE_CASES = [
    (rebind_in_loop, (st.integers(0, 6), st.integers(0, 5))),
    (temporaries_in_loop, (st.integers(0, 6), st.integers(0, 5))),
    (loop_over_a_temporary, (st.integers(0, 8),)),
    (enumerate_and_zip_temporaries, (st.integers(0, 8),)),
    (view_outlives_its_temporary, (st.integers(0, 9),)),
    (call_rebinding_callee, (st.integers(0, 5),)),
    (keep_callee_results, (st.integers(1, 6),)),
    (swap_tuples_of_arrays, (st.integers(0, 5),)),
    (condition_allocates, (st.integers(0, 20),)),
    (catch_callee_failures, (st.integers(0, 4), st.integers(0, 3))),
    (views_of_fresh_arrays, (st.integers(0, 6), st.integers(0, 5))),
]


def python_values(pyfunc):
    """CPython's answer with NumPy scalars made Python numbers, as nogil returns them."""

    def run(*args):
        result = pyfunc(*args)
        return result.item() if isinstance(result, np.generic) else result

    return run


@pytest.mark.parametrize(
    ("pyfunc", "strategies"), VALUE_CASES, ids=[case[0].__name__ for case in VALUE_CASES]
)
def test_values_match_cpython(pyfunc, strategies):
    cfunc = njit(pyfunc)

    @given(st.tuples(*strategies))
    def check(args):
        assert_same(python_values(pyfunc), cfunc, *args)

    check()


def test_an_array_returned_while_finally_rebinds_its_variable_survives():
    cfunc = njit(returned_while_finally_rebinds)
    for n in (0, 1, 5, 100_000):
        got = cfunc(n)
        assert np.array_equal(got, np.arange(n) * 2.0)


def held_at_peak(cfunc, *args):
    """The most array memory compiled code held at once during the call, in bytes."""
    nogil.reset_array_memory_peak()
    live_before = nogil.array_memory()[0]
    cfunc(*args)
    live, peak = nogil.array_memory()
    assert live == live_before, "the call kept memory it did not return"
    return peak - live_before


MEGABYTE = MEGABYTE_OF_FLOATS * 8


@pytest.mark.parametrize(
    "pyfunc",
    [rebind_in_loop, temporaries_in_loop],
    ids=["rebinding a local", "temporaries"],
)
def test_a_loop_allocating_each_iteration_holds_a_few_arrays_at_a_time(pyfunc):
    # 500 iterations of 1 MB: 500 MB if memory waited for the end of the call.
    assert held_at_peak(njit(pyfunc), 500, MEGABYTE_OF_FLOATS) <= 3 * MEGABYTE


def test_arrays_a_callee_returns_are_freed_when_the_caller_drops_them():
    def caller(n):
        total = 0.0
        for i in range(n):
            total += MAKE_RAMP(MEGABYTE_OF_FLOATS)[i]
        return total

    assert held_at_peak(njit(caller), 300) <= 3 * MEGABYTE


def test_a_loop_over_a_temporary_keeps_it_until_the_loop_ends():
    def walk(n):
        total = 0.0
        for x in np.arange(n) * 1.0:
            total += (np.ones(n) * x).sum()
        return total

    cfunc = njit(walk)
    assert cfunc(300) == walk(300)
    assert held_at_peak(cfunc, MEGABYTE_OF_FLOATS // 64) <= MEGABYTE // 8


def test_a_callee_that_raises_gives_its_arrays_back():
    # The callee's locals are released on its way out by the exception, so the caller,
    # catching it 200 times, never holds more than a couple of them.
    cfunc = njit(catch_callee_failures)
    assert cfunc(3, 4) == 3
    assert held_at_peak(cfunc, 200, MEGABYTE_OF_FLOATS) <= 3 * MEGABYTE


def test_returned_arrays_are_counted_until_numpy_frees_them():
    live_before = nogil.array_memory()[0]
    ramp = MAKE_RAMP(MEGABYTE_OF_FLOATS)
    assert nogil.array_memory()[0] - live_before == MEGABYTE
    del ramp
    assert nogil.array_memory()[0] == live_before


def test_a_callee_that_cannot_allocate_returns_views_of_temporaries_safely():
    # 300 megabyte temporaries (three per iteration: arange, * 1.0, + i) pass through a
    # callee without sweeps: each is freed by the caller once the views it returned are
    # dropped, never by the callee, and never kept to the end of the call (900 MB).
    cfunc = njit(views_of_fresh_arrays)
    assert cfunc(3, 10) == views_of_fresh_arrays(3, 10)
    assert held_at_peak(cfunc, 300, MEGABYTE_OF_FLOATS) <= 4 * MEGABYTE


def kernel_over_arguments(a, out):
    for i in range(a.shape[0]):
        out[i] = a[i] * 2.0
    return out[0]


def kernel_with_scratch(a):
    scratch = a * 2.0
    return scratch[0]


def test_only_frames_that_can_queue_arrays_keep_their_queue_mark():
    # The mark is a call into the runtime on every call; a kernel over its arguments needs
    # none, a function that allocates does.
    a = np.arange(4.0)
    over_arguments, with_scratch = njit(kernel_over_arguments), njit(kernel_with_scratch)
    assert over_arguments(a, np.zeros(4)) == 0.0 and with_scratch(a) == 0.0
    assert "nogil_rt_array_queue_mark" not in "".join(over_arguments.inspect_llvm().values())
    assert "nogil_rt_array_queue_mark" in "".join(with_scratch.inspect_llvm().values())
