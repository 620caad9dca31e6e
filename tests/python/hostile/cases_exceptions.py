"""Exceptions and recursion. Deep but legal recursion runs as deep as the stack allows
(CPython's oracle would stop at its recursion limit, so these cases name their value, or
RecursionError where the stack may genuinely not suffice); unbounded recursion raises
RecursionError instead of overflowing the stack."""

from .corpus import Case, Raises, Returns

DEPTH = """
@njit
def d(n):
    if n == 0:
        return 0
    return d(n - 1) + 1
"""

CASES = [
    Case("recursion_depth_1e4", DEPTH, call="d(10**4)", expect=Returns("10**4")),
    Case(
        "recursion_depth_1e5",
        DEPTH,
        call="d(10**5)",
        expect=Returns("10**5", or_raises=RecursionError),
    ),
    Case(
        "recursion_depth_1e7",
        DEPTH,
        call="d(10**7)",
        expect=Returns("10**7", or_raises=RecursionError),
    ),
    Case(
        "recursion_unbounded",
        "@njit\ndef r(n):\n    if n < 0:\n        return 0\n    return r(n + 1) + 1\n",
        call="r(0)",
        expect=Raises(RecursionError),
    ),
    Case(
        "recursion_unbounded_mutual",
        """
        @njit
        def ping(n):
            if n < 0:
                return 0
            return pong(n + 1) + 1

        @njit
        def pong(n):
            return ping(n + 1) + 1
        """,
        call="ping(0)",
        expect=Raises(RecursionError),
    ),
    Case(
        "recursion_unbounded_with_arrays",
        """
            @njit
            def r(n):
                if n < 0:
                    return 0.0
                a = np.ones(4)
                return r(n + 1) + a[0]
        """,
        call="r(0)",
        expect=Raises(RecursionError),
    ),
    Case(
        "recursion_error_caught_in_compiled_code",
        """
        @njit
        def r(n):
            if n < 0:
                return 0
            return r(n + 1) + 1

        @njit
        def f():
            try:
                return r(0)
            except RecursionError:
                return -1
        """,
        expect=Returns("-1"),
    ),
    Case(
        "recursion_usable_after_overflow",
        """
        @njit
        def r(n):
            if n < 0:
                return 0
            return r(n + 1) + 1

        def f():
            try:
                r(0)
            except RecursionError:
                pass
            return r(-5), r(-1)
        """,
        expect=Returns("(0, 0)"),
    ),
    Case(
        "raise_in_loop_many_times",
        """
        @njit
        def f(n):
            caught = 0
            for i in range(n):
                try:
                    if i % 3 == 0:
                        raise ValueError("third")
                    caught += 0
                except ValueError:
                    caught += 1
            return caught
        """,
        call="f(100000)",
    ),
    Case(
        "exception_from_callee",
        "@njit\ndef g(x):\n    return 10 // x\n\n@njit\ndef f(x):\n    return g(x) + 1\n",
        call="f(0)",
    ),
    Case(
        "exception_from_callee_caught",
        """
        @njit
        def g(x):
            if x > 2:
                raise KeyError("big")
            return x

        @njit
        def f(n):
            total = 0
            for i in range(n):
                try:
                    total += g(i)
                except KeyError:
                    total += 100
            return total
        """,
        call="f(6)",
    ),
    Case(
        "finally_runs_on_exception",
        """
        @njit
        def g(a):
            try:
                a[0] = 1.0
                raise ValueError("x")
            finally:
                a[1] = 2.0

        def f():
            a = np.zeros(2)
            try:
                g(a)
            except ValueError:
                pass
            return a
        """,
    ),
    Case(
        "return_in_finally_swallows",
        "@njit\ndef f(x):\n    try:\n        return 1 // x\n    finally:\n        return -1\n",
        call="f(0)",
    ),
    Case(
        "bare_reraise_after_cleanup",
        """
        @njit
        def f(x):
            count = 0
            try:
                try:
                    count = 1 // x
                except ZeroDivisionError:
                    count = 5
                    raise
            except ArithmeticError:
                count += 10
            return count
        """,
        call="f(0)",
    ),
    Case(
        "custom_exception_class",
        """
        class Boom(Exception):
            pass

        @njit
        def f(x):
            if x > 1:
                raise Boom(f"x is {x}")
            return x
        """,
        call="f(3)",
    ),
    Case(
        "deep_callee_chain_with_finally",
        """
        @njit
        def level(n, a):
            try:
                if n == 0:
                    raise IndexError("bottom")
                if n < 0:
                    return 0
                return level(n - 1, a)
            finally:
                a[0] += 1.0

        def f():
            a = np.zeros(1)
            try:
                level(50, a)
            except IndexError:
                pass
            return a[0]
        """,
    ),
    Case(
        "assert_fails",
        "@njit\ndef f(x):\n    assert x > 0, 'negative'\n    return x\n",
        call="f(-1)",
    ),
    Case(
        "assert_dropped_under_O",
        "@njit\ndef f(x):\n    assert x > 0, 'negative'\n    return x\n",
        call="f(-1)",
        flags=("-O",),
    ),
    Case(
        "assert_side_effect_dropped_under_O",
        """
            @njit
            def g(a):
                a[0] = 1.0
                return True

            @njit
            def f(a):
                assert g(a)
                return a[0]
        """,
        call="f(np.zeros(1))",
        flags=("-O",),
    ),
    Case(
        "unbound_local",
        "@njit\ndef f(x):\n    if x > 0:\n        y = 1\n    return y\n",
        call="f(-1)",
    ),
    Case(
        "exception_in_prange_raised_once",
        """
        @njit(parallel=True)
        def f(n):
            total = 0
            for i in prange(n):
                if i == n // 2:
                    raise ValueError("middle")
                total += i
            return total
        """,
        call="f(10000)",
    ),
    Case(
        "recursion_unbounded_in_prange",
        """
        @njit
        def r(n):
            if n < 0:
                return 0
            return r(n + 1) + 1

        @njit(parallel=True)
        def f(n):
            total = 0
            for i in prange(n):
                total += r(i)
            return total
        """,
        call="f(8)",
        expect=Raises(RecursionError),
    ),
    Case(
        "deep_recursion_in_prange_legal",
        DEPTH
        + "\n@njit(parallel=True)\ndef f(n):\n    t = 0\n"
        + "    for i in prange(n):\n        t += d(5000)\n    return t\n",
        call="f(8)",
        expect=Returns("40000"),
    ),
]
