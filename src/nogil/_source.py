"""A decorated function's source text: captured when it is decorated, located and checked
against the code Python runs when it first compiles.

Decorating stays cheap: it keeps a reference to the lines ``linecache`` holds for the file
(shared with tracebacks), so a file edited later does not change what compiles. The first
compile finds the function in those lines, parses it, and compiles the parsed definition
again with CPython to compare the result with the function's code object: text that is not
the running code (a file edited before the function was decorated, ``exec`` of other text
under the file's name) is refused with a message that says so, never compiled.
"""

import ast
import copy
import inspect
import linecache
import sys
import threading
import tokenize
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from types import CodeType, FunctionType
from typing import NamedTuple

from nogil.errors import TypingError

# CPython 3.11's conversion between parse trees and Python objects keeps its recursion depth
# in interpreter-wide state; two threads converting at once (compiles run in parallel) can
# fail with "AST constructor recursion depth mismatch". One conversion at a time.
_ast_lock = threading.Lock()

_CO_NESTED = inspect.CO_NESTED
_TYPE_PARAMS = {"type_params": []} if sys.version_info >= (3, 12) else {}


class CapturedSource(NamedTuple):
    """The text a function was defined in: a file's lines, the text of ``python -c``, or a
    string registered in ``linecache``; no lines when Python kept none. (A named tuple:
    decorating makes one per function and must stay cheap.)"""

    filename: str
    lines: list[str]
    from_command_line: bool = False


@dataclass(frozen=True)
class FoundDefinition:
    """The function's definition: its lines (whole lines, so that columns are the file's)
    from ``first_line``, and its tree, a ``def`` (a lambda is turned into one)."""

    first_line: int
    text: str
    function_def: ast.FunctionDef


def capture(py_func: FunctionType) -> CapturedSource:
    filename = py_func.__code__.co_filename
    lines = linecache.getlines(filename, py_func.__globals__)
    if not lines and filename == "<string>":
        command = _command_text()
        if command is not None:
            return CapturedSource(filename, command.splitlines(True), from_command_line=True)
    return CapturedSource(filename, lines)


def _command_text() -> str | None:
    """The program given with ``python -c``, from the interpreter's own arguments."""
    if getattr(sys, "argv", [None])[:1] != ["-c"]:
        return None
    args = getattr(sys, "orig_argv", [])[1:]
    at = 0
    while at < len(args) and args[at].startswith("-") and not args[at].startswith("--"):
        options, at = args[at][1:], at + 1
        for k, letter in enumerate(options):
            if letter in "cWX":  # options taking a value: the rest of the word, or the next
                value = options[k + 1 :]
                if not value and at < len(args):
                    value, at = args[at], at + 1
                if letter == "c":
                    return value
                break
    return None


def find(captured: CapturedSource, py_func: FunctionType) -> FoundDefinition:
    """The definition of ``py_func`` in the captured text; a TypingError saying why when the
    text is not available or is not the code Python runs."""
    name = py_func.__qualname__
    if not captured.lines:
        raise TypingError(f"cannot compile {name}: {_why_no_source(captured.filename)}")
    found = _find_in(captured.lines, py_func)
    if found is None and not captured.from_command_line:
        # linecache may hold an older version of a file that was edited and imported again
        # (importlib.reload): look at the file as it is now.
        linecache.checkcache(captured.filename)
        current = linecache.getlines(captured.filename, py_func.__globals__)
        if current and current != captured.lines:
            found = _find_in(current, py_func)
    if found is None:
        raise TypingError(f"cannot compile {name}: {_why_mismatch(captured, py_func)}")
    return found


def _why_no_source(filename: str) -> str:
    if filename == "<stdin>":
        return (
            "it was typed at the interactive prompt or read from standard input, and Python "
            "keeps no source text there; define it in a file and import it (IPython, Jupyter, "
            "python -c and the prompt of Python 3.13 keep the text and also work)"
        )
    if filename.startswith("<") and filename.endswith(">"):
        return (
            f"it was created by exec() or compile() from a string (file name {filename!r}) "
            "whose text Python does not keep; define it in a file, or register the text "
            f"before compiling: linecache.cache[{filename!r}] = "
            f"(len(text), None, text.splitlines(True), {filename!r})"
        )
    return f"its source file {filename} cannot be read"


