"""nogil compiles the code Python runs: the source text is captured when a function is
decorated and checked against its code object; where Python keeps no text, or the text is
not the running code, a TypingError says why and what to do."""

import importlib.util
import io
import itertools
import linecache
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nogil import TypingError, njit

module_numbers = itertools.count()


def import_file(directory: Path, text: str):
    name = f"source_capture_{next(module_numbers)}"
    path = directory / f"{name}.py"
    path.write_text(textwrap.dedent(text))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, path


def rewrite(path: Path, text: str) -> None:
    """Replaces the file's text with a modification time linecache cannot mistake."""
    stat = path.stat()
    path.write_text(textwrap.dedent(text))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def run_python(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], input=stdin, capture_output=True, text=True, timeout=120
    )


# Edited files ------------------------------------------------------------------------------


def test_file_edited_after_import_compiles_the_imported_code(tmp_path):
    module, path = import_file(
        tmp_path,
        """
        from nogil import njit

        @njit
        def scale(x):
            return x * 2
        """,
    )
    rewrite(path, "from nogil import njit\n\n@njit\ndef scale(x):\n    return x * 1000\n")
    assert module.scale(21) == 42


def test_inspect_types_shows_the_compiled_text_after_an_edit(tmp_path):
    module, path = import_file(
        tmp_path,
        """
        from nogil import njit

        @njit
        def scale(x):
            return x * 2
        """,
    )
    rewrite(path, "from nogil import njit\n\n@njit\ndef scale(x):\n    return x * 1000\n")
    assert module.scale(21) == 42
    shown = io.StringIO()
    module.scale.inspect_types(file=shown)
    assert "return x * 2" in shown.getvalue() and "1000" not in shown.getvalue()


def test_lines_moved_after_import_still_compile_the_function(tmp_path):
    module, path = import_file(
        tmp_path,
        """
        from nogil import njit

        @njit
        def first(x):
            return x + 1

        @njit
        def second(x):
            return x * 3
        """,
    )
    rewrite(path, "import os\n\n\n\n\n\n\n\n" + path.read_text())
    assert module.second(5) == 15
    assert module.first(5) == 6


def test_file_edited_before_decoration_is_refused_clearly(tmp_path):
    module, path = import_file(
        tmp_path,
        """
        def late(x):
            return x * 2
        """,
    )
    rewrite(path, "def late(x):\n    return x * 1000 + 7\n")
    with pytest.raises(TypingError, match="does not match the code Python runs") as info:
        njit(module.late)(1)
    assert "changed after the function was imported" in str(info.value)


def test_exec_of_other_text_under_a_real_file_name_is_refused(tmp_path):
    namespace = {}
    exec(compile("def made(x):\n    return x - 1\n", __file__, "exec"), namespace)
    with pytest.raises(TypingError, match="does not match the code Python runs"):
        njit(namespace["made"])(3)


# Text Python keeps elsewhere ----------------------------------------------------------------


def test_function_defined_with_python_c_compiles():
    program = "from nogil import njit\n@njit\ndef f(x):\n    return x * 3 + 1\nprint(f(4))\n"
    done = run_python("-c", program)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "13"


def test_function_defined_with_python_c_and_other_options_compiles():
    program = "from nogil import njit\nf = njit(lambda x: x - 1)\nprint(f(4))"
    done = run_python("-X", "utf8", "-I", "-Sc", "import site; site.main()\n" + program)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3"


def test_text_registered_in_linecache_compiles():
    filename = "<nogil test: registered cell>"
    text = "def cell(x):\n    y = x + 1\n    return y * y\n"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    try:
        namespace = {}
        exec(compile(text, filename, "exec"), namespace)
        assert njit(namespace["cell"])(2) == 9
    finally:
        linecache.cache.pop(filename, None)


def test_ipython_cell_compiles():
    ipython = pytest.importorskip("IPython")
    shell = ipython.core.interactiveshell.InteractiveShell.instance()
    result = shell.run_cell(
        "from nogil import njit\n@njit\ndef cell_function(x):\n    return x * 7\n"
        "cell_value = cell_function(6)\n"
    )
    assert result.error_in_exec is None, result.error_in_exec
    assert shell.user_ns["cell_value"] == 42


@pytest.mark.parametrize(
    "shown",
    [
        "def cell(x):\n    return (x\n",
        "    else:\n",
        "def cell(x) return\n",
        "class cell:\n    pass\n",
    ],
    ids=["unclosed", "fragment", "invalid", "class"],
)
def test_registered_text_that_is_not_the_function_is_refused_clearly(shown):
    filename = "<nogil test: broken cell>"
    namespace = {}
    exec(compile("def cell(x):\n    return x\n", filename, "exec"), namespace)
    linecache.cache[filename] = (len(shown), None, shown.splitlines(True), filename)
    try:
        with pytest.raises(TypingError, match="does not match the code Python runs"):
            njit(namespace["cell"])(1)
    finally:
        linecache.cache.pop(filename, None)


