"""Sizes: huge, negative and overflowing shapes, byte counts, arange lengths, broadcasting.
NumPy raises `ValueError: array is too big` (or MemoryError for sizes that fit but cannot be
allocated) where a shape product or byte count overflows; a wrapped count must never
allocate a small block that bounds checks then trust."""

from .corpus import Case, Raises

CASES = [
    Case(
        "empty_2_62_then_store",
        """
        @njit
        def f(n):
            x = np.empty(n)
            x[10**6] = 1.0
            return x[10**6]
        """,
        call="f(2**62)",
    ),
    Case(
        "zeros_cube_3e6",
        "@njit\ndef f(n):\n    return np.zeros((n, n, n)).size\n",
        call="f(3_000_000)",
    ),
    Case("ones_2_60_first", "@njit\ndef f(n):\n    return np.ones(n)[0]\n", call="f(2**60)"),
    Case("arange_2_62", "@njit\ndef f(n):\n    return np.arange(n)[5]\n", call="f(2**62)"),
    Case("full_2_61", "@njit\ndef f(n):\n    return np.full(n, 1.0)[n - 1]\n", call="f(2**61)"),
    Case("empty_negative", "@njit\ndef f(n):\n    return np.empty(n).size\n", call="f(-1)"),
    Case(
        "zeros_negative_in_tuple",
        "@njit\ndef f(n):\n    return np.zeros((3, n)).size\n",
        call="f(-2)",
    ),
    Case("ones_int64_min", "@njit\ndef f(n):\n    return np.ones(n).size\n", call="f(-2**63)"),
    Case(
        "shape_product_wraps_to_zero",
        "@njit\ndef f(n):\n    a = np.zeros((n, n))\n    return a.size\n",
        call="f(2**32)",
    ),
    Case(
        "three_dims_product_wraps_to_zero",
        "@njit\ndef f(n):\n    a = np.zeros((n, n, 4))\n    return a.size\n",
        call="f(2**31)",
    ),
    Case(
        "byte_count_wraps_to_zero_int8",
        """
            @njit
            def f(n):
                a = np.empty((n, 4), dtype=np.int8)
                a[n - 1, 3] = 1
                return a[n - 1, 3]
        """,
        call="f(2**62)",
    ),
    Case(
        "byte_count_wraps_float64",
        """
            @njit
            def f(n):
                a = np.zeros(n)
                a[12345] = 1.0
                return a.size
        """,
        call="f(2**61)",
    ),
    Case(
        "zero_dim_does_not_hide_overflow",
        "@njit\ndef f(n):\n    return np.zeros((0, n, n)).size\n",
        call="f(2**62)",
    ),
    Case(
        "int8_max_size_cannot_allocate",
        "@njit\ndef f(n):\n    return np.empty(n, dtype=np.int8).size\n",
        call="f(2**63 - 1)",
    ),
    Case(
        "terabytes_cannot_allocate",
        "@njit\ndef f(n):\n    a = np.ones(n)\n    return a[n - 1]\n",
        call="f(2**40)",
    ),
    Case(
        "empty_like_of_view_fine",
        "@njit\ndef f(a):\n    return np.empty_like(a[::3]).shape\n",
        call="f(np.zeros(10))",
    ),
    Case(
        "zeros_zero_size_fine",
        "@njit\ndef f(n):\n    return np.zeros((n, 0)).shape\n",
        call="f(10**6)",
    ),
    Case(
        "arange_tiny_step",
        "@njit\ndef f(s):\n    return np.arange(0.0, 1.0, s).size\n",
        call="f(1e-300)",
    ),
    Case(
        "arange_nan_stop",
        "@njit\ndef f(x):\n    return np.arange(0.0, x).size\n",
        call="f(math.nan)",
    ),
    Case(
        "arange_nan_step",
        "@njit\ndef f(x):\n    return np.arange(0.0, 10.0, x).size\n",
        call="f(math.nan)",
    ),
    Case(
        "arange_inf_stop",
        "@njit\ndef f(x):\n    return np.arange(0.0, x).size\n",
        call="f(math.inf)",
    ),
    Case(
        "arange_minus_inf_start",
        "@njit\ndef f(x):\n    return np.arange(x, 0.0).size\n",
        call="f(-math.inf)",
    ),
    Case(
        "arange_huge_float_span",
        "@njit\ndef f(x):\n    return np.arange(0.0, x, 1e-300).size\n",
        call="f(1e300)",
    ),
    Case(
        "arange_float_beyond_precision",
        "@njit\ndef f(x):\n    return np.arange(x, x + 10.0)\n",
        call="f(1e18)",
    ),
    Case(
        "arange_step_zero", "@njit\ndef f(k):\n    return np.arange(0, 10, k).size\n", call="f(0)"
    ),
    Case(
        "arange_full_int64_span",
        "@njit\ndef f(a, b):\n    return np.arange(a, b).size\n",
        call="f(-2**63, 2**63 - 1)",
    ),
    Case(
        "arange_huge_step_two_elements",
        "@njit\ndef f(s):\n    return np.arange(0, 2**63 - 1, s)\n",
        call="f(2**62)",
    ),
    Case(
        "arange_negative_huge_step",
        "@njit\ndef f(s):\n    return np.arange(2**63 - 1, -2**63, s)\n",
        call="f(-2**62)",
    ),
    Case(
        "broadcast_mismatch",
        "@njit\ndef f(a, b):\n    return a + b\n",
        call="f(np.zeros(3), np.zeros(4))",
    ),
    Case(
        "broadcast_2d_mismatch_store",
        "@njit\ndef f(a, b):\n    c = a * b\n    return c.shape\n",
        call="f(np.zeros((2, 3)), np.zeros((3, 2)))",
    ),
    Case(
        "broadcast_zero_length",
        "@njit\ndef f(a, b):\n    return (a + b).shape\n",
        call="f(np.zeros((0, 1)), np.zeros((1, 5)))",
    ),
    Case(
        "full_negative_size",
        "@njit\ndef f(n):\n    return np.full((2, n), 7).size\n",
        call="f(-5)",
        expect=Raises(ValueError, "negative"),
    ),
]