def _why_mismatch(captured: CapturedSource, py_func: FunctionType) -> str:
    line = py_func.__code__.co_firstlineno
    where = f"{captured.filename}, line {line}"
    if captured.from_command_line:
        return (
            f"the text at {where} (the program given with python -c) is not the code Python "
            "runs: the function was created by exec() or compile() from another string; "
            "compile that string under a file name of its own and register its text: "
            "linecache.cache[name] = (len(text), None, text.splitlines(True), name)"
        )
    return (
        f"the source text at {where} does not match the code Python runs: the file was "
        "changed after the function was imported (import it again, or restart), or the "
        "function was created by exec() or compile() from other text under this file name "
        "(register that text in linecache to compile it)"
    )


def _find_in(lines: list[str], py_func: FunctionType) -> FoundDefinition | None:
    code = py_func.__code__
    first = code.co_firstlineno
    if not 1 <= first <= len(lines):
        return None
    if code.co_name == "<lambda>":
        return _find_lambda(lines, py_func)
    try:
        block = inspect.getblock(lines[first - 1 :])
    except (SyntaxError, tokenize.TokenError, ValueError, IndexError):
        return None  # not the text of a definition
    text = "".join(block)
    indented = text[:1] in (" ", "\t")
    # An indented def (a method or a nested function) parses as the body of an `if`, which
    # keeps every column as it is in the file, unlike dedenting.
    tree = _parse("if True:\n" + text if indented else text)
    if tree is None or not tree.body:
        return None
    if indented:
        ast.increment_lineno(tree, first - 2)
        body = tree.body[0].body
    else:
        ast.increment_lineno(tree, first - 1)
        body = tree.body
    node = body[0]
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return None
    if not _matches(node, py_func, lines):
        return None
    if isinstance(node, ast.AsyncFunctionDef):
        raise TypingError(
            f"cannot compile {py_func.__qualname__}: coroutines ('async def') are not "
            "supported; compiled functions are plain 'def' functions"
        )
    return FoundDefinition(first, text, node)


def _find_lambda(lines: list[str], py_func: FunctionType) -> FoundDefinition | None:
    """A lambda is found in the parse of the whole text: it may sit inside any expression
    spread over many lines. Of the lambdas starting on its line, the one whose code is the
    function's."""
    first = py_func.__code__.co_firstlineno
    tree = _parse("".join(lines))
    context = _context_of(lines)
    if tree is None or context is None:
        return None
    matches = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Lambda)
        and node.lineno == first
        and _compiles_to(node, py_func, context)
    ]
    # A lambda that holds the function's lambda (`lambda: njit(lambda x: x)(1)`) compiles to
    # code that contains the function's code too: the innermost match is the function.
    for node in matches:
        if not any(other is not node and _contains(node, other) for other in matches):
            text = "".join(lines[first - 1 : node.end_lineno])
            return FoundDefinition(first, text, _as_def(node))
    return None


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    return any(node is inner for node in ast.walk(outer))


def _as_def(lambda_node: ast.Lambda) -> ast.FunctionDef:
    """``lambda args: body`` as ``def <lambda>(args): return body``, with the lambda's spans."""
    returned = ast.copy_location(ast.Return(value=lambda_node.body), lambda_node.body)
    function_def = ast.FunctionDef(
        name="<lambda>",
        args=lambda_node.args,
        body=[returned],
        decorator_list=[],
        returns=None,
        type_comment=None,
        **_TYPE_PARAMS,
    )
    return ast.copy_location(function_def, lambda_node)


def _parse(text: str) -> ast.Module | None:
    try:
        with _ast_lock:
            return ast.parse(text)
    except (SyntaxError, ValueError):  # ValueError: a null byte in the text
        return None


