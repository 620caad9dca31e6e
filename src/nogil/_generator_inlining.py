"""A compiled generator function consumed by ``for`` (directly, through ``enumerate``, or
through ``sum``/``min``/``max``/``any``/``all``, which _iterable_reductions turns into
``for``), inlined into the loop when the consumer is loaded: each ``yield e`` becomes the
loop body run with the loop target bound to ``e``.

    for v in countdown(n):          n$g0_1 = n
        total += v          ->      while n$g0_1 > 0:
                                        v = n$g0_1
    @njit                               total += v
    def countdown(n):                   n$g0_1 -= 1
        while n > 0:
            yield n
            n -= 1

The result is the hand-written loop: no frame, no allocation, every optimisation of plain
loops. ``break`` and ``continue`` in the body, and ``return`` in the generator, become a
flag and ``break`` out of one-pass regions (``for _ in range(1)``), which LLVM removes:

    for v in g(): BODY     ->    $stop = False
                                 for $once in range(1):
                                     <g's body, where ``yield e`` is:>
                                         v = e
                                         for $body in range(1):
                                             BODY   (break -> $stop = True; break,
                                                     continue -> break)
                                         if $stop: break
                                     <after each of g's loops: if $stop: break>
                                     <g's ``return``: $stop = True; break>
                                 if not $stop: <the for's else clause>

Names starting with ``$`` are temporaries (no Python name contains ``$``).
The generator's names get a fresh suffix (its own scope); its free names keep their own
values (resolved from its module). Statements taken from the generator carry the position
of the consumer's ``for`` (errors there point at the loop that inlined it)."""

import ast
import builtins
import copy
import inspect
from collections.abc import Callable
from types import FunctionType
from typing import Any

from nogil import _core, _iterable_reductions, _rewriting, _source, _type_info
from nogil.errors import TypingError

FreeValues = Callable[[FunctionType, ast.FunctionDef], dict[str, Any]]

_MAX_DEPTH = 20  # generators inlined into generators; past it, recursion


def inline(
    function_def: ast.FunctionDef,
    py_func: FunctionType,
    optimize: int,
    free_values: FreeValues,
) -> tuple[ast.FunctionDef, dict[str, Any]]:
    """The tree with every ``for`` over a compiled generator's call inlined, and the values
    of the free names the inlined bodies brought in."""
    inliner = _Inliner(py_func, optimize, free_values, depth=0)
    if not inliner.generators(function_def):
        return function_def, {}
    function_def = copy.deepcopy(function_def)
    function_def.body = inliner.block(function_def.body)
    return function_def, inliner.values


def _resolve(py_func: FunctionType, name: str) -> Any:
    cells = dict(zip(py_func.__code__.co_freevars, py_func.__closure__ or (), strict=True))
    if name in cells:
        try:
            return cells[name].cell_contents
        except ValueError:
            return _MISSING
    if name in py_func.__globals__:
        return py_func.__globals__[name]
    return getattr(builtins, name, _MISSING)


_MISSING = object()


def _local_names(function_def: ast.FunctionDef) -> set[str]:
    params = function_def.args
    names = {a.arg for a in params.posonlyargs + params.args + params.kwonlyargs}
    for extra in (params.vararg, params.kwarg):
        if extra is not None:
            names.add(extra.arg)
    for node in ast.walk(function_def):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
    return names


def _is_generator_dispatcher(value: Any) -> bool:
    return isinstance(value, _core.Dispatcher) and inspect.isgeneratorfunction(value.py_func)


