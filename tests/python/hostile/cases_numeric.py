"""Numeric edges: int64 wraparound (documented: nogil's int is int64, so the expected value
is the wrapped one), division and modulo by zero, INT64_MIN // -1 and % -1 (a trap in C),
float -> int conversions of NaN, inf and huge values, NumPy scalar constructors out of
range, math domain errors in both error models, pow, shifts, round and abs of extremes."""

from .corpus import Case, Raises, Returns, Same

BIN = "@njit\ndef f(a, b):\n    return {}\n"
ONE = "@njit\ndef f(x):\n    return {}\n"
NUMPY_MODEL = "@njit(error_model='numpy')\ndef f(x):\n    return {}\n"
INT64_MIN = "-2**63"


def wrap(expression: str) -> str:
    """The int64 value of a Python int expression, as the expectation of a wrapping case."""
    return f"(({expression}) + 2**63) % 2**64 - 2**63"


CASES = [
    Case("add_wraps", BIN.format("a + b"), call="f(2**63 - 1, 1)", expect=Returns(INT64_MIN)),
    Case("sub_wraps", BIN.format("a - b"), call="f(-2**63, 1)", expect=Returns("2**63 - 1")),
    Case("mul_wraps", BIN.format("a * b"), call="f(2**62, 4)", expect=Returns("0")),
    Case("neg_min_wraps", ONE.format("-x"), call="f(-2**63)", expect=Returns(INT64_MIN)),
    Case("abs_min_wraps", ONE.format("abs(x)"), call="f(-2**63)", expect=Returns(INT64_MIN)),
    Case(
        "floordiv_min_by_minus_one",
        BIN.format("a // b"),
        call="f(-2**63, -1)",
        expect=Returns(INT64_MIN),
    ),
    Case("mod_min_by_minus_one", BIN.format("a % b"), call="f(-2**63, -1)", expect=Returns("0")),
    Case(
        "divmod_min_by_minus_one",
        BIN.format("divmod(a, b)"),
        call="f(-2**63, -1)",
        expect=Returns(f"({INT64_MIN}, 0)"),
    ),
    Case(
        "floordiv_min_by_minus_one_numpy_model",
        "@njit(error_model='numpy')\ndef f(a, b):\n    return a // b\n",
        call="f(-2**63, -1)",
        expect=Returns(INT64_MIN),
    ),
    Case(
        "int64_scalar_min_by_minus_one",
        BIN.format("np.int64(a) // np.int64(b)"),
        call="f(-2**63, -1)",
        expect=Returns(INT64_MIN),
    ),
    Case("int_floordiv_zero", BIN.format("a // b"), call="f(7, 0)"),
    Case("int_mod_zero", BIN.format("a % b"), call="f(7, 0)"),
    Case("divmod_zero", BIN.format("divmod(a, b)"), call="f(7, 0)"),
    Case("float_div_zero", BIN.format("a / b"), call="f(1.0, 0.0)"),
    Case("float_mod_zero", BIN.format("a % b"), call="f(1.0, 0.0)"),
    Case("float_floordiv_negative_zero", BIN.format("a // b"), call="f(1.0, -0.0)"),
    Case("int_truediv_zero", BIN.format("a / b"), call="f(1, 0)"),
    Case("complex_div_zero", BIN.format("a / b"), call="f(1 + 1j, 0j)"),
    Case("mod_signs", BIN.format("(a % b, a // b, -a % b, a % -b)"), call="f(7, 3)"),
    Case("float_mod_signs", BIN.format("(a % b, -a % b, a % -b, -0.0 % b)"), call="f(7.5, 2.0)"),
    Case(
        "numpy_model_division_by_zero",
        "@njit(error_model='numpy')\ndef f(a, b):\n    return (a / b, -a / b, 0.0 / b)\n",
        call="f(1.0, 0.0)",
        expect=Returns("(math.inf, -math.inf, math.nan)"),
    ),
    Case(
        "numpy_model_int_floordiv_zero",
        "@njit(error_model='numpy')\ndef f(a, b):\n    return (a // b, a % b)\n",
        call="f(7, 0)",
        expect=Returns("(0, 0)"),
    ),
    Case(
        "array_int_floordiv_zero",
        BIN.format("a // b"),
        call="f(np.array([1, 2]), np.array([0, 0]))",
    ),
    Case(
        "array_float_div_zero",
        BIN.format("a / b"),
        call="f(np.array([1.0, -1.0, 0.0]), np.zeros(3))",
    ),
    Case("int_of_nan", ONE.format("int(x)"), call="f(math.nan)"),
    Case("int_of_inf", ONE.format("int(x)"), call="f(-math.inf)"),
    Case("int_of_huge_float", ONE.format("int(x)"), call="f(1e300)", expect=Raises(OverflowError)),
    Case(
        "int_of_2_63_float",
        ONE.format("int(x)"),
        call="f(9.223372036854775807e18)",
        expect=Raises(OverflowError),
    ),
    Case("int_of_negative_zero", ONE.format("int(x)"), call="f(-0.0)"),
    Case(
        "store_nan_into_int_array",
        "@njit\ndef f(a, x):\n    a[0] = x\n    return a\n",
        call="f(np.zeros(3, dtype=np.int64), math.nan)",
    ),
    Case(
        "store_inf_into_int_array",
        "@njit\ndef f(a, x):\n    a[0] = x\n    return a\n",
        call="f(np.zeros(3, dtype=np.int64), math.inf)",
    ),
    Case(
        "store_huge_into_int_array",
        "@njit\ndef f(a, x):\n    a[0] = x\n    return a\n",
        call="f(np.zeros(3, dtype=np.int64), 1e300)",
    ),
    # Integer stores wrap to the element type as Numba's do (docs/design.md, documented
    # differences): nogil computes in int64 where NumPy computes in the element's type, so a
    # checked store would refuse `a[i] = a[i] * 2` where NumPy wraps in the multiplication.
    # NumPy's OverflowError for a value out of range is accepted too.
    Case(
        "store_300_into_int8_array",
        "@njit\ndef f(a, x):\n    a[0] = x\n    return a\n",
        call="f(np.zeros(3, dtype=np.int8), 300)",
        expect=Returns(
            "np.array([300, 0, 0]).astype(np.int8)",
            or_raises=OverflowError,
        ),
    ),
    Case(
        "store_minus_one_into_uint8_array",
        "@njit\ndef f(a, x):\n    a[0] = x\n    return a\n",
        call="f(np.zeros(3, dtype=np.uint8), -1)",
        expect=Returns(
            "np.array([-1, 0, 0]).astype(np.uint8)",
            or_raises=OverflowError,
        ),
    ),
    Case(
        "store_float_300_into_int8_array",
        "@njit\ndef f(a, x):\n    a[0] = x\n    return a\n",
        call="f(np.zeros(3, dtype=np.int8), 300.0)",
    ),
    # NumPy 2.4 fills with a RuntimeWarning (an unsafe cast); raising as its setitem does is
    # also accepted.
    Case(
        "full_nan_int64",
        ONE.format("np.full(3, x, dtype=np.int64)"),
        call="f(math.nan)",
        expect=Same(refuse=(ValueError, OverflowError)),
    ),
    Case(
        "full_2_63_int64",
        ONE.format("np.full(3, x + 1, dtype=np.int64)"),
        call="f(2.0**63)",
        expect=Same(refuse=(ValueError, OverflowError)),
    ),
    Case("full_minus_one_uint8", ONE.format("np.full(3, x, dtype=np.uint8)"), call="f(-1)"),
    Case("int8_of_300", ONE.format("np.int8(x)"), call="f(300)"),
    Case("uint8_of_minus_one", ONE.format("np.uint8(x)"), call="f(-1)"),
    Case("int8_of_300_float", ONE.format("np.int8(x)"), call="f(300.0)"),
    Case("int32_of_2_40", ONE.format("np.int32(x)"), call="f(2**40)"),
    Case("uint64_of_minus_one", ONE.format("np.uint64(x)"), call="f(-1)"),
    Case("int16_of_nan", ONE.format("np.int16(x)"), call="f(math.nan)", expect=Raises(ValueError)),
    Case("float32_of_huge", ONE.format("np.float32(x)"), call="f(1e39)"),
    Case("int8_wraps_in_arithmetic", BIN.format("np.int8(a) + np.int8(b)"), call="f(127, 1)"),
    Case("uint64_wraps_below_zero", BIN.format("np.uint64(a) - np.uint64(b)"), call="f(0, 1)"),
    Case("sqrt_negative", ONE.format("math.sqrt(x)"), call="f(-1.0)"),
    Case("log_zero", ONE.format("math.log(x)"), call="f(0.0)"),
    Case("log1p_minus_one", ONE.format("math.log1p(x)"), call="f(-1.0)"),
    Case("acos_two", ONE.format("math.acos(x)"), call="f(2.0)"),
    Case("exp_overflow", ONE.format("math.exp(x)"), call="f(1000.0)"),
    Case("fmod_by_zero", BIN.format("math.fmod(a, b)"), call="f(1.0, 0.0)"),
    Case("fmod_of_inf", BIN.format("math.fmod(a, b)"), call="f(math.inf, 1.0)"),
    Case("floor_of_nan", ONE.format("math.floor(x)"), call="f(math.nan)"),
    Case("floor_of_inf", ONE.format("math.floor(x)"), call="f(math.inf)"),
    Case(
        "numpy_model_sqrt_negative",
        NUMPY_MODEL.format("math.sqrt(x)"),
        call="f(-1.0)",
        expect=Returns("math.nan"),
    ),
    Case(
        "numpy_model_log_zero",
        NUMPY_MODEL.format("math.log(x)"),
        call="f(0.0)",
        expect=Returns("-math.inf"),
    ),
    Case(
        "numpy_model_log1p_minus_one",
        NUMPY_MODEL.format("math.log1p(x)"),
        call="f(-1.0)",
        expect=Returns("-math.inf"),
    ),
    Case(
        "numpy_model_acos_two",
        NUMPY_MODEL.format("math.acos(x)"),
        call="f(2.0)",
        expect=Returns("math.nan"),
    ),
    Case("zero_pow_negative_float", BIN.format("a ** b"), call="f(0.0, -1.0)"),
    Case("math_pow_zero_negative", BIN.format("math.pow(a, b)"), call="f(0.0, -1.0)"),
    Case("float_pow_overflow", BIN.format("a ** b"), call="f(10.0, 400.0)"),
    Case("int_pow_wraps", BIN.format("a ** b"), call="f(2, 64)", expect=Returns("0")),
    Case(
        "pow_builtin_wraps",
        BIN.format("pow(a, b)"),
        call="f(3, 100)",
        expect=Returns(wrap("3**100")),
    ),
    Case("minus_one_pow_huge", BIN.format("a ** b"), call="f(-1, 2**62 + 1)"),
    Case(
        "pow_huge_exponent_is_fast",
        BIN.format("a ** b"),
        call="f(3, 2**62)",
        expect=Returns(wrap("pow(3, 2**62, 2**64)")),
        timeout=30,
    ),
    Case("zero_pow_zero", BIN.format("(a ** b, 0.0 ** 0.0)"), call="f(0, 0)"),
    Case("nan_pow_zero", BIN.format("(a ** b, 1.0 ** a)"), call="f(math.nan, 0.0)"),
    Case("shift_left_negative", BIN.format("a << b"), call="f(1, -1)"),
    Case("shift_right_negative", BIN.format("a >> b"), call="f(1, -1)"),
    Case("shift_left_64", BIN.format("a << b"), call="f(1, 64)", expect=Returns("0")),
    Case("shift_left_huge", BIN.format("a << b"), call="f(1, 2**62)", expect=Returns("0")),
    Case("shift_right_huge", BIN.format("(a >> b, -a >> b)"), call="f(5, 2**62)"),
    Case("shift_right_int64_max", BIN.format("(a >> b, -a >> b)"), call="f(5, 2**63 - 1)"),
    Case("round_nan", ONE.format("round(x)"), call="f(math.nan)"),
    Case("round_inf", ONE.format("round(x)"), call="f(math.inf)"),
    Case("round_huge", ONE.format("round(x)"), call="f(1e300)", expect=Raises(OverflowError)),
    Case("round_ties", ONE.format("(round(x), round(-x), round(x + 1.0))"), call="f(0.5)"),
    Case("round_digits_huge", BIN.format("round(a, b)"), call="f(123.456, 2**62)"),
    Case("round_digits_very_negative", BIN.format("round(a, b)"), call="f(123.456, -2**62)"),
    Case("round_digits_near_limit", BIN.format("round(a, b)"), call="f(1e308, -308)"),
    Case("hash_minus_one", ONE.format("hash(x)"), call="f(-1)"),
    Case("hash_inf", ONE.format("(hash(x), hash(-x))"), call="f(math.inf)"),
    Case("int_array_sum_wraps", ONE.format("x.sum()"), call="f(np.array([2**62, 2**62]))"),
    Case(
        "min_max_with_nan",
        BIN.format("(min(a, b), max(a, b), min(b, a), max(b, a))"),
        call="f(math.nan, 1.0)",
    ),
    # Whole-array and sized-integer forms of INT64_MIN // -1 (a trap in C): NumPy wraps.
    Case(
        "array_int64_min_floordiv_minus_one",
        BIN.format("a // b"),
        call="f(np.array([-2**63, 5]), np.array([-1, -1]))",
    ),
    Case("array_int64_min_mod_minus_one", BIN.format("a % b"), call="f(np.array([-2**63, 5]), -1)"),
    Case(
        "int8_min_floordiv_minus_one",
        BIN.format("(np.int8(a) // np.int8(b), np.int8(a) % np.int8(b), abs(np.int8(a)))"),
        call="f(-128, -1)",
    ),
    Case(
        "range_near_int64_max",
        """
        @njit
        def f(a, b, s):
            c = 0
            last = 0
            for i in range(a, b, s):
                c += 1
                last = i
            return c, last
        """,
        call="(f(2**63 - 5, 2**63 - 1, 1), f(-2**63, 2**63 - 1, 2**62), "
        "f(2**63 - 1, -2**63, -2**62))",
    ),
    Case(
        "range_step_int64_min",
        "@njit\ndef f(s):\n    c = 0\n    for i in range(0, -2**63, s):\n        c += 1\n"
        "    return c\n",
        call="f(-2**63)",
    ),
    Case(
        "store_into_bool_array",
        "@njit\ndef f(a, x):\n    a[0] = x\n    return a\n",
        call="f(np.zeros(2, dtype=np.bool_), 2)",
        expect=Same("TypingError"),
    ),
    Case(
        "store_minus_one_into_uint64_array",
        "@njit\ndef f(a, x):\n    a[0] = x\n    return a\n",
        call="f(np.zeros(2, dtype=np.uint64), -1)",
        expect=Returns(
            "np.array([-1, 0]).astype(np.uint64)",
            or_raises=OverflowError,
        ),
    ),
    Case(
        "store_huge_into_float32_array",
        "@njit\ndef f(a, x):\n    a[0] = x\n    return a\n",
        call="f(np.zeros(2, dtype=np.float32), 1e300)",
    ),
    Case(
        "complex_extreme_division", BIN.format("a / b"), call="f(1e308 + 1e308j, 1e-308 + 1e-308j)"
    ),
    Case("complex_abs_inf_nan", ONE.format("abs(x)"), call="f(complex(math.inf, math.nan))"),
]
