"""Arguments' buffers in results. An argument returned whole comes back as itself (bytes as
bytes, not a uint8 array); a view of one holds the argument's buffer export for as long as it
lives, as np.frombuffer's arrays do (the oracle), so the exporter cannot resize, close or
release the memory under it."""

import array as pyarray
import gc
import mmap
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from nogil import njit


@njit
def identity(a):
    return a


@njit
def swapped(a, b):
    return b, a


@njit
def whole_slice(a):
    return a[:]


@njit
def tail(a):
    return a[1:]


@njit
def halves(a):
    return a[:2], a[2:]


@njit
def tail_of_first(pair):
    return pair[0][1:]


@njit
def tail_through_a_callee(a):
    return tail(a)


@njit
def first(a):
    return a[0]


MAKERS = {
    "bytes": lambda: b"abcdef",
    "bytearray": lambda: bytearray(b"abcdef"),
    "memoryview": lambda: memoryview(bytearray(b"abcdef")),
    "readonly memoryview": lambda: memoryview(b"abcdef"),
    "array.array": lambda: pyarray.array("d", [1.0, 2.0, 3.0, 4.0]),
    "mmap": lambda: mmap.mmap(-1, 16),
    "ndarray": lambda: np.arange(6.0),
    "strided ndarray": lambda: np.arange(12.0)[::3],
    "2-d ndarray": lambda: np.arange(12.0).reshape(3, 4).T,
    "0-d ndarray": lambda: np.array(4.5),
    "read-only ndarray": lambda: np.frombuffer(b"abcdefgh", dtype=np.uint8),
}


@pytest.mark.parametrize("kind", MAKERS)
def test_an_argument_returned_whole_is_the_argument(kind):
    value = MAKERS[kind]()
    for _ in range(3):  # the first call compiles, later ones may take the fast path
        assert identity(value) is value
    other = MAKERS[kind]()
    got = swapped(value, other)
    assert type(got) is tuple and got[0] is other and got[1] is value
    if np.ndim(value) > 0:
        assert whole_slice(value) is value  # a view of all of it, as Numba returns


@pytest.mark.parametrize("kind", ["bytes", "bytearray", "memoryview", "array.array", "mmap"])
def test_a_view_of_an_argument_is_an_array_over_its_memory(kind):
    value = MAKERS[kind]()
    expected = np.frombuffer(value, dtype=np.asarray(memoryview(value)).dtype)[1:]
    view = tail(value)
    assert type(view) is np.ndarray and view.dtype == expected.dtype
    assert np.array_equal(view, expected)
    if not memoryview(value).readonly:
        np.asarray(memoryview(value))[1] = 7
        assert view[0] == 7


def resize_bytearray(value):
    value.extend(b"x" * 100_000)


def append_to_array(value):
    value.append(5.0)


def close_mmap(value):
    value.close()


def release_memoryview(value):
    value.release()


HOLDERS = {
    "bytearray.extend": (lambda: bytearray(b"abcdef"), resize_bytearray),
    "array.append": (lambda: pyarray.array("d", [1.0, 2.0, 3.0]), append_to_array),
    "mmap.close": (lambda: mmap.mmap(-1, 4096), close_mmap),
    "memoryview.release": (lambda: memoryview(bytearray(b"abcdef")), release_memoryview),
}


# Every way a view of an argument reaches Python.
VIEWS = {
    "alone": tail,
    "in a tuple": lambda value: halves(value)[1],
    "from a tuple argument": lambda value: tail_of_first((value, 1)),
    "through a callee": tail_through_a_callee,
}


def outcome(act, value):
    try:
        act(value)
    except BufferError:
        return "BufferError"
    return "done"


@pytest.mark.parametrize("how", VIEWS)
@pytest.mark.parametrize("operation", HOLDERS)
def test_a_view_of_an_argument_holds_its_buffer_like_np_frombuffer(operation, how):
    make, act = HOLDERS[operation]
    oracle = make()
    held = np.frombuffer(oracle, dtype=np.uint8)
    expected = outcome(act, oracle)  # BufferError, except a memoryview's release
    del held
    value = make()
    view = VIEWS[how](value)
    contents = view.copy()
    assert outcome(act, value) == expected
    assert np.array_equal(view, contents)  # the memory is still there
    del view
    gc.collect()
    act(value)  # once the view is gone, the object may change again


def test_a_released_memoryview_leaves_its_object_exported_while_a_view_lives():
    # As under np.frombuffer: the memoryview may be released, its bytearray stays exported.
    data = bytearray(b"abcdef")
    view = memoryview(data)
    got = tail(view)
    view.release()
    with pytest.raises(BufferError):
        data.extend(b"x")
    assert bytes(got) == b"bcdef"
    del got
    data.extend(b"x")


def test_a_tuple_result_holds_each_views_export():
    value = bytearray(b"abcdef")
    front, back = halves(value)
    del front
    with pytest.raises(BufferError):
        value.extend(b"x")
    del back
    value.extend(b"x")
    assert value == b"abcdefx"


def test_ctypes_objects_and_a_closed_mmap_in_a_child_process(tmp_path):
    # Each crashed the process before: a ctypes array (no strides exported) read as an
    # argument, and an mmap closed under a view of it, then read.
    script = tmp_path / "child.py"
    script.write_text(
        textwrap.dedent(
            """
            import ctypes
            import mmap
            from nogil import njit

            @njit
            def identity(a):
                return a

            @njit
            def tail(a):
                return a[1:]

            for value in [(ctypes.c_int32 * 4)(1, 2, 3, 4), ctypes.c_double(2.5),
                          ((ctypes.c_int8 * 2) * 2)((1, 2), (3, 4))]:
                print(identity(value) is value, end=" ")
            print(tail((ctypes.c_int16 * 3)(7, 8, 9)).tolist(), end=" ")
            mapped = mmap.mmap(-1, 4096)
            mapped[:3] = b"xyz"
            view = tail(mapped)
            try:
                mapped.close()
            except BufferError:
                print("BufferError", bytes(view[:2]))
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "True", "[8,", "9]", "BufferError", "b'yz'"]


def test_a_released_memoryview_argument_raises_value_error_as_cpython():
    view = memoryview(bytearray(b"abc"))
    view.release()
    with pytest.raises(ValueError) as expected:
        view[0]
    for function in (first, tail, identity):
        with pytest.raises(ValueError) as info:
            function(view)
        assert str(info.value) == str(expected.value)
