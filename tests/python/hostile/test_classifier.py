"""The corpus's judge can fail: planted crashes, hangs, wrong answers, leaks and unclear
messages are each classified as such, and a good case as ok."""

import pytest

from .corpus import Case, NoLeak, Raises, Returns, Same
from .runner import run_cases

PLANTED = {
    "ok": Case("ok", "@njit\ndef f(n):\n    return n * 2\n", call="f(21)", expect=Returns("42")),
    "ok_same": Case("ok_same", "@njit\ndef f(a):\n    return a[::-2]\n", call="f(np.arange(5.0))"),
    "abort": Case("abort", "import os\ndef f():\n    os.abort()\n"),
    "null_read": Case("null_read", "import ctypes\ndef f():\n    return ctypes.string_at(0)\n"),
    "sanitizer": Case(
        "sanitizer",
        """
            import sys
            def f():
                print('ERROR: AddressSanitizer: heap-use-after-free', file=sys.stderr)
        """,
        expect=Returns("None"),
    ),
    "sleep": Case("sleep", "import time\ndef f():\n    time.sleep(100)\n", timeout=3),
    "hung_grandchild": Case(
        "hung_grandchild",
        "def f():\n    run_python('import time; time.sleep(100)', timeout=2)\n",
    ),
    "differs": Case(
        "differs", "def f():\n    return 1 if njit is nogil.njit else 2\n", expect=Same()
    ),
    "other_value": Case("other_value", "def f():\n    return 1\n", expect=Returns("2")),
    "other_type": Case("other_type", "def f():\n    return 1 // 0\n", expect=Raises(OverflowError)),
    "no_exception": Case("no_exception", "def f():\n    return 0\n", expect=Raises(ValueError)),
    "exit_status": Case("exit_status", "import sys\nsys.exit(3)\n", mode="command"),
    "grows": Case(
        "grows",
        "kept = []\ndef f():\n    kept.append(bytearray(1 << 20))\n",
        expect=NoLeak(repeat=50, max_bytes=8 << 20),
    ),
    "internal": Case(
        "internal",
        "def f():\n    raise RuntimeError('internal error: bad node')\n",
        expect=Raises(RuntimeError),
    ),
    "raw_binding": Case(
        "raw_binding",
        # A binding layer's own message, as nanobind words an argument it cannot convert.
        "def f():\n    raise TypeError('set_num_threads(): incompatible function arguments')\n",
        expect=Raises(TypeError),
    ),
    "no_fragment": Case(
        "no_fragment", "def f():\n    raise ValueError('x')\n", expect=Raises(ValueError, "shape")
    ),
}
EXPECTED = {
    "ok": "ok",
    "ok_same": "ok",
    "abort": "crash",
    "null_read": "crash",
    "sanitizer": "crash",
    "sleep": "hang",
    "hung_grandchild": "hang",
    "differs": "wrong",
    "other_value": "wrong",
    "other_type": "wrong",
    "no_exception": "wrong",
    "exit_status": "wrong",
    "grows": "leak",
    "internal": "unclear",
    "raw_binding": "unclear",
    "no_fragment": "unclear",
}


@pytest.fixture(scope="module")
def outcomes():
    cases = [Case(**{**case.__dict__, "category": "planted"}) for case in PLANTED.values()]
    return run_cases(cases)


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_case_is_classified(name, outcomes):
    outcome = outcomes[f"planted.{name}"]
    assert outcome.kind == EXPECTED[name], "\n" + outcome.report()
