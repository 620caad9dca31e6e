"""``hash()`` of tuples (nested, mixed int/float/bool/complex elements) and of complex
numbers, compared with CPython's values (tuplehash of 3.8+, complex: real + 1000003 * imag).
NaN is left out: CPython 3.10+ hashes a NaN by the object's identity, which compiled code,
holding values, does not have."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import nogil

from .oracle import assert_same, compiled

floats = st.floats(allow_nan=False)
ints = st.integers(-(2**63), 2**63 - 1)
complexes = st.complex_numbers(allow_nan=False)
scalars = ints | floats | st.booleans() | complexes


def hash_of(x):
    return hash(x)


def hash_of_built(a, b):
    return hash((a, (b, a), ())), hash((a, b)) == hash((a, b))


@given(st.lists(scalars, max_size=5).map(tuple))
def test_flat_tuples(t):
    assert_same(hash_of, compiled(hash_of), t)


@given(st.tuples(st.tuples(ints, floats), st.tuples(), st.tuples(complexes, st.tuples(ints))))
def test_nested_tuples(t):
    assert_same(hash_of, compiled(hash_of), t)


@given(complexes)
def test_complex(z):
    assert_same(hash_of, compiled(hash_of), z)


@given(ints, floats)
def test_tuples_built_in_compiled_code(a, b):
    assert_same(hash_of_built, compiled(hash_of_built), a, b)


def test_edge_values():
    for value in [(), (-1,), (-1.0, -1), complex(-1, 0), complex(0, 0), 1e308 + 1e308j]:
        assert_same(hash_of, compiled(hash_of), value)


def test_numpy_scalars():
    f = nogil.njit(lambda x: hash(x))
    assert f(np.complex64(1.5 - 2j)) == hash(np.complex64(1.5 - 2j))
    assert f((np.float32(0.1), np.int8(-1))) == hash((np.float32(0.1), np.int8(-1)))
