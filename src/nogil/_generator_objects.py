"""A compiled generator function called from Python: the call returns a Python iterator
whose every step runs compiled code (the step function of _generator_frames), while the
iterator keeps the generator's frame between steps.

The frame is a tuple of Python objects (arrays as NumPy arrays), so dropping the iterator
frees what the frame holds, as dropping a CPython generator does. One thread at a time runs
a generator: a second ``next`` while a step runs raises CPython's ``ValueError:
generator already executing``; distinct generator objects are independent."""

import inspect
import threading
from collections.abc import Callable
from types import FunctionType
from typing import Any

from nogil import _frontend, _generator_frames, _types
from nogil._generator_frames import FINISHED_WITH_VALUE
from nogil.errors import TypingError


def attach(dispatcher: Any, make_dispatcher: Callable[[FunctionType, Any], Any]) -> None:
    """Makes calls of `dispatcher` (a generator function's) from Python return iterators."""
    generator_function = _GeneratorFunction(dispatcher, make_dispatcher)
    dispatcher._call_as_generator(generator_function)


class _GeneratorFunction:
    def __init__(self, dispatcher: Any, make_dispatcher: Callable[[FunctionType, Any], Any]):
        self.dispatcher = dispatcher
        self.py_func = dispatcher.py_func
        self.signature = inspect.signature(self.py_func)
        self.make_dispatcher = make_dispatcher
        self.lock = threading.Lock()
        self.step = None
        self.invariant: list[str] = []  # the parameters passed to each step as they came
        self.mutable: list[str] = []  # the slots each step returns
        self.placeholders: dict[tuple[str, ...], tuple] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> "CompiledGenerator":
        bound = self.signature.bind(*args, **kwargs)  # CPython's TypeError for a bad call
        bound.apply_defaults()
        arguments = bound.arguments
        step = self.step or self.load()
        type_names = self.dispatcher._argument_types(tuple(arguments.values()), tuple(arguments))
        placeholders = self.placeholders.get(type_names)
        if placeholders is None:
            placeholders = self.type_frame(type_names)
        invariant = tuple(arguments[name] for name in self.invariant)
        mutable = tuple(
            arguments.get(name, placeholder)
            for name, placeholder in zip(self.mutable, placeholders, strict=True)
        )
        return CompiledGenerator(step, invariant, mutable, self.py_func)

    def load(self) -> Any:
        with self.lock:
            if self.step is None:
                self.probe = self.make_dispatcher(self.stub(probe=True), self.loader(probe=True))
                self.step = self.make_dispatcher(self.stub(probe=False), self.loader(probe=False))
        return self.step

    def stub(self, probe: bool) -> FunctionType:
        """A function with the step's parameters, for the dispatcher's argument binding."""
        function_def = self.transformed(probe)[0]
        names = [
            arg.arg.replace("$", "_") + f"_{i}" for i, arg in enumerate(function_def.args.args)
        ]
        namespace: dict[str, Any] = {}
        exec(f"def {self.py_func.__name__}({', '.join(names)}): pass", namespace)
        stub = namespace[self.py_func.__name__]
        stub.__qualname__ = self.py_func.__qualname__
        stub.__module__ = self.py_func.__module__
        return stub

    def transformed(self, probe: bool):
        loaded = _frontend.loader(self.dispatcher._captured_source)(self.py_func)
        filename, first_line, text, function_def, free_values, optimize = loaded
        try:
            step_def, invariant, mutable = _generator_frames.build_step(function_def, not probe)
        except _generator_frames.Unsupported as error:
            raise _generator_frames.refusal(
                error, filename, text, first_line, self.py_func.__qualname__
            ) from None
        self.invariant, self.mutable = invariant, mutable
        free_values = {**free_values, **_frontend._free_values(self.py_func, step_def)}
        return step_def, (filename, first_line, text, step_def, free_values, optimize)

    def loader(self, probe: bool) -> Callable[[FunctionType], Any]:
        def load(stub):
            return self.transformed(probe)[1]

        return load

    def type_frame(self, type_names: tuple[str, ...]) -> tuple:
        """A placeholder of each frame slot's type (the probe's return type), for the slots
        the first step finds unbound."""
        return_type, _ = self.probe._inspect_types(("int64", *type_names))
        frame_type = _types.from_name(return_type)
        if not isinstance(frame_type, _types.BaseTuple):
            raise TypingError(f"{self.py_func.__qualname__}: cannot type its frame ({return_type})")
        slot_types = frame_type.types[1:]
        placeholders = tuple(
            _placeholder(t, name, self.py_func)
            for t, name in zip(slot_types, self.mutable, strict=True)
        )
        self.placeholders[type_names] = placeholders
        return placeholders


