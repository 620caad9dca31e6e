"""Fails when a header crosses a layer: CPython or nanobind outside src/cpp/python/, LLVM
outside src/cpp/codegen/ and src/cpp/jit/. Keeps the compiler testable in plain C++."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "cpp"
RULES = [
    (re.compile(r'#\s*include\s*[<"](Python\.h|nanobind/|structmember\.h)'), {"python"}),
    (re.compile(r'#\s*include\s*[<"](llvm|llvm-c)/'), {"codegen", "jit"}),
]


def violations(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".h", ".hpp", ".cpp", ".cc", ".def", ".inc"}:
            continue
        stage = path.relative_to(root).parts[0]
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            for pattern, allowed in RULES:
                if pattern.search(line) and stage not in allowed:
                    rel = path.relative_to(root.parent.parent)
                    found.append(
                        f"{rel}:{lineno}: {line.strip()} (allowed only in {sorted(allowed)})"
                    )
    return found


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT
    found = violations(root)
    for line in found:
        print(line)
    print(f"layering: {len(found)} violation(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
