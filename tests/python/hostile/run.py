"""Runs the hostile corpus from the command line and prints the outcome classes per category.

python tests/python/hostile/run.py --summary            # the table only
python tests/python/hostile/run.py [-k TEXT] [-j JOBS]  # plus a report of each failure
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hostile.runner import load_cases, run_cases, summary_table


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--summary", action="store_true", help="print the table only")
    parser.add_argument("-k", dest="select", default="", help="only cases whose name contains this")
    parser.add_argument("-j", dest="jobs", type=int, default=None, help="cases run at once")
    parser.add_argument("--list", action="store_true", help="list the failing cases, one a line")
    parser.add_argument(
        "--raised", action="store_true", help="list the passing cases where CPython raised"
    )
    options = parser.parse_args()
    cases = [case for case in load_cases() if options.select in case.id]
    started = time.perf_counter()

    def progress(outcome):
        if not options.summary:
            print(f"{outcome.kind:>8}  {outcome.case.id}  ({outcome.seconds:.1f} s)", flush=True)

    outcomes = run_cases(cases, jobs=options.jobs, on_outcome=progress)
    failures = [o for o in outcomes.values() if o.kind != "ok"]
    if not options.summary:
        for outcome in sorted(failures, key=lambda o: o.case.id):
            print("\n" + outcome.report())
    if options.list:
        for outcome in sorted(failures, key=lambda o: (o.case.category, o.kind, o.case.id)):
            first = (
                (outcome.detail or outcome.compiled).splitlines()[0]
                if (outcome.detail or outcome.compiled)
                else ""
            )
            print(f"{outcome.kind:<8} {outcome.case.id:<45} {first[:150]}")
    if options.raised:
        for outcome in sorted(outcomes.values(), key=lambda o: o.case.id):
            if outcome.kind == "ok" and outcome.oracle.startswith("raised"):
                print(f"{outcome.case.id:<45} CPython {outcome.oracle[:100]}")
    print()
    print(summary_table(outcomes))
    print(f"\n{len(cases)} cases in {time.perf_counter() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
