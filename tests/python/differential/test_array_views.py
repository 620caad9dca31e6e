"""Array views and copies against NumPy: reshape, ravel, flatten, transpose, swapaxes,
squeeze, expand_dims, None and ... in indices, 0-d arrays, astype, view, fill and item, on
every layout (C, F, strided, negative stride, empty), with NumPy's errors. Whether a result
shares memory with its argument must be NumPy's answer too (a view where NumPy gives one)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nogil import njit

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.uint8, np.bool_]


def layouts(base):
    """The same values in every layout compiled code tells apart."""
    return {
        "C": base,
        "F": np.asfortranarray(base),
        "strided": np.repeat(base, 2, axis=-1)[..., ::2],
        "negative": base[::-1].copy()[::-1],
        "empty": base[:0],
    }


def arrays_2d():
    for dtype in DTYPES:
        base = (np.arange(12) % 5).astype(dtype).reshape(3, 4)
        for name, array in layouts(base).items():
            yield pytest.param(array, id=f"{np.dtype(dtype).name}-{name}")


def same(result, expected, argument):
    assert type(result) is type(expected) or np.isscalar(expected), (result, expected)
    if isinstance(expected, np.ndarray):
        assert result.dtype == expected.dtype
        assert result.shape == expected.shape
        np.testing.assert_array_equal(result, expected)
        assert np.shares_memory(result, argument) == np.shares_memory(expected, argument)
    else:
        assert result == expected


def views(a):
    return (
        a.reshape(-1),
        a.reshape(a.shape[1], a.shape[0]),
        a.reshape((2, -1, 2)),
        np.reshape(a, (a.shape[0], 2, 2)),
        a.ravel(),
        np.ravel(a),
        a.flatten(),
        a.T,
        a.transpose(),
        a.transpose(1, 0),
        a.transpose((1, 0)),
        np.transpose(a),
        a.swapaxes(0, 1),
        np.swapaxes(a, 1, -2),
        np.expand_dims(a, 0),
        np.expand_dims(a, -1),
        np.expand_dims(a, (0, 2)),
        a[None].squeeze(0),
        np.squeeze(a[:, None], axis=1),
        a[None],
        a[:, None],
        a[..., None],
        a[None, ..., 1:],
        a[..., 0],
        a[1:, ...],
        a[:, np.newaxis, ::-1],
        a[...],
    )


VIEWS = njit(views)


@pytest.mark.parametrize("a", arrays_2d())
def test_views_match_numpy(a):
    for result, expected in zip(VIEWS(a), views(a), strict=True):
        same(result, expected, a)


def attributes(a):
    return (
        a.itemsize,
        a.nbytes,
        a.strides,
        a.flags.c_contiguous,
        a.flags.f_contiguous,
        a.flags.contiguous,
        a.flags.writeable,
        a.size,
        a.ndim,
        a.shape,
    )


ATTRIBUTES = njit(attributes)


@pytest.mark.parametrize("a", arrays_2d())
def test_attributes_match_numpy(a):
    assert ATTRIBUTES(a) == attributes(a)
    assert ATTRIBUTES(a[0:1]) == attributes(a[0:1])
    assert ATTRIBUTES(a[:, 1]) == attributes(a[:, 1])


def test_readonly_flag():
    a = np.zeros(3)
    a.flags.writeable = False
    assert ATTRIBUTES(a) == attributes(a)


def conversions(a):
    return a.astype(np.float64), a.astype(np.int32), a.astype(np.bool_), a.astype(a.dtype)


CONVERSIONS = njit(conversions)


@pytest.mark.parametrize("a", arrays_2d())
def test_astype_keeps_numpys_order(a):
    for result, expected in zip(CONVERSIONS(a), conversions(a), strict=True):
        same(result, expected, a)
        assert result.flags.c_contiguous == expected.flags.c_contiguous
        assert result.flags.f_contiguous == expected.flags.f_contiguous


def fill_and_read(a, v):
    a.fill(v)
    return a.item(0) if a.size else 0


FILL = njit(fill_and_read)


@pytest.mark.parametrize("a", arrays_2d())
@pytest.mark.parametrize("value", [3, 1.0, True])
def test_fill_every_layout(a, value):
    ours, theirs = a.copy(order="A"), a.copy(order="A")
    assert FILL(ours, value) == fill_and_read(theirs, value)
    np.testing.assert_array_equal(ours, theirs)


def items(a, i, j):
    return a.item(i), a.item(i, j), a.item((i, j))


ITEMS = njit(items)


@pytest.mark.parametrize("a", arrays_2d())
@given(i=st.integers(-15, 15), j=st.integers(-5, 5))
def test_item_and_its_errors(a, i, j):
    try:
        expected = items(a, i, j)
    except IndexError as error:
        with pytest.raises(IndexError) as raised:
            ITEMS(a, i, j)
        assert str(raised.value) == str(error)
        return
    result = ITEMS(a, i, j)
    assert result == expected
    assert [type(x) for x in result] == [type(x) for x in expected]


def single_item(a):
    return a.item()


def test_item_of_one_element_and_error():
    f = njit(single_item)
    for a in (np.array([[2.5]]), np.array(7, dtype=np.int32), np.ones((1, 1, 1), np.bool_)):
        assert f(a) == single_item(a) and type(f(a)) is type(single_item(a))
    with pytest.raises(ValueError, match="can only convert an array of size 1"):
        f(np.zeros(2))


def zero_d(a):
    b = a[...]
    return a[()], b[()] + 1, a[None], a[...], a.reshape(1), a.reshape(()), a.ravel(), a.item()


@pytest.mark.parametrize("dtype", DTYPES)
def test_zero_d_arrays(dtype):
    a = np.array(3, dtype=dtype)
    for result, expected in zip(njit(zero_d)(a), zero_d(a), strict=True):
        if isinstance(expected, np.ndarray):
            same(result, expected, a)
        else:
            assert result == expected


def reshape_to(a, shape):
    return a.reshape(shape)


RESHAPE = njit(reshape_to)
shapes = st.lists(st.integers(0, 4), min_size=1, max_size=3)


@given(
    shape=shapes,
    layout=st.sampled_from(["C", "F", "strided", "negative"]),
    target=st.lists(st.integers(-1, 6), min_size=1, max_size=3),
)
def test_reshape_views_copies_and_errors(shape, layout, target):
    base = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    a = layouts(base)[layout]
    target = tuple(target)
    try:
        expected = reshape_to(a, target)
    except ValueError as error:
        with pytest.raises(ValueError) as raised:
            RESHAPE(a, target)
        assert str(raised.value) == str(error)
        return
    same(RESHAPE(a, target), expected, a)


def writes_through(a):
    a.reshape(-1)[0] = 9
    a.T[0, 1] = 8
    a[None][0, 0, 2] = 7
    a.ravel()[3] = 6
    return a


def test_views_write_to_their_base():
    for a in layouts(np.zeros((2, 3))).values():
        if a.size:
            ours, theirs = a.copy(order="K"), a.copy(order="K")
            njit(writes_through)(ours)
            np.testing.assert_array_equal(ours, writes_through(theirs))


def dtype_views(a):
    return a.view(np.uint8), a.view(np.int64), a.view(np.float64)


@pytest.mark.parametrize("layout", ["C", "F", "strided"])
def test_view_reinterprets_bits(layout):
    a = layouts(np.arange(8.0).reshape(2, 4))[layout]
    try:
        expected = dtype_views(a)
    except ValueError as error:
        with pytest.raises(ValueError) as raised:
            njit(dtype_views)(a)
        assert str(raised.value) == str(error)
        return
    for result, want in zip(njit(dtype_views)(a), expected, strict=True):
        same(result, want, a)


def squeeze_wrong_axis(a):
    return a.squeeze(0)


def test_squeeze_error():
    with pytest.raises(ValueError, match="cannot select an axis to squeeze out"):
        njit(squeeze_wrong_axis)(np.zeros((2, 1)))
    assert njit(squeeze_wrong_axis)(np.zeros((1, 2))).shape == (2,)


def three_d(a):
    return (
        a.transpose(2, 0, 1),
        a.transpose((1, 2, 0)),
        a.T,
        a.swapaxes(0, 2),
        a.reshape(a.shape[0], -1),
        a[:, None, ..., None, 0],
        a[..., 1, :],
    )


def test_three_d_views():
    base = np.arange(24.0).reshape(2, 3, 4)
    for a in layouts(base).values():
        if a.size:
            for result, expected in zip(njit(three_d)(a), three_d(a), strict=True):
                same(result, expected, a)
