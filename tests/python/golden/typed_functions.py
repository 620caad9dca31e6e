"""Functions whose inspect_types() output is kept as golden files (types/<name>.txt)."""

import math

from nogil import njit


@njit
def fibonacci(n):
    if n <= 1:
        return n
    a = 0
    b = 1
    c = a + b
    for _i in range(2, n):
        a = b
        b = c
        c = a + b
    return c


@njit
def mixed_returns(a, b):
    c = a + b
    if c > 10:
        return c
    return c / 2


@njit
def tuples_and_math(x, n):
    pair = (x, n)
    q, r = divmod(n, 3)
    angle = math.atan2(x, 1.0)
    return pair, q + r, angle


SIGNATURES = {
    "fibonacci": ("int64",),
    "mixed_returns": ("int64", "int64"),
    "tuples_and_math": ("float64", "int64"),
}
