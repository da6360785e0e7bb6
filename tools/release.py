"""`make release`: generate every student notebook, then prove the source/release pair right.

For each assignment: `nbgrader generate_assignment` writes `release/<assignment>/`; nbgrader's
Validator then executes the source notebook (every test cell must pass) and the release notebook
(no test cell may pass). The `nbgrader validate` command exits 0 even on failure, so the check is
done here from Python. Prints a table and exits 1 if any assignment fails.
Usage: python -m tools.release [--validate-only] [--root PATH] [ASSIGNMENT ...]
"""

import argparse
import sys
from pathlib import Path

from nbgrader.validator import Validator

from tools.course import ROOT, assignments, nbgrader, nbgrader_config, notebooks, print_table, summarize


def generate(root, assignment):
    """Run generate_assignment for one assignment; return an error message or None."""
    result = nbgrader(root, "generate_assignment", assignment, "--force")
    if result.returncode != 0:
        return f"generate_assignment failed:\n{result.stdout}\n{result.stderr}"
    return None


def validate(root, assignment):
    """Return a list of problems: source test cells that fail, release test cells that pass."""
    config = nbgrader_config(root)
    problems = []
    for path in notebooks(root, assignment, "source"):
        failed = Validator(config=config).validate(str(path)).get("failed", [])
        problems += [f"{path.name} (source): a test cell fails:\n{f['raw_error'][-1500:]}" for f in failed]
    release = notebooks(root, assignment, "release")
    if not release:
        problems.append(f"release/{assignment} has no notebook: run `make release`")
    for path in release:
        validator = Validator(config=config, invert=True)
        passed = validator.validate(str(path)).get("passed", [])
        problems += [f"{path.name} (release): a test cell passes without a solution:\n{p['source'][:300]}"
                     for p in passed]
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--validate-only", action="store_true", help="check without regenerating")
    parser.add_argument("--root", type=Path, default=ROOT, help="course folder (default: this repo)")
    parser.add_argument("only", nargs="*", metavar="ASSIGNMENT", help="only these (default: all)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.only) - set(assignments(args.root)))
    if unknown:
        parser.error(f"unknown assignment(s) {unknown}; the course has {assignments(args.root)}")
    rows, failures = [], 0
    for assignment in args.only or assignments(args.root):
        problems = [] if args.validate_only else [p for p in [generate(args.root, assignment)] if p]
        if not problems:
            problems = validate(args.root, assignment)
        totals = [summarize(p) for p in notebooks(args.root, assignment, "source")]
        rows.append((assignment, str(sum(t["exercises"] for t in totals)),
                     f"{sum(t['points'] for t in totals):g}",
                     str(sum(t["hidden_test_cells"] for t in totals)), "ok" if not problems else "FAILED"))
        for problem in problems:
            print(f"[{assignment}] {problem}", file=sys.stderr, flush=True)
        failures += bool(problems)
    print_table(("assignment", "exercises", "points", "hidden-test cells", "result"), rows)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
