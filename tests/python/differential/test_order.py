"""order= of allocations, copies and reshapes against NumPy: values, dtype, strides and
contiguity flags of np.empty/zeros/ones/full(order='F'), the _likes and np.copy (whose
default 'K' keeps the source's axis order), a.copy(order=), np.ascontiguousarray,
np.asfortranarray, ravel/flatten/reshape in F order and astype(order=), on C, F, strided,
reversed, transposed, 0-d and empty arrays."""

import numpy as np
import pytest

from nogil import TypingError, njit


def layouts(shape, dtype=np.float64):
    """The same values in the layouts compiled code specializes for, and a few it sees as
    'A' whose strides decide NumPy's 'K' order."""
    base = (np.arange(int(np.prod(shape))) % 7).astype(dtype).reshape(shape)
    out = {"C": base, "F": np.asfortranarray(base)}
    if base.ndim:
        wide = np.repeat(base, 2, axis=-1)[..., ::2]
        out["strided"] = wide
        out["reversed"] = np.ascontiguousarray(base[::-1])[::-1]
        out["F-strided"] = np.asfortranarray(np.repeat(base, 2, axis=0))[::2]
    if base.ndim == 3:
        out["transposed"] = np.ascontiguousarray(base.transpose(1, 0, 2)).transpose(1, 0, 2)
    return out


SHAPES = [(), (5,), (3, 4), (2, 3, 4), (0, 3), (3, 1)]
CASES = [
    pytest.param(layout, a, id=f"{shape}-{layout}")
    for shape in SHAPES
    for layout, a in layouts(shape).items()
]


def same(ours, theirs):
    assert isinstance(ours, np.ndarray)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)
    if theirs.size:  # NumPy 2 gives an empty array zero strides
        assert ours.strides == theirs.strides, (ours.strides, theirs.strides)
    assert ours.flags.c_contiguous == theirs.flags.c_contiguous
    assert ours.flags.f_contiguous == theirs.flags.f_contiguous


def allocations(n, m):
    return (
        np.empty((n, m), order="F").shape,
        np.zeros((n, m), order="F"),
        np.ones((n, m, 2), np.int32, "F"),
        np.full((n, m), 2.5, order="F"),
        np.full((m, n), 7, np.int8, order="F"),
        np.zeros(n, order="F"),
        np.zeros((n, m), order="C"),
        np.ones((n, m), dtype=np.bool_, order="f"),
    )


@pytest.mark.parametrize("n, m", [(3, 4), (0, 2), (1, 5)])
def test_allocations_in_fortran_order(n, m):
    ours, theirs = njit(allocations)(n, m), allocations(n, m)
    assert ours[0] == theirs[0]
    for got, want in zip(ours[1:], theirs[1:], strict=True):
        same(got, want)


def likes(a):
    return (
        np.zeros_like(a),
        np.ones_like(a, order="F"),
        np.full_like(a, 3, order="A"),
        np.zeros_like(a, np.float32, "C"),
        np.ones_like(a, order="K"),
        np.copy(a),
        np.copy(a, order="F"),
        np.copy(a, order="A"),
        np.copy(a, order="C"),
        a.copy(),
        a.copy(order="F"),
        a.copy(order="K"),
        a.copy("A"),
    )


LIKES = njit(likes)


@pytest.mark.parametrize("layout, a", CASES)
def test_likes_and_copies_keep_numpys_order(layout, a):
    for got, want in zip(LIKES(a), likes(a), strict=True):
        same(got, want)


def empty_likes(a):
    return np.empty_like(a), np.empty_like(a, order="F"), np.empty_like(a, np.int16, "A")


@pytest.mark.parametrize("layout, a", CASES)
def test_empty_like_strides(layout, a):
    for got, want in zip(njit(empty_likes)(a), empty_likes(a), strict=True):
        assert got.shape == want.shape and got.dtype == want.dtype
        assert got.strides == want.strides or not want.size


def conversions(a):
    return (
        a.astype(np.float32),
        a.astype(np.int64, order="F"),
        a.astype(np.int8, order="C"),
        a.astype(np.complex128, order="A"),
        a.astype(np.bool_, order="K"),
        np.ascontiguousarray(a),
        np.asfortranarray(a),
        np.ascontiguousarray(a, dtype=np.float32),
        np.asfortranarray(a, np.int32),
    )


