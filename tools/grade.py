"""`make grade` and `make feedback`: autograde every submission, report honestly, send feedback.

Submissions live in `submitted/<student>/<assignment>/<notebook>.ipynb`. For each assignment,
every earlier result of the students being graded is removed first (so a regrade can never keep a
stale score), then `nbgrader autograde` runs once for the whole batch: a submission that breaks
is logged by nbgrader and the others are still graded. The gradebook is then read back and every
(student, assignment) gets a status:

    graded     nbgrader graded it; the score is the sum of its test cells
    timed out  graded, but a cell ran past the timeout and was interrupted (score still counts)
    tampered   graded with the original test cells put back, but the submission had changed or
               removed some (named in `notes`): worth a look
    malformed  the file is not a readable notebook: not graded, no score
    crashed    a readable notebook that nbgrader could not grade (the kernel died, ...): no score

A submission that was not graded never shows a 0.0 that would look like work failing every test.
`grades.csv` holds one row per (student, assignment) with its notes; a table is printed.
Usage: python -m tools.grade [--root PATH] [--feedback-only]
"""

import argparse
import csv
import shutil
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from tools.course import (
    ROOT,
    assignments,
    grading_info,
    is_test_cell,
    nbgrader,
    nbgrader_config,
    notebooks,
    print_table,
)

AUTOGRADE_TIMEOUT = 3600  # seconds for one assignment's whole batch


def submissions(root):
    """{assignment: [student, ...]} for every submitted/<student>/<assignment> holding a notebook."""
    found = {}
    for assignment in assignments(root):
        students = sorted(p.parent.name for p in (Path(root) / "submitted").glob(f"*/{assignment}")
                          if p.is_dir() and any(p.glob("*.ipynb")))
        if students:
            found[assignment] = students
    return found


def db_url(root):
    """The gradebook URL nbgrader uses for the course in `root`."""
    config = nbgrader_config(root)
    url = config.CourseDirectory.get("db_url") if "CourseDirectory" in config else None
    return url or f"sqlite:///{Path(root) / 'gradebook.db'}"


def forget_previous_results(root, assignment, students):
    """Remove earlier autograded copies and gradebook entries, so regrading starts clean."""
    with Gradebook(db_url(root)) as gradebook:
        for student in students:
            try:
                gradebook.remove_submission(assignment, student)
            except MissingEntry:
                pass
    for student in students:
        shutil.rmtree(Path(root) / "autograded" / student / assignment, ignore_errors=True)


def autograde(root, assignment, students):
    """Autograde one assignment's batch; return nbgrader's combined log text."""
    forget_previous_results(root, assignment, students)
    result = nbgrader(root, "autograde", assignment, timeout=AUTOGRADE_TIMEOUT)
    return result.stdout + result.stderr


def read_notebook(path):
    """The notebook at `path`, or None when it is not a readable, valid notebook."""
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        return notebook
    except Exception:  # noqa: BLE001 - any unreadable file is "malformed"
        return None


def test_cell_sources(notebook):
    """{grade_id: source} of the graded test cells of a notebook (cells without a grade id are skipped)."""
    return {grading_info(c)["grade_id"]: c.source for c in notebook.cells
            if is_test_cell(c) and "grade_id" in grading_info(c)}


def accepted_test_cells(root, assignment):
    """{notebook name: {grade_id: the sources a submission may hold (release and source versions)}}."""
    accepted = {}
    for source_path in notebooks(root, assignment, "source"):
        original = test_cell_sources(nbformat.read(source_path, as_version=4))
        released = test_cell_sources(nbformat.read(Path(root) / "release" / assignment / source_path.name,
                                                   as_version=4))
        accepted[source_path.name] = {k: {v, released.get(k, v)} for k, v in original.items()}
    return accepted


def tampering(accepted, submitted):
    """Notes on the test cells `submitted` ({name: notebook}) changed or removed; see accepted_test_cells."""
    notes = []
    for name, cells in accepted.items():
        theirs = test_cell_sources(submitted[name]) if name in submitted else {}
        notes += [f"test cell missing: {k}" for k in sorted(set(cells) - set(theirs))]
        notes += [f"test cell changed: {k}" for k in sorted(cells)
                  if k in theirs and theirs[k] not in cells[k]]
    return notes


def timed_out_cells(autograded):
    """Grade ids (or cell numbers) of cells interrupted by the timeout in autograded notebooks."""
    found = []
    for path in sorted(Path(autograded).glob("*.ipynb")):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
                found.append(grading_info(cell).get("grade_id", f"cell {index}"))
    return found


def read_results(root, assignment, students):
    """One dict per student: student, assignment, status, score, max_score, notes, cells {grade_id: score}."""
    rows = []
    accepted = accepted_test_cells(root, assignment)
    with Gradebook(db_url(root)) as gradebook:
        for student in students:
            row = {"student": student, "assignment": assignment, "status": "crashed",
                   "score": None, "max_score": None, "notes": [], "cells": {}}
            folder = Path(root) / "submitted" / student / assignment
            submitted = {p.name: read_notebook(p) for p in folder.glob("*.ipynb")}
            if any(notebook is None for notebook in submitted.values()):
                row["status"] = "malformed"
                row["notes"].append("not a readable notebook: ask for a new file")
                rows.append(row)
                continue
            autograded = Path(root) / "autograded" / student / assignment
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                submission = None
            if submission is not None and autograded.is_dir() and any(autograded.glob("*.ipynb")):
                row.update(status="graded", score=float(submission.score),
                           max_score=float(submission.max_score))
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.max_score > 0:
                            row["cells"][grade.name] = float(grade.score)
                timed_out = timed_out_cells(autograded)
                if timed_out:
                    row["status"] = "timed out"
                    row["notes"] += [f"interrupted by the timeout: {c}" for c in timed_out]
                tampered = tampering(accepted, submitted)
                if tampered:
                    row["status"] = "tampered"
                    row["notes"] += tampered
            else:
                row["notes"].append("nbgrader could not grade it (kernel died?): see the grading log")
            rows.append(row)
    return rows


def grade_all(root):
    """Autograde every submission in `root/submitted`; return (rows, {assignment: log})."""
    rows, logs = [], {}
    for assignment, students in submissions(root).items():
        logs[assignment] = autograde(root, assignment, students)
        rows += read_results(root, assignment, students)
    return rows, logs


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
    args = parser.parse_args(argv)
    if args.feedback_only:
        return feedback(args.root)
    if not submissions(args.root):
        print(f"nothing to grade: put notebooks in {args.root / 'submitted'}/<student>/<assignment>/")
        return 0
    rows, logs = grade_all(args.root)
    for assignment, log in logs.items():
        errors = [line for line in log.splitlines() if "ERROR" in line]
        if errors:
            print(f"[{assignment}] nbgrader reported:\n  " + "\n  ".join(errors[:20]), file=sys.stderr)
    write_report(args.root, rows)
    return 1 if any(r["score"] is None for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
