"""`make release`: generate every student notebook, then prove the source/release pair right.

For each assignment: `nbgrader generate_assignment` writes `release/<assignment>/`; nbgrader's
Validator then executes the source notebook (every test cell must pass) and the release notebook
(no test cell may pass). The `nbgrader validate` command exits 0 even on failure, so the check is
done here from Python. Prints a table and exits 1 if any assignment fails.
Usage: python -m tools.release [--validate-only] [--root PATH] [ASSIGNMENT ...]
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat
from nbgrader.validator import Validator
from tqdm import tqdm

from tools.course import ROOT, assignments, nbgrader, nbgrader_config, notebooks, print_table, summarize
from tools.notebook_model import grading_info, is_written_answer


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
        names = cell_names(path)
        problems += [f"{path.name} (source): test cell {names.get(f['source'], '?')} fails:\n"
                     f"{plain(f['raw_error'])[-1500:]}" for f in failed]
    release = notebooks(root, assignment, "release")
    if not release:
        problems.append(f"release/{assignment} has no notebook: run `make release`")
    for path in release:
        validator = Validator(config=config, invert=True)
        passed = validator.validate(str(path)).get("passed", [])
        names = cell_names(path)
        problems += [f"{path.name} (release): test cell {names.get(p['source'], '?')} passes without a "
                     "solution" for p in passed]
    return problems + written_problems(root, assignment)


def cell_names(path):
    """{source: grade id} of the notebook at `path` (the Validator names a cell by its source)."""
    return {c.source: grading_info(c).get("grade_id", "?") for c in nbformat.read(path, as_version=4).cells}


def plain(text):
    """`text` without terminal colour codes (ANSI escape sequences), as in IPython's tracebacks."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def written_problems(root, assignment):
    """Problems with the written questions: in the source a `q_` grade id, points and a model
    answer; in the release nbgrader's empty answer in its place, nothing of the model answer."""
    problems = []
    for path in notebooks(root, assignment, "source"):
        release_path = Path(root) / "release" / assignment / path.name
        released = nbformat.read(release_path, as_version=4).cells if release_path.exists() else None
        stubs = {grading_info(c).get("grade_id"): c.source for c in released or []}
        for cell in filter(is_written_answer, nbformat.read(path, as_version=4).cells):
            grade_id, points = grading_info(cell).get("grade_id", ""), grading_info(cell).get("points", 0)
            name = f"{path.name}: written answer {grade_id!r}"
            if not grade_id.startswith("q_"):
                problems.append(f"{name}: its grade id must start with q_ (written questions are q_<name>)")
            if not float(points) > 0:
                problems.append(f"{name}: give it points (nbgrader metadata 'points')")
            if not cell.source.strip() or "YOUR ANSWER HERE" in cell.source:
                problems.append(f"{name}: write the model answer in the source cell")
            model = {line.strip() for line in cell.source.splitlines() if len(line.strip()) > 10}
            stub = {line.strip() for line in stubs.get(grade_id, "").splitlines()}
            if released is not None and (grade_id not in stubs or model & stub):
                problems.append(f"{name}: the release must hold nbgrader's empty answer, not the model")
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
    chosen = args.only or assignments(args.root)
    progress = tqdm(chosen, desc="release", unit="assignment", file=sys.stderr)
    for assignment in progress:
        progress.set_postfix_str(f"{assignment}: {'validate' if args.validate_only else 'generate'}")
        problems = [] if args.validate_only else [p for p in [generate(args.root, assignment)] if p]
        if not problems:
            progress.set_postfix_str(f"{assignment}: validate (runs the source and release notebooks)")
            problems = validate(args.root, assignment)
        totals = [summarize(p) for p in notebooks(args.root, assignment, "source")]
        rows.append((assignment, str(sum(t["exercises"] for t in totals)),
                     str(sum(t["questions"] for t in totals)),
                     f"{sum(t['points'] + t['written_points'] for t in totals):g}",
                     str(sum(t["hidden_test_cells"] for t in totals)), "ok" if not problems else "FAILED"))
        for problem in problems:
            tqdm.write(f"[{assignment}] {problem}", file=sys.stderr)
        failures += bool(problems)
    print_table(("assignment", "exercises", "questions", "points", "hidden-test cells", "result"), rows)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
