"""Memory: calls repeated many times (allocating arrays, returning them, raising in the
middle of allocation loops, failing to allocate, failing to type, being refused an argument,
compiling dispatchers that are then dropped) must not grow the array memory nogil reports,
nor the resident set, past a bound."""

from .corpus import Case, NoLeak

CASES = [
    Case(
        "allocation_loop",
        """
            @njit
            def f(n):
                s = 0.0
                for i in range(n):
                    a = np.ones(10000)
                    s += a[i]
                return s
        """,
        call="f(100)",
        expect=NoLeak(repeat=200),
    ),
    Case(
        "returned_arrays_dropped",
        "@njit\ndef f(n):\n    return np.arange(n) * 2.0\n",
        call="f(100000)",
        expect=NoLeak(repeat=300),
    ),
    Case(
        "raise_in_allocation_loop",
        """
            @njit
            def f(n):
                s = 0.0
                for i in range(n):
                    a = np.zeros(10000)
                    if i == 5:
                        raise ValueError('mid-loop')
                    s += a[0]
                return s
        """,
        call="f(100)",
        expect=NoLeak(repeat=300),
    ),
    Case(
        "index_error_after_allocation",
        "@njit\ndef f(n):\n    a = np.ones(n)\n    b = a * 2.0\n    return b[n]\n",
        call="f(50000)",
        expect=NoLeak(repeat=300),
    ),
    Case(
        "caught_exception_in_compiled_loop",
        """
            @njit
            def f(n):
                c = 0
                for i in range(n):
                    try:
                        a = np.ones(1000)
                        raise KeyError('k')
                    except KeyError:
                        c += 1
                return c
        """,
        call="f(200)",
        expect=NoLeak(repeat=100),
    ),
    Case(
        "exception_from_callee_holding_arrays",
        """
            @njit
            def g(n):
                a = np.ones(n)
                return 1 // (n - n) + a[0]

            @njit
            def f(n):
                b = np.zeros(n)
                return g(n) + b[0]
        """,
        call="f(20000)",
        expect=NoLeak(repeat=300),
    ),
    Case(
        "recursion_error_with_arrays",
        """
            @njit
            def r(n):
                if n < 0:
                    return 0.0
                a = np.ones(16)
                return r(n + 1) + a[0]
        """,
        call="r(0)",
        expect=NoLeak(repeat=20),
    ),
    Case(
        "too_big_allocation_refused",
        "@njit\ndef f(n):\n    return np.empty(n, dtype=np.int8).size\n",
        call="f(2**50)",
        expect=NoLeak(repeat=300),
    ),
    Case(
        "typing_error_repeated",
        "@njit\ndef f(x):\n    return [x]\n",
        call="f(1)",
        expect=NoLeak(repeat=200, max_bytes=8 << 20),
    ),
    Case(
        "refused_argument_repeated",
        "@njit\ndef f(x):\n    return x\n",
        call="f([1, 2, 3])",
        expect=NoLeak(repeat=2000, max_bytes=4 << 20),
    ),
    Case(
        "wrong_keyword_repeated",
        "@njit\ndef f(x):\n    return x\n",
        call="f(y=np.ones(1000))",
        expect=NoLeak(repeat=2000, max_bytes=4 << 20),
    ),
    Case(
        "argument_views_returned",
        "@njit\ndef f(a):\n    return a[1:]\n\nBIG = np.ones(100000)\n",
        call="f(BIG).sum()",
        expect=NoLeak(repeat=2000, max_bytes=4 << 20),
    ),
    Case(
        "bytearray_views_returned",
        "@njit\ndef f(a):\n    return a[1:]\n",
        call="f(bytearray(100000))[0]",
        expect=NoLeak(repeat=500),
    ),
    Case(
        "tuple_of_arrays_returned",
        "@njit\ndef f(n):\n    return np.ones(n), np.zeros(n), n\n",
        call="f(50000)",
        expect=NoLeak(repeat=300),
    ),
    Case(
        "prange_allocating_body",
        """
            @njit(parallel=True)
            def f(n):
                s = 0.0
                for i in prange(n):
                    a = np.ones(1000)
                    s += a[i % 1000]
                return s
        """,
        call="f(2000)",
        expect=NoLeak(repeat=100),
    ),
    Case(
        "prange_raising_after_allocation",
        """
            @njit(parallel=True)
            def f(n):
                s = 0.0
                for i in prange(n):
                    a = np.ones(1000)
                    if i == n - 1:
                        raise ValueError('last')
                    s += a[0]
                return s
        """,
        call="f(2000)",
        expect=NoLeak(repeat=100),
    ),
    Case(
        "threads_allocating",
        """
        import threading

        @njit
        def work(n):
            return (np.arange(n) * 0.5).sum()

        def f():
            threads = [threading.Thread(target=work, args=(100000,)) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        """,
        expect=NoLeak(repeat=50),
    ),
    # A dispatcher made again and again (njit inside a function, a closure over a fresh
    # value) compiles each time; once it is gone its code and compiler state must go too, or a
    # long-running program grows without bound.
    Case(
        "closure_dispatchers_recreated",
        """
        def outer(k):
            @njit
            def inner(x):
                return x * k
            return inner
        """,
        call="outer(3)(5)",
        expect=NoLeak(repeat=150, max_bytes=16 << 20),
    ),
    Case(
        "same_function_decorated_repeatedly",
        """
        def plain(x):
            return x + 1.5
        """,
        call="njit(plain)(2.0)",
        expect=NoLeak(repeat=150, max_bytes=16 << 20),
    ),
]
