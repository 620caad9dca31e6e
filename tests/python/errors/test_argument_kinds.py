"""Unusual argument kinds at the Python boundary: ctypes objects, NumPy scalars and arrays of
every dtype, buffers of unusual formats and layouts, ndarray subclasses. Each either gives
NumPy's answer or a TypeError naming the argument and its type; none may crash (those that
crashed run in a child process) or be read as something it is not."""

import array as pyarray
import ctypes
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from nogil import njit


def total(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def first(a):
    return a[0]


def identity(a):
    return a


def shape_of(a):
    return a.shape


def corner_sum(a):
    return a[0, 0] + a[-1, -1] + a.shape[0] * 10 + a.shape[1] * 100


C_TOTAL, C_FIRST, C_IDENTITY, C_SHAPE, C_CORNER = map(
    njit, (total, first, identity, shape_of, corner_sum)
)


def run_child(directory, source: str) -> str:
    script = directory / "child.py"
    script.write_text(textwrap.dedent(source))
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr}"
    return done.stdout


def test_ctypes_arrays_and_numpy_datetime_scalars_do_not_crash(tmp_path):
    # Both crashed the process: ctypes exports no strides (C order implied), and NumPy's
    # datetime64 scalar exports its eight bytes.
    out = run_child(
        tmp_path,
        """
        import ctypes
        import numpy as np
        from nogil import njit

        @njit
        def first(a):
            return a[0]

        @njit
        def total(a):
            s = 0.0
            for i in range(a.shape[0]):
                for j in range(a.shape[1]):
                    s += float(a[i, j]) * (i + 1) * (j + 3)
            return s

        print(first((ctypes.c_int64 * 3)(7, 8, 9)))
        print(first((ctypes.c_double * 2)(1.5, 2.5)))
        grid = ((ctypes.c_int32 * 3) * 2)((1, 2, 3), (4, 5, 6))
        print(total(grid) == total.py_func(np.asarray(grid)))
        for row in [(ctypes.c_uint8 * 3)(200, 1, 255), (ctypes.c_int16 * 2)(-300, 7),
                    (ctypes.c_float * 2)(0.25, 8.0), (ctypes.c_uint64 * 2)(5, 3)]:
            column = (type(row) * 1)(row)  # one row of a 2-D array
            print(total(column) == total.py_func(np.asarray(column)), first(row) == row[0])
        # units with a multiple: the datetime types compiled code has no type for
        for scalar in (np.datetime64(1, "10s"), np.datetime64("NaT", "10s"),
                       np.timedelta64(5, "10s"), np.timedelta64("NaT", "10s")):
            try:
                first(scalar)
            except TypeError as error:
                print(type(scalar).__name__, "numpy." + type(scalar).__name__ in str(error))
        """,
    )
    assert (
        out.split()
        == ["7", "1.5", "True"]
        + ["True"] * 8
        + ["datetime64", "True"] * 2
        + [
            "timedelta64",
            "True",
        ]
        * 2
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: pyarray.array("b", [-1, 2]),
        lambda: pyarray.array("H", [65535, 2]),
        lambda: pyarray.array("l", [-(2**62), 5]),
        lambda: pyarray.array("Q", [2**63, 5]),
        lambda: pyarray.array("f", [0.1, 0.2]),
        lambda: memoryview(bytes([1, 0, 2])).cast("?"),
        lambda: memoryview(np.arange(5, dtype="<i4")),
        lambda: memoryview(np.arange(5, dtype="=u2")),
        lambda: memoryview(np.arange(10.0))[::-3],
        lambda: np.arange(10.0)[::-1],
        lambda: np.lib.stride_tricks.as_strided(np.arange(3.0), shape=(5,), strides=(0,)),
        lambda: np.arange(6, dtype=np.int8)[1::2],
    ],
)
def test_unusual_buffers_read_as_numpy_reads_them(make):
    value = make()
    expected = np.asarray(value)
    assert C_TOTAL(value) == total(expected)
    assert C_FIRST(value) == expected[0]
    assert C_SHAPE(value) == expected.shape


@pytest.mark.parametrize(
    "make",
    [
        lambda: np.arange(12.0).reshape(3, 4)[::-1, ::2],
        lambda: np.lib.stride_tricks.as_strided(np.arange(4.0), shape=(3, 4), strides=(0, 8)),
        lambda: memoryview(np.arange(12, dtype=np.int16).reshape(3, 4).T),
    ],
)
def test_unusual_two_dimensional_buffers(make):
    value = make()
    assert C_CORNER(value) == corner_sum(np.asarray(value))