def test_exec_of_an_unregistered_string_says_how_to_register_it():
    namespace = {}
    exec("def hidden(x):\n    return x\n", namespace)
    # Under ``python -c`` (as in a pytest-xdist worker) '<string>' is also the command's file
    # name, and the message explains the mismatch with the command's text instead.
    with pytest.raises(
        TypingError, match=r"exec\(\) or compile\(\) from (a|another) string"
    ) as info:
        njit(namespace["hidden"])(1)
    assert "linecache.cache[" in str(info.value)


def test_function_read_from_stdin_says_why_and_what_to_do():
    program = (
        "from nogil import njit, TypingError\n"
        "def f(x):\n    return x\n\n"
        "try:\n    njit(f)(1)\nexcept TypingError as err:\n    print(err)\n"
    )
    done = run_python("-", stdin=program)
    assert done.returncode == 0, done.stderr
    assert "standard input" in done.stdout and "define it in a file" in done.stdout


# Lambdas ------------------------------------------------------------------------------------


def test_lambda_compiles():
    assert njit(lambda x: x + 1)(41) == 42


def test_lambda_in_a_dict_literal_over_many_lines_compiles():
    table = {
        "double": lambda x: x * 2,
        "square": lambda x: x * x,
    }
    assert njit(table["square"])(7) == 49
    assert njit(table["double"])(7) == 14


def test_two_lambdas_on_one_line_each_compile_their_own_code():
    add, sub = (lambda a, b: a + b), (lambda a, b: a - b)
    assert njit(sub)(5, 3) == 2
    assert njit(add)(5, 3) == 8


def test_a_lambda_inside_another_lambda_compiles_its_own_code():
    # The outer lambda's code holds the inner one's: compiling the outer would call njit.
    run = lambda: njit(lambda x: x * 3)(2)  # noqa: E731
    assert run() == 6
    pairs = lambda: (njit(lambda t: t[::-1])((1, 2.5)), njit(lambda n: -n)(4))  # noqa: E731
    assert pairs() == ((2.5, 1), -4)


def test_lambda_error_points_into_the_lambda():
    with pytest.raises(TypingError) as info:
        njit(lambda x: x.missing)(1.0)
    assert info.value.line is not None
    assert "lambda x: x.missing" in str(info.value)


# Definitions the check must accept ---------------------------------------------------------


_Holder__OFFSET = 10  # what `__OFFSET` means inside class Holder (private name mangling)


class Holder:
    @staticmethod
    @njit
    def shifted(x):
        return x + __OFFSET  # noqa: F821

    @staticmethod
    @njit
    def __private_scale(x):
        return x * 4

    def call(self, x):
        return self.__private_scale(x)


def test_functions_defined_in_a_class_compile_with_mangled_names():
    assert Holder().call(2) == 8
    assert Holder.shifted(2) == 12


def test_closures_and_nested_functions_compile():
    offset = 5

    def make(scale):
        @njit
        def inner(x):
            return x * scale + offset

        return inner

    assert make(3)(2) == 11


def test_function_whose_asserts_pytest_rewrote_compiles():
    # This module's assert statements are rewritten by pytest when it imports the module:
    # the code differs from the text, which is still the same program.
    @njit
    def checked(x):
        assert x > 0, "positive"
        return x + 1

    assert checked(1) == 2
    with pytest.raises(AssertionError, match="positive"):
        checked(-1)


def test_decorated_with_options_and_defaults_compiles():
    @njit(boundscheck=True, nogil=False)
    def with_default(x, y=2.5):
        """A docstring is a constant of the code object."""
        return x * y

    assert with_default(2) == 5.0


def test_generator_function_names_yield():
    def gen(n):
        yield n

    def receiver(n):
        got = yield n
        yield got

    assert list(njit(gen)(1)) == [1]  # a generator object (test_generator_objects.py)
    with pytest.raises(TypingError, match="'yield' as a value"):
        njit(receiver)(1)


def test_coroutine_says_async_is_not_supported():
    async def coroutine(x):
        return x

    with pytest.raises(TypingError, match=r"coroutines \('async def'\) are not supported"):
        njit(coroutine)(1)


# python -O --------------------------------------------------------------------------------


ASSERTING = """
import sys
from nogil import njit

@njit(cache={cache})
def checked(x):
    assert x > 0, "x must be positive"
    return x * 2

@njit(cache={cache})
def debug_flag():
    return __debug__

try:
    print(checked(-1))
except AssertionError as err:
    print("AssertionError", err)
print(debug_flag())
"""


@pytest.mark.parametrize("cache", [False, True])
def test_asserts_follow_python_optimize_flag(tmp_path, cache):
    script = tmp_path / "asserting.py"
    script.write_text(ASSERTING.format(cache=cache))
    env = {**os.environ, "NOGIL_CACHE_DIR": str(tmp_path / "cache")}

    def run(*flags: str) -> str:
        done = subprocess.run(
            [sys.executable, *flags, str(script)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    # The optimised run comes second: with cache=True it must not load the asserting code.
    assert run() == "AssertionError x must be positive\nTrue"
    assert run("-O") == "-2\nFalse"
    assert run() == "AssertionError x must be positive\nTrue"
