"""A compiled generator function called from Python returns an iterator whose steps run
compiled code: differential against CPython running the same undecorated generator."""

import gc
import threading
import time
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nogil
from nogil import njit


def squares_until(n):
    i = 0
    while i < n:
        yield i * i
        i += 1
    return i


def skipping(n):
    for i in range(n):
        if i % 3 == 0:
            continue
        if i > 7:
            break
        yield i
        for j in range(i, 0, -2):
            yield -j
    else:
        yield 100
    yield 99


def running_totals(a):
    total = 0
    for x in a:
        total += x
        yield total
    if abs(total) > 5:
        return total
    yield -1


def scaled_rows(a, factor):
    for row in a:
        yield row * factor


def owned_buffer(n):
    buffer = np.ones(n)
    for k in range(n):
        buffer[k] = k
        yield buffer.sum()


def mixed_numbers(n, step=0.5):
    x = 0
    for _ in range(n):
        yield x
        x += step


def failing_at(n, bad):
    for i in range(n):
        if i == bad:
            raise ValueError("bad item")
        yield i


def catching(n):
    for i in range(n):
        try:
            if i == 2:
                raise ValueError("two")
            yield i
            if i == 3:
                raise KeyError("three")
            yield 10 * i
        except ValueError:
            yield -100
        except KeyError:
            pass
        else:
            yield 7
    try:
        yield 1
    except Exception:
        yield 2


def slow_steps(n):
    while True:
        total = 0.0
        for i in range(n):
            total += i * 0.5
        yield total


GENERATORS = [squares_until, skipping, running_totals, scaled_rows, owned_buffer, catching]
COMPILED = {f.__name__: njit(f) for f in [*GENERATORS, mixed_numbers, failing_at, slow_steps]}


def drain(iterator):
    """Every item, and the StopIteration's value."""
    items = []
    while True:
        try:
            items.append(next(iterator))
        except StopIteration as stop:
            return items, stop.value


def same(expected, got):
    assert len(expected) == len(got)
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(e))
        assert np.asarray(g).dtype == np.asarray(e).dtype or np.ndim(e) == 0


@pytest.mark.parametrize("n", [0, 1, 5, 12])
def test_scalar_generators_match_cpython(n):
    for f in (squares_until, skipping, catching):
        expected_items, expected_value = drain(f(n))
        items, value = drain(COMPILED[f.__name__](n))
        assert items == expected_items
        assert value == expected_value


LAYOUTS = {
    "C": lambda a: a,
    "strided": lambda a: np.repeat(a, 2)[::2],
    "reversed": lambda a: a[::-1],
    "empty": lambda a: a[:0],
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64, np.complex128])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_array_generators_match_cpython(dtype, layout):
    a = LAYOUTS[layout](np.arange(1, 6).astype(dtype))
    expected_items, expected_value = drain(running_totals(a))
    items, value = drain(COMPILED["running_totals"](a))
    np.testing.assert_allclose(np.array(items, dtype=complex), np.array(expected_items, complex))
    assert value == expected_value


@pytest.mark.parametrize("order", ["C", "F", "transposed"])
def test_yielding_arrays(order):
    a = np.arange(12.0).reshape(3, 4)
    a = a.T if order == "transposed" else np.asarray(a, order=order)
    same(list(scaled_rows(a, 2.0)), list(COMPILED["scaled_rows"](a, 2.0)))
    same(list(scaled_rows(a, 3)), list(COMPILED["scaled_rows"](a, factor=3)))


def test_python_iteration_protocols():
    g = COMPILED["squares_until"]
    assert list(g(4)) == [0, 1, 4, 9]
    assert [x for x in g(3)] == [0, 1, 4]
    assert list(zip(g(5), "abc", strict=False)) == list(zip(squares_until(5), "abc", strict=False))
    assert sum(g(10)) == sum(squares_until(10))
    it = g(2)
    assert iter(it) is it
    assert next(it) == 0 and next(it) == 1
    with pytest.raises(StopIteration) as stop:
        next(it)
    assert stop.value.value == 2
    with pytest.raises(StopIteration) as again:  # finished: no value any more
        next(it)
    assert again.value.value is None
    assert next(g(0), "default") == "default"