def _matches(node: ast.AST, py_func: FunctionType, lines: list[str]) -> bool:
    """Whether the parsed definition is the function's code. Compiled alone first (no cost
    beyond the function's own text); when that differs, again with what the module's top
    level tells the compiler (its imports and future features), read from the whole text."""
    if _compiles_to(node, py_func, ()):
        return True
    context = _context_of(lines)
    if context is None:
        return False
    if _compiles_to(node, py_func, context):
        return True
    # pytest compiles test modules with their assert statements rewritten (for its
    # messages); the text as written is the same program.
    rewrite = _pytest_rewrite(py_func)
    return (
        rewrite is not None
        and any(isinstance(n, ast.Assert) for n in ast.walk(node))
        and _compiles_to(node, py_func, context, lambda m: rewrite(m, "".join(lines).encode()))
    )


def _pytest_rewrite(py_func: FunctionType) -> Callable[[ast.Module, bytes], None] | None:
    """pytest's assert rewriting, when it loaded the function's module."""
    loader = py_func.__globals__.get("__loader__")
    rewriting = sys.modules.get("_pytest.assertion.rewrite")
    if rewriting is None or type(loader).__name__ != "AssertionRewritingHook":
        return None
    return getattr(rewriting, "rewrite_asserts", None)


# The module context of the texts compiled last, by identity: the functions of one module
# share its lines (linecache's list), so its text is parsed once, not once per function.
_contexts: OrderedDict[int, tuple[list[str], tuple[ast.stmt, ...] | None]] = OrderedDict()
_CONTEXTS_KEPT = 16


_contexts_lock = threading.Lock()  # loaders run under the GIL, but not in free-threaded builds


def _context_of(lines: list[str]) -> tuple[ast.stmt, ...] | None:
    with _contexts_lock:
        kept = _contexts.get(id(lines))
    if kept is not None and kept[0] is lines:
        return kept[1]
    tree = _parse("".join(lines))
    context = None if tree is None else _module_context(tree)
    with _contexts_lock:
        _contexts[id(lines)] = (lines, context)
        while len(_contexts) > _CONTEXTS_KEPT:
            _contexts.popitem(last=False)
    return context


def _module_context(tree: ast.Module) -> tuple[ast.stmt, ...]:
    """The statements of a module's top level that change how its functions compile: future
    imports, and imports, since CPython does not compile `name.method(...)` as a method call
    when `name` is imported at the top level of the module (3.11 to 3.13)."""
    found: list[ast.stmt] = []
    pending = list(tree.body)
    while pending:
        statement = pending.pop()
        if isinstance(statement, ast.ImportFrom) and statement.module == "__future__":
            found.insert(0, statement)  # first, where future imports must be
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            found.append(statement)
        elif not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for field in ("body", "orelse", "finalbody", "handlers", "cases"):
                for child in getattr(statement, field, ()):
                    pending.extend(getattr(child, "body", ()) if _is_clause(child) else [child])
    return tuple(found)


def _is_clause(node: ast.AST) -> bool:
    return isinstance(node, ast.ExceptHandler | ast.match_case)


def _compiles_to(
    node: ast.AST,
    py_func: FunctionType,
    context: tuple[ast.stmt, ...],
    transform: Callable[[ast.Module], None] | None = None,
) -> bool:
    """Whether CPython compiles the parsed definition to the function's code: the same
    bytecode, names, constants and flags (nested code objects alike). The definition is
    compiled after `context`, inside the functions and classes its qualified name gives
    (so that names resolve and mangle alike), the innermost function binding its free
    variables. `transform` (which may change the tree in place) runs before compiling."""
    code = py_func.__code__
    definition = copy.deepcopy(node) if transform else copy.copy(node)
    if isinstance(definition, ast.Lambda):
        definition = ast.Expr(value=definition)
    else:
        definition.decorator_list = []  # evaluated outside the function's code
    if transform:
        context = copy.deepcopy(context)
    module = ast.Module(body=[*context, *_enclosed(definition, code)], type_ignores=[])
    try:
        if transform:
            transform(module)
        _complete_locations(module)
        with _ast_lock:
            compiled = compile(module, code.co_filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, TypeError):
        return False
    expected = _fingerprint(code)
    return any(_fingerprint(c) == expected for c in _code_objects(compiled, code.co_name))