def _placeholder(slot_type: Any, name: str, py_func: FunctionType) -> Any:
    import numpy as np  # only when a frame holds a NumPy type

    if isinstance(slot_type, _types.Boolean):
        return False
    if isinstance(slot_type, _types.Integer | _types.Float | _types.Complex):
        if slot_type.name in ("int64", "float64", "complex128"):
            return {"int64": 0, "float64": 0.0, "complex128": 0j}[slot_type.name]
        return np.dtype(slot_type.name).type(0)
    if isinstance(slot_type, _types.Array):
        array = np.empty((0,) * slot_type.ndim, dtype=np.dtype(slot_type.dtype.name))
        if slot_type.layout == "F":
            array = np.asfortranarray(array)
        if slot_type.readonly:
            array.flags.writeable = False
        return array
    if isinstance(slot_type, _types.BaseTuple):
        return tuple(_placeholder(t, name, py_func) for t in slot_type.types)
    shown = name.lstrip("$")
    raise TypingError(
        f"{py_func.__qualname__}: a generator called from Python cannot keep a value of type "
        f"{slot_type.name} ('{shown}') between steps yet"
    )


class CompiledGenerator:
    """The iterator a compiled generator function returns to Python."""

    __slots__ = (
        "__name__",
        "__qualname__",
        "__weakref__",
        "_arguments",
        "_invariant",
        "_running",
        "_step",
    )

    def __init__(self, step: Any, invariant: tuple, frame: tuple, py_func: FunctionType):
        self._step = step
        self._invariant = invariant  # the parameters no step rebinds
        # The next step's call: (state, frame..., invariant...); None once finished.
        self._arguments: tuple | None = (0, *frame, *invariant)
        self._running = threading.Lock()
        self.__name__ = py_func.__name__
        self.__qualname__ = py_func.__qualname__

    def __iter__(self) -> "CompiledGenerator":
        return self

    def __next__(self) -> Any:
        running = self._running
        if not running.acquire(False):
            raise ValueError("generator already executing")
        try:
            arguments = self._arguments
            if arguments is None:
                raise StopIteration
            try:
                result = self._step(*arguments)
            except BaseException:
                self._finish()
                raise
            state = result[0]
            if state < 0:
                value = result[-1]
                self._finish()
                if state == FINISHED_WITH_VALUE:
                    raise StopIteration(value)
                raise StopIteration
            self._arguments = result + self._invariant
            return result[-2]
        finally:
            running.release()

    def send(self, value: Any) -> Any:
        if value is not None and self._arguments is not None and self._arguments[0] == 0:
            raise TypeError("can't send non-None value to a just-started generator")
        if value is not None:
            raise TypeError("a compiled generator cannot receive values from send() yet")
        return self.__next__()

    def close(self) -> None:
        if not self._running.acquire(blocking=False):
            raise ValueError("generator already executing")
        try:
            self._finish()
        finally:
            self._running.release()

    def _finish(self) -> None:
        self._arguments = None
        self._invariant = ()

    @property
    def gi_running(self) -> bool:
        return self._running.locked()

    def __repr__(self) -> str:
        return f"<compiled generator object {self.__qualname__} at {id(self):#x}>"
