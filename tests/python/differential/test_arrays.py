"""Arrays in compiled code against NumPy: reading, writing, views by partial indexing and the
shape attributes, on generated arrays of every dtype, shapes including empty ones, and
C, Fortran and strided (negative strides too) layouts."""

import array as pyarray
import threading

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nogil import TypingError, njit

from .oracle import same_value

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
          np.uint64, np.float32, np.float64]  # fmt: skip


@st.composite
def arrays(draw, ndim=None, dtypes=DTYPES, min_side=0):
    """An array of a generated dtype and shape, viewed in one of the layouts nogil
    specializes for: C order, Fortran order, or strided with a negative step."""
    dtype = draw(st.sampled_from(dtypes))
    dims = draw(st.integers(1, 3)) if ndim is None else ndim
    shape = draw(hnp.array_shapes(min_dims=dims, max_dims=dims, min_side=min_side, max_side=6))
    elements = hnp.from_dtype(np.dtype(dtype), allow_nan=False, allow_infinity=False)
    base = draw(hnp.arrays(dtype, shape, elements=elements))
    layout = draw(st.sampled_from(["C", "F", "reversed", "every-other"]))
    if layout == "F":
        return np.asfortranarray(base)
    if layout == "reversed":
        return base[::-1]
    if layout == "every-other":
        return np.repeat(base, 2, axis=0)[::2]
    return base


# The sums convert each element with float(): a Python float plus a NumPy float32 is a
# float32 in NumPy 2 but a float64 in compiled code (a documented difference), and these
# tests are about reading the right elements.


def total_1d(a):
    s = 0.0
    for i in range(len(a)):
        s += float(a[i])
    return s


def total_2d(a):
    s = 0.0
    for i in range(a.shape[0]):
        row = a[i]
        for j in range(a.shape[1]):
            s += float(a[i, j]) + float(row[j]) * 2.0
    return s


def total_3d(a):
    s = 0.0
    n, m, k = a.shape
    for i in range(n):
        for j in range(m):
            for q in range(k):
                s += float(a[i, j, q]) * (i + 1)
    return s


def shape_facts(a):
    return a.ndim, a.size, a.shape, len(a)


def read_at(a, i):
    return a[i]


def double_in_place(a):
    for i in range(len(a)):
        a[i] = a[i] * 2
    return len(a)


def add_in_place(a, b):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] += b[i, j]


def store_float(a, x):
    a[0] = x


TOTALS = {1: njit(total_1d), 2: njit(total_2d), 3: njit(total_3d)}
SHAPE_FACTS = njit(shape_facts)
READ_AT = njit(read_at)
DOUBLE_IN_PLACE = njit(double_in_place)
ADD_IN_PLACE = njit(add_in_place)
PLAIN_TOTALS = {1: total_1d, 2: total_2d, 3: total_3d}


@given(a=arrays())
def test_reading_every_element(a):
    expected = PLAIN_TOTALS[a.ndim](a)
    got = TOTALS[a.ndim](a)
    assert got == expected or (np.isnan(got) and np.isnan(expected)), (a, got, expected)


@given(a=arrays(min_side=1))
def test_shape_attributes(a):
    assert SHAPE_FACTS(a) == (a.ndim, a.size, a.shape, len(a))


@given(a=arrays(ndim=1, min_side=1), data=st.data())
def test_negative_and_out_of_range_indices(a, data):
    i = data.draw(st.integers(-2 * len(a), 2 * len(a)))
    cfunc = READ_AT
    if -len(a) <= i < len(a):
        got = cfunc(a, i)
        assert got == a[i]
    else:
        with pytest.raises(IndexError) as info:
            cfunc(a, i)
        with pytest.raises(IndexError) as expected:
            a[i]
        assert str(info.value) == str(expected.value)


@given(a=arrays(ndim=1, dtypes=[np.int32, np.int64, np.float32, np.float64, np.uint8]))
def test_stores_write_through_to_the_caller(a):
    expected = a.copy()
    with np.errstate(all="ignore"):
        expected *= 2
    assert DOUBLE_IN_PLACE(a) == len(a)
    assert np.array_equal(a, expected)


@given(a=arrays(ndim=2, dtypes=[np.float64, np.int64]), data=st.data())
def test_augmented_stores_in_two_dimensions(a, data):
    b = data.draw(hnp.arrays(a.dtype, a.shape, elements=st.integers(-100, 100)))
    expected = a + b
    ADD_IN_PLACE(a, b)
    assert np.array_equal(a, expected)


def test_other_buffer_exporters():
    assert njit(total_1d)(pyarray.array("d", [1.5, 2.5])) == 4.0
    assert njit(total_1d)(memoryview(bytearray(b"\x01\x02\x03"))) == 6.0
    assert njit(total_1d)(np.zeros(0)) == 0.0


def test_storing_nan_into_an_int_array_raises_as_numpy_does():
    a = np.zeros(2, dtype=np.int64)
    with pytest.raises(ValueError, match="cannot convert float NaN to integer"):
        njit(store_float)(a, float("nan"))
    with pytest.raises(OverflowError, match="cannot convert float infinity to integer"):
        njit(store_float)(a, float("inf"))
    njit(store_float)(a, 2.75)
    assert a[0] == 2


def test_storing_into_a_read_only_array_is_a_typing_error():
    a = np.arange(3.0)
    a.flags.writeable = False
    with pytest.raises(TypingError) as info:
        njit(double_in_place)(a)
    assert info.value.code == "N0233"


