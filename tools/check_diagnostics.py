"""Fails when a diagnostic code in src/cpp/ast/diagnostic_kinds.def is expected by no test.

A Python test expects a code through an annotation in a test case (``# error[N0203] ...``,
which tests/python/errors checks is reported) or by comparing ``err.code``; a C++ test by
naming the code. A code nobody expects is a message nobody has seen rendered.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "src" / "cpp" / "ast" / "diagnostic_kinds.def"
TESTS = ROOT / "tests"
DECLARED = re.compile(r"^NOGIL_DIAG\((N\d{4}),", re.MULTILINE)
EXPECTED = re.compile(r"error\[(N\d{4})\]|[\"'](N\d{4})[\"']")


def declared_codes() -> list[str]:
    return DECLARED.findall(TABLE.read_text())


def expected_codes() -> set[str]:
    found = set()
    for path in TESTS.rglob("*"):
        if path.suffix in {".py", ".cpp"}:
            for match in EXPECTED.finditer(path.read_text()):
                found.add(match[1] or match[2])
    return found


def main() -> int:
    declared = declared_codes()
    if not declared:
        print(f"no NOGIL_DIAG entries found in {TABLE}", file=sys.stderr)
        return 1
    untested = [code for code in declared if code not in expected_codes()]
    for code in untested:
        print(f"{TABLE.relative_to(ROOT)}: {code} is expected by no test", file=sys.stderr)
    return 1 if untested else 0


if __name__ == "__main__":
    sys.exit(main())
