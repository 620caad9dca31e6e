"""Rewrites the golden files of tests/python/golden from the current code: every rendered
diagnostic of the error corpus and the inspect_types() output of the typed functions.
Review the resulting diff before committing it."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.python.golden.produce import GOLDEN_DIR, everything  # noqa: E402


def main() -> int:
    produced = everything()
    for stale in set(GOLDEN_DIR.glob("*/*.txt")) - set(produced):
        stale.unlink()
        print(f"removed {stale.relative_to(ROOT)}")
    changed = 0
    for path, text in sorted(produced.items()):
        if path.exists() and path.read_text() == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        changed += 1
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(produced)} golden files, {changed} rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
