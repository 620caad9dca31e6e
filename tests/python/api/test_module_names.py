"""Names reached through modules and aliases, as users write them: ``nb.prange``,
``np.linalg.norm``, ``module.function``, ``from numpy import sqrt``, ``np.pi``,
``np.newaxis``; an attribute a module lacks is a TypingError naming it."""

import math
from math import sqrt as math_sqrt

import numpy as np
import pytest
from numpy import sqrt as numpy_sqrt

import nogil as nb
from nogil import TypingError, njit

from . import _kernels_module as kernels


def test_prange_through_the_module_alias():
    @nb.njit(parallel=True)
    def total(n):
        s = 0
        for i in nb.prange(n):
            s += i
        return s

    assert total(1000) == sum(range(1000))


def test_compiled_function_called_through_its_module():
    @njit
    def twice_offset(x):
        return kernels.add_offset(x) + kernels.OFFSET

    assert twice_offset(5) == 25
    assert twice_offset(2.5) == 22.5


def test_functions_imported_by_name_are_known_by_identity():
    @njit
    def roots(x):
        return numpy_sqrt(x) + math_sqrt(x) + math.sqrt(x)

    assert roots(16.0) == 12.0
    a = np.array([4.0, 9.0])

    @njit
    def array_root(a):
        return numpy_sqrt(a)

    assert np.array_equal(array_root(a), np.sqrt(a))


def test_numpy_constants_and_newaxis():
    @njit
    def constants(x):
        return np.pi * x + np.e, np.newaxis is None, np.newaxis is not None

    assert constants(2.0) == (np.pi * 2.0 + np.e, True, False)


def test_nested_module_members_resolve():
    @njit
    def strided(a):
        return np.lib.stride_tricks.as_strided(a)

    # found through the nested modules (the library layer's overload of as_strided)
    a = np.arange(3.0)
    np.testing.assert_array_equal(strided(a), a)


def test_unknown_module_member_names_it():
    @njit
    def unknown(x):
        return np.frobnicate(x)

    with pytest.raises(TypingError) as info:
        unknown(1.0)
    assert info.value.code == "N0218"
    assert "frobnicate" in str(info.value) and "numpy" in str(info.value)


def test_unknown_member_of_another_module():
    @njit
    def unknown(n):
        for _ in nb.nonexistent_range(n):
            pass
        return n

    with pytest.raises(TypingError, match="nonexistent_range"):
        unknown(3)


def test_module_value_is_not_a_value():
    @njit
    def module_as_value(x):
        return np.linalg, x

    with pytest.raises(TypingError, match=r"np\.linalg"):
        module_as_value(1)
