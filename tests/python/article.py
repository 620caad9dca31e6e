"""The Fibonacci loop of "Release the GIL" (the demo's own copy), shared by the tests that run
it, and an independent reference for its int64 results."""

from nogil.demo import fibonacci

__all__ = ["fibonacci", "fibonacci_int64"]


def fibonacci_int64(n):
    """What the compiled loop returns (int64 wraparound), by fast doubling: no loop of n
    steps, so it checks calls with n in the billions."""
    if n <= 1:
        return n
    mask = (1 << 64) - 1
    a, b = 0, 1  # F(k), F(k+1)
    for bit in bin(n)[2:]:
        c = a * (2 * b - a) & mask
        d = (a * a + b * b) & mask
        a, b = (d, (c + d) & mask) if bit == "1" else (c, d)
    return a - (1 << 64) if a >= 1 << 63 else a
