"""Long and deeply nested tuple arguments: compiled in time that stays small up to the
documented limit (256 elements, 128 when their types differ), refused with a TypeError
naming the limit beyond it, never a compile that runs for minutes or a crash."""

import subprocess
import sys
import textwrap
import time

import pytest

from nogil import njit


@njit
def first(t):
    return t[0]


@njit
def at(t, i):
    return t[i] + t[-1]


@njit
def same(t):
    return t


def test_longest_tuple_compiles_quickly():
    values = tuple(range(256))
    started = time.perf_counter()
    assert first(values) == 0
    assert at(values, 3) == 3 + 255
    assert same(values) == values
    assert same(tuple(float(v) for v in values)) == tuple(float(v) for v in values)
    # Each of these took seconds to minutes before long tuples of one type became arrays.
    assert time.perf_counter() - started < 60


def test_mixed_tuple_at_its_limit_compiles():
    values = tuple(float(v) if v % 2 else v for v in range(128))
    assert same(values) == values


def test_tuple_longer_than_the_limit_is_a_type_error():
    with pytest.raises(TypeError, match=r"a tuple of 257 elements.*at most 256 elements"):
        first(tuple(range(257)))
    with pytest.raises(TypeError, match=r"a tuple of 2000 elements"):
        first(tuple(range(2000)))


def test_mixed_tuple_longer_than_its_limit_is_a_type_error():
    values = tuple(float(v) if v % 2 else v for v in range(129))
    with pytest.raises(TypeError, match=r"129 elements of different types.*at most 128"):
        first(values)


def test_nested_tuples_count_every_element():
    with pytest.raises(TypeError, match="nested tuples of more than 256 elements"):
        first(tuple((i, i) for i in range(100)))
    assert first(tuple((i, i) for i in range(80))) == (0, 0)


def test_deeply_nested_tuple_is_a_type_error_not_a_crash():
    script = textwrap.dedent(
        """
        from nogil import njit

        @njit
        def first(t):
            return t[0]

        nested = ()
        for _ in range(1_000_000):
            nested = (nested,)
        try:
            first(nested)
        except TypeError as error:
            print("TypeError", "nested tuples" in str(error))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "TypeError True"


def test_signature_with_a_too_long_tuple_is_a_type_error():
    @njit
    def head(t):
        return t[0]

    long_tuple = "tuple[" + ", ".join(["int64"] * 300) + "]"
    with pytest.raises(TypeError, match="a tuple of 300 elements"):
        head.compile((long_tuple,))
    deep = "int64"
    for _ in range(100_000):
        deep = f"tuple[{deep}]"
    with pytest.raises(TypeError, match="unknown argument type"):
        head.compile((deep,))
