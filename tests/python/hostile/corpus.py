"""The corpus's vocabulary: a Case is a small module source, an expression to evaluate after
importing it, and what must happen.

The source of a case runs as a module file of its own (so that nogil can read it) in a fresh
interpreter. It may use these names without importing them: `np`, `math`, `nogil`, `njit`,
`prange`, and, for scenarios that start processes or write files, `workdir` (a fresh
directory) and `run_python(code, timeout=..., env=..., flags=...)` (runs code in a child
interpreter; a timeout there is judged a hang, a signal a crash).

Expectations:
- `Same(refuse=(), match=None)`: the result equals CPython's. The oracle is the same source
  imported a second time with `njit` as the identity, run on the same arguments: equal
  values (arrays: dtype, shape and elements, NaN equal to NaN), or an exception of the same
  type; or, when `refuse` names exception classes, one of those with a clear message
  (containing `match`).
- `Raises(ExceptionClass, match=None)`: the compiled run raises that class (or a subclass);
  `match` is a regular expression the first line of its message must contain.
- `Returns(expression)`: the result equals the value of `expression` (evaluated in the child,
  with `np` and `math` available); `or_raises` also accepts an exception class, for limits
  that depend on the machine (a recursion that runs as deep as the stack allows) or for a
  refusal, whose message must then contain `match`.
- `NoLeak(repeat, max_bytes)`: evaluating the call `repeat` more times (exceptions included)
  grows neither the array memory nogil reports nor the resident set by more than `max_bytes`.
"""

from dataclasses import dataclass, field
from textwrap import dedent


@dataclass(frozen=True)
class Expect:
    kind: str
    value: str | None = None
    raises: tuple[str, ...] = ()
    match: str | None = None
    repeat: int = 0
    max_bytes: int = 0

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "value": self.value,
            "raises": list(self.raises),
            "match": self.match,
            "repeat": self.repeat,
            "max_bytes": self.max_bytes,
        }

    def describe(self) -> str:
        if self.kind == "same":
            refused = f" or a refusal: {' or '.join(self.raises)}" if self.raises else ""
            return (
                "same as CPython/NumPy"
                + refused
                + (f" matching {self.match!r}" if self.match else "")
            )
        if self.kind == "raises":
            text = "raises " + " or ".join(self.raises)
            return text + (f" matching {self.match!r}" if self.match else "")
        if self.kind == "returns":
            text = f"returns {self.value}"
            text += " or raises " + " or ".join(self.raises) if self.raises else ""
            return text + (f" matching {self.match!r}" if self.match else "")
        return f"no growth past {self.max_bytes} bytes over {self.repeat} calls"


def _name(exception_class: type | str) -> str:
    return exception_class if isinstance(exception_class, str) else exception_class.__name__


def Same(refuse: type | str | tuple = (), match: str | None = None) -> Expect:
    """`refuse`: exception classes also accepted in place of CPython's result, for what nogil
    may decline to compile (a TypingError) or to accept as an argument (a TypeError), with a
    message that is clear and matches `match`."""
    classes = refuse if isinstance(refuse, tuple) else (refuse,)
    return Expect("same", raises=tuple(_name(c) for c in classes), match=match)


def Raises(exception: type | str | tuple, match: str | None = None) -> Expect:
    classes = exception if isinstance(exception, tuple) else (exception,)
    return Expect("raises", raises=tuple(_name(c) for c in classes), match=match)


def Returns(
    expression: str, or_raises: type | str | None = None, match: str | None = None
) -> Expect:
    raises = (_name(or_raises),) if or_raises is not None else ()
    return Expect("returns", value=expression, raises=raises, match=match)


def NoLeak(repeat: int = 200, max_bytes: int = 16 << 20) -> Expect:
    return Expect("noleak", repeat=repeat, max_bytes=max_bytes)


@dataclass(frozen=True)
class Case:
    """One hostile input. `mode` is how the child receives the source: "module" (a file it
    imports), "command" (`python -c`, the source and a reporting footer as the command) or
    "stdin" (`python -`, the same text on standard input)."""

    name: str
    source: str
    call: str = "f()"
    expect: Expect = field(default_factory=Same)
    flags: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    mode: str = "module"
    timeout: float = 60.0
    category: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", dedent(self.source).strip("\n") + "\n")

    @property
    def id(self) -> str:
        return f"{self.category}.{self.name}"

    def to_json(self) -> dict:
        return {
            "name": self.id,
            "source": self.source,
            "call": self.call,
            "expect": self.expect.to_json(),
            "mode": self.mode,
        }
