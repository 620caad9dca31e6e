"""Global values frozen as constants when a function compiles, as Numba freezes them: NumPy
scalars keep their dtype, tuples (nested, mixed) are constants, and np.iinfo/np.finfo
attributes of a named type fold to NumPy's values."""

import numpy as np
import pytest

from nogil import TypingError, njit

ZERO = np.int64(0)
EPS = np.float32(1e-6)
SMALL = np.int8(100)
HALF = np.float32(0.5)
FLAG = np.bool_(True)
WIDE = np.uint64(2**64 - 1)
ROOT = 1 + 2j
POINT = (1.5, 2.5, 3.5)
NESTED = ((1, 2), (3.0, (True, np.int16(-7))))
EMPTY = ()
HOLDS_ARRAY = (1, np.zeros(3))
DT = np.float32


def scalar_globals():
    return ZERO, EPS, SMALL + SMALL, HALF * np.float32(3), FLAG, WIDE, ROOT * 2


def tuple_globals():
    x, y, z = POINT
    return x + y + z, NESTED[1][1][1] * np.int16(2), NESTED[0], len(EMPTY), POINT


def index_global_tuple(i):
    return POINT[i]


def uses_tuple_with_array():
    return HOLDS_ARRAY[0]


def type_info():
    return (
        np.iinfo(np.int32).max,
        np.iinfo(np.int8).min,
        np.iinfo(np.uint64).max,
        np.iinfo(np.int16).bits,
        np.finfo(np.float64).eps,
        np.finfo(np.float32).eps,
        np.finfo(DT).tiny,
        np.finfo(np.float64).max,
        np.finfo("float32").resolution,
        np.iinfo("uint8").max,
    )


def same(compiled, expected):
    """Equal values of the same dtype (int64, float64 and bool results are Python's)."""
    if isinstance(expected, tuple):
        assert type(compiled) is tuple
        assert len(compiled) == len(expected)
        for c, e in zip(compiled, expected, strict=True):
            same(c, e)
    else:
        assert np.asarray(compiled).dtype == np.asarray(expected).dtype, (compiled, expected)
        assert compiled == expected


def test_numpy_scalar_globals_keep_their_dtype():
    compiled = njit(scalar_globals)()
    expected = scalar_globals()
    # NumPy's int8 + int8 wraps (and warns); compiled code wraps silently.
    with np.errstate(over="ignore"):
        expected = scalar_globals()
    same(compiled, expected)


def test_tuple_globals_are_constants():
    same(njit(tuple_globals)(), tuple_globals())


@pytest.mark.parametrize("i", [0, 1, 2, -1, -3])
def test_a_global_tuple_indexed_at_run_time(i):
    assert njit(index_global_tuple)(i) == index_global_tuple(i)


def test_a_global_tuple_index_out_of_range_raises():
    with pytest.raises(IndexError):
        njit(index_global_tuple)(3)


def test_globals_are_frozen_at_the_first_compile():
    cfunc = njit(scalar_globals)
    first = cfunc()
    global EPS
    saved, EPS = EPS, np.float32(2.0)
    try:
        assert cfunc()[1] == first[1]
    finally:
        EPS = saved


def test_a_tuple_holding_an_array_is_a_typing_error_naming_it():
    with pytest.raises(TypingError, match="HOLDS_ARRAY"):
        njit(uses_tuple_with_array)()


def test_iinfo_and_finfo_fold_to_numpys_values():
    same(njit(type_info)(), type_info())


def iinfo_of_a_local(a):
    t = a.dtype
    return np.iinfo(t).max


def test_iinfo_of_a_value_known_at_run_time_only_is_reported():
    with pytest.raises(TypingError, match="iinfo"):
        njit(iinfo_of_a_local)(np.zeros(2, dtype=np.int32))


TABLE = np.array([[1.0, 2.0], [3.0, 4.0]])
INTS = np.arange(5, dtype=np.int32)
STRIDED = np.arange(10.0)[::3]
FORTRAN = np.asfortranarray(np.arange(6, dtype=np.int16).reshape(2, 3))
MASK = np.array([True, False, True])
NOTHING = np.zeros((0, 3))
MUTABLE = np.array([1.0, 2.0, 3.0])


def read_global_arrays(i):
    total = 0.0
    for x in STRIDED:
        total += x
    return (
        TABLE[i, 1],
        INTS[i] * np.int32(2),
        total,
        FORTRAN[1, 2],
        FORTRAN[0, i],
        MASK[i],
        TABLE.shape[0] + len(INTS) + NOTHING.shape[0] + NOTHING.shape[1],
    )


def return_global_array():
    return TABLE


def read_mutable(i):
    return MUTABLE[i]


def write_global_array():
    TABLE[0, 0] = 5.0


@pytest.mark.parametrize("i", [0, 1, -1])
def test_global_arrays_are_frozen_constants(i):
    same(njit(read_global_arrays)(i), read_global_arrays(i))


def test_a_returned_global_array_is_a_read_only_copy_of_its_values():
    result = njit(return_global_array)()
    assert np.array_equal(result, TABLE) and result.dtype == TABLE.dtype
    assert not result.flags.writeable


def test_global_arrays_keep_their_values_at_the_first_compile():
    cfunc = njit(read_mutable)
    assert cfunc(1) == 2.0
    MUTABLE[1] = 20.0
    try:
        assert cfunc(1) == 2.0  # frozen, as Numba freezes global arrays
    finally:
        MUTABLE[1] = 2.0


def test_writing_to_a_global_array_is_a_typing_error():
    with pytest.raises(TypingError, match="its buffer is read-only"):
        njit(write_global_array)()
