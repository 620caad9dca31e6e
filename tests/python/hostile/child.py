"""The child side of the hostile corpus: runs one case and writes its verdict to result.json
beside the case's spec. Self-contained (the runner starts it as a script in a fresh
interpreter); a crash or a hang leaves no verdict, and the runner judges those.

    python child.py <directory holding spec.json>
"""

import builtins
import gc
import importlib.util
import json
import math
import os
import re
import signal
import subprocess
import sys
import traceback
from pathlib import Path

import numpy as np

# Phrases that only an internal error or a binding layer's raw message contains.
UNCLEAR_PHRASES = (
    "incompatible function arguments",
    "Invoked with types",
    "nanobind",
    "internal error",
    "std::",
    "bad_cast",
    "'this expression'",
    "LLVM ERROR",
)
# Exception types that, raised from nogil's own Python code, are a bug showing through
# rather than an answer to the user.
INTERNAL_TYPES = (
    IndexError,
    KeyError,
    SyntaxError,
    AttributeError,
    AssertionError,
    NameError,
    StopIteration,
    RecursionError,
    OSError,
    UnicodeError,
    SystemError,
)
CRASH_SIGNS = (
    "ERROR: AddressSanitizer",
    "ThreadSanitizer",
    "runtime error:",
    "Fatal Python error",
    "LLVM ERROR",
    "terminate called",
    "Segmentation fault",
)


class Hang(Exception):
    """A process a scenario started did not finish in time."""


class Crash(Exception):
    """A process a scenario started died of a signal or printed a fatal error."""


