"""A module whose compiled function other tests call as ``module.function``."""

from nogil import njit

OFFSET = 10


@njit
def add_offset(x):
    return x + OFFSET
