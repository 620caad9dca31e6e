"""Sizes beyond what memory or int64 holds: every new array's shape is checked as NumPy checks
it (ValueError "array is too big" or "negative dimensions", MemoryError when the system
refuses), never a wrapped byte count and a write past a tiny block. Each case runs in a
subprocess, so that a crash fails its test instead of killing the run."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

CASES = {
    "empty_then_store": ("x = np.empty(n)\n    x[10**6] = 1.0\n    return x[10**6]", 2**62),
    "zeros_cube": ("return np.zeros((n, n, n)).size", 3_000_000),
    "ones_first": ("return np.ones(n)[0]", 2**60),
    "arange_huge": ("return len(np.arange(n))", 2**62),
    "int8_beyond_memory": ("return np.empty(n, dtype=np.int8).size", 2**62),
    "int32_too_big": ("return np.zeros((n, n), dtype=np.int32).size", 2**31),
    "zero_dimension_does_not_hide_overflow": ("return np.empty((n, 0)).size", 2**62),
    "zero_first_dimension": ("return np.empty((0, n)).size", 2**62),
    "negative": ("return np.empty((3, n)).size", -1),
    "full_too_big": ("return np.full((n, 4), 1.5).size", 2**61),
    "empty_like_of_huge": ("return np.empty_like(np.empty(n)).size", 2**61),
}

SCRIPT = """\
import numpy as np
from nogil import njit

def f(n):
    {body}

try:
    print("value", repr(njit(f)({n})))
except Exception as err:
    print(type(err).__name__, err)
"""


def outcome_in_numpy(body, n):
    namespace = {"np": np}
    exec(textwrap.dedent(f"def f(n):\n    {body}"), namespace)
    try:
        return f"value {namespace['f'](n)!r}"
    except Exception as err:
        return f"{type(err).__name__} {err}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_huge_shapes_raise_as_numpy(name, tmp_path):
    body, n = CASES[name]
    script = tmp_path / "case.py"
    script.write_text(SCRIPT.format(body=body, n=n))
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"crashed ({done.returncode}): {done.stderr[-2000:]}"
    assert done.stdout.strip() == outcome_in_numpy(body, n)
