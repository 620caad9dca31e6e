"""``sum``, ``min``, ``max``, ``any`` and ``all`` of a generator expression or of one
iterable, rewritten when the function is loaded into the plain loop they stand for, placed
before the statement that uses them:

    total = sum(x * x for x in range(n) if x % 3)
->
    $sum1 = 0
    for x$2 in range(n):
        if x$2 % 3:
            $sum1 = $sum1 + x$2 * x$2
    total = $sum1

The loop is typed and lowered as any other ``for`` loop (range, array, enumerate, zip), so it
allocates nothing and runs as fast as the hand-written loop. Names holding the loop's state
start with ``$``, which no Python name contains, so they clash with none; a generator
expression's targets are renamed with a ``$`` suffix (its own scope, as in CPython).

A reduction on the right of ``and``/``or``, in a branch of ``x if c else y`` or in a later
link of a chained comparison turns that operator into ``if`` statements, so it runs only
where CPython runs it. It is not hoisted from an assert's message: there the generator
expression stays, and the compiler reports it as unsupported."""

import ast
import builtins
import copy
import functools
from collections.abc import Callable
from types import FunctionType
from typing import Any

from nogil import _rewriting

_REDUCERS = ("sum", "min", "max", "any", "all")


def rewrite(function_def: ast.FunctionDef, py_func: FunctionType) -> ast.FunctionDef:
    """The tree with every hoistable reduction of an iterable replaced by its loop."""
    names = _builtin_reducer_names(function_def, py_func)
    folds = _reduce_spellings(function_def, py_func)
    if not names and not folds:
        return function_def
    function_def = copy.deepcopy(function_def)  # the captured tree is kept as parsed
    rewriter = _Rewriter(names, _empty_messages())
    rewriter.folds = folds
    function_def.body = rewriter.block(function_def.body)
    return function_def


def _reduce_spellings(function_def: ast.FunctionDef, py_func: FunctionType) -> set[str]:
    """How the function names functools.reduce: ``reduce`` or ``functools.reduce`` (any
    module alias), read from its globals and closure cells as the free names are."""
    cells = dict(zip(py_func.__code__.co_freevars, py_func.__closure__ or (), strict=True))

    def value_of(name: str) -> Any:
        if name in cells:
            try:
                return cells[name].cell_contents
            except ValueError:
                return None
        return py_func.__globals__.get(name)

    found = set()
    for node in ast.walk(function_def):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and value_of(func.id) is functools.reduce:
            found.add(func.id)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "reduce"
            and isinstance(func.value, ast.Name)
            and value_of(func.value.id) is functools
        ):
            found.add(f"{func.value.id}.reduce")
    return found


