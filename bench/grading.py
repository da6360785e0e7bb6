"""Grading benchmarks, each in a temporary copy of the course (tools.course.copy_course).

* autograde time per notebook: the source notebook of each assignment submitted by one student,
  graded by `tools.autograde.autograde` (one nbgrader run per assignment, as `make grade` does)
  and read back by `tools.results.read_results` (statuses and the crosscheck pass);
  target: the notebook's CPU budget. The row fails if the reference does not get full marks.
* autograde time per full submission: one student with all five notebooks graded end to end by
  `python -m tools.grade --root COPY` (process start included); target: the sum of the budgets.
* parallel grading: `python -m tools.grade --root COPY --jobs 2` against `--jobs 1` on the same 20
  submissions; target: >= 1.7x. Reported "not available" while tools.grade has no --jobs option.
"""

import csv
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import nbformat

from bench.measure import load_average, row
from bench.notebooks import budget
from tools.autograde import autograde
from tools.course import ROOT, assignments, copy_course, notebooks, submit, venv_environment
from tools.release import generate
from tools.results import read_results
from tools.status import Status


def prepared_course(root, chosen):
    """Copy the course to `root` and register `chosen` assignments in its gradebook."""
    copy_course(root)
    for assignment in chosen:
        error = generate(root, assignment)
        if error:
            raise RuntimeError(f"{assignment}: {error}")
    return Path(root)


def submit_reference(root, student, assignment):
    (source_path,) = notebooks(ROOT, assignment, "source")
    submit(root, student, assignment, nbformat.read(source_path, as_version=4))


def grade_cli(root, *options, timeout=7200):
    """Run `python -m tools.grade --root root *options`; return (seconds, CompletedProcess)."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "tools.grade", "--root", str(root), *options],
                            cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=venv_environment())
    return time.perf_counter() - start, result


def read_grades(root):
    with (Path(root) / "grades.csv").open() as handle:
        return list(csv.DictReader(handle))


def full_marks(rows):
    """The rows (dicts: of grades.csv, or read_results' rows as dataclasses.asdict) that are not graded
    with full marks (written answers awaiting grading by hand count as full marks: the reference's are
    the model answers)."""
    def value(x):
        return float(x) if x not in (None, "") else None
    def by_hand(r):
        return r.get("pending_points") or value(r.get("to_grade_by_hand")) or 0.0
    return [r for r in rows if r["status"] != Status.GRADED or value(r["score"]) is None
            or value(r["score"]) + by_hand(r) != value(r["max_score"])]


def bench_autograde(chosen=None, keep=False):
    """Rows: autograde seconds per notebook (reference submission), then per full submission."""
    chosen = chosen or assignments(ROOT)
    rows = []
    folder = Path(tempfile.mkdtemp(prefix="bench-autograde-"))
    try:
        root = prepared_course(folder / "course", chosen)
        for assignment in chosen:
            submit_reference(root, "solo", assignment)
            load = load_average()
            start = time.perf_counter()
            autograde(root, assignment, ["solo"])
            middle = time.perf_counter()
            results = read_results(root, assignment, ["solo"])  # statuses, crosscheck
            bad = full_marks([asdict(r) for r in results])
            seconds = time.perf_counter() - start
            graded = middle - start
            note = (f"load {load}; nbgrader {graded:.0f} s + results {seconds - graded:.0f} s"
                    + (f"; NOT full marks: {bad[0]['status']} {bad[0]['notes']}" if bad else ""))
            rows.append(row(f"autograde_{assignment}", f"autograde {assignment} (reference submission)",
                            None if bad else seconds, "s", target=budget(assignment), goal="<=", note=note,
                            details={"seconds": seconds, "nbgrader_seconds": middle - start,
                                     "load_before": load}))
        shutil.rmtree(root / "autograded")
        (root / "autograded").mkdir()
        seconds, result = grade_cli(root)
        bad = full_marks(read_grades(root)) if (root / "grades.csv").exists() else ["no grades.csv"]
        note = f"{len(chosen)} notebooks, python -m tools.grade end to end"
        if result.returncode or bad:
            note += f"; FAILED (exit {result.returncode}): {result.stderr[-300:]}"
        rows.append(row("autograde_full", "autograde one full submission (all notebooks)",
                        None if (result.returncode or bad) else seconds, "s",
                        target=sum(budget(a) for a in chosen), goal="<=", note=note,
                        details={"seconds": seconds, "assignments": chosen}))
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    return rows


def bench_parallel(students=20, assignment="01_norm_layers", jobs=2, keep=False):
    """Row: speed-up of `tools.grade --jobs {jobs}` over `--jobs 1` on `students` submissions."""
    name = f"parallel grading --jobs {jobs} / --jobs 1, {students} submissions"
    folder = Path(tempfile.mkdtemp(prefix="bench-parallel-"))
    try:
        root = prepared_course(folder / "course", [assignment])
        for k in range(students):
            submit_reference(root, f"student{k:02d}", assignment)
        runs, problems = {}, []
        for count in (1, jobs):
            shutil.rmtree(root / "autograded")
            (root / "autograded").mkdir()
            load = load_average()
            seconds, result = grade_cli(root, "--jobs", str(count))
            grades = read_grades(root) if (root / "grades.csv").exists() else []
            if result.returncode or len(grades) != students or full_marks(grades):
                problems.append(f"--jobs {count}: exit {result.returncode}, {len(grades)} rows, "
                                f"{len(full_marks(grades))} not full marks; {result.stderr[-300:]}")
            runs[count] = {"seconds": seconds, "load_before": load}
        speedup = runs[1]["seconds"] / runs[jobs]["seconds"]
        note = (f"{runs[1]['seconds']:.0f} s vs {runs[jobs]['seconds']:.0f} s on {assignment}; "
                f"load {runs[1]['load_before']} / {runs[jobs]['load_before']}")
        if problems:
            note += "; FAILED: " + " | ".join(problems)
        return [row("parallel", name, None if problems else speedup, "x", target=1.7, note=note,
                    details={"runs": runs, "assignment": assignment, "students": students})]
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