def test_same_array_read_by_threads_while_each_writes_its_own_output():
    def smooth(src, out, width):
        for i in range(len(out)):
            s = 0.0
            for k in range(width):
                s += src[(i + k) % len(src)]
            out[i] = s / width

    cfunc = njit(smooth)
    src = np.random.default_rng(1).random(20_000)
    outs = [np.zeros(20_000) for _ in range(4)]
    threads = [threading.Thread(target=cfunc, args=(src, out, 5 + k)) for k, out in enumerate(outs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for k, out in enumerate(outs):
        expected = np.zeros(20_000)
        smooth(src, expected, 5 + k)
        assert np.array_equal(out, expected)


@pytest.mark.parametrize("value", [[1.0, 2.0], "text", {1: 2}])
def test_a_non_array_where_an_array_is_indexed(value):
    with pytest.raises(TypeError) as info:
        njit(total_1d)(value)
    assert "'a'" in str(info.value)


def test_none_where_an_array_is_indexed_points_at_the_use():
    # None is an argument type of its own (optional arguments); its first use as an array
    # is the error, with a caret under it.
    with pytest.raises(TypingError) as info:
        njit(total_1d)(None)
    message = str(info.value)
    assert "None cannot be used as a value" in message
    assert "for i in range(len(a)):" in message and "total_1d(a: None)" in message


def slice_total(a, lo, hi, st):
    s = 0.0
    view = a[lo:hi:st]
    for i in range(len(view)):
        s += float(view[i])
    return s, len(view)


def column_and_block(g, j):
    column = g[:, j]
    block = g[1:, ::2]
    s = 0.0
    for i in range(len(column)):
        s += float(column[i])
    for i in range(block.shape[0]):
        for k in range(block.shape[1]):
            s += float(block[i, k]) * 3.0
    return s, block.shape


SLICE_TOTAL = njit(slice_total)
COLUMN_AND_BLOCK = njit(column_and_block)
bounds = st.integers(-12, 12)


@given(a=arrays(ndim=1), lo=bounds, hi=bounds, st_=st.integers(-4, 4).filter(bool))
def test_slices_are_views_with_pythons_bounds(a, lo, hi, st_):
    assert same_value(slice_total(a, lo, hi, st_), SLICE_TOTAL(a, lo, hi, st_))


@given(g=arrays(ndim=2, min_side=1), data=st.data())
def test_columns_and_blocks_of_two_dimensional_arrays(g, data):
    j = data.draw(st.integers(0, g.shape[1] - 1))
    assert same_value(column_and_block(g, j), COLUMN_AND_BLOCK(g, j))


def test_zero_slice_step_raises_value_error():
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        SLICE_TOTAL(np.zeros(3), 0, 3, 0)


def iterate_rows_and_elements(a):
    s = 0.0
    count = 0
    for row in a:
        for x in row:
            s += float(x)
            count += 1
    return s, count


ITERATE = njit(iterate_rows_and_elements)


@given(a=arrays(ndim=2))
def test_for_loops_over_arrays_walk_the_first_axis(a):
    assert same_value(iterate_rows_and_elements(a), ITERATE(a))


def enumerate_and_zip(a, b):
    s = 0.0
    for i, x in enumerate(a):
        s += i * float(x)
    for i, _x in enumerate(a, 10):
        s += i
    for x, y in zip(a, b):  # noqa: B905 (the shorter one ends the loop, as compiled)
        s += float(x) * float(y)
    for k, x, y in zip(range(100), a, b[::2]):  # noqa: B905
        s += k + float(x) - float(y)
    return s


def transpose_facts(m):
    t = m.T
    s = 0.0
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            s += float(t[i, j]) * (i + 2 * j)
    return t.shape, s, t


def helper_total(a):
    s = 0.0
    for x in a:
        s += float(x)
    return s


def make_caller(decorate):
    total = decorate(helper_total)

    @decorate
    def caller(a):
        return total(a) + total(a[1:]), a

    return caller


ENUMERATE_AND_ZIP = njit(enumerate_and_zip)
TRANSPOSE_FACTS = njit(transpose_facts)


@given(a=arrays(ndim=1), b=arrays(ndim=1))
def test_enumerate_and_zip(a, b):
    assert same_value(enumerate_and_zip(a, b), ENUMERATE_AND_ZIP(a, b))


@given(m=arrays(ndim=2))
def test_transpose_is_a_view_with_axes_reversed(m):
    shape, total, view = TRANSPOSE_FACTS(m)
    expected_shape, expected_total, expected_view = transpose_facts(m)
    assert shape == expected_shape and same_value(expected_total, total)
    assert np.array_equal(view, expected_view)


@given(a=arrays(ndim=1, min_side=1))
def test_arrays_passed_between_compiled_functions_and_returned_in_tuples(a):
    got_total, got_array = make_caller(njit)(a)
    expected_total, _ = make_caller(lambda f: f)(a)
    assert same_value(expected_total, got_total) and np.array_equal(got_array, a)


def dtype_kind(a):
    if a.dtype == np.float64:
        return 1
    if a.dtype != np.int32:
        return 2
    return 3


def zeros_of_the_same_dtype(a):
    return np.zeros(2, dtype=a.dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_comparisons_and_dtype_arguments(dtype):
    a = np.zeros(3, dtype=dtype)
    assert njit(dtype_kind)(a) == dtype_kind(a)
    assert njit(zeros_of_the_same_dtype)(a).dtype == a.dtype


@pytest.mark.parametrize(
    ("value", "dtype_text"),
    [(np.array([1, "a"], dtype=object), "dtype object"), (np.zeros(2, "f2"), "dtype float16")],
)
def test_an_array_of_an_unsupported_dtype_is_a_type_error(value, dtype_text):
    with pytest.raises(TypeError) as info:
        TOTALS[1](value)
    assert "is a numpy.ndarray of " in str(info.value) and dtype_text in str(info.value)
    assert "'a'" in str(info.value)
