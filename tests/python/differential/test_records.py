"""Structured arrays and records (NumPy's structured dtypes) in compiled code, compared with
NumPy: `a[i]['f']` and `a[i].f` get and set, `a['f']` views, iteration, slicing, numpy.void
arguments and results, every scalar field type, aligned and packed layouts, sub-arrays and
nested records, and the errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nogil import TypingError, njit

POINT = np.dtype([("f", np.float64), ("g", np.int32)])
POINT_ALIGNED = np.dtype([("f", np.float64), ("g", np.int32)], align=True)
# Every scalar type compiled code takes, packed: most fields at odd offsets.
EVERY_TYPE = np.dtype(
    [
        ("u8", np.uint8),
        ("f64", np.float64),
        ("i16", np.int16),
        ("b", np.bool_),
        ("i32", np.int32),
        ("c128", np.complex128),
        ("i8", np.int8),
        ("u64", np.uint64),
        ("f32", np.float32),
        ("u16", np.uint16),
        ("i64", np.int64),
        ("u32", np.uint32),
    ]
)
SCALAR_TYPES = [
    np.dtype(t) for t in ["?", "i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8", "c16"]
]


def points(n=5, dtype=POINT):
    a = np.zeros(n, dtype)
    a["f"] = np.arange(n) * 1.5 - 2
    a["g"] = np.arange(n) * 3 - 4
    return a


def rec(a):
    """The oracle's view of `a`: NumPy gives attribute access (`r.f`) to np.record only."""
    return a.view(np.recarray)


def layouts(a):
    """The array itself, strided, reversed, and a 2-D Fortran-ordered copy's column."""
    grid = np.asfortranarray(np.stack([a, a[::-1]], axis=1))
    return [a, a[::2], a[::-1], grid[:, 1], a[:0]]


def sum_fields(a):
    total = 0.0
    for i in range(len(a)):
        total += a[i]["f"] * a[i]["g"] + a[i].g
    return total


def set_fields(a):
    for i in range(len(a)):
        a[i]["f"] = 2.5 * i
        a[i].g = i - 7
        a[i]["g"] += 1
        a[i].f *= 2


def iterate(a):
    total = 0
    for r in a:
        r["g"] += 10
        total += r.g
    return total


def field_views(a):
    f = a["f"]
    a["g"][:] = 3
    a["g"] += np.arange(len(a), dtype=np.int32)
    return f.sum(), a["g"].max() if len(a) else 0, f * 2, a["g"]


@pytest.mark.parametrize("dtype", [POINT, POINT_ALIGNED])
def test_field_reads_and_writes_match_numpy(dtype):
    compiled_sum, compiled_set = njit(sum_fields), njit(set_fields)
    compiled_iterate, compiled_views = njit(iterate), njit(field_views)
    for k, a in enumerate(layouts(points(6, dtype))):
        assert compiled_sum(a) == sum_fields(rec(a))
        for plain, compiled in [(set_fields, compiled_set), (iterate, compiled_iterate)]:
            expected, got = layouts(points(6, dtype))[k], layouts(points(6, dtype))[k]
            assert plain(rec(expected)) == compiled(got)
            assert np.array_equal(expected, got) and got.dtype == expected.dtype
        expected, got = layouts(points(6, dtype))[k], layouts(points(6, dtype))[k]
        e, g = field_views(rec(expected)), compiled_views(got)
        assert e[0] == g[0] and e[1] == g[1]
        assert np.array_equal(e[2], g[2]) and e[2].dtype == g[2].dtype
        assert np.array_equal(e[3], g[3]) and e[3].dtype == g[3].dtype
        assert np.array_equal(expected, got)


def writes_through_views(a):
    a[1:]["f"][::2] = -1.0
    for r in a[::-1]:
        r.g = r.g * 2
    b = a[1:3]
    b[0].f = 99.0
    return len(b)


def test_writes_reach_the_array_through_slices_and_views():
    expected, got = points(7), points(7)
    assert writes_through_views(rec(expected)) == njit(writes_through_views)(got)
    assert np.array_equal(expected, got)
    strided_expected, strided_got = points(9)[::2], points(9)[::2]
    writes_through_views(rec(strided_expected))
    njit(writes_through_views)(strided_got)
    assert np.array_equal(strided_expected, strided_got)


def read_every_field(a, i):
    r = a[i]
    return (
        r["u8"],
        r["f64"],
        r["i16"],
        r["b"],
        r["i32"],
        r["c128"],
        r["i8"],
        r["u64"],
        r["f32"],
        r["u16"],
        r["i64"],
        r["u32"],
    )


