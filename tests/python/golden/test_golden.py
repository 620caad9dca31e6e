"""Rendered diagnostics and inspect_types() output against reviewed golden files. After an
intended change, run `python tools/update_golden.py` and review the diff."""

import difflib

import pytest

from .produce import GOLDEN_DIR, everything

PRODUCED = everything()


def test_every_golden_file_is_still_produced():
    on_disk = set(GOLDEN_DIR.glob("*/*.txt"))
    assert on_disk == set(PRODUCED), "run tools/update_golden.py and review the diff"


@pytest.mark.parametrize("path", sorted(PRODUCED), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_output_matches_golden_file(path):
    expected = path.read_text() if path.exists() else ""
    got = PRODUCED[path]
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True), got.splitlines(keepends=True), "golden", "now"
        )
    )
    assert got == expected, f"{path.name} differs (tools/update_golden.py rewrites it):\n{diff}"
