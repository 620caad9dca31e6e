"""Front-end oddities: where the source comes from (`python -c`, stdin, exec'd strings with
and without linecache, a file edited or deleted after import), what it looks like (lambdas,
nested defs, stacked decorators, methods, unicode, tabs, CRLF, a 20,000-term expression,
deep nesting, huge tuples), `python -O`, and messages for constructs nogil does not compile
yet. nogil compiles the code Python runs, or says clearly (a TypingError with file, line and
caret, or one naming why the source is unavailable) why it cannot; never an IndexError or
SyntaxError from inside nogil, never another function's text."""

from textwrap import dedent

from .corpus import Case, Raises, Returns, Same

TYPING = "TypingError"
COMMAND_FUNCTION = "import nogil\n\n@nogil.njit\ndef f(x):\n    return x + 1\n"


def generated(text_expression: str, arguments: str = "1") -> str:
    """A case whose function `g` is generated at run time (its text would fill pages) into a
    module of its own, imported with CPython's recursion limit raised so that CPython's
    compiler accepts what nogil is asked to compile; f() compiles g and calls it on
    `arguments`."""
    return dedent(
        f"""
        import importlib.util
        import sys

        sys.setrecursionlimit(100000)
        TEXT = {text_expression}

        def f():
            path = workdir / "generated.py"
            path.write_text(TEXT)
            spec = importlib.util.spec_from_file_location("generated", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return njit(module.g)({arguments})
        """
    )


def long_sum(terms: int) -> str:
    return generated(f'"def g(x):\\n    return x" + " + 1" * {terms} + "\\n"')


def nested_parentheses(depth: int) -> str:
    return generated(f'"def g(x):\\n    return " + "(" * {depth} + "x" + " + 1)" * {depth} + "\\n"')


def call_chain(length: int) -> str:
    return dedent(
        f"""
        import importlib.util
        import sys

        sys.setrecursionlimit(100000)
        TEXT = "def g0(x):\\n    return x\\n" + "".join(
            f"def g{{i}}(x):\\n    return g{{i - 1}}(x) + 1\\n" for i in range(1, {length})
        )

        def f():
            path = workdir / "chain.py"
            path.write_text(TEXT)
            spec = importlib.util.spec_from_file_location("chain", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            for i in range({length}):
                setattr(module, f"g{{i}}", njit(getattr(module, f"g{{i}}")))
            return module.g{length - 1}(1)
        """
    )


def nested_ifs(depth: int) -> str:
    lines = ["@njit", "def f(x):", "    s = 0"]
    for level in range(depth):
        lines.append("    " * (level + 1) + f"if x > {level}:")
        lines.append("    " * (level + 2) + "s += 1")
    lines.append("    return s")
    return "\n".join(lines) + "\n"


def edited(body: str) -> str:
    return dedent(
        '''
            import importlib
            import sys

            ORIGINAL = """import nogil

            @nogil.njit
            def f(x):
                return x + 1

            @nogil.njit
            def g(x):
                return x * 1000
            """

            def load():
                (workdir / "edited_mod.py").write_text(ORIGINAL)
                sys.path.insert(0, str(workdir))
                return importlib.import_module("edited_mod")
            '''
    ) + dedent(body)


