"""Threads: many threads calling the same and different functions, compiling at once,
exceptions and recursion in threads (small stacks through threading.stack_size), results
shared between threads, parallel loops entered from many threads, a compiled loop still
running when the interpreter exits. Each `f()` gathers what its threads saw; CPython runs
the same threads as the oracle."""

from textwrap import dedent

from .corpus import Case, Returns

THREADED = """
import threading

def in_threads(count, work):
    results = [None] * count
    errors = [None] * count
    start = threading.Barrier(count)

    def run(k):
        start.wait()
        try:
            results[k] = work(k)
        except BaseException as error:
            errors[k] = type(error).__name__

    threads = [threading.Thread(target=run, args=(k,)) for k in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
"""

DEPTH = """
@njit
def d(n):
    if n == 0:
        return 0
    return d(n - 1) + 1
"""


def threaded(*parts: str) -> str:
    return "\n".join(dedent(part) for part in (THREADED, *parts))


CASES = [
    Case(
        "many_threads_same_function",
        threaded(
            """
            @njit
            def work(n):
                s = 0
                for i in range(n):
                    s += i % 7
                return s

            def f():
                return in_threads(16, lambda k: [work(k * 100 + j) for j in range(50)])
            """
        ),
    ),
    Case(
        "first_call_compiles_once_from_many_threads",
        threaded(
            """
            @njit
            def work(x):
                return x * 3 + 1

            def f():
                results = in_threads(12, lambda k: work(k))
                return results, work.stats["compiles"]
            """
        ),
        expect=Returns("([3 * k + 1 for k in range(12)], [None] * 12), 1"),
    ),
    Case(
        "different_functions_compile_at_once",
        threaded(
            """
            @njit
            def a(x):
                return x + 1

            @njit
            def b(x):
                return x * 2.5

            @njit
            def c(x):
                return np.arange(x).sum()

            @njit
            def e(x):
                return math.sqrt(x)

            def f():
                functions = [a, b, c, e]
                return in_threads(8, lambda k: functions[k % 4](k + 1))
            """
        ),
    ),
    Case(
        "same_function_different_types_at_once",
        threaded(
            """
            @njit
            def work(x):
                return x + x

            def f():
                args = [1, 2.5, True, np.int32(3), np.float32(1.5), np.uint8(7), 3j, np.int8(-4)]
                return in_threads(8, lambda k: work(args[k]))
            """
        ),
    ),
    Case(
        "exceptions_in_threads",
        threaded(
            """
            @njit
            def work(x):
                if x % 2:
                    raise ValueError("odd")
                return 10 // (x - 4)

            def f():
                return in_threads(10, lambda k: work(k))
            """
        ),
    ),
    Case(
        "unbounded_recursion_in_small_stack_thread",
        threaded(
            """
            @njit
            def r(n):
                if n < 0:
                    return 0
                return r(n + 1) + 1

            def f():
                threading.stack_size(256 * 1024)
                try:
                    return in_threads(4, lambda k: r(0))[1]
                finally:
                    threading.stack_size(0)
            """
        ),
        expect=Returns("['RecursionError'] * 4"),
    ),
    Case(
        "legal_recursion_in_small_stack_thread",
        threaded(
            DEPTH,
            """
            def f():
                threading.stack_size(256 * 1024)
                try:
                    return in_threads(4, lambda k: d(300 + k))
                finally:
                    threading.stack_size(0)
            """,
        ),
        expect=Returns("([300, 301, 302, 303], [None] * 4)"),
    ),
    Case(
        "deep_recursion_in_default_thread",
        threaded(DEPTH, "\ndef f():\n    return in_threads(2, lambda k: d(10**7))[1]\n"),
        expect=Returns("['RecursionError'] * 2"),
    ),
    Case(
        "arrays_returned_shared_across_threads",
        threaded(
            """
            @njit
            def make(n):
                return np.arange(n) * 2.0

            @njit
            def total(a):
                return a.sum()

            def f():
                shared = make(1000)
                made, _ = in_threads(8, lambda k: make(100 + k))
                sums, errors = in_threads(8, lambda k: total(shared) + total(made[k]))
                return sums, errors
            """
        ),
    ),
    Case(
        "prange_from_many_threads",
        threaded(
            """
            @njit(parallel=True)
            def work(n):
                s = 0
                for i in prange(n):
                    s += i
                return s

            def f():
                return in_threads(6, lambda k: work(10**5 + k))
            """
        ),
    ),
    Case(
        "set_num_threads_per_thread",
        threaded(
            """
            def f():
                def work(k):
                    nogil.set_num_threads(1 + k % 2)
                    return nogil.get_num_threads()
                return in_threads(6, work)
            """
        ),
        expect=Returns("([1, 2, 1, 2, 1, 2], [None] * 6)"),
    ),
    Case(
        "interpreter_exits_during_compiled_loop",
        """
        import textwrap

        CHILD = '''
        import threading
        import nogil

        @nogil.njit(nogil=True)
        def spin(n):
            s = 0
            for i in range(n):
                s += i ^ (s >> 3)
            return s

        spin(10)
        threading.Thread(target=spin, args=(10**12,), daemon=True).start()
        print("leaving")
        '''

        def f():
            script = workdir / "exits.py"
            script.write_text(textwrap.dedent(CHILD))
            done = run_python(script, timeout=30)
            return done.returncode, done.stdout.strip()
        """,
        expect=Returns("(0, 'leaving')"),
    ),
    Case(
        "compile_while_another_thread_runs_long_call",
        threaded(
            """
            @njit
            def spin(n):
                s = 0
                for i in range(n):
                    s += i % 3
                return s

            def f():
                spin(10)
                def work(k):
                    if k == 0:
                        return spin(10**7)
                    fresh = njit(lambda_free)
                    return fresh(k)
                return in_threads(4, work)

            def lambda_free(x):
                return x * 11
            """
        ),
        timeout=90,
    ),
    # A forked child (multiprocessing's default start method on Linux before 3.14) uses
    # compiled code, including the parallel loops' pool, that the parent had started.
    Case(
        "fork_after_parallel_loop",
        threaded(
            """
            import os

            @njit(parallel=True)
            def total(n):
                s = 0
                for i in prange(n):
                    s += i
                return s

            def f():
                before = total(10**5)
                pid = os.fork()
                if pid == 0:
                    try:
                        ok = total(10**5) == before
                    finally:
                        os._exit(0 if ok else 1)
                for _ in range(300):
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        return os.waitstatus_to_exitcode(status), before
                    time.sleep(0.1)
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                return "the forked child hung", before

            import time
            """
        ),
        expect=Returns(f"(0, {sum(range(10**5))})"),
    ),
    Case(
        "fork_then_compile",
        threaded(
            """
            import os
            import time

            @njit
            def first(x):
                return x + 1

            def second(x):
                return x * 2

            def f():
                first(1)
                pid = os.fork()
                if pid == 0:
                    try:
                        ok = njit(second)(21) == 42 and first(2) == 3
                    finally:
                        os._exit(0 if ok else 1)
                for _ in range(300):
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        return os.waitstatus_to_exitcode(status)
                    time.sleep(0.1)
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                return "the forked child hung"
            """
        ),
        expect=Returns("0"),
    ),
    Case(
        "prange_extreme_bounds",
        """
        @njit(parallel=True)
        def f(a, b, s):
            c = 0
            for i in prange(a, b, s):
                c += 1
            return c
        """,
        call="(f(-2**63, 2**63 - 1, 2**62), f(2**63 - 1, -2**63, -2**62), "
        "f(0, 2**63 - 1, 2**63 - 1))",
    ),
    Case(
        "prange_huge_count_raises_early",
        """
        @njit(parallel=True)
        def f(n):
            c = 0
            for i in prange(n):
                if i >= 0:
                    raise ValueError("first")
                c += 1
            return c

        def raised(n):
            try:
                return f(n)
            except ValueError:
                return "ValueError"
        """,
        call="(raised(2**62), raised(2**63 - 1))",
        timeout=60,
    ),
]
