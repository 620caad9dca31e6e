"""Inner functions, closures and lambdas (issue 15): defined inside compiled functions,
called there, passed to compiled callees, stored in tuples and returned to compiled
callers. Each compiled function is checked against its plain twin run by CPython."""

import gc
import math
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nogil
from nogil import njit

from .oracle import same_value

finite = st.floats(-1e3, 1e3, allow_nan=False)
small = st.integers(-50, 50)


def apply(f, x):
    return f(x)


def apply2(f, x, y):
    return f(x, y)


def integrate(f, a, b, n):
    h = (b - a) / n
    total = 0.5 * (f(a) + f(b))
    for i in range(1, n):
        total += f(a + i * h)
    return total * h


def map_array(f, a):
    out = np.empty_like(a)
    for i in range(a.shape[0]):
        out[i] = f(a[i])
    return out


c_apply = njit(apply)
c_apply2 = njit(apply2)
c_integrate = njit(integrate)
c_map_array = njit(map_array)


def python_twin(function):
    """The function as CPython runs it: the compiled helpers it calls are their plain
    Python functions (CPython cannot pass its lambdas to compiled code)."""
    plain = {name: value.py_func for name, value in globals().items() if name.startswith("c_")}
    return types.FunctionType(function.__code__, {**globals(), **plain}, function.__name__)


def inner_reads_outer(x, k):
    def scaled(v):
        return v * k + x

    return scaled(1) + scaled(2)


def reads_after_rebinding(x):
    k = 1

    def add_k(v):
        return v + k

    first = add_k(x)
    k = 10  # a cell: the call after this sees the new value
    return first, add_k(x)


def defined_before_variable(x):
    def uses_later(v):
        return v * later

    later = 3
    return uses_later(x)


def inner_with_defaults(x):
    def shifted(v, by=2, times=3):
        return (v + by) * times

    return shifted(x), shifted(x, 1), shifted(x, times=-1), shifted(v=x, by=0)


def recursive_inner(n):
    def fact(m):
        if m <= 1:
            return 1
        return m * fact(m - 1)

    return fact(n)


def recursive_with_capture(n, step):
    def count(m):
        if m <= 0:
            return 0
        return 1 + count(m - step)

    return count(n)


def mutual_inner(n):
    def is_even(m):
        return True if m == 0 else is_odd(m - 1)

    def is_odd(m):
        return False if m == 0 else is_even(m - 1)

    return is_even(abs(n))


def sibling_calls(x, k):
    def base(v):
        return v + k

    def twice(v):
        return base(base(v))

    return twice(x)


def nested_closures(x, a):
    def outer_inner(v):
        def innermost(w):
            return w * a + v

        return innermost(v + 1)

    return outer_inner(x)


def lambda_local(x, k):
    f = lambda v: v * k + 1  # noqa: E731
    return f(x) + f(2 * x)


def lambda_passed(x, k):
    return c_apply(lambda v: v * k, x) + c_apply2(lambda a, b: a - b + k, x, 3)


def lambda_defaults(x):
    f = lambda v, by=5: v - by  # noqa: E731
    return f(x), f(x, 1), (lambda: 7)()


def closure_passed(x, k):
    def shift(v):
        return v + k

    return c_apply(shift, x) + c_apply2(c_apply, shift, k)


def closure_in_tuple(x, k):
    def add(v):
        return v + k

    def mul(v):
        return v * k

    pair = (add, mul)
    return pair[0](x), pair[1](x)


def loop_closure(n, k):
    total = 0.0
    for i in range(n):
        total += (lambda v: v * k + i)(i)
    return total


def capture_array(a, scale):
    def at(i):
        return a[i] * scale

    total = 0.0
    for i in range(a.shape[0]):
        total += at(i)
    return total


def quadrature(k, n):
    return c_integrate(lambda t: math.sin(k * t) ** 2, 0.0, math.pi, n)


def closure_over_array_result(a, k):
    return c_map_array(lambda v: v * k - 1.0, a)


def make_adder(k):
    def add(v):
        return v + k

    return add


c_make_adder = njit(make_adder)


def returned_closure(x, k):
    add = c_make_adder(k)  # the frame that made it is gone: its captured value stays
    other = c_make_adder(2 * k)
    return add(x), other(x), c_make_adder(1)(x)


def make_scaler(a):
    b = a * 2.0  # a new array owned by the closure once make_scaler returns
    return lambda i: b[i]