@pytest.mark.parametrize(
    "make",
    [lambda: np.array(2.5), lambda: memoryview(np.array(7, dtype=np.int32))],
)
def test_zero_dimensional_buffers_have_an_empty_shape(make):
    value = make()
    assert C_SHAPE(value) == ()


@pytest.mark.parametrize(
    "scalar",
    [  # datetime64 and timedelta64 crashed: they are checked in a child process above
        np.float16(1.5),
        np.longdouble(1.5),
        np.clongdouble(1 + 2j),
        np.str_("ab"),
        np.bytes_(b"ab"),
        np.void(b"ab"),
    ],
    ids=repr,
)
def test_numpy_scalars_compiled_code_does_not_take_raise_type_error(scalar):
    name = f"numpy.{type(scalar).__name__}"
    for function in (C_FIRST, C_IDENTITY):
        with pytest.raises(TypeError, match=rf"argument 'a' has unsupported type '{name}'"):
            function(scalar)


@pytest.mark.parametrize("kind", [np.longlong, np.ulonglong])
def test_longlong_scalars_are_int64_and_uint64(kind):
    same = np.int64 if kind is np.longlong else np.uint64
    assert type(C_IDENTITY(kind(5))) is type(C_IDENTITY(same(5)))
    assert C_IDENTITY(kind(5)) == 5


@pytest.mark.parametrize(
    ("make", "described"),
    [
        (lambda: np.array([1, "a"], dtype=object), "dtype object"),
        (lambda: np.zeros(2, dtype=[("a", "i8"), ("t", "M8[s]")]), "dtype [('a', '<i8'), ('t'"),
        (lambda: np.zeros(2, dtype=np.clongdouble), "dtype complex256"),
        (lambda: np.zeros(2, dtype=np.longdouble), "dtype float128"),
        (lambda: np.zeros(2, dtype=np.float16), "dtype float16"),
        (lambda: np.array(["ab", "c"]), "dtype <U2"),
        (lambda: np.array([b"ab", b"c"]), "dtype |S2"),
        (lambda: np.arange(3, dtype=">i8"), "dtype >i8 (big-endian)"),
        (lambda: np.arange(3, dtype=">f4"), "dtype >f4 (big-endian)"),
        (lambda: memoryview(b"abc").cast("c"), "memoryview of format 'c'"),
        (lambda: memoryview(pyarray.array("u", "ab")), "memoryview of format 'w'"),
        (lambda: ctypes.pointer(ctypes.c_int(5)), "LP_c_int of format '&<i'"),
        (
            lambda: type("Pair", (ctypes.Structure,), {"_fields_": [("a", ctypes.c_int)]})(),
            "Pair of format 'T{<i:a:}'",
        ),
    ],
)
def test_arrays_of_unsupported_elements_raise_type_error_naming_them(make, described):
    value = make()
    with pytest.raises(TypeError) as info:
        C_FIRST(value)
    message = str(info.value)
    assert message.startswith("first() argument 'a' is a "), message
    assert described in message, message


@pytest.mark.parametrize(
    "make",
    [
        lambda: np.ma.masked_array([1.0, 2.0, 3.0], mask=[0, 1, 0]),
        pytest.param(
            lambda: np.matrix([[1.0, 2.0], [3.0, 4.0]]),
            marks=pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"),
        ),
        lambda: np.rec.array([(1, 2.0)], dtype=[("a", "i8"), ("b", "f8")]),
        lambda: np.arange(3.0).view(np.recarray),
        lambda: np.arange(3.0).view(type("Tagged", (np.ndarray,), {})),
    ],
)
def test_ndarray_subclasses_are_refused(make):
    value = make()
    name = type(value).__name__
    for function in (C_FIRST, C_IDENTITY, C_TOTAL):
        with pytest.raises(TypeError, match=rf"argument 'a' is a [\w.]*{name}, a subclass"):
            function(value)
    # In a tuple too, and after a plain array took the fast path.
    C_FIRST(np.arange(3.0))
    with pytest.raises(TypeError, match=r"subclass of numpy\.ndarray"):
        C_FIRST((value, 1))


def test_memmap_is_read_as_an_array(tmp_path):
    mapped = np.memmap(tmp_path / "data", dtype=np.float64, mode="w+", shape=(4,))
    mapped[:] = [1.5, 2.5, 3.5, 4.5]
    assert C_TOTAL(mapped) == 12.0
    assert C_TOTAL(mapped[::2]) == 5.0
    del mapped