def write_every_field(a, i, x):
    r = a[i]
    r["u8"] = x
    r["f64"] = x * 0.5
    r["i16"] = -x
    r["b"] = x > 2
    r["i32"] = x * 1000
    r["c128"] = x + 0.5j
    r["i8"] = -x
    r["u64"] = x * 7
    r["f32"] = x / 4
    r["u16"] = x + 1
    r["i64"] = -x * 10**12
    r["u32"] = x * 3


def test_every_scalar_field_type_at_unaligned_offsets():
    assert not EVERY_TYPE.isalignedstruct and EVERY_TYPE.fields["f64"][1] == 1
    rng = np.random.default_rng(5)
    a = np.zeros(4, EVERY_TYPE)
    for name in EVERY_TYPE.names:
        kind = EVERY_TYPE.fields[name][0]
        if kind.kind == "c":
            a[name] = rng.normal(size=4) + 1j * rng.normal(size=4)
        elif kind.kind == "b":
            a[name] = rng.integers(0, 2, 4).astype(bool)
        elif kind.kind == "f":
            a[name] = rng.normal(size=4) * 100
        else:
            info = np.iinfo(kind)
            a[name] = rng.integers(info.min, info.max, 4, dtype=kind, endpoint=True)
    compiled = njit(read_every_field)
    for i in range(-4, 4):
        got, expected = compiled(a, i), read_every_field(a, i)
        for g, e in zip(got, expected, strict=True):
            assert g == e and np.asarray(g).dtype == np.asarray(e).dtype, (g, e)
    expected, got = a.copy(), a.copy()
    for i, x in enumerate([1, 3, 5]):
        write_every_field(expected, i, x)
        njit(write_every_field)(got, i, x)
    assert expected.tobytes() == got.tobytes()


def from_record(r):
    return r["f"] * 2 + r.g, r[1], r[-2]


def bump_record(r):
    r["f"] += 1.0
    r.g = 12
    return r


def test_record_scalar_arguments_read_write_and_return_as_numpy_void():
    a = points(3)
    compiled = njit(from_record)
    for i in range(3):
        assert compiled(a[i]) == from_record(rec(a)[i])
    expected, got = points(3), points(3)
    e, g = bump_record(rec(expected)[1]), njit(bump_record)(got[1])
    assert type(g) is np.void and g.dtype == e.dtype and g == e
    assert np.array_equal(expected, got)  # the store reached the array, as NumPy's does
    g["f"] = -5.0  # the result is a copy, as Numba returns a record
    assert got[1]["f"] == e["f"]


def element(a, i):
    return a[i]


def copy_element(a, i, j):
    a[i] = a[j]
    return a[i:]


def test_records_and_record_arrays_return_as_numpy():
    a = points(5)
    r = njit(element)(a, -1)
    assert type(r) is np.void and r.dtype == POINT and r == a[-1]
    expected, got = points(5), points(5)
    e, g = copy_element(expected, 0, 3), njit(copy_element)(got, 0, 3)
    assert np.array_equal(expected, got) and g.dtype == POINT and np.array_equal(e, g)
    g[0]["g"] = 77  # a view of the argument, as NumPy's slice is
    assert got[0]["g"] == 77
    assert njit(lambda a: a)(a) is a
    readonly = points(3)
    readonly.flags.writeable = False
    assert njit(element)(readonly, 1) == readonly[1]


NESTED = np.dtype(
    [("id", np.int16), ("pos", [("x", np.float32), ("y", np.float32)]), ("v", np.float64, (2, 3))]
)


def nested(a):
    total = 0.0
    for r in a:
        total += r["pos"]["x"] * r.pos.y + r["v"][1, 2] + r.v.sum()
        r["v"][0] = r["id"]
        r.pos.x = 1.5
    return total, a["v"][:, 1], a["pos"]["y"]


def subarray_of_record(r):
    return r["v"]


def test_sub_arrays_and_nested_records():
    a = np.zeros(3, NESTED)
    a["id"] = [3, -1, 7]
    a["pos"]["x"] = [0.5, 1.0, 2.0]
    a["pos"]["y"] = [4.0, -2.0, 0.25]
    a["v"] = np.arange(18.0).reshape(3, 2, 3)
    expected, got = a.copy(), a.copy()
    e, g = nested(rec(expected)), njit(nested)(got)
    assert e[0] == g[0]
    assert np.array_equal(e[1], g[1]) and np.array_equal(e[2], g[2])
    assert expected.tobytes() == got.tobytes()
    v = njit(subarray_of_record)(a[1])
    assert np.array_equal(v, a[1]["v"]) and v.dtype == np.float64 and v.shape == (2, 3)


