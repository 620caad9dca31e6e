"""A compiled generator function as a resumable step function: the body becomes a state
machine over the generator's frame, which the caller keeps between steps.

    @njit                                def gen$step($state, n, i, $yielded, $returned):
    def gen(n):                              while True:
        i = 0                                    if $state == 0:
        while i < n:            ->                   i = 0
            yield i * i                              $state = 1; continue
            i += 1                               elif $state == 1:
                                                     if i < n: $state = 2; continue
                                                     return (-1, n, i, $yielded, $returned)
                                                 elif $state == 2:
                                                     $yielded = i * i
                                                     return (3, n, i, $yielded, $returned)
                                                 elif $state == 3:
                                                     i += 1
                                                     $state = 1; continue

Each ``yield`` ends a step: the step returns the state to resume at and the whole frame
(parameters, locals, the loop counters of the loops a ``yield`` sits in, the yielded value
and the ``return`` value); ``-1`` means the generator returned. Statements without a
``yield`` stay as they are (their loops keep every optimisation); only the blocks around a
``yield`` are split. The frame's types are the typer's (a probe: the same body with the frame
as locals); the first step receives a placeholder of each type for what is not bound yet.
Names starting with ``$`` are temporaries (no Python name contains ``$``)."""

import ast
import copy

from nogil import _rewriting
from nogil._rewriting import load, located, store
from nogil.errors import Diagnostic, TypingError

STATE = "$state"
YIELDED = "$yielded"
RETURNED = "$returned"
FINISHED = -1  # returned without a value
FINISHED_WITH_VALUE = -2  # returned `$returned`


class Unsupported(Exception):
    """A construct the state machine does not build yet, with the node that holds it."""

    def __init__(self, message: str, node: ast.AST):
        super().__init__(message)
        self.node = node


def _has_yield(node: ast.AST) -> bool:
    return any(isinstance(inner, ast.Yield | ast.YieldFrom) for inner in _walk_own(node))


def _walk_own(node: ast.AST):
    """ast.walk without entering nested functions, lambdas and classes."""
    todo = [node]
    while todo:
        current = todo.pop()
        yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, ast.FunctionDef | ast.Lambda | ast.ClassDef):
                todo.append(child)


def check_yields(function_def: ast.FunctionDef) -> None:
    """Refuses, before any other construct, a yield the state machine cannot resume from:
    ``yield from``, ``yield`` as a value, and a ``yield`` of None."""
    statements = {
        id(node.value)
        for node in _walk_own(function_def)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield)
    }
    found = [
        node
        for node in _walk_own(function_def)
        if isinstance(node, ast.YieldFrom)
        or (isinstance(node, ast.Yield) and id(node) not in statements)
    ]
    if found:
        first = min(found, key=lambda n: (n.lineno, n.col_offset))
        what = "'yield from'" if isinstance(first, ast.YieldFrom) else "'yield' as a value"
        raise Unsupported(f"{what} (in a generator object) is not supported", first)