class _Inliner(_rewriting.StatementRewriter):
    def __init__(self, py_func: FunctionType, optimize: int, free_values: FreeValues, depth: int):
        self.py_func = py_func
        self.optimize = optimize
        self.free_values = free_values
        self.depth = depth
        self.values: dict[str, Any] = {}
        self.locals: set[str] = set()
        self.counter = 0

    def generators(self, function_def: ast.FunctionDef) -> set[str]:
        """Names called as a ``for`` loop's iterable that are compiled generators here."""
        self.locals = _local_names(function_def)
        found = set()
        for node in ast.walk(function_def):
            if isinstance(node, ast.For):
                call = _generator_call(node.iter)
                if call is not None and isinstance(call.func, ast.Name):
                    name = call.func.id
                    if name not in self.locals and _is_generator_dispatcher(
                        _resolve(self.py_func, name)
                    ):
                        found.add(name)
        self.found = found
        return found

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}$g{self.depth}_{self.counter}"

    def rewrite(self, stmt: ast.stmt) -> list[ast.stmt]:
        if isinstance(stmt, ast.For):
            call = _generator_call(stmt.iter)
            if call is not None and isinstance(call.func, ast.Name) and call.func.id in self.found:
                return self.inline_loop(stmt, call)
        return [stmt]

    def inline_loop(self, loop: ast.For, call: ast.Call) -> list[ast.stmt]:
        loop._file = self.py_func.__code__.co_filename  # named by refusals
        dispatcher = _resolve(self.py_func, call.func.id)  # type: ignore[attr-defined]
        if self.depth >= _MAX_DEPTH:
            name = call.func.id  # type: ignore[attr-defined]
            raise _refusal(loop, f"{name}() is a recursive generator: it cannot be inlined")
        for part in [loop.target, *loop.body, *loop.orelse, *call.args, *call.keywords]:
            for node in ast.walk(part):
                node._consumer = True  # keeps its own position in the consumer's text
        if isinstance(loop.iter, ast.Call) and loop.iter is not call:
            for node in ast.walk(loop.iter):
                node._consumer = True
        generator = self.load_generator(dispatcher, loop)
        suffix = self.fresh("")
        # Unused by the code, the generator stays among the frozen globals, so that its
        # source is part of the cache key of the function it was inlined into.
        self.values[f"$generator{suffix}"] = dispatcher
        renames = self.rename_scope(generator, dispatcher.py_func, suffix)
        body = _Renamer(renames).rename_block(generator.body)
        prelude = self.bind_arguments(generator, dispatcher.py_func, call, renames, loop)
        companions, generator_position = self.companions(loop, call, suffix, prelude)
        index = f"$index{suffix}" if companions else None
        if index is not None:
            prelude.append(ast.Assign([_store(index)], ast.Constant(0)))
        stop = f"$stop{suffix}"
        consumer = _ConsumerBody(loop.body, stop)
        returns = _has_return(body)
        ends_early = any(length is not None for _, _, length in companions)
        needs_stop = consumer.breaks or returns or ends_early
        expander = _Expander(loop, consumer, stop, needs_stop, index)
        expander.companions = companions
        expander.generator_position = generator_position
        expanded = expander.block(body)
        statements = list(prelude)
        if needs_stop:
            statements.append(ast.Assign([_store(stop)], ast.Constant(False)))
        if needs_stop:
            once = ast.For(_store(f"$once{suffix}"), _range1(), expanded, [])
            statements.append(once)
        else:
            statements.extend(expanded)
        if loop.orelse:
            if needs_stop:
                statements.append(ast.If(ast.UnaryOp(ast.Not(), _load(stop)), loop.orelse, []))
            else:
                statements.extend(loop.orelse)
        statements = [_relocated(s, call) for s in statements]
        return statements

    def companions(
        self, loop: ast.For, call: ast.Call, suffix: str, prelude: list[ast.stmt]
    ) -> tuple[list[tuple[int, Callable[[str], ast.expr], str | None]], int | None]:
        """What ``enumerate`` or ``zip`` adds beside the generator's item: for each, its
        position in the loop target, its item at index k, and the name of its length (None:
        endless); and the generator's position (None: the target takes the item itself)."""
        outer = loop.iter
        if outer is call:
            return [], None
        assert isinstance(outer, ast.Call) and isinstance(outer.func, ast.Name)
        target = loop.target
        width = 2 if outer.func.id == "enumerate" else len(outer.args)
        if not (isinstance(target, ast.Tuple) and len(target.elts) == width):
            what = f"{outer.func.id}() of a generator"
            raise _refusal(loop, f"a loop over {what} needs {width} names as its target")
        if outer.func.id == "enumerate":
            start = f"$start{suffix}"
            first = outer.args[1] if len(outer.args) > 1 else ast.Constant(0)
            prelude.append(ast.Assign([_store(start)], first))

            def counted(k: str) -> ast.expr:
                return ast.BinOp(_load(start), ast.Add(), _load(k))

            return [(0, counted, None)], 1
        if outer.args[0] is not call:
            raise _refusal(loop, "zip() takes a generator as its first argument only")
        found = []
        for position, arg in enumerate(outer.args[1:], start=1):
            if _generator_call(arg) is not None and isinstance(arg, ast.Call):
                callee = arg.func.id if isinstance(arg.func, ast.Name) else ""
                if callee in self.found:
                    raise _refusal(loop, "zip() of two generators is not supported")
            found.append((position, *_sequence(arg, f"{suffix}_{position}", prelude)))
        return found, 0

    def load_generator(self, dispatcher: Any, loop: ast.For) -> ast.FunctionDef:
        generator_func = dispatcher.py_func
        captured = dispatcher._captured_source
        function_def = copy.deepcopy(_source.find(captured, generator_func).function_def)
        for node in ast.walk(function_def):
            if isinstance(node, ast.YieldFrom | ast.Await):
                raise _refusal(loop, "'yield from' in a generator is not supported")
        function_def, folded = _type_info.fold(function_def, generator_func)
        self.values.update(folded)
        function_def = _iterable_reductions.rewrite(function_def, generator_func)
        _check_yields(function_def, loop)
        nested = _Inliner(generator_func, self.optimize, self.free_values, self.depth + 1)
        if nested.generators(function_def):
            function_def.body = nested.block(function_def.body)
            self.values.update(nested.values)
        return function_def

    def rename_scope(
        self, generator: ast.FunctionDef, generator_func: FunctionType, suffix: str
    ) -> dict[str, str]:
        """The generator's locals, and its free names whose value differs from the one the
        consumer sees, renamed; those free names' values recorded."""
        own = _local_names(generator)
        renames = {name: f"{name}{suffix}" for name in own}
        loaded = {
            node.id
            for node in ast.walk(generator)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        }
        free = self.free_values(generator_func, generator)
        for name in loaded - own:
            value = _resolve(generator_func, name)
            if name in self.locals or value is not _resolve(self.py_func, name):
                renames[name] = f"{name}{suffix}"
                for key, found in free.items():
                    if key == name or key.startswith(name + "."):
                        self.values[renames[name] + key[len(name) :]] = found
        return renames

    def bind_arguments(
        self,
        generator: ast.FunctionDef,
        generator_func: FunctionType,
        call: ast.Call,
        renames: dict[str, str],
        loop: ast.For,
    ) -> list[ast.stmt]:
        params = generator.args
        if params.vararg or params.kwarg or params.kwonlyargs or params.posonlyargs:
            raise _refusal(loop, "a generator inlined into a loop takes plain parameters only")
        names = [a.arg for a in params.args]
        if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            raise _refusal(loop, "a generator's call in a loop cannot unpack arguments")
        given: dict[str, ast.expr] = {}
        if len(call.args) > len(names):
            raise _refusal(loop, f"too many arguments for {generator.name}()")
        for name, value in zip(names, call.args, strict=False):
            given[name] = value
        for keyword in call.keywords:
            if keyword.arg not in names or keyword.arg in given:
                raise _refusal(loop, f"bad keyword argument {keyword.arg!r} for {generator.name}()")
            given[keyword.arg] = keyword.value  # type: ignore[index]
        defaults = generator_func.__defaults__ or ()
        first_default = len(names) - len(defaults)
        statements: list[ast.stmt] = []
        for index, name in enumerate(names):
            if name in given:
                value = given[name]
            elif index >= first_default:
                constant = f"{name}{renames[name][len(name) :]}$default"
                self.values[constant] = defaults[index - first_default]
                value = _load(constant)
            else:
                raise _refusal(loop, f"{generator.name}() is missing the argument {name!r}")
            statements.append(ast.Assign([_store(renames[name])], value))
        return statements


