"""Recursion and nesting against the stack: compiled recursion that runs out of stack raises
RecursionError in every kind of thread, and the compiler handles source nested as deep as
CPython compiles it (or says it is too deep), instead of crashing the process. Whatever may
crash runs in a child process."""

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from nogil import TypingError, njit


def run_child(source, timeout=240):
    """Runs `source` as a script in a fresh interpreter: (returncode, stdout, stderr)."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "child.py"
        script.write_text(textwrap.dedent(source))
        done = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, timeout=timeout
        )
    if REFUSED in done.stdout:
        pytest.skip(f"CPython {sys.version_info[:2]} does not compile this source itself")
    return done.returncode, done.stdout, done.stderr


# --- typing: a recursion's base case may be any branch that does not recurse ---------------


@njit
def depth_if_else(n):
    return 0 if n == 0 else depth_if_else(n - 1) + 1


@njit
def half_float(n):
    return 1 if n <= 0 else half_float(n - 1) / 2


@njit
def any_positive(n):
    return n > 0 and (n % 7 == 3 or any_positive(n - 1))


@njit
def first_nonzero(n):
    return n % 5 or first_nonzero(n - 1)


@njit
def baseless(n):
    return baseless(n - 1) + 1


def test_if_else_base_case_seeds_recursion():
    assert depth_if_else(10) == 10
    assert depth_if_else.py_func(10) == 10


def test_recursive_branch_widens_the_type():
    assert half_float(3) == half_float.py_func(3) == 0.125


def test_bool_op_base_case_seeds_recursion():
    for n in range(12):
        assert any_positive(n) == any_positive.py_func(n)
        assert first_nonzero(n) == first_nonzero.py_func(n)


def test_recursion_without_base_case_still_rejected():
    with pytest.raises(TypingError, match="N0213"):
        baseless(3)


# --- stack exhaustion in compiled code ------------------------------------------------------

RECURSIVE = """
import sys, threading
from nogil import njit, prange

@njit
def depth(n):
    return 0 if n == 0 else depth(n - 1) + 1

@njit
def forever(n):
    return 1 if n < 0 else forever(n + 1) + 1

@njit
def ping(n):
    return 0 if n == 0 else pong(n - 1) + 1

@njit
def pong(n):
    return 0 if n == 0 else ping(n - 1) + 1

@njit
def catches(n):
    try:
        return forever(n)
    except RecursionError:
        return -1
"""


def test_deep_recursion_runs_and_unbounded_recursion_raises():
    code, out, err = run_child(
        RECURSIVE
        + """
print(depth(100_000))
for f in (forever, ping):
    try:
        f(0) if f is forever else f(10**12)
    except RecursionError as e:
        print(type(e).__name__, e)
print(catches(0))
print(depth(1000))  # the thread is usable after
"""
    )
    assert code == 0, err
    assert out.splitlines() == [
        "100000",
        "RecursionError maximum recursion depth exceeded",
        "RecursionError maximum recursion depth exceeded",
        "-1",
        "1000",
    ]


def test_recursion_error_in_threads_of_every_stack_size():
    code, out, err = run_child(
        RECURSIVE
        + """
results = []

def work():
    try:
        forever(0)
    except RecursionError:
        results.append(depth(500))

for size in (0, 256 * 1024, 64 * 1024 * 1024):
    threading.stack_size(size)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
print(results)
"""
    )
    assert code == 0, err
    assert out.strip() == "[500, 500, 500]"


def test_recursion_error_in_prange_workers():
    code, out, err = run_child(
        RECURSIVE
        + """
@njit(parallel=True)
def each(n):
    total = 0
    for i in prange(n):
        total += forever(i)
    return total

@njit(parallel=True)
def deep_each(n):
    total = 0
    for i in prange(n):
        total += depth(20_000 + i)
    return total

print(deep_each(8))
try:
    each(8)
except RecursionError as e:
    print(type(e).__name__)
print(deep_each(8))
"""
    )
    assert code == 0, err
    assert out.split() == ["160028", "RecursionError", "160028"]


# --- the compiler on deeply nested source ---------------------------------------------------


REFUSED = "CPython refuses the source"
MODULE = f"""
REFUSED = {REFUSED!r}
import os, sys, tempfile, threading
sys.setrecursionlimit(1_000_000)
threading.stack_size(512 * 1024 * 1024)  # CPython's own parser and compiler recurse too
from nogil import njit, TypingError

def load(text):
    # A module of `text`, imported from a file: compiled functions need their source.
    folder = tempfile.mkdtemp()
    with open(os.path.join(folder, "deep_module.py"), "w") as file:
        file.write(text)
    sys.path.insert(0, folder)
    try:
        import deep_module
    except RecursionError:
        # CPython 3.12+ caps its own compiler's C recursion whatever the recursion limit:
        # source this interpreter does not run is not for nogil to compile either.
        print(REFUSED, flush=True)
        os._exit(0)
    return deep_module

def in_big_thread(work):
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
"""


def test_long_expression_compiles():
    code, out, err = run_child(
        MODULE
        + """
modules = []
in_big_thread(lambda: modules.append(load(
    "def long_sum(x):\\n    return x" + " + 1" * 20_000 + "\\n")))
long_sum = modules[0].long_sum
# Compiles run on the calling thread's behalf: the main thread, and a thread whose stack
# is far too small for a recursive walk of the tree (a new specialization: no new parse).
compiled = njit(long_sum)
print(long_sum(0), compiled(0))
threading.stack_size(256 * 1024)
small = threading.Thread(target=lambda: print(compiled(1.5)))
small.start()
small.join()
"""
    )
    assert code == 0, err
    assert out.split() == ["20000", "20000", "20001.5"], err


def test_nested_statements_and_expressions_compile():
    # 97 nested blocks (CPython allows 100 levels of indentation), 1000 nested unary minus
    # (within 3.12's C recursion limit for syntax trees).
    lines = ["def nested(x):", "    total = 0"]
    for level in range(97):
        lines.append("    " * (level + 1) + f"if x > {level}:")
    lines.append("    " * 98 + "total = " + "-" * 1000 + "x")
    lines.append("    return total")
    text = "\n".join(lines) + "\n"
    code, out, err = run_child(
        MODULE
        + f"""
def work():
    module = load({text!r})
    print(module.nested(100), njit(module.nested)(100), njit(module.nested)(5))
in_big_thread(work)
"""
    )
    assert code == 0, err
    assert out.split() == ["100", "100", "0"], err


def test_expression_beyond_the_nesting_limit_is_a_clean_error():
    code, out, err = run_child(
        MODULE
        + """
def work():
    module = load("def too_deep(x):\\n    return x" + " + 1" * 100_005 + "\\n")
    print(module.too_deep(0))
    try:
        njit(module.too_deep)(1)
    except TypingError as error:
        print(str(error).splitlines()[0])
in_big_thread(work)
"""
    )
    assert code == 0, err
    assert out.splitlines() == [
        "100005",
        "error[N0101]: expressions nested more than 100000 levels deep are not supported",
    ]


def test_source_too_deep_for_the_parser_is_a_typing_error():
    # The module compiled under a high recursion limit; the compile happens under a low one,
    # where CPython's own parser refuses the source.
    code, out, err = run_child(
        MODULE
        + """
def work():
    module = load("def long_sum(x):\\n    return x" + " + 1" * 20_000 + "\\n")
    sys.setrecursionlimit(1000)
    try:
        njit(module.long_sum)(0)
    except TypingError as error:
        print("TypingError", "too deeply nested" in str(error))
in_big_thread(work)
"""
    )
    assert code == 0, err
    assert out.strip() == "TypingError True"
