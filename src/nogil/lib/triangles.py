"""np.eye, np.identity, np.tri, np.tril and np.triu: ones on a diagonal, ones on and below
one, and the lower or upper triangle of a matrix (a 1-d array is its rows repeated, as in
NumPy). The created arrays are float64 (``dtype`` is not supported yet); tril and triu keep
the array's dtype and take 1-d and 2-d arrays."""

import numpy as np

from nogil.extending import overload, register_jitable, types
from nogil.lib._axes import check_array, is_none


def _given(value) -> bool:
    return not is_none(value) and isinstance(value, types.Type)


def _check_ints(name: str, **values) -> None:
    for what, value in values.items():
        if _given(value) and not isinstance(value, types.Integer | types.Boolean):
            raise TypeError(f"{name}(): {what} must be an integer, not {value}")


@register_jitable
def _check_dims(n, m):
    if n < 0 or m < 0:
        raise ValueError("negative dimensions are not allowed")


@register_jitable
def _tri(n, m, k, upper_ones):
    """ones where j - i <= k (or, for upper_ones, where j - i >= k); a negative size counts
    as 0, as in NumPy (whose tri compares ranges)."""
    n = max(n, 0)
    m = max(m, 0)
    out = np.zeros((n, m), np.float64)
    for i in range(n):
        for j in range(m):
            if (j - i >= k) if upper_ones else (j - i <= k):
                out[i, j] = 1.0
    return out


@overload(np.eye)
def _eye_typing(N, M=None, k=0):
    _check_ints("eye", N=N, M=M, k=k)
    same = not _given(M)

    def eye(N, M=None, k=0):
        m = N if same else M
        _check_dims(N, m)
        out = np.zeros((N, m), np.float64)
        for i in range(N):
            j = i + k
            if 0 <= j < m:
                out[i, j] = 1.0
        return out

    return eye


@overload(np.identity)
def _identity_typing(n):
    _check_ints("identity", n=n)

    def identity(n):
        _check_dims(n, n)
        out = np.zeros((n, n), np.float64)
        for i in range(n):
            out[i, i] = 1.0
        return out

    return identity


@overload(np.tri)
def _tri_typing(N, M=None, k=0):
    _check_ints("tri", N=N, M=M, k=k)
    same = not _given(M)

    def tri(N, M=None, k=0):
        return _tri(N, N if same else M, k, False)

    return tri


def _triangle(name: str, lower: bool):
    def typing(m, k=0):
        check_array(name, m)
        _check_ints(name, k=k)
        if m.ndim not in (1, 2):
            raise TypeError(f"{name}() of a {m.ndim}-d array is not supported yet: 1-d and 2-d are")
        if m.ndim == 1:

            def rows(m, k=0):
                n = m.shape[0]
                out = np.zeros((n, n), m.dtype)
                for i in range(n):
                    for j in range(n):
                        if (j - i <= k) if lower else (j - i >= k):
                            out[i, j] = m[j]
                return out

            return rows

        def matrix(m, k=0):
            out = np.zeros(m.shape, m.dtype)
            for i in range(m.shape[0]):
                for j in range(m.shape[1]):
                    if (j - i <= k) if lower else (j - i >= k):
                        out[i, j] = m[i, j]
            return out

        return matrix

    return typing


overload(np.tril)(_triangle("tril", True))
overload(np.triu)(_triangle("triu", False))
