"""Signals: SIGINT during a long compiled loop on the main thread raises KeyboardInterrupt
(as CPython does between bytecodes); in a worker thread's loop it reaches the main thread
and the worker finishes; a handler that returns lets the loop go on; a handler installed with
signal.signal that raises is what the call raises; SIG_IGN ignores. The loops are bounded
(seconds), so a signal that is lost shows as a wrong result, not only as a hang."""

from .corpus import Case, Raises, Returns

SPIN = """
import os
import signal
import threading
import time

@njit
def spin(n):
    s = 0
    i = 0
    while i < n:
        s += i ^ (s >> 3)
        i += 1
    return s

spin(10)

def interrupt_after(seconds, signum=signal.SIGINT):
    threading.Timer(seconds, os.kill, (os.getpid(), signum)).start()
"""


def spin(body: str) -> str:
    from textwrap import dedent

    return SPIN + dedent(body)


CASES = [
    Case(
        "sigint_main_thread_loop",
        spin("def f():\n    interrupt_after(0.3)\n    return spin(10**13)\n"),
        expect=Raises(KeyboardInterrupt),
    ),
    Case(
        "sigint_twice_in_a_row",
        spin(
            """
            def f():
                caught = 0
                for _ in range(2):
                    interrupt_after(0.3)
                    try:
                        spin(10**13)
                    except KeyboardInterrupt:
                        caught += 1
                return caught, spin(50) == spin.py_func(50)
            """
        ),
        expect=Returns("(2, True)"),
    ),
    Case(
        "sigint_during_worker_thread_loop",
        spin(
            """
            def f():
                results = []
                worker = threading.Thread(target=lambda: results.append(spin(3 * 10**8)))
                worker.start()
                interrupt_after(0.2)
                interrupted = False
                try:
                    while worker.is_alive():
                        time.sleep(0.01)
                except KeyboardInterrupt:
                    interrupted = True
                worker.join()
                return interrupted, results == [spin(3 * 10**8)]
            """
        ),
        expect=Returns("(True, True)"),
    ),
    Case(
        "handler_that_returns",
        spin(
            """
            def f():
                seen = []
                signal.signal(signal.SIGINT, lambda signum, frame: seen.append(signum))
                interrupt_after(0.2)
                result = spin(3 * 10**8)
                return len(seen), result == spin(3 * 10**8)
            """
        ),
        expect=Returns("(1, True)"),
    ),
    Case(
        "replaced_handler_raises",
        spin(
            """
            def refuse(signum, frame):
                raise ValueError("stopped by the handler")

            def f():
                signal.signal(signal.SIGINT, refuse)
                interrupt_after(0.3)
                return spin(10**13)
            """
        ),
        expect=Raises(ValueError, "stopped by the handler"),
    ),
    Case(
        "sigint_ignored",
        spin(
            """
            def f():
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                interrupt_after(0.2)
                return spin(3 * 10**8) == spin(3 * 10**8)
            """
        ),
        expect=Returns("True"),
    ),
    Case(
        "sigint_in_prange_loop",
        spin(
            """
            @njit(parallel=True)
            def spin_parallel(n):
                total = 0
                for i in prange(n):
                    k = 0
                    while k < 10**6:
                        total += (k ^ i) & 7
                        k += 1
                return total

            def f():
                spin_parallel(2)
                interrupt_after(0.3)
                return spin_parallel(10**9)
            """
        ),
        expect=Raises(KeyboardInterrupt),
    ),
    Case(
        "sigint_not_caught_by_bare_except",
        spin(
            """
            @njit
            def guarded(n):
                try:
                    return spin(n)
                except:  # noqa: E722
                    return -1

            def f():
                guarded(10)
                interrupt_after(0.3)
                return guarded(10**13)
            """
        ),
        expect=Raises(KeyboardInterrupt),
    ),
    Case(
        "sigint_during_compile_then_usable",
        spin(
            """
            def f():
                import sys
                sys.setrecursionlimit(100000)
                source = "def big(x):\\n    return x" + " + 1" * 1000 + "\\n"
                path = workdir / "big.py"
                path.write_text(source)
                import importlib.util
                spec = importlib.util.spec_from_file_location("big", path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                big = njit(module.big)
                interrupt_after(0.05)
                try:
                    first = big(0)
                    time.sleep(0.3)  # the signal may come after a quick compile
                except KeyboardInterrupt:
                    first = "interrupted"
                return first in (1000, "interrupted"), big(1)
            """
        ),
        # 1000 terms: CPython 3.12+ refuses to compile much longer sums itself.
        expect=Returns("(True, 1001)"),
    ),
    Case(
        "sigalrm_handler_raises_after_loop",
        spin(
            """
            def alarm(signum, frame):
                raise TimeoutError("alarm")

            def f():
                signal.signal(signal.SIGALRM, alarm)
                signal.setitimer(signal.ITIMER_REAL, 0.2)
                return spin(3 * 10**8)
            """
        ),
        expect=Raises(TimeoutError),
    ),
    # The handler runs inside the interrupted compiled call (at its poll): it calls compiled
    # code itself, which allocates, raises and catches, and the interrupted loop goes on.
    Case(
        "handler_calls_compiled_code",
        spin(
            """
            @njit
            def inner(n):
                caught = 0
                for i in range(n):
                    a = np.ones(100)
                    try:
                        if i % 2:
                            raise ValueError("odd")
                    except ValueError:
                        caught += 1
                return caught + a.sum()

            def f():
                seen = []
                signal.signal(signal.SIGINT, lambda signum, frame: seen.append(inner(10)))
                interrupt_after(0.2)
                result = spin(3 * 10**8)
                return seen, result == spin(3 * 10**8)
            """
        ),
        expect=Returns("([105.0], True)"),
    ),
]