class StepBuilder:
    """Splits a generator's body into numbered blocks, each ending by a jump or a return."""

    def __init__(self, function_def: ast.FunctionDef, inline: bool = False):
        self.function_def = function_def
        self.inline = inline  # the blocks go into a consumer's code, not a step function
        self.blocks: list[list[ast.stmt]] = []
        self.current: list[ast.stmt] | None = None
        self.loops: list[tuple[int, int]] = []  # (continue state, break state)
        self.temporaries: list[str] = []
        self.returns_value = False
        # The except clauses around the code being split, innermost last: (handler types,
        # block) per clause; each block started among them runs inside them.
        self.handlers: list[list[tuple[ast.expr | None, int]]] = []
        self.block_handlers: dict[int, list[list[tuple[ast.expr | None, int]]]] = {}
        self.invariant = _invariant_params(function_def)

    def fresh(self, stem: str) -> str:
        name = f"${stem}{len(self.temporaries)}"
        self.temporaries.append(name)
        return name

    def new_block(self) -> int:
        self.blocks.append([])
        return len(self.blocks) - 1

    def start(self, block: int) -> None:
        self.current = self.blocks[block]
        if self.handlers:
            self.block_handlers[block] = list(self.handlers)

    def emit(self, *stmts: ast.stmt) -> None:
        if self.current is None:  # after a jump: unreachable, as after a return in Python
            return
        self.current.extend(stmts)

    def jump(self, block: int, where: ast.AST) -> list[ast.stmt]:
        return [
            located(ast.Assign([store(STATE)], ast.Constant(block)), where),
            located(ast.Continue(), where),
        ]

    def leave(self, state: int, where: ast.AST) -> list[ast.stmt]:
        """Ends the step: `return (state, frame...)` (the frame's names are filled in by
        `build_step`); inlined into a consumer, `$state = state` and out of the dispatch."""
        if self.inline:
            return [
                located(ast.Assign([store(STATE)], ast.Constant(state)), where),
                located(ast.Break(), where),
            ]
        node = ast.Return(ast.Tuple([ast.Constant(state)], ast.Load()))
        node._frame_return = True
        return [located(node, where)]

    def build(self) -> list[ast.stmt]:
        check_yields(self.function_def)
        self.start(self.new_block())
        self.block(self.function_def.body)
        self.emit(*self.leave(FINISHED, self.function_def))
        return self.blocks

    def block(self, stmts: list[ast.stmt]) -> None:
        for stmt in stmts:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        if not _has_yield(stmt):
            self.emit(*self.plain(stmt))
            return
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield):
            self.yield_(stmt.value, stmt)
        elif isinstance(stmt, ast.If):
            self.if_(stmt)
        elif isinstance(stmt, ast.While):
            self.while_(stmt)
        elif isinstance(stmt, ast.For):
            self.for_(stmt)
        elif isinstance(stmt, ast.Try) and self.splittable_try(stmt):
            self.try_(stmt)
        elif isinstance(stmt, ast.Try | ast.TryStar | ast.With):
            raise Unsupported(
                "'yield' inside 'try' with 'finally', with 'except ... as name' or a bare "
                "'raise', or inside 'with' (in a generator object) is not supported",
                stmt,
            )
        else:
            found = next(n for n in _walk_own(stmt) if isinstance(n, ast.Yield | ast.YieldFrom))
            what = "'yield from'" if isinstance(found, ast.YieldFrom) else "'yield' as a value"
            raise Unsupported(f"{what} (in a generator object) is not supported", found)

    def yield_(self, node: ast.Yield, stmt: ast.stmt) -> None:
        value = node.value
        if value is None or (isinstance(value, ast.Constant) and value.value is None):
            raise Unsupported("'yield' of None (in a generator object) is not supported", node)
        resume = self.new_block()
        self.emit(
            located(ast.Assign([store(YIELDED)], value), stmt),
            *self.leave(resume, stmt),
        )
        self.start(resume)

    @staticmethod
    def splittable_try(stmt: ast.Try) -> bool:
        """`try`/`except`/`else` whose handlers bind no name (an exception is no value in
        compiled code) and re-raise nothing (a handler runs as a block of its own, after
        the `try` was left)."""
        return (
            not stmt.finalbody
            and bool(stmt.handlers)
            and not any(
                h.name or any(isinstance(n, ast.Raise) and n.exc is None for n in _walk_own(h))
                for h in stmt.handlers
            )
        )

    def try_(self, stmt: ast.Try) -> None:
        """Each block of the body runs inside the clauses' types, which jump to the clause."""
        body, orelse, done = self.new_block(), self.new_block(), self.new_block()
        clauses = [(handler.type, self.new_block()) for handler in stmt.handlers]
        self.goto(body, stmt)
        self.handlers.append(clauses)
        self.start(body)
        self.block(stmt.body)
        self.handlers.pop()
        self.goto(orelse, stmt)
        for handler, (_, block) in zip(stmt.handlers, clauses, strict=True):
            self.start(block)
            self.block(handler.body)
            self.goto(done, stmt)
        self.start(orelse)
        self.block(stmt.orelse)
        self.goto(done, stmt)
        self.start(done)

    def wrapped(self, number: int) -> list[ast.stmt]:
        """Block `number`'s statements inside the except clauses it was started among."""
        body = self.blocks[number] or [ast.Pass()]
        for clauses in reversed(self.block_handlers.get(number, [])):
            handlers = [
                ast.ExceptHandler(copy.deepcopy(kind), None, self.jump(block, kind or body[0]))
                for kind, block in clauses
            ]
            body = [located(ast.Try(body, handlers, [], []), body[0])]
        return body

    def goto(self, block: int, where: ast.AST) -> None:
        self.emit(*self.jump(block, where))
        self.current = None

    def if_(self, stmt: ast.If) -> None:
        then, otherwise, join = self.new_block(), self.new_block(), self.new_block()
        self.emit(located(ast.If(stmt.test, self.jump(then, stmt), []), stmt))
        self.goto(otherwise, stmt)
        self.start(then)
        self.block(stmt.body)
        self.goto(join, stmt)
        self.start(otherwise)
        self.block(stmt.orelse)
        self.goto(join, stmt)
        self.start(join)

    def loop(self, stmt: ast.While | ast.For, test: ast.expr, bind: list[ast.stmt]) -> None:
        head, body, orelse, done = (self.new_block() for _ in range(4))
        self.goto(head, stmt)
        self.start(head)
        self.emit(located(ast.If(test, bind + self.jump(body, stmt), []), stmt))
        self.goto(orelse, stmt)
        self.start(body)
        self.loops.append((head, done))
        self.block(stmt.body)
        self.loops.pop()
        self.goto(head, stmt)
        self.start(orelse)
        self.block(stmt.orelse)
        self.goto(done, stmt)
        self.start(done)

    def while_(self, stmt: ast.While) -> None:
        if _has_yield(stmt.test):
            raise Unsupported("'yield' in a while loop's test is not supported", stmt.test)
        self.loop(stmt, stmt.test, [])

    def for_(self, stmt: ast.For) -> None:
        if _has_yield(stmt.iter) or _has_yield(stmt.target):
            raise Unsupported("'yield' in a for loop's iterable is not supported", stmt.iter)
        index, end = self.fresh("index"), self.fresh("end")
        if _rewriting.is_range_call(stmt.iter):
            args = stmt.iter.args
            start, stop, step = (
                (ast.Constant(0), args[0], ast.Constant(1))
                if len(args) == 1
                else (args[0], args[1], args[2] if len(args) == 3 else ast.Constant(1))
            )
            step_name = self.fresh("step")
            zero_step = _parse_stmt(
                f"if {_py(step_name)} == 0:\n    raise ValueError('range() arg 3 must not be zero')"
            )
            self.emit(
                located(ast.Assign([store(index)], start), stmt),
                located(ast.Assign([store(end)], stop), stmt),
                located(ast.Assign([store(step_name)], step), stmt),
                located(zero_step, stmt),
            )
            test = _parse_expr(
                f"({_py(step_name)} > 0 and {_py(index)} < {_py(end)}) or "
                f"({_py(step_name)} < 0 and {_py(index)} > {_py(end)})"
            )
            advance = f"{_py(index)} += {_py(step_name)}"
            bind = [ast.Assign([stmt.target], load(index)), ast.parse(advance).body[0]]
        else:
            if isinstance(stmt.iter, ast.Name) and stmt.iter.id in self.invariant:
                iterable = stmt.iter.id  # never rebound: the loop may read it in place
            else:
                iterable = self.fresh("iterable")
                self.emit(located(ast.Assign([store(iterable)], stmt.iter), stmt))
            self.emit(located(ast.Assign([store(index)], ast.Constant(0)), stmt))
            test = _parse_expr(f"{_py(index)} < len({_py(iterable)})")
            element = ast.Subscript(load(iterable), load(index), ast.Load())
            bind = [ast.Assign([stmt.target], element), ast.parse(f"{_py(index)} += 1").body[0]]
        _unmangle(test)
        for part in bind:
            _unmangle(part)
        self.loop(stmt, located(test, stmt), [located(b, stmt) for b in bind])

    def plain(self, stmt: ast.stmt) -> list[ast.stmt]:
        """A statement without a yield: its returns leave the generator, and its break and
        continue that belong to a split loop jump to that loop's blocks."""
        stmt = copy.deepcopy(stmt)
        return _PlainRewriter(self).block([stmt])


