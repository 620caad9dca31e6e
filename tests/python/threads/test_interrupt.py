"""Ctrl-C inside compiled loops: a child process runs a long compiled loop, the test sends it
SIGINT, and the child reports what happened. Bounds are generous (the machine is shared): the
point is that the call is interrupted at all, where it would otherwise run for minutes."""

import signal
import subprocess
import sys
import textwrap
import time

import pytest

PRELUDE = textwrap.dedent(
    """
    import signal, sys, time
    import numpy as np
    import nogil
    from nogil import prange

    MODE = {"auto": "auto", "true": True, "false": False}[sys.argv[1]]

    @nogil.njit(nogil=MODE)
    def spin(n):
        total = 0
        i = 0
        while i < n:
            total += i ^ (total >> 3)
            i += 1
        return total

    @nogil.njit(nogil=MODE)
    def spin_ranges(n, out):
        total = 0.0
        scratch = np.ones(1000)
        try:
            for i in range(n):
                for j in range(1000):
                    total += scratch[j] * i
        except:  # noqa: E722 (a bare except must not swallow KeyboardInterrupt)
            total = -1.0
        finally:
            out[0] = 1.0
        return total

    @nogil.njit(nogil=MODE, parallel=True)
    def spin_parallel(n, m):
        total = 0
        for i in prange(n):
            k = 0
            while k < m:
                total += (k ^ i) & 7
                k += 1
        return total

    spin(10)
    spin_ranges(1, np.zeros(1))
    spin_parallel(2, 2)
    """
)


def run_child(directory, body: str, mode: str, interrupt_after: float = 0.5, timeout: float = 20.0):
    """Starts the child (its source in `directory`: compiling needs a source file), waits
    for it to print 'ready', sends SIGINT after `interrupt_after` seconds, and returns (its
    output lines, seconds from the signal to its exit, its stderr)."""
    script = directory / "child.py"
    script.write_text(PRELUDE + textwrap.dedent(body))
    child = subprocess.Popen(
        [sys.executable, str(script), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "ready", child.stderr.read()
        time.sleep(interrupt_after)
        child.send_signal(signal.SIGINT)
        sent = time.perf_counter()
        out, err = child.communicate(timeout=timeout)
        return out.split(), time.perf_counter() - sent, err
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


MODES = ["auto", "true", "false"]


@pytest.mark.parametrize("mode", MODES)
def test_ctrl_c_interrupts_a_long_compiled_loop(mode, tmp_path):
    lines, seconds, err = run_child(
        tmp_path,
        """
        print("ready", flush=True)
        try:
            spin(10**13)  # hours
            print("finished")
        except KeyboardInterrupt:
            print("interrupted")
        """,
        mode,
    )
    assert lines == ["interrupted"], err
    assert seconds < 5.0


@pytest.mark.parametrize("mode", MODES)
def test_interrupted_loops_run_finally_and_free_their_arrays(mode, tmp_path):
    lines, _, err = run_child(
        tmp_path,
        """
        out = np.zeros(1)
        live = nogil.array_memory()[0]
        print("ready", flush=True)
        try:
            spin_ranges(10**12, out)
        except KeyboardInterrupt:
            print("interrupted", out[0], nogil.array_memory()[0] == live)
        """,
        mode,
    )
    assert lines == ["interrupted", "1.0", "True"], err


@pytest.mark.parametrize("mode", MODES)
def test_a_handler_installed_later_runs_and_the_loop_goes_on(mode, tmp_path):
    # signal.signal replaces nogil's C handler with Python's; the poll puts it back in front.
    lines, _, err = run_child(
        tmp_path,
        """
        calls = []
        signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
        n = 2 * 10**9  # a few seconds
        print("ready", flush=True)
        result = spin(n)
        interrupted = len(calls)
        print(interrupted, result == spin(n), len(calls))
        """,
        mode,
        interrupt_after=0.2,
        timeout=60.0,
    )
    # Interrupted once, went on to the same result as a call nobody interrupted.
    assert lines == ["1", "True", "1"], err


@pytest.mark.parametrize("mode", MODES)
def test_a_handler_that_raises_surfaces_its_exception(mode, tmp_path):
    lines, _, err = run_child(
        tmp_path,
        """
        class Stop(Exception):
            pass

        def stop(signum, frame):
            raise Stop("from the handler")

        signal.signal(signal.SIGINT, stop)
        print("ready", flush=True)
        try:
            spin(10**13)
        except Stop as error:
            print("stopped:", error)
        """,
        mode,
    )
    assert lines == ["stopped:", "from", "the", "handler"], err


@pytest.mark.parametrize("mode", MODES)
def test_ctrl_c_cancels_a_prange_loop(mode, tmp_path):
    lines, seconds, err = run_child(
        tmp_path,
        """
        print("ready", flush=True)
        try:
            spin_parallel(10**9, 10**6)  # days on two cores
            print("finished")
        except KeyboardInterrupt:
            print("interrupted")
        print(spin_parallel(1000, 1000) == spin_parallel.py_func(1000, 1000))  # pool still works
        """,
        mode,
    )
    assert lines == ["interrupted", "True"], err
    assert seconds < 5.0


@pytest.mark.parametrize("mode", MODES)
def test_a_prange_loop_whose_handler_returns_completes(mode, tmp_path):
    lines, _, err = run_child(
        tmp_path,
        """
        calls = []
        signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
        print("ready", flush=True)
        result = spin_parallel(4000, 10**6)  # a few seconds
        interrupted = len(calls)
        print(interrupted, result == spin_parallel(4000, 10**6), len(calls))
        """,
        mode,
        interrupt_after=0.3,
        timeout=120.0,
    )
    # The iterations the signal stopped ran after the handler: the same result.
    assert lines == ["1", "True", "1"], err
