"""Explicit signatures with array, tuple and sized types, as strings and as type objects,
Numba's spellings; dispatch converts arguments the way Numba's does, and results are cast to
the declared return type."""

import numpy as np
import pytest

import nogil
from nogil import njit, types


def first(a):
    return a[0, 0] + a[-1, -1]


def fill(a, value):
    for i in range(a.shape[0]):
        a[i] = value


def plus_one(x):
    return x + 1.0


def identity(x):
    return x


def row_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


@pytest.mark.parametrize(
    "spec, name",
    [
        ("float64[:]", "array(float64, 1d, A)"),
        ("f8[::1]", "array(float64, 1d, C)"),
        ("f8[:, ::1]", "array(float64, 2d, C)"),
        ("float32[::1, :]", "array(float32, 2d, F)"),
        ("int64[:, :, :]", "array(int64, 3d, A)"),
        ("UniTuple(float64, 3)", "tuple[float64, float64, float64]"),
        ("Tuple((int64, float64))", "tuple[int64, float64]"),
        ("types.Array(float64, 2, 'C', readonly=True)", "readonly array(float64, 2d, C)"),
        ("boolean", "bool"),
        ("b1", "bool"),
        ("i4", "int32"),
        ("u1", "uint8"),
        ("c16", "complex128"),
        ("complex128", "complex128"),
        ("intp", "int64"),
        ("uintp", "uint64"),
    ],
)
def test_type_strings_name_the_types_numba_names(spec, name):
    assert nogil._signatures.type_name(spec) == name


@pytest.mark.parametrize(
    "type_object, name",
    [
        (nogil.float64[:, :], "array(float64, 2d, A)"),
        (nogil.float64[::1], "array(float64, 1d, C)"),
        (nogil.float32[::1, :], "array(float32, 2d, F)"),
        (types.Array(nogil.float64, 2, "C"), "array(float64, 2d, C)"),
        (types.Array(nogil.int32, 1, "A", readonly=True), "readonly array(int32, 1d, A)"),
        (types.UniTuple(types.int64, 2), "tuple[int64, int64]"),
        (types.Tuple((types.int64, types.float32)), "tuple[int64, float32]"),
    ],
)
def test_type_objects_name_the_types_numba_names(type_object, name):
    assert type_object.name == name


@pytest.mark.parametrize(
    "signature",
    [
        "float64(float64[:])",
        "(float64[:],)",
        "(float64[:]) -> float64",
        nogil.float64(nogil.float64[:]),
        (nogil.float64[:],),
        "f8(f8[::1])",
    ],
)
def test_array_signatures_compile_and_run(signature):
    cfunc = njit(signature)(row_sum)
    a = np.arange(5.0)
    assert cfunc(a) == row_sum(a)


def test_a_c_array_matches_an_any_layout_signature_and_strided_views_too():
    cfunc = njit("float64(float64[:])")(row_sum)
    a = np.arange(10.0)
    assert cfunc(a) == row_sum(a)
    assert cfunc(a[::2]) == row_sum(a[::2])
    assert cfunc(a[::-1]) == row_sum(a[::-1])
    assert cfunc.signatures == [("array(float64, 1d, A)",)]


def test_a_non_contiguous_array_is_refused_by_a_contiguous_signature():
    cfunc = njit("float64(float64[::1])")(row_sum)
    a = np.arange(10.0)
    assert cfunc(a) == row_sum(a)
    with pytest.raises(TypeError, match="no compiled signature"):
        cfunc(a[::2])
    with pytest.raises(TypeError, match="no compiled signature"):
        cfunc(np.arange(10, dtype=np.float32))


def test_f_order_signature_takes_f_arrays_only():
    cfunc = njit("float64(float64[::1, :])")(first)
    f = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    assert cfunc(f) == first(f)
    with pytest.raises(TypeError, match="no compiled signature"):
        cfunc(np.ascontiguousarray(f))


def test_void_signature_with_arrow_and_a_scalar_converted():
    cfunc = njit("(int64[:], float64) -> void")(fill)
    a = np.zeros(4, dtype=np.int64)
    assert cfunc(a, 3) is None
    assert a.tolist() == [3, 3, 3, 3]


def test_readonly_signature_takes_readonly_and_writable_arrays():
    cfunc = njit([types.float64(types.Array(types.float64, 1, "A", readonly=True))])(row_sum)
    a = np.arange(4.0)
    assert cfunc(a) == 6.0
    a.flags.writeable = False
    assert cfunc(a) == 6.0


def test_writable_signature_refuses_a_readonly_array():
    cfunc = njit("float64(float64[:])")(row_sum)
    a = np.arange(4.0)
    a.flags.writeable = False
    with pytest.raises(TypeError, match="no compiled signature"):
        cfunc(a)


def test_tuple_signatures():
    cfunc = njit("float64(UniTuple(float64, 3))")(lambda t: t[0] + t[1] + t[2])
    assert cfunc((1.0, 2.0, 3.5)) == 6.5
    assert cfunc((1, 2, 3)) == 6.0  # ints converted to the declared floats
    mixed = njit(nogil.float64(types.Tuple((types.int64, types.float64))))(lambda t: t[0] * t[1])
    assert mixed((2, 1.5)) == 3.0


def test_the_result_is_cast_to_the_declared_return_type():
    narrow = njit("float32(float32)")(plus_one)
    result = narrow(np.float32(1.5))
    assert type(result) is np.float32 and result == np.float32(2.5)
    as_int = njit("int32(int32)")(identity)
    result = as_int(np.int32(7))
    assert type(result) is np.int32 and result == 7
    truncated = njit("int64(float64)")(identity)
    assert truncated(2.9) == 2 and type(truncated(2.9)) is int
    wraps = njit("uint8(int64)")(identity)
    assert wraps(300) == np.uint8(44)
    saturates = njit("int8(float64)")(identity)
    assert saturates(1e6) == 127 and saturates(float("nan")) == 0


def test_complex_and_sized_scalar_signatures():
    cfunc = njit("c16(c16)")(identity)
    assert cfunc(1 + 2j) == 1 + 2j
    assert njit("uintp(uintp)")(identity)(np.uint64(2**63)) == 2**63
    assert njit("boolean(b1)")(identity)(True) is True


def test_optional_signature_compiles_the_value_and_none():
    cfunc = njit("float64(optional(float64))")(identity)
    assert cfunc(2.5) == 2.5
    assert sorted(cfunc.signatures) == [("None",), ("float64",)]


@pytest.mark.parametrize(
    "signature, message",
    [
        ("float64(float64[1:])", "slices of no bounds"),
        ("float64(float64[:, 2])", "slices of no bounds"),
        ("float64(float16)", "float16 is not a type compiled code has yet"),
        ("float64(floaty)", "unknown type 'floaty'"),
        ("float64(__import__('os'))", "unknown type '__import__'"),
        ("float64(float64[:]", "invalid signature"),
        ("float64", "invalid signature"),
        ("float64(Array(float64, 2, 'X'))", "layout is 'C', 'F' or 'A'"),
        ("float64(UniTuple(float64, -1))", "UniTuple's count"),
        ("float64(UniTuple(float64, 1000000000))", "UniTuple's count"),
        ("float64(float64[" + ":, " * 70 + "])", "ndim is an int from 0 to 64"),
        ("float64(" + "UniTuple(" * 2000 + "float64" + ", 1)" * 2000 + ")", "invalid signature"),
        ("float64(int64[:][:])", "cannot be indexed"),
    ],
)
def test_malformed_signatures_raise_clear_errors(signature, message):
    with pytest.raises((TypeError, ValueError), match=message):
        njit(signature)(identity)