class _PlainRewriter(_rewriting.StatementRewriter):
    def __init__(self, builder: StepBuilder):
        self.builder = builder
        self.depth = 0  # plain loops entered: their break and continue are their own

    def nested_blocks(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            return
        is_loop = isinstance(stmt, ast.For | ast.While)
        if is_loop:
            self.depth += 1
            stmt.body = self.block(stmt.body)
            self.depth -= 1
            stmt.orelse = self.block(stmt.orelse)
            return
        super().nested_blocks(stmt)

    def rewrite(self, stmt: ast.stmt) -> list[ast.stmt]:
        builder = self.builder
        if isinstance(stmt, ast.Return):
            out = []
            if stmt.value is not None and not (
                isinstance(stmt.value, ast.Constant) and stmt.value.value is None
            ):
                builder.returns_value = True
                out.append(located(ast.Assign([store(RETURNED)], stmt.value), stmt))
                out.extend(builder.leave(FINISHED_WITH_VALUE, stmt))
            else:
                out.extend(builder.leave(FINISHED, stmt))
            if self.depth and builder.inline:
                raise Unsupported(
                    "'return' inside a loop without 'yield' (in a generator kept as a value "
                    "in compiled code) is not supported",
                    stmt,
                )
            return out
        if isinstance(stmt, ast.Break | ast.Continue) and self.depth == 0 and builder.loops:
            head, done = builder.loops[-1]
            return builder.jump(done if isinstance(stmt, ast.Break) else head, stmt)
        return [stmt]


def _py(name: str) -> str:
    return name.replace("$", "_DOLLAR_")


def _parse_expr(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def _parse_stmt(text: str) -> ast.stmt:
    node = ast.parse(text).body[0]
    _unmangle(node)
    return node


def _unmangle(node: ast.AST) -> None:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            inner.id = inner.id.replace("_DOLLAR_", "$")


def _invariant_params(function_def: ast.FunctionDef) -> list[str]:
    """The parameters the body never rebinds: passed to each step, never returned by one."""
    params = function_def.args
    stored = {
        node.id
        for stmt in function_def.body
        for node in _walk_own(stmt)
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
    }
    return [a.arg for a in params.posonlyargs + params.args if a.arg not in stored]


def _mutable_names(
    function_def: ast.FunctionDef, blocks: list[list[ast.stmt]], invariant: list[str]
) -> list[str]:
    """The frame's slots a step may change: rebound parameters, locals, temporaries."""
    params = function_def.args
    names = [a.arg for a in params.posonlyargs + params.args if a.arg not in invariant]
    for block in blocks:
        for stmt in block:
            for node in _walk_own(stmt):
                if (
                    isinstance(node, ast.Name)
                    and isinstance(node.ctx, ast.Store)
                    and node.id not in names
                    and node.id not in (STATE, YIELDED, RETURNED)
                ):
                    names.append(node.id)
    return [*names, YIELDED, RETURNED]  # the iterator reads the last two


def build_step(function_def: ast.FunctionDef, frame_as_params: bool):
    """The step function's tree, named ``<name>$step``, and the frame's names: the
    parameters it never rebinds (the step's last parameters), and the slots each step
    returns after the next state (its parameters after the state).

    With ``frame_as_params`` false, the probe: the frame's names are plain locals, so that the
    typer types them from their assignments (the step's return type is the frame's)."""
    params = function_def.args
    if params.vararg or params.kwarg or params.kwonlyargs:
        raise Unsupported(
            "*args, **kwargs and keyword-only parameters (of a generator object) are not supported",
            function_def,
        )
    builder = StepBuilder(function_def)
    builder.build()
    blocks = [builder.wrapped(number) for number in range(len(builder.blocks))]
    invariant = builder.invariant
    mutable = _mutable_names(function_def, blocks, invariant)
    frame_tuple = [load(name) for name in mutable]
    for block in blocks:
        for stmt in block:
            for node in _walk_own(stmt):
                if getattr(node, "_frame_return", False):
                    node.value.elts.extend(copy.deepcopy(frame_tuple))
    dispatch: ast.stmt | None = None
    for number in reversed(range(len(blocks))):
        body = blocks[number]
        test = ast.Compare(load(STATE), [ast.Eq()], [ast.Constant(number)])
        dispatch = ast.If(test, body, [dispatch] if dispatch else [])
    first = function_def.body[0]
    probe_setup: list[ast.stmt] = []
    if not frame_as_params and not builder.returns_value:
        probe_setup = [ast.Assign([store(RETURNED)], ast.Constant(0))]  # the slot's type
    loop = ast.While(ast.Constant(True), [dispatch], [])
    finished = ast.Return(ast.Tuple([ast.Constant(FINISHED), *frame_tuple], ast.Load()))
    # The invariant parameters last: a step's result followed by them is the next step's call.
    names = [STATE] + (mutable + invariant if frame_as_params else [a.arg for a in params.args])
    step_def = ast.FunctionDef(
        name=f"{function_def.name}$step",
        args=ast.arguments(
            posonlyargs=[],
            args=[ast.arg(n) for n in names],
            vararg=None,
            kwonlyargs=[],
            kw_defaults=[],
            kwarg=None,
            defaults=[],
        ),
        body=[*probe_setup, loop, finished],
        decorator_list=[],
        returns=None,
        type_params=[],
    )
    for node in [step_def, *step_def.body]:
        located(node, first)
    located(step_def, function_def)
    return step_def, invariant, mutable


def refusal(
    error: Unsupported, filename: str, text: str, first_line: int, qualname: str
) -> TypingError:
    """The TypingError of a construct the state machine does not build: N0101, with the
    source line and a caret under the construct, as the compiler renders its diagnostics."""
    node = error.node
    line = getattr(node, "lineno", first_line)
    col = getattr(node, "col_offset", 0)
    end_line = getattr(node, "end_lineno", line) or line
    end_col = getattr(node, "end_col_offset", col + 1) or col + 1
    lines = text.splitlines()
    source = lines[line - first_line] if 0 <= line - first_line < len(lines) else ""
    width = (end_col if end_line == line else len(source)) - col
    gutter = " " * len(str(line))
    message = str(error)
    report = (
        f"error[N0101]: {message}\n{gutter}--> {filename}:{line}:{col + 1}\n{gutter} |\n"
        f"{line} | {source}\n{gutter} | {' ' * col}{'^' * max(width, 1)}\n"
        f"{gutter} = note: while building the generator object of {qualname}\n"
    )
    diagnostic = Diagnostic(
        "N0101", message, filename, line, col + 1, end_line, end_col + 1, report
    )
    return TypingError(report, [diagnostic])


def build_dispatch(function_def: ast.FunctionDef) -> tuple[list[ast.stmt], list[str]]:
    """The generator's step as statements of a consumer (a generator kept as a value in
    compiled code): from block ``$state`` to the next ``yield`` (``$yielded`` holds its value)
    or the end (``$state`` negative, after which the step does nothing). Its names are the
    generator's own (the caller renames them), and the temporaries it adds."""
    builder = StepBuilder(function_def, inline=True)
    builder.build()
    dispatch: ast.stmt | None = None
    for number in reversed(range(len(builder.blocks))):
        test = ast.Compare(load(STATE), [ast.Eq()], [ast.Constant(number)])
        dispatch = ast.If(test, builder.wrapped(number), [dispatch] if dispatch else [])
    running = ast.Compare(load(STATE), [ast.GtE()], [ast.Constant(0)])
    step = ast.If(running, [ast.While(ast.Constant(True), [dispatch], [])], [])
    return [located(step, function_def)], [*builder.temporaries, STATE, YIELDED, RETURNED]