@st.composite
def structured_arrays(draw):
    count = draw(st.integers(1, 5))
    types = draw(st.lists(st.sampled_from(SCALAR_TYPES), min_size=count, max_size=count))
    align = draw(st.booleans())
    dtype = np.dtype([(f"x{k}", t) for k, t in enumerate(types)], align=align)
    n = draw(st.integers(0, 6))
    raw = draw(st.binary(min_size=n * dtype.itemsize, max_size=n * dtype.itemsize))
    a = np.frombuffer(bytearray(raw), dtype).copy()
    for name in dtype.names:  # no NaN payloads or non-0/1 bools from the raw bytes
        kind = dtype.fields[name][0]
        if kind.kind == "b":
            a[name] = a[name].view(np.uint8) & 1
        elif kind.kind in "fc":
            a[name] = np.nan_to_num(a[name], nan=0.5, posinf=1.0, neginf=-1.0)
    step = draw(st.sampled_from([1, 2, -1]))
    return a[::step]


def first_field_plus_last(a, out):
    for i in range(len(a)):
        z = a[i][0] + a[i][-1]
        out[i, 0] = z.real
        out[i, 1] = z.imag
    return out


@settings(max_examples=40, deadline=None)
@given(structured_arrays())
def test_generated_structured_arrays_match_numpy(a):
    with np.errstate(all="ignore"):
        expected = first_field_plus_last(a, np.zeros((len(a), 2)))
    got = njit(first_field_plus_last)(a, np.zeros((len(a), 2)))
    assert np.array_equal(expected, got)


def unknown_field(a):
    return a[0]["h"]


def unknown_attribute(r):
    return r.h


def variable_field(a, name):
    return a[0][name]


def store_into_readonly(a):
    a[0]["f"] = 1.0


def test_field_names_are_checked_when_compiling():
    a = points(2)
    with pytest.raises(TypingError) as err:
        njit(unknown_field)(a)
    assert err.value.diagnostics[0].code == "N0290"
    assert "'h'" in str(err.value) and "('f', 'g')" in str(err.value)
    with pytest.raises(TypingError) as err:
        njit(unknown_attribute)(a[0])
    assert err.value.diagnostics[0].code == "N0290"
    with pytest.raises(TypingError) as err:
        njit(variable_field)(a, 1)
    assert err.value.diagnostics[0].code == "N0291"
    readonly = points(2)
    readonly.flags.writeable = False
    with pytest.raises(TypingError) as err:
        njit(store_into_readonly)(readonly)
    assert err.value.diagnostics[0].code == "N0233"
    with pytest.raises(ValueError):
        store_into_readonly(readonly)


@pytest.mark.parametrize(
    "dtype",
    [
        np.dtype([("f", ">f8"), ("g", np.int32)]),
        np.dtype([("t", "M8[s]"), ("g", np.int32)]),
        np.dtype([("o", object), ("g", np.int32)]),
        np.dtype([("s", "S3"), ("g", np.int32)]),
        np.dtype([("h", np.float16)]),
    ],
)
def test_fields_compiled_code_does_not_read_are_refused_at_the_call(dtype):
    a = np.zeros(2, dtype)
    with pytest.raises(TypeError, match="structured dtypes"):
        njit(sum_fields)(a)
    with pytest.raises(TypeError, match="structured dtypes"):
        njit(from_record)(a[0])


def arithmetic_on_records(a):
    return a + 1


def test_record_arrays_refuse_arithmetic():
    with pytest.raises(TypingError):
        njit(arithmetic_on_records)(points(2))


def copy_records(a):
    return a.copy()[1]


def whole_record_from_a_number(a):
    a[0] = 1.0


def record_as_condition(a):
    return 1 if a[0] else 0


@pytest.mark.parametrize(
    "function", [copy_records, whole_record_from_a_number, record_as_condition]
)
def test_operations_on_whole_records_are_refused_when_compiling(function):
    with pytest.raises(TypingError):
        njit(function)(points(3))


def call_with_record(a):
    return bump_record(a[2]).g + len(a)


def test_records_pass_to_compiled_functions():
    global bump_record
    plain = bump_record
    bump_record = njit(plain)
    try:
        got = points(3)
        assert njit(call_with_record)(got) == 12 + 3
        assert got[2]["f"] == points(3)[2]["f"] + 1
    finally:
        bump_record = plain
