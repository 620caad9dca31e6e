"""Runs hostile cases, each in a fresh interpreter with a timeout, several at once, and
classifies each outcome:

- ok: what the case expects happened;
- crash: the interpreter died of a signal, or printed a sanitizer report or a fatal error;
- hang: it ran past the case's timeout (its whole process group is killed);
- wrong: a result other than the oracle's, or an exception of another type than expected
  (or the interpreter exited with an uncaught error);
- leak: memory grew past the case's bound over repeated calls;
- unclear: an exception whose message does not help (an internal error, an IndexError or
  SyntaxError from inside nogil, a binding layer's raw message, a TypingError without file,
  line and caret, or without the text the case expects);
- invalid: the case itself is broken (its verdict could not be read).
"""

import contextlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .child import CRASH_SIGNS
from .corpus import Case

HERE = Path(__file__).resolve().parent
CHILD = HERE / "child.py"
CLASSES = ("ok", "crash", "hang", "wrong", "leak", "unclear", "invalid")


@dataclass(frozen=True)
class Outcome:
    case: Case
    kind: str
    detail: str
    compiled: str = ""
    oracle: str = ""
    traceback: str = ""
    stderr: str = ""
    seconds: float = 0.0

    def report(self) -> str:
        lines = [
            f"case {self.case.id}: {self.kind.upper()} ({self.seconds:.1f} s)",
            f"expected: {self.case.expect.describe()}",
            f"call: {self.case.call}"
            + (f"   flags: {' '.join(self.case.flags)}" if self.case.flags else ""),
        ]
        if self.compiled:
            lines.append(f"nogil {self.compiled}")
        if self.oracle and self.oracle not in self.detail:
            lines.append(f"CPython {self.oracle}")
        if self.detail:
            lines.append(f"detail: {self.detail}")
        lines += ["source:", *("    " + line for line in self.case.source.splitlines())]
        if self.traceback:
            lines += ["traceback:", self.traceback.rstrip()]
        if self.stderr.strip():
            lines += ["stderr (end):", self.stderr[-2000:].rstrip()]
        return "\n".join(lines)


def load_cases() -> list[Case]:
    """Every case of every `cases_<category>.py` beside this file, named `<category>.<name>`."""
    cases = []
    for path in sorted(HERE.glob("cases_*.py")):
        category = path.stem.removeprefix("cases_")
        module = _load_module(path, f"{__package__}.{path.stem}")
        for case in module.CASES:
            cases.append(Case(**{**case.__dict__, "category": category}))
    names = [case.id for case in cases]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"duplicate case names: {sorted(duplicates)}")
    return cases


def _load_module(path: Path, name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _command(case: Case, directory: Path) -> tuple[list[str], str | None]:
    python = [sys.executable, *case.flags]
    if case.mode == "module":
        (directory / "hostile_case.py").write_text(case.source)
        return [*python, str(CHILD), str(directory)], None
    footer = (
        f"\nimport sys as _hostile_sys\n_hostile_sys.path.insert(0, {str(HERE)!r})\n"
        f"import child as _hostile_child\n"
        f"_hostile_child.finish_inline(globals(), {str(directory)!r})\n"
    )
    program = case.source + footer
    if case.mode == "command":
        return [*python, "-c", program], None
    if case.mode == "stdin":
        return [*python, "-"], program
    raise ValueError(f"case {case.id}: unknown mode {case.mode!r}")


def run_case(case: Case, timeout: float | None = None) -> Outcome:
    timeout = case.timeout if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="nogil-hostile-") as temporary:
        directory = Path(temporary)
        (directory / "spec.json").write_text(json.dumps(case.to_json()))
        command, stdin = _command(case, directory)
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONFAULTHANDLER="1")
        env.pop("NOGIL_CACHE_DIR", None)
        if "ASAN_OPTIONS" in env:
            # Sizes the allocator cannot serve are the point of some cases (and NumPy, the
            # oracle, asks for them too): under AddressSanitizer they must fail as malloc does.
            env["ASAN_OPTIONS"] += ":allocator_may_return_null=1"
        env.update(dict(case.env))
        env = {
            key: value.replace("{workdir}", str(directory / "work")) for key, value in env.items()
        }
        (directory / "work").mkdir()
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=directory,
            env=env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            _, stderr = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            _, stderr = process.communicate()
            seconds = time.perf_counter() - started
            return Outcome(
                case, "hang", f"no result after {timeout:.0f} s", stderr=stderr, seconds=seconds
            )
        seconds = time.perf_counter() - started
        _kill_group(process)  # threads or children a case left behind
        return _classify(case, process.returncode, stderr, directory / "result.json", seconds)


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _classify(
    case: Case, returncode: int, stderr: str, result_path: Path, seconds: float
) -> Outcome:
    if returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else "?"
        return Outcome(
            case,
            "crash",
            f"killed by signal {-returncode} ({name})",
            stderr=stderr,
            seconds=seconds,
        )
    for sign in CRASH_SIGNS:
        if sign in stderr:
            return Outcome(case, "crash", f"stderr shows {sign!r}", stderr=stderr, seconds=seconds)
    if not result_path.exists():
        detail = f"the interpreter exited with status {returncode} without a verdict"
        return Outcome(
            case, "wrong" if returncode else "invalid", detail, stderr=stderr, seconds=seconds
        )
    try:
        result = json.loads(result_path.read_text())
    except ValueError as error:
        return Outcome(
            case, "invalid", f"unreadable verdict: {error}", stderr=stderr, seconds=seconds
        )
    return Outcome(
        case,
        result["outcome"],
        result.get("detail", ""),
        compiled=result.get("compiled", ""),
        oracle=result.get("oracle", ""),
        traceback=result.get("traceback", ""),
        stderr=stderr,
        seconds=seconds,
    )


def default_jobs() -> int:
    # Most of a case's time is interpreter start-up and waiting on its children: a few more
    # processes than cores keep the cores busy.
    return int(os.environ.get("NOGIL_HOSTILE_JOBS", 0)) or (os.cpu_count() or 2) + 2


def run_cases(cases: list[Case], jobs: int | None = None, on_outcome=None) -> dict[str, Outcome]:
    # The slow cases first, so that they do not end up alone at the end of the run.
    ordered = sorted(cases, key=lambda case: -case.timeout)
    outcomes = {}
    with ThreadPoolExecutor(max_workers=jobs or default_jobs()) as pool:
        for outcome in pool.map(run_case, ordered):
            outcomes[outcome.case.id] = outcome
            if on_outcome is not None:
                on_outcome(outcome)
    return outcomes


def summary_table(outcomes: dict[str, Outcome]) -> str:
    categories = sorted({o.case.category for o in outcomes.values()})
    header = f"{'category':<12}" + "".join(f"{name:>9}" for name in CLASSES) + f"{'total':>9}"
    rows = [header, "-" * len(header)]
    totals = dict.fromkeys(CLASSES, 0)
    for category in categories:
        counts = dict.fromkeys(CLASSES, 0)
        for outcome in outcomes.values():
            if outcome.case.category == category:
                counts[outcome.kind] += 1
                totals[outcome.kind] += 1
        cells = "".join(f"{counts[name]:>9}" for name in CLASSES)
        rows.append(f"{category:<12}{cells}{sum(counts.values()):>9}")
    rows.append("-" * len(header))
    rows.append(
        f"{'all':<12}" + "".join(f"{totals[n]:>9}" for n in CLASSES) + f"{len(outcomes):>9}"
    )
    return "\n".join(rows)
