"""np.min/np.max/np.argmin/np.argmax (functions and methods) of whole complex arrays against
NumPy: the lexicographic order (real parts, then imaginary ones), the first NaN winning,
C/F/strided layouts, empty arrays' ValueErrors; argmin/argmax also with keepdims=."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nogil import njit

COMPILED = {
    "min": (njit(lambda a: np.min(a)), njit(lambda a: a.min()), njit(lambda a: np.amin(a))),
    "max": (njit(lambda a: np.max(a)), njit(lambda a: a.max()), njit(lambda a: np.amax(a))),
    "argmin": (njit(lambda a: np.argmin(a)), njit(lambda a: a.argmin())),
    "argmax": (njit(lambda a: np.argmax(a)), njit(lambda a: a.argmax())),
}
KEPT = {
    "argmin": njit(lambda a: np.argmin(a, keepdims=True)),
    "argmax": njit(lambda a: np.argmax(a, keepdims=True)),
}

# few distinct parts, so ties on the real part (decided by the imaginary one) are common
parts = st.sampled_from([-2.0, -0.5, 0.0, 1.0, 3.0, np.nan])
elements = st.builds(complex, parts, parts)


def _same(got, expected):
    if isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == expected.dtype
    elif isinstance(expected, np.complexfloating):
        assert complex(got) == complex(expected) or (
            np.isnan(complex(got)) and np.isnan(complex(expected))
        ), (got, expected)
        np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))
    else:
        assert got == expected


def _layouts(a):
    yield a
    yield np.asfortranarray(a)
    if a.shape[0] > 1:
        yield a[::2]
        yield a[::-1]


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_complex_extrema_match_numpy(dtype, data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    a = data.draw(hnp.arrays(dtype, shape, elements=elements))
    for view in _layouts(a):
        for name, functions in COMPILED.items():
            expected = getattr(np, name)(view)
            for compiled in functions:
                _same(compiled(view), expected)
        for name, compiled in KEPT.items():
            _same(compiled(view), getattr(np, name)(view, keepdims=True))


@pytest.mark.parametrize("name", sorted(COMPILED))
def test_complex_extrema_of_empty_raise_as_numpy(name):
    a = np.zeros((0, 2), np.complex128)
    with pytest.raises(ValueError) as expected:
        getattr(np, name)(a)
    for compiled in COMPILED[name]:
        with pytest.raises(ValueError) as got:
            compiled(a)
        assert str(got.value) == str(expected.value)