def _generator_call(iterable: ast.expr) -> ast.Call | None:
    """``g(...)`` of ``for x in g(...)`` or ``for i, x in enumerate(g(...)[, start])``."""
    if not isinstance(iterable, ast.Call):
        return None
    if (
        isinstance(iterable.func, ast.Name)
        and iterable.func.id == "enumerate"
        and 1 <= len(iterable.args) <= 2
        and not iterable.keywords
        and isinstance(iterable.args[0], ast.Call)
    ):
        return iterable.args[0]
    if (
        isinstance(iterable.func, ast.Name)
        and iterable.func.id == "zip"
        and iterable.args
        and not iterable.keywords
        and isinstance(iterable.args[0], ast.Call)
    ):
        return iterable.args[0]
    return iterable


def _sequence(
    arg: ast.expr, suffix: str, prelude: list[ast.stmt]
) -> tuple[Callable[[str], ast.expr], str]:
    """A zip() argument beside a generator: its item at index k and its length's name. A
    range keeps no object (its start, step and CPython's length formula); anything else is
    held once and indexed (an array: its elements, or rows)."""
    length = f"$length{suffix}"
    if _rewriting.is_range_call(arg):
        start, step = f"$start{suffix}", f"$step{suffix}"
        stop = f"$stop_at{suffix}"
        bounds = [*arg.args] if len(arg.args) > 1 else [ast.Constant(0), arg.args[0]]
        prelude.append(ast.Assign([_store(start)], bounds[0]))
        prelude.append(ast.Assign([_store(stop)], bounds[1]))
        prelude.append(
            ast.Assign([_store(step)], bounds[2] if len(bounds) > 2 else ast.Constant(1))
        )
        zero_step = ast.Call(
            _load("$builtin_ValueError"), [ast.Constant("range() arg 3 must not be zero")], []
        )
        prelude.append(
            ast.If(
                ast.Compare(_load(step), [ast.Eq()], [ast.Constant(0)]),
                [ast.Raise(zero_step, None)],
                [],
            )
        )
        # CPython: (stop - start + step - 1) // step for step > 0, mirrored for step < 0.
        upward = ast.BinOp(
            ast.BinOp(ast.BinOp(_load(stop), ast.Sub(), _load(start)), ast.Add(), _load(step)),
            ast.Sub(),
            ast.Constant(1),
        )
        downward = ast.BinOp(
            ast.BinOp(ast.BinOp(_load(start), ast.Sub(), _load(stop)), ast.Sub(), _load(step)),
            ast.Sub(),
            ast.Constant(1),
        )
        count = ast.IfExp(
            ast.Compare(_load(step), [ast.Gt()], [ast.Constant(0)]),
            ast.BinOp(upward, ast.FloorDiv(), _load(step)),
            ast.BinOp(downward, ast.FloorDiv(), ast.UnaryOp(ast.USub(), _load(step))),
        )
        prelude.append(ast.Assign([_store(length)], count))

        def ranged(k: str) -> ast.expr:
            return ast.BinOp(_load(start), ast.Add(), ast.BinOp(_load(k), ast.Mult(), _load(step)))

        return ranged, length
    held = f"$sequence{suffix}"
    prelude.append(ast.Assign([_store(held)], arg))
    prelude.append(ast.Assign([_store(length)], ast.Call(_load("$builtin_len"), [_load(held)], [])))

    def indexed(k: str) -> ast.expr:
        return ast.Subscript(_load(held), _load(k), ast.Load())

    return indexed, length