CASES = [
    Case(
        "command_line_function", COMMAND_FUNCTION, call="f(1)", mode="command", expect=Returns("2")
    ),
    Case(
        "command_line_second_function",
        """
            import nogil

            @nogil.njit
            def g(x):
                return x * 2

            @nogil.njit
            def f(x):
                return g(x) + 1
        """,
        call="f(20)",
        mode="command",
        expect=Returns("41"),
    ),
    Case(
        "stdin_function",
        COMMAND_FUNCTION,
        call="f(1)",
        mode="stdin",
        expect=Returns("2", or_raises=TYPING, match="source"),
    ),
    Case(
        "exec_without_linecache",
        """
        def f():
            namespace = {}
            exec(compile("def g(x):\\n    return x + 1\\n", "<hostile>", "exec"), namespace)
            return njit(namespace["g"])(1)
        """,
        expect=Returns("2", or_raises=TYPING, match="whose text Python does not keep"),
    ),
    Case(
        "exec_with_linecache",
        """
        import linecache

        def f():
            text = "def g(x):\\n    return x + 1\\n"
            name = "<hostile-registered>"
            linecache.cache[name] = (len(text), None, text.splitlines(True), name)
            namespace = {}
            exec(compile(text, name, "exec"), namespace)
            return njit(namespace["g"])(1)
        """,
        expect=Returns("2"),
    ),
    Case(
        "exec_with_this_files_name",
        """
        def f():
            namespace = {}
            exec(compile("def g(x):\\n    return x * 3\\n", __file__, "exec"), namespace)
            return njit(namespace["g"])(5)
        """,
        expect=Same(TYPING),
    ),
    Case(
        "exec_string_line_points_into_file",
        """
        def decoy(x):
            return x - 1000

        def f():
            # g claims the line where decoy is defined in this file.
            namespace = {}
            text = "\\n" * (decoy.__code__.co_firstlineno - 1) + "def g(x):\\n    return x * 3\\n"
            exec(compile(text, __file__, "exec"), namespace)
            return njit(namespace["g"])(5)
        """,
        expect=Same(TYPING),
    ),
    Case("lambda_assigned", "f = njit(lambda x: x * 2 + 1)\n", call="f(4)", expect=Same(TYPING)),
    Case(
        "two_lambdas_one_line",
        "first, second = njit(lambda x: x + 1), njit(lambda x: x * 100)\n",
        call="(first(3), second(3))",
        expect=Same(TYPING),
    ),
    Case(
        "multiline_lambda_in_dict",
        "OPS = {\n    'add': lambda x: (x +\n        1),\n    'mul': lambda x: x * 7,\n}\n",
        call="njit(OPS['add'])(1)",
        expect=Same(TYPING),
    ),
    Case(
        "nested_def_closure",
        "def outer(k):\n    @njit\n    def inner(x):\n        return x * k\n    return inner\n",
        call="outer(3)(5)",
    ),
    Case(
        "nested_def_two_levels",
        """
            def outer(k):
                def middle():
                    @njit
                    def inner(x):
                        return x + k
                    return inner
                return middle()
        """,
        call="outer(10)(5)",
    ),
    Case(
        "identity_decorator_below",
        """
            def tag(function):
                function.tagged = True
                return function

            @njit
            @tag
            def f(x):
                return x - 1
        """,
        call="f(5)",
    ),
    Case(
        "multiline_decorator_call",
        "@njit(\n    nogil=True,\n    boundscheck=True,\n)\ndef f(x):\n    return x * 2\n",
        call="f(21)",
    ),
    Case(
        "staticmethod_above_njit",
        "class C:\n    @staticmethod\n    @njit\n    def m(x):\n        return x * 3\n",
        call="(C.m(2), C().m(4))",
    ),
    Case(
        "method_with_self",
        "class C:\n    @njit\n    def m(self, x):\n        return x * 3\n",
        call="C().m(2)",
        expect=Raises(TypeError),
    ),
    Case(
        "function_in_class_body_called_plainly",
        "class C:\n    @njit\n    def helper(x):\n        return x + 0.5\n",
        call="C.helper(2)",
    ),
    Case(
        "redefined_function_keeps_first",
        "@njit\ndef f(x):\n    return 1\n\nfirst = f\n\n@njit\ndef f(x):\n    return 2\n",
        call="(first(0), f(0))",
    ),
    Case(
        "conditional_definitions",
        """
            if True:
                @njit
                def f(x):
                    return x + 1
            else:
                @njit
                def f(x):
                    return x - 1
        """,
        call="f(1)",
    ),
    Case("one_line_def", "@njit\ndef f(x): return x + 41\n", call="f(1)"),
    Case(
        "source_edited_after_import",
        edited(
            """
            def f():
                module = load()
                (workdir / "edited_mod.py").write_text(ORIGINAL.replace("x + 1", "x + 100"))
                return module.f(1)
            """
        ),
        expect=Returns("2", or_raises=TYPING, match="source"),
    ),
    Case(
        "lines_moved_after_import",
        edited(
            """
            def f():
                module = load()
                moved = ORIGINAL.replace("import nogil\\n", "import nogil\\n" + "\\n" * 5)
                (workdir / "edited_mod.py").write_text(moved)
                return module.f(1)
            """
        ),
        expect=Returns("2", or_raises=TYPING, match="source"),
    ),
    Case(
        "source_deleted_after_import",
        edited(
            """
            def f():
                module = load()
                (workdir / "edited_mod.py").unlink()
                return module.f(1)
            """
        ),
        expect=Returns("2", or_raises=TYPING, match="source"),
    ),
    Case(
        "other_function_at_old_line",
        edited(
            """
            SWAPPED = "import nogil\\n\\n@nogil.njit\\ndef g(x):\\n    return x * 1000\\n\\n"
            SWAPPED += "@nogil.njit\\ndef f(x):\\n    return x + 1\\n"

            def f():
                module = load()
                (workdir / "edited_mod.py").write_text(SWAPPED)
                return module.f(1)
            """
        ),
        expect=Returns("2", or_raises=TYPING, match="source"),
    ),
    Case(
        "unicode_identifiers",
        "@njit\ndef f(café, π=3.0):\n    résultat = café * π\n    return résultat\n",
        call="f(2.0)",
    ),
    Case(
        "unicode_before_error_caret",
        "@njit\ndef f(x):\n    été = 1\n    变量 = [été, x]\n    return x\n",
        call="f(1)",
        expect=Same(TYPING),
    ),
    Case(
        "tabs_indentation",
        "@njit\ndef f(x):\n\tif x > 0:\n\t\treturn x * 2\n\treturn -x\n",
        call="f(-4)",
    ),
    Case(
        "crlf_line_endings",
        """
        def f():
            path = workdir / "crlf_mod.py"
            text = "import nogil\\n\\n@nogil.njit\\ndef g(x):\\n    return x * 2\\n"
            path.write_bytes(text.replace("\\n", "\\r\\n").encode())
            import importlib.util
            spec = importlib.util.spec_from_file_location("crlf_mod", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module.g(21)
        """,
        expect=Returns("42"),
    ),
    Case(
        "latin1_source_encoding",
        """
        def f():
            path = workdir / "latin_mod.py"
            text = "# -*- coding: latin-1 -*-\\nimport nogil\\n\\n"
            text += "@nogil.njit\\ndef g(x):\\n    # é\\n    return x + 1\\n"
            path.write_bytes(text.encode("latin-1"))
            import importlib.util
            spec = importlib.util.spec_from_file_location("latin_mod", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module.g(1)
        """,
        expect=Returns("2"),
    ),
    Case("form_feed_in_source", "@njit\ndef f(x):\n\f    return x + 1\n", call="f(1)"),
    Case("expression_8000_terms", long_sum(8000), expect=Same(TYPING)),
    Case("expression_20000_terms", long_sum(20000), expect=Same(TYPING)),
    Case("nested_parentheses_150", nested_parentheses(150), expect=Same(TYPING)),
    Case("nested_ifs_60", nested_ifs(60), call="f(30)", expect=Same(TYPING)),
    Case(
        "elif_chain_3000",
        generated(
            '"def g(x):\\n    if x == 0:\\n        return 0\\n" + "".join('
            'f"    elif x == {i}:\\n        return {i * 2}\\n" for i in range(1, 3000)) + '
            '"    return -1\\n"',
            arguments="2999",
        ),
        expect=Same(TYPING),
    ),
    Case(
        "unary_minus_5000",
        generated('"def g(x):\\n    return " + "-" * 5001 + "x\\n"'),
        expect=Same(TYPING),
    ),
    Case(
        "not_chain_5000",
        generated('"def g(x):\\n    return " + "not " * 5001 + "x\\n"'),
        expect=Same(TYPING),
    ),
    Case(
        "and_chain_20000",
        generated('"def g(x):\\n    return " + " and ".join(["x"] * 20000) + "\\n"'),
        expect=Same(TYPING),
    ),
    Case(
        "compare_chain_5000",
        generated('"def g(x):\\n    return " + " <= ".join(["x"] * 5000) + "\\n"'),
        expect=Same(TYPING),
    ),
    Case(
        "locals_5000",
        generated(
            '"def g(x):\\n" + "".join(f"    v{i} = x + {i}\\n" for i in range(5000))'
            ' + "    return v4999\\n"'
        ),
        expect=Same(TYPING),
    ),
    Case(
        "parameters_300",
        generated(
            '"def g(" + ", ".join(f"x{i}" for i in range(300)) + "):\\n    return x0 + x299\\n"',
            arguments="*range(300)",
        ),
        expect=Same(TYPING),
    ),
    # Compiled functions calling one another n deep (g{n-1} -> ... -> g0), no recursion.
    Case("call_chain_30", call_chain(30)),
    Case(
        "call_chain_2000",
        call_chain(2000),
        expect=Same(TYPING, match=r"^(?!.*recursive call)"),
        timeout=300,  # a few seconds here; minutes with the compiler under AddressSanitizer
    ),
    Case(
        "identifier_100k_chars",
        generated('"def g(" + "x" * 100000 + "):\\n    return " + "x" * 100000 + " + 1\\n"'),
        expect=Same(TYPING),
    ),
    Case(
        "tuple_argument_400",
        "@njit\ndef f(t):\n    return t[0] + t[len(t) - 1]\n",
        call="f(tuple(range(400)))",
        # Compiled, or refused naming the length limit (a TypeError at the call).
        expect=Same(TypeError, match="elements"),
        timeout=60,
    ),
    Case(
        "tuple_argument_2000",
        "@njit\ndef f(t):\n    return t[0] + t[len(t) - 1]\n",
        call="f(tuple(range(2000)))",
        # Compiled, or refused naming the length limit (a TypeError at the call).
        expect=Same(TypeError, match="elements"),
        timeout=60,
    ),
    Case(
        "tuple_literal_returned_1000",
        "@njit\ndef f(x):\n    return (" + ", ".join(["x"] * 1000) + ")\n",
        call="f(7)",
        expect=Same(TYPING),
        timeout=60,
    ),
    Case(
        "docstring_under_OO",
        '@njit\ndef f(x):\n    """Doubles."""\n    return x * 2\n',
        call="f(4)",
        flags=("-OO",),
    ),
    Case(
        "generator_function",
        "@njit\ndef f(n):\n    for i in range(n):\n        yield i\n",
        call="list(f(3))",
        expect=Same(TYPING, match="yield|generator"),
    ),
    Case(
        "iterate_generator",
        """
            def gen(n):
                yield n

            @njit
            def f(n):
                s = 0
                for v in gen(n):
                    s += v
                return s
        """,
        call="f(3)",
        expect=Same(TYPING, match="gen"),
    ),
    Case(
        "async_function",
        "@njit\nasync def f(x):\n    return x\n",
        call="f(1)",
        expect=Raises(TypeError),
    ),
    Case(
        "in_operator_on_array",
        "@njit\ndef f(a):\n    return 4.0 in a\n",
        call="f(np.arange(5.0))",
        expect=Same(TYPING, match=r"\bin\b"),
    ),
    Case(
        "sum_with_axis",
        "@njit\ndef f(a):\n    return np.sum(a, axis=0)\n",
        call="f(np.ones((2, 3)))",
        expect=Same(TYPING, match="axis"),
    ),
    Case(
        "zeros_dtype_positional",
        "@njit\ndef f(n):\n    return np.zeros(n, np.int32)\n",
        call="f(3)",
        expect=Same(TYPING, match="dtype"),
    ),
    Case(
        "slice_assignment_scalar",
        "@njit\ndef f(a):\n    a[1:] = 0.0\n    return a\n",
        call="f(np.ones(4))",
        expect=Same(TYPING, match="slice"),
    ),
    Case(
        "type_of_value_called",
        "@njit\ndef f(x):\n    return type(x)(1)\n",
        call="f(2.5)",
        expect=Same(TYPING, match="type"),
    ),
    Case(
        "callee_error_comes_first",
        "@njit\ndef g(x):\n    return [x]\n\n@njit\ndef f(x):\n    return g(x)\n",
        call="f(1)",
        expect=Raises(TYPING, match=r"\Aerror\[N\d+\]: (?!None cannot)"),
    ),
    Case(
        "global_statement",
        "counter = 0\n\n@njit\ndef f(x):\n    global counter\n    counter = x\n    return x\n",
        call="f(1)",
        expect=Same(TYPING, match="global"),
    ),
    Case(
        "walrus_operator",
        "@njit\ndef f(x):\n    if (y := x * 2) > 3:\n        return y\n    return 0\n",
        call="f(5)",
        expect=Same(TYPING),
    ),
    Case(
        "match_statement",
        """
            @njit
            def f(x):
                match x:
                    case 1:
                        return 10
                    case _:
                        return 0
        """,
        call="f(1)",
        expect=Same(TYPING),
    ),
    Case(
        "fstring_format_spec",
        """
            @njit
            def f(x):
                if x > 0:
                    raise ValueError(f'{x:.2f} too big')
                return x
        """,
        call="f(1.5)",
        expect=Same(TYPING),
    ),
    Case(
        "called_under_settrace",
        """
        import sys

        @njit
        def g(x):
            s = 0
            for i in range(x):
                s += i
            return s

        def f():
            events = []
            sys.settrace(lambda frame, event, arg: events.append(event))
            try:
                return g(100)
            finally:
                sys.settrace(None)
        """,
    ),
    Case(
        "first_call_near_recursion_limit",
        """
        import sys

        @njit
        def g(x):
            return x * 2 + 1

        def deep(n):
            return g(20) if n == 0 else deep(n - 1)

        def f():
            return deep(sys.getrecursionlimit() - 40)
        """,
    ),
    Case(
        "module_qualified_prange",
        """
        @njit(parallel=True)
        def f(n):
            s = 0
            for i in nogil.prange(n):
                s += i
            return s
        """,
        call="f(100)",
        expect=Same(TYPING),
    ),
]