def test_unified_frame_types_and_defaults():
    assert list(COMPILED["mixed_numbers"](4)) == list(mixed_numbers(4))
    assert list(COMPILED["mixed_numbers"](3, step=2)) == list(mixed_numbers(3, step=2))


def test_independent_generator_objects():
    g = COMPILED["squares_until"]
    first, second = g(5), g(5)
    assert next(first) == 0 and next(first) == 1
    assert next(second) == 0
    assert list(first) == [4, 9, 16]
    assert list(second) == [1, 4, 9, 16]


def test_exceptions_end_the_generator_as_cpython():
    for f in (failing_at, COMPILED["failing_at"]):
        it = f(5, 2)
        assert next(it) == 0 and next(it) == 1
        with pytest.raises(ValueError, match="bad item"):
            next(it)
        with pytest.raises(StopIteration):
            next(it)


def test_wrong_arguments_raise_type_error():
    g = COMPILED["squares_until"]
    for call in (lambda f: f(), lambda f: f(1, 2), lambda f: f(m=3)):
        with pytest.raises(TypeError):
            call(squares_until)
        with pytest.raises(TypeError):
            call(g)
    with pytest.raises(TypeError):
        g("three")


def test_close_and_send():
    for f in (squares_until, COMPILED["squares_until"]):
        it = f(5)
        assert next(it) == 0
        assert it.send(None) == 1
        it.close()
        with pytest.raises(StopIteration):
            next(it)
        with pytest.raises(TypeError):
            f(3).send(1)


def test_abandoned_generator_frees_its_arguments():
    a = np.arange(10.0).reshape(5, 2)
    alive = weakref.ref(a)
    it = COMPILED["scaled_rows"](a, 2.0)
    next(it)
    del a
    gc.collect()
    assert alive() is not None  # the frame holds it
    del it
    gc.collect()
    assert alive() is None


def test_abandoned_generator_frees_its_arrays():
    g = COMPILED["owned_buffer"]
    next(g(10))  # compiled, and its types settled
    gc.collect()
    before = nogil.array_memory()[0]
    it = g(100_000)
    assert next(it) == 99_999.0
    assert next(it) == 99_999.0
    assert nogil.array_memory()[0] >= before + 800_000
    del it
    gc.collect()
    assert nogil.array_memory()[0] == before


def test_second_thread_gets_already_executing():
    g = COMPILED["slow_steps"]
    next(g(10))  # compiled
    it = g(30_000_000)
    outcome = []
    worker = threading.Thread(target=lambda: outcome.append(next(it)))
    worker.start()
    deadline = time.monotonic() + 5
    while not it.gi_running and time.monotonic() < deadline:
        time.sleep(0.001)
    with pytest.raises(ValueError, match="generator already executing"):
        next(it)
    worker.join()
    assert outcome and outcome[0] > 0


def test_compiled_consumers_still_inline():
    skip = COMPILED["skipping"]

    @njit
    def total(n):
        s = 0
        for v in skip(n):
            s += v
        return s

    assert total(10) == sum(skipping(10))


def with_yield_in_try(n):
    try:
        yield n
    finally:
        pass


def with_yield_from(n):
    yield from range(n)


@pytest.mark.parametrize("f", [with_yield_in_try, with_yield_from])
def test_refusals_name_the_construct(f):
    with pytest.raises(nogil.TypingError, match="yield"):
        next(njit(f)(3))


def test_generator_values_in_compiled_code():
    squares = COMPILED["squares_until"]

    @njit
    def take(n):
        g = squares(n)
        first = next(g)
        second = next(g, -1)
        total = 0
        for v in iter(g):
            total += v
        last = next(g, -5)
        return first, second, total, last

    def expected(n):
        g = squares_until(n)
        first = next(g)
        second = next(g, -1)
        return first, second, sum(g), next(g, -5)

    for n in (1, 2, 6):
        assert take(n) == expected(n)


