"""`make grade` and `make feedback`: autograde every submission, report honestly, send feedback.

Submissions live in `submitted/<student>/<assignment>/<notebook>.ipynb`. Each assignment's batch
is autograded from a clean slate (tools.autograde), every (student, assignment) gets a status
(tools.results: graded, timed out, tampered, malformed, crashed), and `grades.csv` holds one row
per (student, assignment) with its notes; a table is printed. `--jobs N` grades N students at a
time (see tools.autograde for how that stays safe for the gradebook).
Usage: python -m tools.grade [--root PATH] [--jobs N] [--feedback-only]
"""

import argparse
import csv
import sys
from pathlib import Path

from tools.autograde import autograde_all, submissions
from tools.course import ROOT, assignments, nbgrader, print_table
from tools.results import read_results


def grade_all(root, jobs=1):
    """Autograde every submission in `root/submitted`, `jobs` at a time; return (rows, {assignment: log})."""
    batches, found = submissions(root), {}

    def read(assignment, students):  # in the grading worker, right after its chunk
        found.update(((assignment, row["student"]), row) for row in read_results(root, assignment, students))

    logs = autograde_all(root, batches, jobs=jobs, then=read)
    return [found[(a, s)] for a, students in batches.items() for s in students], logs


def write_report(root, rows):
    """Write grades.csv and print a table; ungraded rows are flagged, never scored 0."""
    path = Path(root) / "grades.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "status", "score", "max_score", "notes"])
        for r in rows:
            writer.writerow([r["student"], r["assignment"], r["status"],
                             "" if r["score"] is None else f"{r['score']:g}",
                             "" if r["max_score"] is None else f"{r['max_score']:g}", "; ".join(r["notes"])])
    print_table(("student", "assignment", "status", "score"),
                [(r["student"], r["assignment"], r["status"],
                  "-" if r["score"] is None else f"{r['score']:g} / {r['max_score']:g}") for r in rows])
    attention = [r for r in rows if r["status"] != "graded"]
    for r in attention:
        print(f"  {r['student']}/{r['assignment']} ({r['status']}): {'; '.join(r['notes'])}")
    print(f"\n{len(rows)} submissions, {len(attention)} need attention; written to {path}")


def feedback(root):
    """Generate HTML feedback for every autograded assignment; return 0 or 1."""
    failures = 0
    for assignment in assignments(root):
        if any((Path(root) / "autograded").glob(f"*/{assignment}")):
            result = nbgrader(root, "generate_feedback", assignment, "--force")
            if result.returncode != 0:
                print(result.stdout + result.stderr, file=sys.stderr)
                failures += 1
    print(f"feedback written to {Path(root) / 'feedback'}")
    return 1 if failures else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="course folder (default: this repo)")
    parser.add_argument("--feedback-only", action="store_true", help="only generate feedback")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="grade N submissions at a time (default: 1)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.feedback_only:
        return feedback(args.root)
    if not submissions(args.root):
        print(f"nothing to grade: put notebooks in {args.root / 'submitted'}/<student>/<assignment>/")
        return 0
    rows, logs = grade_all(args.root, jobs=args.jobs)
    for assignment, log in logs.items():
        errors = [line for line in log.splitlines() if "ERROR" in line]
        if errors:
            print(f"[{assignment}] nbgrader reported:\n  " + "\n  ".join(errors[:20]), file=sys.stderr)
    write_report(args.root, rows)
    return 1 if any(r["score"] is None for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
