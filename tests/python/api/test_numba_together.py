"""nogil and Numba loaded in one process: each compiles and runs its own function."""

import pytest

from nogil import njit

from ..article import fibonacci


def test_nogil_and_numba_in_one_process():
    numba = pytest.importorskip("numba")
    with_numba = numba.njit(nogil=True)(fibonacci)
    with_nogil = njit(nogil=True)(fibonacci)
    for n in (0, 1, 2, 10, 90, 10**5):
        expected_numba = with_numba(n)
        assert with_nogil(n) == expected_numba
    for n in (0, 1, 10, 90):
        assert with_nogil(n) == fibonacci(n)
    # Either order of first use works.
    late_nogil = njit(fibonacci)
    late_numba = numba.njit(fibonacci)
    assert late_nogil(50) == late_numba(50) == fibonacci(50)