def _check_yields(function_def: ast.FunctionDef, loop: ast.For) -> None:
    """Yields only as statements, and not inside try blocks with handlers (the consumer's
    body runs where the yield stands; its exceptions must not reach the generator's
    handlers)."""
    statement_yields = set()
    for node in ast.walk(function_def):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield):
            statement_yields.add(id(node.value))
        if isinstance(node, ast.Try) and node.handlers:
            for inner in ast.walk(ast.Module(node.body, [])):
                if isinstance(inner, ast.Yield):
                    raise _refusal(
                        loop, "a generator with 'yield' inside try/except cannot be inlined"
                    )
    for node in ast.walk(function_def):
        if isinstance(node, ast.Yield) and id(node) not in statement_yields:
            raise _refusal(
                loop, "'yield' as a value (send()) is not supported; write it as a statement"
            )
        if (
            isinstance(node, ast.Return)
            and node.value is not None
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            raise _refusal(loop, "a generator's 'return value' is not supported in a loop")


def _has_return(stmts: list[ast.stmt]) -> bool:
    return any(isinstance(n, ast.Return) for s in stmts for n in ast.walk(s))


class _ConsumerBody:
    """The consumer loop's body, its top-level ``break``/``continue`` rewritten for the
    one-pass region it runs in at each yield."""

    def __init__(self, body: list[ast.stmt], stop: str):
        self.body = body
        self.stop = stop
        self.breaks = _jumps(body, ast.Break)
        self.continues = _jumps(body, ast.Continue)

    def at_yield(self) -> tuple[list[ast.stmt], bool]:
        """A copy of the body for one yield site, and whether it needs its region."""
        body = copy.deepcopy(self.body)
        if not (self.breaks or self.continues):
            return body, False
        return _rewrite_jumps(body, self.stop), True


def _jumps(stmts: list[ast.stmt], kind: type) -> bool:
    for stmt in stmts:
        if isinstance(stmt, kind):
            return True
        if isinstance(stmt, ast.For | ast.While):
            if _jumps(stmt.orelse, kind):
                return True
            continue
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list) and _jumps(inner, kind):
                return True
        for handler in getattr(stmt, "handlers", ()):
            if _jumps(handler.body, kind):
                return True
    return False


