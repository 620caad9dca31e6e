"""Whether other Python threads run while a compiled call is in progress.

The compiled thread stamps the time just before and just after its call. The main thread spins
in Python meanwhile, noting the time about once a millisecond. A call that releases the GIL
leaves the main thread's notes spread across its whole duration; a call that holds it leaves
a gap over all of it but its edges (where the switch interval lets either thread in).
No assertion compares speeds, only which notes fall inside the call.
"""

import sys
import threading
import time

import pytest

from nogil import njit

from ..article import fibonacci, fibonacci_int64

RELEASING = njit(nogil=True)(fibonacci)
HOLDING = njit(nogil=False)(fibonacci)
AUTO = njit(fibonacci)  # the default: nogil="auto"
TARGET_SECONDS = 1.5


def calibrated_n(cfunc) -> int:
    """An n for which ``cfunc(n)`` runs about TARGET_SECONDS on this machine right now."""
    cfunc(10)  # compile
    n = 10**6
    while True:
        start = time.perf_counter()
        cfunc(n)
        elapsed = time.perf_counter() - start
        if elapsed > 0.05 or n >= 10**12:
            return max(n, int(n * TARGET_SECONDS / max(elapsed, 1e-9)))
        n *= 10


def observe_main_thread_during(cfunc, n):
    """Runs ``cfunc(n)`` in a thread while the main thread spins; returns the call's start and
    end times and the main thread's (time, count) notes. The call starts only once the main
    thread is spinning, so the main thread wants the GIL during all of the call."""
    stamps = {}
    spinning = threading.Event()

    def compiled_call():
        spinning.wait()
        stamps["start"] = time.perf_counter()
        stamps["value"] = cfunc(n)
        stamps["end"] = time.perf_counter()

    notes = []
    count = 0
    thread = threading.Thread(target=compiled_call)
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        thread.start()
        last = 0.0
        while thread.is_alive():
            count += 1
            now = time.perf_counter()
            if now - last >= 0.001:
                notes.append((now, count))
                last = now
                spinning.set()
        thread.join()
    finally:
        sys.setswitchinterval(previous)
    return stamps, notes


def middle_notes(stamps, notes):
    """The notes taken in the middle half of the compiled call."""
    quarter = (stamps["end"] - stamps["start"]) / 4
    low, high = stamps["start"] + quarter, stamps["end"] - quarter
    return [note for note in notes if low < note[0] < high]


def test_releasing_call_lets_other_threads_run():
    n = calibrated_n(RELEASING)
    stamps, notes = observe_main_thread_during(RELEASING, n)
    assert stamps["value"] == fibonacci_int64(n)
    middle = middle_notes(stamps, notes)
    duration = stamps["end"] - stamps["start"]
    assert duration > 0.2, "the call was too short to observe anything"
    # Notes are taken once a millisecond while the main thread runs. A holding call allows
    # none; on a loaded machine the main thread gets a small share of a core, so one in fifty
    # is the bar.
    assert len(middle) > duration / 2 * 1000 / 50, (len(middle), duration)
    assert middle[-1][1] - middle[0][1] > 1000


def test_holding_call_blocks_other_threads():
    n = calibrated_n(HOLDING)
    stamps, notes = observe_main_thread_during(HOLDING, n)
    assert stamps["value"] == fibonacci_int64(n)
    duration = stamps["end"] - stamps["start"]
    assert duration > 0.2, "the call was too short to observe anything"
    assert notes[0][0] < stamps["start"]
    assert middle_notes(stamps, notes) == []


def test_a_long_auto_call_releases_the_gil_and_lets_other_threads_run():
    n = calibrated_n(AUTO)
    releases = AUTO.stats["auto_gil_releases"]
    stamps, notes = observe_main_thread_during(AUTO, n)
    assert stamps["value"] == fibonacci_int64(n)
    assert AUTO.stats["auto_gil_releases"] == releases + 1
    middle = middle_notes(stamps, notes)
    duration = stamps["end"] - stamps["start"]
    assert duration > 0.2, "the call was too short to observe anything"
    assert len(middle) > duration / 2 * 1000 / 10, (len(middle), duration)


def test_short_auto_calls_never_release_the_gil():
    cfunc = njit(fibonacci)
    for _ in range(10_000):
        assert cfunc(1000) == fibonacci_int64(1000)
    assert cfunc.stats["auto_gil_releases"] == 0
    RELEASING(1000)
    assert RELEASING.stats["auto_gil_releases"] == 0, "only 'auto' calls count"


@pytest.mark.parametrize("cfunc", [RELEASING, HOLDING, AUTO], ids=["nogil", "gil", "auto"])
def test_results_are_right_in_both_modes(cfunc):
    for n in (0, 1, 2, 50, 92, 1000):
        assert cfunc(n) == fibonacci_int64(n)
