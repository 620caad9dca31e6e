"""The hostile corpus: every case of `cases_*.py`, each run in a fresh interpreter with a
timeout, must be judged ok (see runner.py for the classes). The selected cases all run at
once, on a pool of processes, the first time a test asks for an outcome."""

import pytest

from .runner import load_cases, run_cases

CASES = load_cases()


@pytest.fixture(scope="module")
def outcomes(request):
    selected = [
        item.callspec.params["case"]
        for item in request.session.items
        if item.path == request.path and hasattr(item, "callspec")
    ]
    return run_cases(selected)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_case(case, outcomes):
    outcome = outcomes[case.id]
    assert outcome.kind == "ok", "\n" + outcome.report()