def _rewrite_jumps(stmts: list[ast.stmt], stop: str) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for stmt in stmts:
        if isinstance(stmt, ast.Break):
            out.extend([ast.Assign([_store(stop)], ast.Constant(True)), ast.Break()])
            continue
        if isinstance(stmt, ast.Continue):
            out.append(ast.Break())
            continue
        if isinstance(stmt, ast.For | ast.While):
            stmt.orelse = _rewrite_jumps(stmt.orelse, stop)
        else:
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    setattr(stmt, field, _rewrite_jumps(inner, stop))
            for handler in getattr(stmt, "handlers", ()):
                handler.body = _rewrite_jumps(handler.body, stop)
        out.append(stmt)
    return out


class _Expander(_rewriting.StatementRewriter):
    """The generator's body with each ``yield`` replaced by the consumer's body."""

    def __init__(
        self,
        loop: ast.For,
        consumer: _ConsumerBody,
        stop: str,
        needs_stop: bool,
        index: str | None,
    ):
        self.loop = loop
        self.consumer = consumer
        self.stop = stop
        self.needs_stop = needs_stop
        self.index = index
        self.companions: list[tuple[int, Callable[[str], ast.expr], str | None]] = []
        self.generator_position: int | None = None

    def statement(self, stmt: ast.stmt) -> list[ast.stmt]:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield):
            return self.at_yield(stmt.value)
        if isinstance(stmt, ast.Return):
            return [ast.Assign([_store(self.stop)], ast.Constant(True)), ast.Break()]
        contains = _contains_yield_or_return(stmt)
        if not contains:
            return [stmt]
        self.nested_blocks(stmt)
        if isinstance(stmt, ast.For | ast.While) and self.needs_stop:
            return [stmt, ast.If(_load(self.stop), [ast.Break()], [])]
        return [stmt]

    def at_yield(self, node: ast.Yield) -> list[ast.stmt]:
        """``target = e`` (with enumerate's or zip's other items; zip ends at its shortest
        argument, after the generator produced its item, as CPython's zip), then the body."""
        value = node.value if node.value is not None else ast.Constant(None)
        target = copy.deepcopy(self.loop.target)
        statements: list[ast.stmt] = []
        if self.index is None:
            statements.append(ast.Assign([target], copy.deepcopy(value)))
        else:
            parts = target.elts  # type: ignore[attr-defined]
            statements.append(ast.Assign([parts[self.generator_position]], copy.deepcopy(value)))
            for _, _, length in self.companions:
                if length is not None:
                    exhausted = ast.Compare(_load(self.index), [ast.GtE()], [_load(length)])
                    ended = [ast.Assign([_store(self.stop)], ast.Constant(True)), ast.Break()]
                    statements.append(ast.If(exhausted, ended, []))
            for position, item, _ in self.companions:
                statements.append(ast.Assign([parts[position]], item(self.index)))
            statements.append(
                ast.Assign(
                    [_store(self.index)],
                    ast.BinOp(_load(self.index), ast.Add(), ast.Constant(1)),
                )
            )
        body, in_region = self.consumer.at_yield()
        if in_region:
            statements.append(ast.For(_store(self.stop + "$body"), _range1(), body, []))
            if self.consumer.breaks:
                statements.append(ast.If(_load(self.stop), [ast.Break()], []))
        else:
            statements.extend(body)
        return statements


def _contains_yield_or_return(stmt: ast.stmt) -> bool:
    return any(isinstance(n, ast.Yield | ast.Return) for n in ast.walk(stmt))


class _Renamer(ast.NodeTransformer):
    def __init__(self, renames: dict[str, str]):
        self.renames = renames

    def rename_block(self, stmts: list[ast.stmt]) -> list[ast.stmt]:
        return [self.visit(s) for s in stmts]

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.renames:
            return ast.copy_location(ast.Name(self.renames[node.id], node.ctx), node)
        return node


def _refusal(loop: ast.For, message: str) -> TypingError:
    where = getattr(loop, "_file", "<unknown>")
    return TypingError(f"error: {message}\n  --> {where}:{loop.lineno}:{loop.col_offset + 1}")


def _range1() -> ast.Call:
    return ast.Call(_load("$builtin_range"), [ast.Constant(1)], [])


_load = _rewriting.load
_store = _rewriting.store


def _relocated(node: ast.AST, where: ast.AST) -> ast.AST:
    """Every node under ``node`` at ``where``'s position, except the consumer's own nodes,
    which keep theirs (they are in the consumer's text)."""
    for inner in ast.walk(node):
        if "lineno" in inner._attributes and not getattr(inner, "_consumer", False):
            ast.copy_location(inner, where)
    return node