def test_next_past_the_end_raises_stop_iteration_in_compiled_code():
    skip = COMPILED["skipping"]
    squares = COMPILED["squares_until"]

    @njit
    def count(n):
        g = skip(n)
        k = 0
        try:
            while True:
                next(g)
                k += 1
        except StopIteration:
            k += 1000
        return k

    @njit
    def uncaught(n):
        g = squares(n)
        next(g)
        return 1

    for n in (0, 4, 12):
        assert count(n) == len(list(skipping(n))) + 1000
    with pytest.raises(StopIteration):
        uncaught(0)


def test_next_returned_directly():
    squares = COMPILED["squares_until"]

    @njit
    def third(n):
        g = squares(n)
        next(g)
        next(g)
        return next(g)

    assert third(5) == 4
    with pytest.raises(StopIteration):
        third(2)


def windows(a, width, stride):
    """Sums of windows of a 1-d array, a running count kept between steps, early return."""
    count = 0
    start = 0
    while start + width <= len(a):
        total = a[start : start + width].sum()
        if total < -1e30:
            return count
        count += 1
        yield total, count
        start += stride
    return -count


@settings(max_examples=40)
@given(
    values=st.lists(st.floats(-100, 100, width=32), max_size=12),
    dtype=st.sampled_from([np.float64, np.float32, np.int32]),
    width=st.integers(1, 4),
    stride=st.integers(1, 3),
    reverse=st.booleans(),
)
def test_generated_inputs_match_cpython(values, dtype, width, stride, reverse):
    a = np.array(values).astype(dtype)
    a = a[::-1] if reverse else a
    expected_items, expected_value = drain(windows(a, width, stride))
    items, value = drain(COMPILED_WINDOWS(a, width, stride))
    assert value == expected_value
    assert len(items) == len(expected_items)
    for (total, count), (expected_total, expected_count) in zip(items, expected_items, strict=True):
        assert count == expected_count
        np.testing.assert_allclose(total, expected_total, rtol=1e-5)


COMPILED_WINDOWS = njit(windows)


def iterate_by_hand(a, t, start, stop, step):
    """next() with and without a default, then for, over iterators of an array, a range and
    a homogeneous tuple."""
    array_items = iter(a)
    first = next(array_items, -1.0)
    rest = 0.0
    for v in array_items:
        rest += v
    range_items = iter(range(start, stop, step))
    r0 = next(range_items, 100)
    r1 = next(range_items, 100)
    count = 0
    for _ in range_items:
        count += 1
    tuple_items = iter(t)
    t0 = next(tuple_items)
    try:
        while True:
            t0 += next(tuple_items)
    except StopIteration:
        t0 = -t0
    last = next(array_items, 7.5)
    return first, rest, r0, r1, count, t0, last


@pytest.mark.parametrize(
    "a", [np.arange(5.0), np.arange(6.0)[::-2], np.zeros(0), np.arange(4.0, dtype=np.float32)]
)
@pytest.mark.parametrize("start, stop, step", [(0, 10, 3), (10, 0, -4), (3, 3, 1), (0, 5, 1)])
def test_iter_and_next_in_compiled_code(a, start, stop, step):
    t = (1, 2, 3)
    expected = iterate_by_hand(a, t, start, stop, step)
    assert COMPILED_BY_HAND(a, t, start, stop, step) == pytest.approx(expected)


def test_iter_of_range_step_zero_raises():
    with pytest.raises(ValueError, match="must not be zero"):
        iterate_by_hand(np.zeros(1), (1,), 0, 1, 0)
    with pytest.raises(ValueError, match="must not be zero"):
        COMPILED_BY_HAND(np.zeros(1), (1,), 0, 1, 0)


COMPILED_BY_HAND = njit(iterate_by_hand)
