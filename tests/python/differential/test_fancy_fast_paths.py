"""The fast paths of indexing with arrays against NumPy: `a[idx] op= v` as one fused pass
(repeated indices updated once, the last value winning), stores that read their values in
place unless these may be a view of the destination (`a[idx] = a[::-1]`, `a[m] = a`), and an
index array that is itself a view of the array stored into. Every case also runs on
non-contiguous arrays and index arrays, with negative and empty indices, and compares
NumPy's exceptions."""

import numpy as np
import pytest

from nogil import njit


def add_at(a, i, value):
    a[i] += value
    return a


def sub_at(a, i, value):
    a[i] -= value
    return a


def mul_at(a, i, value):
    a[i] *= value
    return a


def xor_at(a, i, value):
    a[i] ^= value
    return a


def add_pair(a, i, j, value):
    a[i, j] += value
    return a


def add_rows(a, i, value):
    a[i, :] += value
    return a


def set_at(a, i, value):
    a[i] = value
    return a


def set_pair(a, i, j, value):
    a[i, j] = value
    return a


def set_masked(a, m, value):
    a[m] = value
    return a


def set_reversed_self(a, i):
    a[i] = a[::-1]
    return a


def set_self_indexed(a):
    a[a] = 2
    return a


def add_self_indexed(a):
    a[a] += 5
    return a


def add_from_self(a, i):
    a[i] += a[: i.shape[0]]
    return a


def get_pair(a, i, j):
    return a[i, j]


def get_at(a, i):
    return a[i]


FUNCTIONS = [
    add_at,
    sub_at,
    mul_at,
    xor_at,
    add_pair,
    add_rows,
    set_at,
    set_pair,
    set_masked,
    set_reversed_self,
    set_self_indexed,
    add_self_indexed,
    add_from_self,
    get_pair,
    get_at,
]
COMPILED = {f: njit(f) for f in FUNCTIONS}


def outcome(function, *args):
    try:
        return "value", function(*args)
    except Exception as error:
        return "raise", (type(error), str(error))


def agree(function, *args):
    """NumPy on copies; the compiled function on the arrays as given (views included)."""
    expected = outcome(function, *[a.copy() if isinstance(a, np.ndarray) else a for a in args])
    got = outcome(COMPILED[function], *args)
    assert got[0] == expected[0], (got, expected)
    if expected[0] == "raise":
        assert issubclass(got[1][0], expected[1][0]), got
        assert got[1][1] == expected[1][1]
        return
    want, have = np.asarray(expected[1]), np.asarray(got[1])
    assert have.dtype == want.dtype and have.shape == want.shape, (have, want)
    np.testing.assert_array_equal(have, want)


def strided(a):
    """The same values, every other element of a larger array."""
    wide = np.zeros((*a.shape[:-1], 2 * a.shape[-1]), a.dtype)
    wide[..., ::2] = a
    return wide[..., ::2]


def reversed_(a):
    return np.ascontiguousarray(a[::-1])[::-1]


LAYOUTS = [np.ascontiguousarray, strided, reversed_]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32, np.complex128])
def test_fused_updates_read_every_element_before_storing(layout, dtype):
    a = layout(np.arange(8).astype(dtype))
    for index in ([0, 0, 2, -1, -1, 7], [3], [], [-8, 7, -8]):
        i = layout(np.array(index, np.int64)) if index else np.array([], np.int64)
        agree(add_at, layout(a.copy()), i, 1)
        agree(sub_at, layout(a.copy()), i, dtype(2))
        agree(mul_at, layout(a.copy()), i, dtype(3))
        values = layout(np.arange(len(index)).astype(dtype) + 1)
        agree(add_at, layout(a.copy()), i, values)  # the last of a repeated index wins
        agree(add_at, layout(a.copy()), i, layout(np.ones(1, dtype)))
    if np.issubdtype(dtype, np.integer):  # int += float is refused when compiling
        agree(xor_at, layout(a.copy()), np.array([1, 1, 2]), dtype(6))
    else:
        agree(add_at, layout(a.copy()), np.array([0, 1], np.int32), 1.5)


