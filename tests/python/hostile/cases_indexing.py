"""Indexing: out of bounds, negative and huge indices, NumPy scalar and bool indices, slices
with extreme steps and bounds, empty slices, 0-d arrays, too many indices. NumPy 2 is the
oracle; indexing nogil rejects when compiling (a float index, too many indices) may be a
clear TypingError."""

from .corpus import Case, Raises, Same

TYPING = "TypingError"
GET = "@njit\ndef f(a, i):\n    return a[i]\n"
SLICE_STEP = "@njit\ndef f(a, s):\n    return a[::s]\n"

CASES = [
    Case("past_end", GET, call="f(np.arange(3.0), 3)"),
    Case("before_start", GET, call="f(np.arange(3.0), -4)"),
    Case("last_by_negative", GET, call="f(np.arange(3.0), -1)"),
    Case("huge_index", GET, call="f(np.arange(3.0), 2**62)"),
    Case("int64_min_index", GET, call="f(np.arange(3.0), -2**63)"),
    Case("int64_max_index", GET, call="f(np.arange(3.0), 2**63 - 1)"),
    Case(
        "index_beyond_int64",
        GET,
        call="f(np.arange(3.0), 2**64)",
        expect=Raises((IndexError, OverflowError)),
    ),
    Case("empty_array_index", GET, call="f(np.empty(0), 0)"),
    Case(
        "store_past_end", "@njit\ndef f(a):\n    a[5] = 1.0\n    return a\n", call="f(np.zeros(3))"
    ),
    Case(
        "store_negative_wraps",
        "@njit\ndef f(a):\n    a[-1] = 7.0\n    return a\n",
        call="f(np.zeros(3))",
    ),
    Case(
        "store_before_start",
        "@njit\ndef f(a):\n    a[-4] = 7.0\n    return a\n",
        call="f(np.zeros(3))",
    ),
    Case("two_d_second_axis", "@njit\ndef f(a):\n    return a[1, 5]\n", call="f(np.zeros((2, 3)))"),
    Case(
        "two_d_negative_both",
        "@njit\ndef f(a):\n    return a[-3, -1]\n",
        call="f(np.zeros((2, 3)))",
    ),
    Case("chained_index_out", "@njit\ndef f(a):\n    return a[1][3]\n", call="f(np.zeros((2, 3)))"),
    Case(
        "bool_true_index",
        "@njit\ndef f(a):\n    return a[True]\n",
        call="f(np.arange(3.0))",
        expect=Same(TYPING),
    ),
    Case(
        "bool_false_index",
        "@njit\ndef f(a):\n    return a[False]\n",
        call="f(np.arange(3.0))",
        expect=Same(TYPING),
    ),
    Case("bool_variable_index", GET, call="f(np.arange(3.0), True)", expect=Same(TYPING)),
    Case("uint64_max_index", GET, call="f(np.arange(3.0), np.uint64(2**64 - 1))"),
    Case("uint64_small_index", GET, call="f(np.arange(3.0), np.uint64(1))"),
    Case("int8_negative_index", GET, call="f(np.arange(3.0), np.int8(-1))"),
    Case("uint8_index_past_127", GET, call="f(np.arange(300.0), np.uint8(200))"),
    Case("int64_scalar_max_index", GET, call="f(np.arange(3.0), np.int64(2**63 - 1))"),
    Case(
        "float_index",
        "@njit\ndef f(a):\n    return a[1.0]\n",
        call="f(np.arange(3.0))",
        expect=Same(TYPING),
    ),
    Case(
        "too_many_indices",
        "@njit\ndef f(a):\n    return a[1, 2]\n",
        call="f(np.arange(3.0))",
        expect=Same(TYPING),
    ),
    Case("step_int64_max", SLICE_STEP, call="f(np.arange(5.0), 2**63 - 1)"),
    Case("step_int64_min", SLICE_STEP, call="f(np.arange(5.0), -2**63)"),
    Case("step_minus_int64_max", SLICE_STEP, call="f(np.arange(5.0), -(2**63 - 1))"),
    Case("step_zero", SLICE_STEP, call="f(np.arange(5.0), 0)"),
    Case(
        "literal_step_int64_max",
        "@njit\ndef f(a):\n    return a[::2**63 - 1]\n",
        call="f(np.arange(5.0))",
    ),
    Case(
        "start_int64_max",
        "@njit\ndef f(a, s):\n    return a[s:]\n",
        call="f(np.arange(5.0), 2**63 - 1)",
    ),
    Case(
        "start_int64_min",
        "@njit\ndef f(a, s):\n    return a[s:]\n",
        call="f(np.arange(5.0), -2**63)",
    ),
    Case(
        "stop_int64_min",
        "@njit\ndef f(a, s):\n    return a[:s]\n",
        call="f(np.arange(5.0), -2**63)",
    ),
    Case(
        "bounds_and_step_near_limits",
        "@njit\ndef f(a, b, c, s):\n    return a[b:c:s]\n",
        call="f(np.arange(7.0), 2**63 - 1, -2**63, -(2**62))",
    ),
    Case(
        "negative_step_from_int64_min",
        "@njit\ndef f(a, b, s):\n    return a[b::s]\n",
        call="f(np.arange(7.0), -2**63, -3)",
    ),
    Case(
        "empty_slice_reversed_bounds",
        "@njit\ndef f(a):\n    return a[3:1]\n",
        call="f(np.arange(5.0))",
    ),
    Case(
        "empty_slice_past_end", "@njit\ndef f(a):\n    return a[10:20]\n", call="f(np.arange(5.0))"
    ),
    Case(
        "empty_slice_sum", "@njit\ndef f(a):\n    return a[4:2].sum()\n", call="f(np.arange(5.0))"
    ),
    Case(
        "slice_of_reversed_slices",
        "@njit\ndef f(a):\n    return a[::-1][1::2][::-1]\n",
        call="f(np.arange(9.0))",
    ),
    Case(
        "column_of_2d",
        "@njit\ndef f(a, j):\n    return a[:, j]\n",
        call="f(np.arange(6.0).reshape(2, 3), -4)",
    ),
    Case(
        "zero_d_read_empty_tuple",
        "@njit\ndef f(a):\n    return a[()]\n",
        call="f(np.array(5.0))",
        expect=Same(TYPING),
    ),
    Case(
        "zero_d_index_zero",
        "@njit\ndef f(a):\n    return a[0]\n",
        call="f(np.array(5.0))",
        expect=Same(TYPING),
    ),
    Case(
        "zero_d_len",
        "@njit\ndef f(a):\n    return len(a)\n",
        call="f(np.array(5.0))",
        expect=Same(TYPING),
    ),
    Case(
        "zero_d_sum",
        "@njit\ndef f(a):\n    return a.sum() + a.size + a.ndim\n",
        call="f(np.array(5.0))",
    ),
    Case(
        "zero_d_iterate",
        "@njit\ndef f(a):\n    s = 0.0\n    for x in a:\n        s += x\n    return s\n",
        call="f(np.array(5.0))",
        expect=Same(TYPING),
    ),
    Case(
        "boundscheck_off_legal_indices",
        "@njit(boundscheck=False)\ndef f(a):\n    return a[-1] + a[0]\n",
        call="f(np.arange(4.0))",
    ),
    Case(
        "index_in_loop_past_end",
        """
            @njit
            def f(a):
                s = 0.0
                for i in range(len(a) + 1):
                    s += a[i]
                return s
        """,
        call="f(np.arange(4.0))",
    ),
    Case("tuple_index_past_end", "@njit\ndef f(t, i):\n    return t[i]\n", call="f((1, 2, 3), 3)"),
    Case(
        "tuple_index_before_start",
        "@njit\ndef f(t, i):\n    return t[i]\n",
        call="f((1, 2, 3), -4)",
    ),
    Case("tuple_index_huge", "@njit\ndef f(t, i):\n    return t[i]\n", call="f((1, 2, 3), -2**63)"),
]