CONVERSIONS = njit(conversions)


@pytest.mark.parametrize("layout, a", CASES)
def test_astype_and_ascontiguous_follow_numpy(layout, a):
    for got, want in zip(CONVERSIONS(a), conversions(a), strict=True):
        if want is a and got is not a:  # contiguous both ways, typed C: copied in F order
            np.testing.assert_array_equal(got, want)
            assert got.flags.f_contiguous and got.flags.c_contiguous == want.flags.c_contiguous
            continue
        same(got, want)


def same_object(a):
    return np.ascontiguousarray(a), np.asfortranarray(a)


def test_ascontiguousarray_returns_the_array_itself():
    c = np.ones((2, 3))
    f = np.asfortranarray(c)
    compiled = njit(same_object)
    assert compiled(c)[0] is c and compiled(f)[1] is f
    assert compiled(c)[1] is not c and compiled(f)[0] is not f
    assert compiled(3.5)[0].tolist() == [3.5] and compiled(True)[1].dtype == np.bool_


def fortran_shapes(a):
    return a.ravel("F"), a.flatten("F"), a.ravel(order="A"), a.flatten(order="K"), a.ravel("C")


def fortran_reshapes(a):
    return a.reshape((a.size,), order="F"), a.reshape((2, -1), order="F"), np.reshape(a, -1, "F")


@pytest.mark.parametrize("layout, a", [c for c in CASES if c.values[0] in ("C", "F")])
def test_ravel_and_flatten_in_fortran_order(layout, a):
    for got, want in zip(njit(fortran_shapes)(a), fortran_shapes(a), strict=True):
        same(got, want)
        assert np.shares_memory(got, a) == np.shares_memory(want, a)


@pytest.mark.parametrize(
    "a", [np.arange(12.0), np.arange(12.0).reshape(3, 4), np.asfortranarray(np.ones((2, 6)))]
)
def test_reshape_in_fortran_order(a):
    for got, want in zip(njit(fortran_reshapes)(a), fortran_reshapes(a), strict=True):
        same(got, want)
        assert np.shares_memory(got, a) == np.shares_memory(want, a)


def test_reshape_of_strided_array_in_fortran_order_copies_as_numpy():
    a = np.arange(24.0).reshape(4, 6)[:, ::2]
    got, want = njit(fortran_reshapes)(a), fortran_reshapes(a)
    for g, w in zip(got, want, strict=True):
        same(g, w)


def writes_through_fortran_views(a):
    a.ravel("F")[1] = 50.0
    a.reshape((a.size,), order="F")[2] = 60.0
    return a


def test_fortran_views_write_to_their_base():
    a = np.asfortranarray(np.zeros((2, 3)))
    b = a.copy(order="K")
    np.testing.assert_array_equal(
        njit(writes_through_fortran_views)(a), writes_through_fortran_views(b)
    )


def bad_letter(n):
    return np.zeros(n, order="X")


def keep_order_on_new_shape(n):
    return np.empty(n, order="K")


def keep_order_reshape(a):
    return a.reshape(a.size, order="K")


def order_not_text(a):
    return np.copy(a, order=1)


def ravel_any_order_of_strided(a):
    return a.ravel("A")


@pytest.mark.parametrize(
    "function, arg, message",
    [
        (bad_letter, 3, "order must be one of 'C', 'F', 'A', or 'K' (got 'X')"),
        (keep_order_on_new_shape, 3, "only 'C' or 'F' order is permitted"),
        (keep_order_reshape, np.ones((2, 2)), "order 'K' is not permitted for reshaping"),
        (order_not_text, np.ones(2), "order must be a str constant, not int64"),
        (ravel_any_order_of_strided, np.ones((4, 4))[::2], "its layout is known only at run time"),
    ],
)
def test_orders_numpy_refuses_are_typing_errors(function, arg, message):
    with pytest.raises(TypingError, match=message.replace("(", r"\(").replace(")", r"\)")):
        njit(function)(arg)