def _spelling(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return None


def _builtin_reducer_names(function_def: ast.FunctionDef, py_func: FunctionType) -> set[str]:
    """The reducer names the function calls that are Python's builtins there (not shadowed
    by a local, a closure cell or a global)."""
    called = {
        node.func.id
        for node in ast.walk(function_def)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _REDUCERS
    }
    if not called:
        return set()
    params = function_def.args
    local = {a.arg for a in params.posonlyargs + params.args + params.kwonlyargs}
    if params.vararg:
        local.add(params.vararg.arg)
    if params.kwarg:
        local.add(params.kwarg.arg)
    for node in ast.walk(function_def):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            local.add(node.id)
    cells = dict(zip(py_func.__code__.co_freevars, py_func.__closure__ or (), strict=True))
    found = set()
    for name in called - local:
        if name in cells:
            try:
                value = cells[name].cell_contents
            except ValueError:
                continue
        else:
            value = py_func.__globals__.get(name, getattr(builtins, name))
        if value is getattr(builtins, name):
            found.add(name)
    return found


def _empty_messages() -> dict[str, str]:
    """CPython's own message for min()/max() of an empty iterable (it changed in 3.12)."""
    messages = {}
    for name in ("min", "max"):
        try:
            getattr(builtins, name)(())
        except ValueError as error:
            messages[name] = str(error)
    return messages


class _Rewriter(_rewriting.StatementRewriter):
    def __init__(self, names: set[str], empty_messages: dict[str, str]):
        self.names = names
        self.empty_messages = empty_messages
        self.counter = 0
        self.folds: set[str] = set()  # how functools.reduce is spelled here

    def fresh(self, stem: str) -> str:
        """A renamed target (``x$1``) or, for a temporary, ``$stem1``; temporaries are read
        only where assigned, and compiled code checks no binding for them."""
        self.counter += 1
        return f"{stem}${self.counter}"

    def temporary(self, stem: str) -> str:
        self.counter += 1
        return f"${stem}{self.counter}"

    # Statements.

    def rewrite(self, stmt: ast.stmt) -> list[ast.stmt]:
        if isinstance(stmt, ast.While):
            return self.while_loop(stmt)
        prelude: list[ast.stmt] = []
        hoister = _Hoister(self, prelude)
        for field in _HEADER_FIELDS.get(type(stmt), ()):
            value = getattr(stmt, field, None)
            if isinstance(value, ast.expr):
                setattr(stmt, field, hoister.visit(value))
            elif isinstance(value, list):
                setattr(stmt, field, [hoister.visit(v) for v in value])
        return [*prelude, stmt]

    def while_loop(self, loop: ast.While) -> list[ast.stmt]:
        """``while t: body`` with a reduction in ``t`` -> ``while True: <loop for t>; if not
        t: break; body`` (``continue`` still re-evaluates the test). An ``else`` clause runs
        after the loop when the test ended it (a flag), not after a ``break``."""
        prelude: list[ast.stmt] = []
        test = _Hoister(self, prelude).visit(loop.test)
        if not prelude:
            return [loop]
        exit_body: list[ast.stmt] = [ast.Break()]
        before: list[ast.stmt] = []
        after: list[ast.stmt] = []
        if loop.orelse:
            finished = self.temporary("while_done")
            before = [_located(ast.Assign([_store(finished, loop)], ast.Constant(False)), loop)]
            exit_body.insert(0, ast.Assign([_store(finished, loop)], ast.Constant(True)))
            after = [_located(ast.If(_load(finished, loop), loop.orelse, []), loop)]
            loop.orelse = []
        exit_test = _located(ast.If(ast.UnaryOp(ast.Not(), test), exit_body, []), loop.test)
        loop.test = _located(ast.Constant(True), loop.test)
        loop.body = [*prelude, exit_test, *loop.body]
        return [*before, loop, *after]

    # Reductions.

    def reduction(self, call: ast.Call) -> tuple[list[ast.stmt], ast.expr] | None:
        """The statements computing ``call`` and the name holding its value, or None when
        the call is not a reduction of one iterable this rewrite knows."""
        name = call.func.id  # type: ignore[attr-defined]
        if len(call.args) < 1 or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        keywords = {k.arg: k.value for k in call.keywords}
        if None in keywords:
            return None
        if name == "sum":
            if len(call.args) > 2 or set(keywords) - {"start"}:
                return None
            if len(call.args) == 2 and keywords:
                return None
            start = call.args[1] if len(call.args) == 2 else keywords.get("start")
            return self.sum(call, start)
        if name in ("min", "max"):
            key = keywords.get("key")
            if isinstance(key, ast.Constant) and key.value is None:
                key = None  # key=None: the items themselves, as CPython
            if len(call.args) >= 2 and set(keywords) == {"key"}:
                if key is None:  # min(a, b, key=None) is min(a, b)
                    call.keywords = []
                    return None
                return self.extremum_of_arguments(call, name, key)
            if len(call.args) != 1 or set(keywords) - {"default", "key"}:
                return None
            return self.extremum(call, name, keywords.get("default"), key)
        if len(call.args) != 1 or keywords:
            return None
        return self.any_all(call, name)

    def loops(
        self,
        call: ast.Call,
        leaf: Callable[[ast.expr], list[ast.stmt]],
        stop: Callable[[], ast.expr] | None,
    ) -> list[ast.stmt]:
        """The nested ``for`` loops (and ``if`` filters) of the call's generator expression,
        or one loop over its argument, around ``leaf``; once ``stop`` holds, every level
        ends."""
        source = call.args[0]
        if isinstance(source, ast.GeneratorExp):
            generators = source.generators
            if any(g.is_async for g in generators):
                return []
            renames: dict[str, str] = {}
            for generator in generators:
                for target in ast.walk(generator.target):
                    if isinstance(target, ast.Name):
                        renames.setdefault(target.id, self.fresh(target.id))
            element = _Renamer(renames).visit(source.elt)
            clauses = [
                (
                    _Renamer(renames).visit(g.target),
                    g.iter if i == 0 else _Renamer(renames).visit(g.iter),
                    [_Renamer(renames).visit(c) for c in g.ifs],
                )
                for i, g in enumerate(generators)
            ]
        else:
            value_name = self.temporary("item")
            element = _located(ast.Name(value_name, ast.Load()), source)
            clauses = [(_located(ast.Name(value_name, ast.Store()), source), source, [])]
        body = leaf(element)
        for depth in reversed(range(len(clauses))):
            target, iterable, conditions = clauses[depth]
            if conditions:
                test = conditions[0] if len(conditions) == 1 else ast.BoolOp(ast.And(), conditions)
                body = [_located(ast.If(test, body, []), conditions[0])]
            loop = _located(ast.For(target, iterable, body, []), call)
            body = [loop]
            if stop is not None and depth > 0:
                body.append(_located(ast.If(stop(), [ast.Break()], []), call))
        return body

    def sum(self, call: ast.Call, start: ast.expr | None):
        total = self.temporary("sum")
        initial = start if start is not None else ast.Constant(0)

        def leaf(element):
            added = ast.BinOp(_load(total, call), ast.Add(), element)
            return [_located(ast.Assign([_store(total, call)], added), element)]

        loops = self.loops(call, leaf, None)
        if not loops:
            return None
        return [_located(ast.Assign([_store(total, call)], initial), call), *loops], total

    def extremum(
        self, call: ast.Call, name: str, default: ast.expr | None, key: ast.expr | None = None
    ):
        best = self.temporary(name)
        empty = self.temporary(f"{name}_empty")
        candidate = self.temporary(f"{name}_item")
        # With key=f, items compare by f(item) (called once per item, as CPython's).
        best_key = self.temporary(f"{name}_key") if key else best
        candidate_key = self.temporary(f"{name}_item_key") if key else candidate
        better = ast.Gt() if name == "max" else ast.Lt()

        def leaf(element):
            keyed = []
            if key is not None:
                computed = ast.Call(copy.deepcopy(key), [_load(candidate, call)], [])
                keyed = [_located(ast.Assign([_store(candidate_key, call)], computed), element)]
            update = [ast.Assign([_store(best, call)], _load(candidate, call))]
            if key is not None:
                update.append(ast.Assign([_store(best_key, call)], _load(candidate_key, call)))
            compare = ast.Compare(_load(candidate_key, call), [better], [_load(best_key, call)])
            return [
                _located(ast.Assign([_store(candidate, call)], element), element),
                *keyed,
                # One branch, `empty or candidate > best`: LLVM makes it a select.
                _located(
                    ast.If(
                        ast.BoolOp(ast.Or(), [_load(empty, call), compare]),
                        [*update, ast.Assign([_store(empty, call)], ast.Constant(False))],
                        [],
                    ),
                    call,
                ),
            ]

        loops = self.loops(call, leaf, None)
        if not loops:
            return None
        if default is not None:
            on_empty: list[ast.stmt] = [ast.Assign([_store(best, call)], default)]
        else:
            error = ast.Call(
                _load("$builtin_ValueError", call), [ast.Constant(self.empty_messages[name])], []
            )
            on_empty = [ast.Raise(error, None)]
        statements = [
            _located(ast.Assign([_store(empty, call)], ast.Constant(True)), call),
            *loops,
            _located(ast.If(_load(empty, call), on_empty, []), call),
        ]
        return statements, best

    def extremum_of_arguments(self, call: ast.Call, name: str, key: ast.expr):
        """``min(a, b, ..., key=f)``: the arguments evaluated first, then compared by their
        keys, each computed once; the first of equal ones wins, as in CPython."""
        best = self.temporary(name)
        best_key = self.temporary(f"{name}_key")
        better = ast.Gt() if name == "max" else ast.Lt()
        items = [self.temporary(f"{name}_arg") for _ in call.args]
        statements: list[ast.stmt] = [
            _located(ast.Assign([_store(item, call)], arg), arg)
            for item, arg in zip(items, call.args, strict=True)
        ]
        keyed = ast.Call(copy.deepcopy(key), [_load(items[0], call)], [])
        statements.append(_located(ast.Assign([_store(best_key, call)], keyed), call))
        statements.append(_located(ast.Assign([_store(best, call)], _load(items[0], call)), call))
        for item in items[1:]:
            item_key = self.temporary(f"{name}_arg_key")
            keyed = ast.Call(copy.deepcopy(key), [_load(item, call)], [])
            statements.append(_located(ast.Assign([_store(item_key, call)], keyed), call))
            compare = ast.Compare(_load(item_key, call), [better], [_load(best_key, call)])
            update = [
                ast.Assign([_store(best, call)], _load(item, call)),
                ast.Assign([_store(best_key, call)], _load(item_key, call)),
            ]
            statements.append(_located(ast.If(compare, update, []), call))
        return statements, best

    def fold(self, call: ast.Call) -> tuple[list[ast.stmt], str] | None:
        """``functools.reduce(f, items[, initial])``: the loop it stands for; without an
        initial value the first item starts, and no item raises CPython's TypeError."""
        if call.keywords or not 2 <= len(call.args) <= 3:
            return None
        if any(isinstance(a, ast.Starred) for a in call.args):
            return None
        function, items = call.args[0], call.args[1]
        total = self.temporary("reduce")
        empty = self.temporary("reduce_empty")
        source = _located(ast.Call(call.func, [items], []), call)

        def combined(element):
            folded = ast.Call(copy.deepcopy(function), [_load(total, call), element], [])
            return ast.Assign([_store(total, call)], folded)

        if len(call.args) == 3:

            def leaf(element):
                return [_located(combined(element), element)]

            loops = self.loops(source, leaf, None)
            start = ast.Assign([_store(total, call)], call.args[2])
            return ([_located(start, call), *loops], total) if loops else None

        def first_or_fold(element):
            first = [
                ast.Assign([_store(total, call)], element),
                ast.Assign([_store(empty, call)], ast.Constant(False)),
            ]
            element_again = copy.deepcopy(element)
            return [_located(ast.If(_load(empty, call), first, [combined(element_again)]), element)]

        loops = self.loops(source, first_or_fold, None)
        if not loops:
            return None
        message = ast.Constant("reduce() of empty iterable with no initial value")
        error = ast.Call(_load("$builtin_TypeError", call), [message], [])
        return [
            _located(ast.Assign([_store(empty, call)], ast.Constant(True)), call),
            *loops,
            _located(ast.If(_load(empty, call), [ast.Raise(error, None)], []), call),
        ], total

    def any_all(self, call: ast.Call, name: str):
        found = self.temporary(name)
        wanted = name == "any"  # any() stops at the first true element, all() at a false one

        def leaf(element):
            test = element if wanted else ast.UnaryOp(ast.Not(), element)
            hit = [ast.Assign([_store(found, call)], ast.Constant(wanted)), ast.Break()]
            return [_located(ast.If(test, hit, []), element)]

        def stop():
            flag = _load(found, call)
            return flag if wanted else ast.UnaryOp(ast.Not(), flag)

        loops = self.loops(call, leaf, stop)
        if not loops:
            return None
        return [
            _located(ast.Assign([_store(found, call)], ast.Constant(not wanted)), call),
            *loops,
        ], found


# Where each statement evaluates expressions before anything else it does.
_HEADER_FIELDS: dict[type, tuple[str, ...]] = {
    ast.Expr: ("value",),
    ast.Assign: ("value", "targets"),
    ast.AugAssign: ("value", "target"),
    ast.AnnAssign: ("value", "target"),
    ast.Return: ("value",),
    ast.If: ("test",),
    ast.For: ("iter",),
    ast.Assert: ("test",),
    ast.Raise: ("exc", "cause"),
}


class _Hoister(ast.NodeTransformer):
    """Replaces each reduction in an always-evaluated position by the name holding its
    value, appending the statements computing it to ``prelude`` (in evaluation order)."""

    def __init__(self, rewriter: _Rewriter, prelude: list[ast.stmt]):
        self.rewriter = rewriter
        self.prelude = prelude

    def visit_Call(self, node: ast.Call) -> ast.AST:
        built = None
        if _spelling(node.func) in self.rewriter.folds:
            built = self.rewriter.fold(node)
        elif isinstance(node.func, ast.Name) and node.func.id in self.rewriter.names:
            built = self.rewriter.reduction(node)
        if built is not None:
            statements, result = built
            self.prelude.extend(self.rewriter.block(statements))
            return ast.copy_location(ast.Name(result, ast.Load()), node)
        return self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.AST:
        """``a or sum(...)`` -> ``$t = a; if not $t: <loop>; $t = $sum``: the operand is
        computed only where CPython computes it."""
        node.values[0] = self.visit(node.values[0])
        if not any(self.has_reduction(v) for v in node.values[1:]):
            return node
        result = self.rewriter.temporary("operand")
        statements: list[ast.stmt] = [ast.Assign([_store(result, node)], node.values[0])]
        innermost = statements
        for value in node.values[1:]:
            prelude: list[ast.stmt] = []
            value = _Hoister(self.rewriter, prelude).visit(value)
            branch = [*prelude, ast.Assign([_store(result, node)], value)]
            test = _load(result, node)
            if isinstance(node.op, ast.Or):
                test = ast.UnaryOp(ast.Not(), test)
            innermost.append(ast.If(test, branch, []))
            innermost = branch
        self.prelude.extend(_located(stmt, node) for stmt in statements)
        return _load(result, node)

    def visit_IfExp(self, node: ast.IfExp) -> ast.AST:
        """``x if c else max(...)`` -> ``if c: $t = x`` / ``else: <loop>; $t = $max``."""
        node.test = self.visit(node.test)
        if not (self.has_reduction(node.body) or self.has_reduction(node.orelse)):
            return node
        result = self.rewriter.temporary("choice")
        branches = []
        for value in (node.body, node.orelse):
            prelude: list[ast.stmt] = []
            value = _Hoister(self.rewriter, prelude).visit(value)
            branches.append([*prelude, ast.Assign([_store(result, node)], value)])
        self.prelude.append(_located(ast.If(node.test, branches[0], branches[1]), node))
        return _load(result, node)

    def has_reduction(self, node: ast.AST) -> bool:
        return any(
            isinstance(n, ast.Call)
            and (
                (isinstance(n.func, ast.Name) and n.func.id in self.rewriter.names)
                or _spelling(n.func) in self.rewriter.folds
            )
            for n in ast.walk(node)
        )

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        """``a < b < max(...)`` -> ``$r = a < ($m := b)``, then ``if $r: <loop>; $r = $m <
        $max``: each operand computed once, a later one only where CPython computes it."""
        node.left = self.visit(node.left)
        node.comparators[0] = self.visit(node.comparators[0])
        if not any(self.has_reduction(c) for c in node.comparators[1:]):
            return node
        result = self.rewriter.temporary("compare")
        previous = self.rewriter.temporary("operand")
        statements: list[ast.stmt] = [
            ast.Assign([_store(previous, node)], node.comparators[0]),
            ast.Assign(
                [_store(result, node)],
                ast.Compare(node.left, [node.ops[0]], [_load(previous, node)]),
            ),
        ]
        innermost = statements
        for op, comparator in zip(node.ops[1:], node.comparators[1:], strict=True):
            prelude: list[ast.stmt] = []
            comparator = _Hoister(self.rewriter, prelude).visit(comparator)
            current = self.rewriter.temporary("operand")
            branch = [
                *prelude,
                ast.Assign([_store(current, node)], comparator),
                ast.Assign(
                    [_store(result, node)],
                    ast.Compare(_load(previous, node), [op], [_load(current, node)]),
                ),
            ]
            innermost.append(ast.If(_load(result, node), branch, []))
            innermost = branch
            previous = current
        self.prelude.extend(_located(stmt, node) for stmt in statements)
        return _load(result, node)

    def _leave(self, node: ast.AST) -> ast.AST:
        return node  # its own scope: evaluated later, or never

    visit_GeneratorExp = visit_ListComp = visit_SetComp = visit_DictComp = _leave
    visit_Lambda = _leave


class _Renamer(ast.NodeTransformer):
    """Renames a generator expression's targets in its body; a nested scope binding the same
    name hides it there."""

    def __init__(self, renames: dict[str, str]):
        self.renames = renames

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.renames:
            return ast.copy_location(ast.Name(self.renames[node.id], node.ctx), node)
        return node

    def _comprehension(self, node: Any) -> ast.AST:
        generators = node.generators
        generators[0].iter = self.visit(generators[0].iter)
        bound = {t.id for g in generators for t in ast.walk(g.target) if isinstance(t, ast.Name)}
        inner = _Renamer({k: v for k, v in self.renames.items() if k not in bound})
        for i, generator in enumerate(generators):
            if i > 0:
                generator.iter = inner.visit(generator.iter)
            generator.ifs = [inner.visit(c) for c in generator.ifs]
        for field in ("elt", "key", "value"):
            if hasattr(node, field):
                setattr(node, field, inner.visit(getattr(node, field)))
        return node

    visit_GeneratorExp = visit_ListComp = visit_SetComp = visit_DictComp = _comprehension

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        args = node.args
        bound = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        node.body = _Renamer({k: v for k, v in self.renames.items() if k not in bound}).visit(
            node.body
        )
        return node


def _load(name: str, where: ast.AST) -> ast.Name:
    return ast.copy_location(ast.Name(name, ast.Load()), where)


def _store(name: str, where: ast.AST) -> ast.Name:
    return ast.copy_location(ast.Name(name, ast.Store()), where)


def _located(node: ast.AST, where: ast.AST) -> ast.AST:
    """``node`` and every node under it without a position take ``where``'s."""
    for inner in ast.walk(node):
        if "lineno" in inner._attributes and getattr(inner, "lineno", None) is None:
            ast.copy_location(inner, where)
    return node
