"""The timing the benchmark scripts share."""

import time


def best_time(function, args, repeat):
    """The best of `repeat` timed calls of `function(*args)`, after one untimed call (which
    compiles)."""
    function(*args)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - start)
    return best
