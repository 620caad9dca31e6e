"""np.eye, np.identity, np.tri, np.tril and np.triu in compiled code against NumPy: the same
arrays (values, dtype, shape) for every offset k, empty sizes, 1-d rows, non-contiguous
matrices, and NumPy's ValueError for a negative size (tri counts it as 0)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nogil import TypingError, njit

sizes = st.integers(0, 7)
offsets = st.integers(-9, 9)
dtypes = st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.uint16, np.bool_])


def eye(n, m, k):
    return np.eye(n, m, k)


def eye_square(n):
    return np.eye(n)


def eye_keyword(n, k):
    return np.eye(n, k=k)


def identity(n):
    return np.identity(n)


def tri(n, m, k):
    return np.tri(n, m, k)


def tri_square(n, k):
    return np.tri(n, k=k)


def tril(a, k):
    return np.tril(a, k)


def triu(a, k):
    return np.triu(a, k=k)


def tril_default(a):
    return np.tril(a)


def outcome(function, *args):
    try:
        return "value", function(*args)
    except Exception as err:
        return "raise", err


def check(function, *args):
    expected = outcome(function, *args)
    got = outcome(njit(function), *args)
    assert expected[0] == got[0], (expected, got)
    if expected[0] == "raise":
        assert type(got[1]) is type(expected[1])
        assert str(got[1]) == str(expected[1])
        return
    np.testing.assert_array_equal(got[1], expected[1], strict=True)


@given(sizes, sizes, offsets)
def test_created(n, m, k):
    check(eye, n, m, k)
    check(eye_keyword, n, k)
    check(tri, n, m, k)
    check(tri_square, n, k)


@given(sizes)
def test_square(n):
    check(eye_square, n)
    check(identity, n)


@given(
    dtypes.flatmap(lambda d: hnp.arrays(d, hnp.array_shapes(min_dims=1, max_dims=2, min_side=0))),
    offsets,
)
def test_triangles(a, k):
    check(tril, a, k)
    check(triu, a, k)
    check(tril_default, a)


@given(hnp.arrays(np.float64, (6, 5), elements=st.floats(-9, 9)), offsets)
def test_strided_and_transposed(a, k):
    check(tril, a[::2, ::-1], k)
    check(triu, a.T, k)


@pytest.mark.parametrize(
    "function, args", [(eye, (-1, 2, 0)), (identity, (-2,)), (tri, (2, -1, 0)), (tri, (-1, 2, 0))]
)
def test_negative_sizes(function, args):
    check(function, *args)


def test_three_dimensions_is_refused():
    with pytest.raises(TypingError):
        njit(tril)(np.zeros((2, 2, 2)), 0)