def test_fused_updates_raise_as_numpy():
    a = np.arange(6.0)
    agree(add_at, a.copy(), np.array([0, 6]), 1.0)
    agree(add_at, a.copy(), np.array([-7]), 1.0)
    agree(add_at, a.copy(), np.array([0, 1]), np.ones(3))  # does not broadcast
    agree(add_at, a.copy(), np.array([0]), np.ones(2))  # would grow the selection
    agree(add_pair, a.reshape(2, 3).copy(), np.array([0, 1]), np.array([0, 1, 2]), 1.0)
    agree(add_pair, a.reshape(2, 3).copy(), np.array([0, 2]), np.array([0, 1]), 1.0)
    agree(add_rows, a.reshape(2, 3).copy(), np.array([1, 1]), np.ones((2, 2)))
    agree(add_at, np.arange(6, dtype=np.int32), np.array([0, 1]), 1)  # not fused, same result


@pytest.mark.parametrize("layout", LAYOUTS)
def test_fused_updates_of_several_index_arrays_and_rows(layout):
    a = layout(np.arange(12.0).reshape(3, 4))
    i = layout(np.array([0, 2, 2, -1]))
    j = layout(np.array([1, 3, 3, -4]))
    agree(add_pair, layout(a.copy()), i, j, 1.0)
    agree(add_pair, layout(a.copy()), i, j, layout(np.arange(4.0)))
    agree(add_pair, layout(a.copy()), np.array([[0], [2]]), j, np.ones((2, 1)))
    agree(add_pair, layout(a.copy()), i[:0], j[:0], 1.0)
    agree(add_rows, layout(a.copy()), i, layout(np.arange(4.0)))
    agree(add_rows, layout(a.copy()), i, 2.0)


def test_updates_from_views_of_the_array_itself():
    a = np.arange(8.0)
    agree(add_from_self, a.copy(), np.array([7, 6, 5, 4]))
    agree(add_from_self, a.copy(), np.array([1, 1, 0, 0]))
    agree(add_self_indexed, np.array([1, 0, 0, 2]))
    agree(add_self_indexed, np.array([3, 3, 0, 1]))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_stores_read_their_values_in_place_unless_they_overlap(layout):
    a = layout(np.arange(6.0))
    agree(set_at, layout(a.copy()), np.array([5, 0, -1, 2]), layout(np.arange(4.0) * 10))
    agree(set_at, layout(a.copy()), np.array([1, 1]), np.array([7.0, 8.0]))  # the last wins
    agree(set_at, layout(a.copy()), np.array([], np.int64), np.ones(0))
    agree(set_at, layout(a.copy()), np.array([0, 9]), np.ones(2))
    agree(set_at, layout(a.copy()), np.array([0, 1]), np.ones(3))
    agree(set_masked, layout(a.copy()), layout(np.arange(6) % 2 == 0), np.arange(3.0))
    agree(set_masked, layout(a.copy()), layout(np.arange(6) % 2 == 0), np.arange(2.0))
    agree(set_masked, layout(a.copy()), np.ones(5, bool), 1.0)
    agree(set_reversed_self, layout(a.copy()), np.array([1, 2, 3, 4, 5, 0]))
    agree(set_self_indexed, np.array([1, 0, 0]))
    m = layout(np.arange(12.0).reshape(3, 4))
    agree(set_pair, layout(m.copy()), np.array([0, 2, -1]), np.array([1, 1, 3]), np.arange(3.0))
    agree(set_pair, layout(m.copy()), np.array([0, 2]), np.array([1, 4]), 5.0)


def test_a_store_into_a_view_from_its_base_reads_a_copy():
    def shift(a, i):
        view = a[1:]
        view[i] = a[:4]
        return a

    compiled = njit(shift)
    i = np.array([0, 1, 2, 3])
    np.testing.assert_array_equal(compiled(np.arange(6.0), i), shift(np.arange(6.0), i))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_gathers_of_index_array_pairs(layout):
    a = layout(np.arange(20.0).reshape(4, 5))
    i = layout(np.array([0, 3, -1, 2, 2]))
    j = layout(np.array([4, 0, -5, 1, 1]))
    agree(get_pair, a, i, j)
    agree(get_pair, a, i[:0], j[:0])
    agree(get_pair, a, np.array([[0], [3]]), j)
    agree(get_pair, a, i, np.array([5, 0, 0, 0, 0]))
    agree(get_pair, a, np.array([4, 0]), np.array([9, 0]))  # the first array's error first
    agree(get_pair, a, i, j[:2])
    agree(get_at, a.ravel(), layout(np.array([[1, -2], [19, 0]])))