c_make_scaler = njit(make_scaler)


def returned_array_closure(a):
    get = c_make_scaler(a)
    total = 0.0
    for i in range(a.shape[0]):
        total += get(i)
    return total


def shadowed_parameter(x):
    k = 5

    def inner(k):  # a parameter, not the enclosing k
        return k * 2

    return inner(x) + k


def global_inside(x):
    def inner(v):
        return v + math.floor(2.5)

    return inner(x)


INT_CASES = [
    inner_reads_outer,
    reads_after_rebinding,
    defined_before_variable,
    inner_with_defaults,
    sibling_calls,
    lambda_local,
    lambda_passed,
    lambda_defaults,
    closure_passed,
    closure_in_tuple,
    returned_closure,
    shadowed_parameter,
    global_inside,
]


@pytest.mark.parametrize("function", INT_CASES, ids=lambda f: f.__name__)
def test_int_closures(function):
    compiled = njit(function)
    import inspect

    arity = len(inspect.signature(function).parameters)
    for args in [(3, 4), (-2, 7), (0, 0)]:
        args = args[:arity]
        expected = python_twin(function)(*args)
        assert same_value(compiled(*args), expected), (function.__name__, args)


@given(x=small, k=small)
@settings(max_examples=25, deadline=None)
def test_closures_against_cpython(x, k):
    for function, args in [
        (inner_reads_outer, (x, k)),
        (sibling_calls, (x, k)),
        (lambda_passed, (x, k)),
        (nested_closures, (x, k)),
        (returned_closure, (x, k)),
    ]:
        assert same_value(COMPILED[function](*args), python_twin(function)(*args))


COMPILED = {
    f: njit(f)
    for f in [inner_reads_outer, sibling_calls, lambda_passed, nested_closures, returned_closure]
}


@pytest.mark.parametrize("n", [0, 1, 5, 12])
def test_recursion(n):
    assert njit(recursive_inner)(n) == recursive_inner(n)
    assert njit(recursive_with_capture)(n, 2) == recursive_with_capture(n, 2)
    assert njit(mutual_inner)(n) == mutual_inner(n)


@pytest.mark.parametrize(
    "dtype", [np.float64, np.float32, np.int32, np.int64], ids=lambda d: np.dtype(d).name
)
def test_arrays_captured(dtype):
    a = np.arange(7, dtype=dtype)[::-1]
    assert same_value(njit(capture_array)(a, 1.5), float(capture_array(a, 1.5)))
    out = njit(closure_over_array_result)(a.astype(np.float64), 2.0)
    expected = python_twin(closure_over_array_result)(a.astype(np.float64), 2.0)
    np.testing.assert_array_equal(out, expected)
    expected = python_twin(returned_array_closure)(a)
    assert same_value(njit(returned_array_closure)(a), float(expected))


def test_loops_and_quadrature():
    assert same_value(njit(loop_closure)(10, 1.5), loop_closure(10, 1.5))
    expected = python_twin(quadrature)(3.0, 1000)
    assert math.isclose(njit(quadrature)(3.0, 1000), expected, rel_tol=1e-12)


def test_closure_returned_to_python_is_refused():
    with pytest.raises(nogil.TypingError, match="defined inside compiled code"):
        c_make_adder(3)

    @njit
    def returns_lambda(k):
        return lambda v: v + k

    with pytest.raises(nogil.TypingError, match="<lambda>"):
        returns_lambda(1)


def test_tuple_holding_the_closure_is_not_a_function_from_python():
    @njit
    def closure_value_passed_on(k):
        g = lambda v: v + k  # noqa: E731
        return c_apply(g, 1)

    assert closure_value_passed_on(2) == 3


def test_lambdas_of_freed_functions_keep_their_own_specializations():
    # Each round compiles a function whose lambda (same capture types, another body) is
    # passed to the same compiled callee, then drops it: a later lambda must never reuse
    # an earlier one's specialization of the callee.
    def adding():
        @njit
        def add_k(k):
            return c_apply(lambda v: v + k, 10)

        return add_k

    def multiplying():
        @njit
        def times_k(k):
            return c_apply(lambda v: v * k, 10)

        return times_k

    for round_number in range(40):
        make, expected = (adding, 13) if round_number % 2 else (multiplying, 30)
        function = make()
        assert function(3) == expected
        del function
        gc.collect()