def run_python(code, *args, timeout=30.0, env=None, flags=(), cwd=None, stdin=None):
    """Runs `code` (text, or the Path of a script) in a child interpreter; returns the
    CompletedProcess (text output)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    program = [str(code)] if isinstance(code, Path) else ["-c", code]
    try:
        done = subprocess.run(
            [sys.executable, *flags, *program, *args],
            env=full_env,
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as expired:
        raise Hang(f"a child interpreter ran past {timeout} s") from expired
    if done.returncode < 0 or any(sign in done.stderr for sign in CRASH_SIGNS):
        raise Crash(f"a child interpreter died (rc {done.returncode}): {done.stderr[-800:]}")
    return done


def oracle_njit(*args, **options):
    """njit for the oracle: the function itself, with or without options."""
    if len(args) == 1 and callable(args[0]) and not options:
        return args[0]
    return lambda function: function


def prelude(workdir: Path, oracle: bool) -> dict:
    import nogil

    return {
        "np": np,
        "math": math,
        "nogil": nogil,
        "njit": oracle_njit if oracle else nogil.njit,
        "prange": range if oracle else nogil.prange,
        "workdir": workdir,
        "run_python": run_python,
    }


def evaluate_call(text: str, namespace: dict):
    # A code object, not the string: eval() of a string runs through PyRun_StringFlags, which
    # notes a KeyboardInterrupt passing through it and makes the interpreter end by SIGINT at
    # exit, even when the harness caught it.
    return eval(compile(text, "<call>", "eval"), namespace)


def import_case(path: Path, module_name: str, names: dict):
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    module.__dict__.update(names)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def outcome_of(action):
    """('value', v) or ('raised', exception)."""
    try:
        return "value", action()
    except (Hang, Crash):
        raise
    except BaseException as error:
        return "raised", error


def describe(outcome) -> str:
    kind, value = outcome
    if kind == "raised":
        return f"raised {type(value).__name__}: {value}"
    text = repr(value)
    if isinstance(value, np.ndarray):
        text = f"ndarray dtype={value.dtype} shape={value.shape} {text}"
    return "returned " + (text if len(text) < 600 else text[:600] + "...")


def equal(a, b) -> bool:
    """CPython's result `a` against the compiled `b`: same kind of number (NumPy scalars and
    Python numbers alike), same value (NaN equals NaN, -0.0 differs from 0.0); arrays of the
    same dtype, shape and elements; containers element by element."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return False
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        try:
            return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        except TypeError:
            return bool(np.array_equal(a, b))
    if isinstance(a, np.generic):
        a = a.item()
    if isinstance(b, np.generic):
        b = b.item()
    if isinstance(a, tuple | list):
        return type(a) is type(b) and len(a) == len(b) and all(map(equal, a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, complex) and isinstance(b, complex):
        return equal(a.real, b.real) and equal(a.imag, b.imag)
    if type(a) is not type(b):
        return False
    return a == b


def same_exception_type(oracle_error, compiled_error) -> bool:
    oracle_class = type(oracle_error)
    if isinstance(compiled_error, oracle_class):
        return True
    # NumPy raises private subclasses of builtin exceptions (_ArrayMemoryError for a
    # MemoryError): the builtin class is what callers catch.
    if oracle_class.__module__.startswith("numpy"):
        builtin = next(c for c in oracle_class.__mro__ if getattr(builtins, c.__name__, None) is c)
        return isinstance(compiled_error, builtin)
    # The oracle imports the case's module a second time: its own exception classes are
    # distinct objects with the same qualified name.
    return type(compiled_error).__qualname__ == oracle_class.__qualname__


def headline(error: BaseException) -> str:
    """The message's first line: a TypingError's later lines quote the source, which would
    match whatever the case's function contains."""
    lines = str(error).splitlines()
    return lines[0] if lines else ""


def unclear_reason(error: BaseException) -> str | None:
    """Why an exception's message would not help a user, or None when it is fine."""
    text = f"{type(error).__name__}: {error}"
    for phrase in UNCLEAR_PHRASES:
        if phrase in text:
            return f"the message shows {phrase!r}"
    if isinstance(error, SystemError):
        return "a SystemError"
    nogil = sys.modules.get("nogil")
    typing_error = getattr(nogil, "TypingError", None)
    if typing_error is not None and isinstance(error, typing_error):
        located = re.search(r"--> .+:\d+:\d+", str(error)) and "^" in str(error)
        # A refusal of the whole function names it and says why instead.
        if not located and not str(error).startswith("cannot compile "):
            return "a TypingError without file, line and caret"
    if nogil is None or not isinstance(error, INTERNAL_TYPES):
        return None
    nogil_dir = os.path.dirname(nogil.__file__)
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.startswith(nogil_dir):
            where = f"{os.path.basename(frame.filename)}:{frame.lineno}"
            return f"{type(error).__name__} from inside nogil ({where})"
    return None


def exception_class(name: str):
    if hasattr(builtins, name):
        return getattr(builtins, name)
    # nogil's own classes; a placeholder nothing is an instance of when nogil did not import.
    return getattr(sys.modules.get("nogil"), name, type(name, (Exception,), {}))


def judge_raised(error, expect) -> tuple[str, str]:
    reason = unclear_reason(error)
    wanted = tuple(exception_class(n) for n in expect["raises"])
    if reason is not None:
        return "unclear", reason
    if not isinstance(error, wanted):
        return "wrong", f"expected {' or '.join(expect['raises'])}"
    if expect["match"] and not re.search(expect["match"], headline(error)):
        return "unclear", f"the message does not say {expect['match']!r}"
    return "ok", ""


def judge_same(oracle, compiled, expect) -> tuple[str, str]:
    (o_kind, o_value), (c_kind, c_value) = oracle, compiled
    if c_kind == "raised":
        reason = unclear_reason(c_value)
        if reason is not None:
            return "unclear", reason
        refusals = tuple(exception_class(name) for name in expect["raises"])
        if refusals and isinstance(c_value, refusals):
            if expect["match"] and not re.search(expect["match"], headline(c_value)):
                return "unclear", f"the refusal does not say {expect['match']!r}"
            return "ok", f"refused: {type(c_value).__name__}"
        if o_kind == "raised" and same_exception_type(o_value, c_value):
            return "ok", ""
        return "wrong", "CPython " + describe(oracle)
    if o_kind == "raised":
        return "wrong", "CPython " + describe(oracle)
    if not equal(o_value, c_value):
        return "wrong", "CPython " + describe(oracle)
    return "ok", ""


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def judge_leak(evaluate, expect) -> tuple[str, str]:
    import nogil

    # A warm-up as long as the measurement: the allocator's and the caches' high-water marks
    # settle in it, so that what the measured run adds is growth.
    for _ in range(expect["repeat"]):
        outcome_of(evaluate)
    gc.collect()
    live0, rss0 = nogil.array_memory()[0], resident_bytes()
    for _ in range(expect["repeat"]):
        outcome_of(evaluate)
    gc.collect()
    live1, rss1 = nogil.array_memory()[0], resident_bytes()
    grown = max(live1 - live0, rss1 - rss0)
    detail = f"array memory {live0} -> {live1}, RSS {rss0 >> 20} -> {rss1 >> 20} MB"
    return ("leak" if grown > expect["max_bytes"] else "ok"), detail


def judge(spec: dict, evaluate, oracle_evaluate) -> dict:
    expect = spec["expect"]
    if expect["kind"] == "noleak":
        verdict, detail = judge_leak(evaluate, expect)
        return {"outcome": verdict, "detail": detail, "compiled": ""}
    oracle = outcome_of(oracle_evaluate) if expect["kind"] == "same" else None
    compiled = outcome_of(evaluate)
    kind, value = compiled
    if expect["kind"] == "same":
        verdict, detail = judge_same(oracle, compiled, expect)
    elif expect["kind"] == "raises":
        if kind == "value":
            verdict, detail = "wrong", "expected an exception"
        else:
            verdict, detail = judge_raised(value, expect)
    elif kind == "raised":
        if expect["raises"]:
            verdict, detail = judge_raised(value, expect)
        else:
            reason = unclear_reason(value)
            verdict, detail = (
                ("unclear", reason) if reason else ("wrong", f"expected {expect['value']}")
            )
    else:
        wanted = eval(expect["value"], {"np": np, "math": math})
        verdict, detail = ("ok", "") if equal(wanted, value) else ("wrong", f"expected {wanted!r}")
    result = {"outcome": verdict, "detail": detail, "compiled": describe(compiled)}
    if oracle is not None:
        result["oracle"] = describe(oracle)
    if kind == "raised" and verdict != "ok":
        result["traceback"] = user_traceback(value)
    return result


def user_traceback(error: BaseException) -> str:
    """The traceback from the case's call on: the harness's own frames say nothing."""
    frames = error.__traceback__
    while frames is not None and frames.tb_frame.f_code.co_filename == __file__:
        frames = frames.tb_next
    return "".join(traceback.format_exception(type(error), error, frames))[-3000:]


def write_result(directory: Path, result: dict) -> None:
    sys.stdout.flush()
    temporary = directory / "result.json.tmp"
    temporary.write_text(json.dumps(result))
    temporary.replace(directory / "result.json")


def guarded(directory: Path, produce) -> None:
    try:
        result = produce()
    except Hang as hang:
        result = {"outcome": "hang", "detail": str(hang), "compiled": ""}
    except Crash as crash:
        result = {"outcome": "crash", "detail": str(crash), "compiled": ""}
    write_result(directory, result)


def run_module_case(directory: Path) -> None:
    spec = json.loads((directory / "spec.json").read_text())
    path = directory / "hostile_case.py"
    workdir = directory / "work"
    workdir.mkdir(exist_ok=True)

    modules = {}

    def evaluator(module_name: str, module_workdir: Path, oracle: bool):
        """Evaluates the call; the first evaluation imports the module (so that what its import
        raises is the outcome), later ones reuse it (a leak case calls it many times)."""

        def evaluate():
            if module_name not in modules:
                module_workdir.mkdir(exist_ok=True)
                names = prelude(module_workdir, oracle=oracle)
                modules[module_name] = import_case(path, module_name, names)
            return evaluate_call(spec["call"], modules[module_name].__dict__)

        return evaluate

    compiled = evaluator("hostile_case", workdir, oracle=False)
    oracle = evaluator("hostile_case_oracle", directory / "oracle-work", oracle=True)
    guarded(directory, lambda: judge(spec, compiled, oracle))


def finish_inline(namespace: dict, directory: str) -> None:
    """The footer of a `python -c` or stdin case: the source already ran in `namespace`."""
    directory = Path(directory)
    spec = json.loads((directory / "spec.json").read_text())
    guarded(directory, lambda: judge(spec, lambda: evaluate_call(spec["call"], namespace), None))


if __name__ == "__main__":
    # An interpreter started from a background job inherits SIGINT ignored and keeps it so;
    # the cases about Ctrl-C expect Python's usual handler.
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    run_module_case(Path(sys.argv[1]))