def _complete_locations(tree: ast.AST) -> None:
    """Positions for the nodes built here (and by pytest's rewriting) that have none: their
    start as their end, which keeps every range valid (a parent's end may lie before)."""
    for node in ast.walk(tree):
        if "lineno" not in node._attributes:
            continue
        if getattr(node, "lineno", None) is None:
            node.lineno, node.col_offset = 1, 0
        end = (getattr(node, "end_lineno", None), getattr(node, "end_col_offset", None))
        if None in end or end < (node.lineno, node.col_offset):
            node.end_lineno, node.end_col_offset = node.lineno, node.col_offset


def _enclosed(definition: ast.stmt, code: CodeType) -> list[ast.stmt]:
    scopes = _scopes(code.co_qualname)
    in_class = bool(scopes) and scopes[-1][0] == "class"
    free = [v for v in code.co_freevars if not (in_class and v == "__class__")]
    if free and not any(kind == "function" for kind, _ in scopes):
        scopes.append(("function", "<nogil scope>"))  # a qualified name that was replaced
    innermost_function = max(
        (i for i, (kind, _) in enumerate(scopes) if kind == "function"), default=-1
    )
    body = [definition]
    for depth in reversed(range(len(scopes))):
        kind, name = scopes[depth]
        if kind == "class":
            body = [
                ast.ClassDef(
                    name=name, bases=[], keywords=[], body=body, decorator_list=[], **_TYPE_PARAMS
                )
            ]
            continue
        if depth == innermost_function and free:
            body = [_bind_none(free), *body]
        arguments = ast.arguments(
            posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], defaults=[]
        )
        body = [
            ast.FunctionDef(
                name=name,
                args=arguments,
                body=body,
                decorator_list=[],
                returns=None,
                **_TYPE_PARAMS,
            )
        ]
    return body


def _scopes(qualname: str) -> list[tuple[str, str]]:
    """("function" or "class", name) of each scope around a definition, outermost first:
    `outer.<locals>.Class.method` is inside function `outer`, then class `Class`."""
    parts = qualname.split(".")[:-1]
    scopes, at = [], 0
    while at < len(parts):
        if at + 1 < len(parts) and parts[at + 1] == "<locals>":
            scopes.append(("function", parts[at]))
            at += 2
        else:
            scopes.append(("class", parts[at]))
            at += 1
    return scopes


def _bind_none(names: list[str]) -> ast.Assign:
    targets = [ast.Name(id=n, ctx=ast.Store()) for n in names]
    return ast.Assign(targets=targets, value=ast.Constant(value=None))


def enclosing_class(code: CodeType) -> str | None:
    """The class whose body defines the code, or None."""
    scopes = _scopes(code.co_qualname)
    return scopes[-1][1] if scopes and scopes[-1][0] == "class" else None


def _code_objects(code: CodeType, name: str) -> list[CodeType]:
    found, pending = [], [code]
    while pending:
        current = pending.pop()
        for const in current.co_consts:
            if isinstance(const, CodeType):
                if const.co_name == name:
                    found.append(const)
                pending.append(const)
    return found


def _fingerprint(code: CodeType) -> tuple:
    """What must agree between two code objects for them to run the same: not positions."""
    return (
        code.co_name,
        code.co_code,
        code.co_names,
        code.co_varnames,
        code.co_freevars,
        code.co_cellvars,
        code.co_argcount,
        code.co_posonlyargcount,
        code.co_kwonlyargcount,
        code.co_flags & ~_CO_NESTED,
        tuple(_constant_key(c) for c in code.co_consts),
    )


def _constant_key(value: object) -> object:
    if isinstance(value, CodeType):
        return _fingerprint(value)
    if isinstance(value, float | complex):  # nan != nan, and 0.0 == -0.0
        return (type(value), repr(value))
    if isinstance(value, tuple | frozenset):
        return (type(value), type(value)(_constant_key(v) for v in value))
    return (type(value), value)
