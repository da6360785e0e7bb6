"""Parallel grading (`make grade JOBS=N`): every student graded once, as serial grading grades them.

A temporary course copy gets a few submissions of 01_norm_layers (the reference, the untouched
release, two packs of mutants), graded with jobs=2 and then partly regraded with jobs=2, in the
session's pool (`parallel_batch`: tests/graded_batches.grade_in_parallel). The serial baseline is the
session's serial grading of the same submissions (conftest's graded_course), so nothing is graded
twice for it.
"""

import shutil
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest
from nbgrader.api import Gradebook

from tests.course_harness import selected_assignments
from tests.graded_batches import PARALLEL_ASSIGNMENT as ASSIGNMENT
from tests.graded_batches import REGRADED, gradebook_submissions
from tools.autograde import chunks, db_url, discard_unfinished
from tools.results import read_results

pytestmark = pytest.mark.skipif(ASSIGNMENT not in selected_assignments(),
                                reason=f"the serial baseline is the session's grading of {ASSIGNMENT}")
LOCK_ERRORS = ("database is locked", "OperationalError")


def lock_errors(log):
    return [line for line in log.splitlines() if any(e in line for e in LOCK_ERRORS)]


def test_chunks_deal_every_student_once():
    students = [f"s{k:02d}" for k in range(7)]
    for jobs in (1, 2, 3, 7, 20):
        parts = chunks(students, jobs)
        assert len(parts) == min(jobs, len(students))
        assert sorted(s for part in parts for s in part) == students
        assert max(map(len, parts)) - min(map(len, parts)) <= 1
    assert chunks(["alone"], 4) == [["alone"]]


def test_every_student_graded_exactly_once(parallel_batch):
    assert parallel_batch["generate_error"] is None, parallel_batch["generate_error"]
    students = Counter((r.student, r.assignment) for r in parallel_batch["rows"])
    assert students == Counter({(s, ASSIGNMENT): 1 for s in parallel_batch["plan"]})
    assert parallel_batch["gradebook"] == Counter(list(parallel_batch["plan"]))
    assert not lock_errors(parallel_batch["log"]), parallel_batch["log"][-3000:]


def test_same_statuses_and_cell_scores_as_serial_grading(parallel_batch, graded_course):
    for row in parallel_batch["rows"]:
        serial = graded_course.results[(row.student, ASSIGNMENT)]
        assert row.status == serial.status == "graded", parallel_batch["log"][-3000:]
        assert row.cells == serial.cells and row.score == serial.score, row.student
    by_student = {r.student: r for r in parallel_batch["rows"]}
    reference = by_student["reference"]  # written answers (if any) await grading by hand
    assert reference.score + reference.pending_points == reference.max_score > 0
    for student, mutants in parallel_batch["plan"].items():
        for targets in mutants or []:
            assert any(by_student[student].cells[c] < by_student["reference"].cells[c] for c in targets)


def test_parallel_regrade_of_some_students_starts_clean(parallel_batch):
    """REGRADED graded again with two workers: still one submission each, the same results for all."""
    before = {r.student: r for r in parallel_batch["rows"]}
    assert not lock_errors(parallel_batch["regrade_log"]), parallel_batch["regrade_log"][-3000:]
    assert set(REGRADED) <= set(before)
    assert parallel_batch["gradebook_after_regrade"] == Counter(list(parallel_batch["plan"]))
    for row in parallel_batch["regraded"]:
        old = before[row.student]
        assert (row.status, row.score, row.cells) == (old.status, old.score, old.cells)


def hammer(url, assignment, students, seconds):
    """Write gradebook rows the way nbgrader autograde does, for `seconds`; return (commits, errors)."""
    commits, errors = 0, []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for student in students:
            try:
                with Gradebook(url, "convnets") as gradebook:
                    gradebook.update_or_create_student(student)
                    gradebook.update_or_create_submission(assignment, student)
                with Gradebook(url) as gradebook:
                    for notebook in gradebook.find_submission(assignment, student).notebooks:
                        for grade in notebook.grades:
                            grade.auto_score = grade.max_score
                            gradebook.db.commit()
                            commits += 1
                    gradebook.remove_submission(assignment, student)
            except Exception as error:  # noqa: BLE001 - every failure is counted and reported
                errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")
    return commits, errors


def test_sqlite_gradebook_takes_concurrent_writers(parallel_batch, tmp_path):
    """Four processes write grade rows at once, as fast as they can: no "database is locked"."""
    shutil.copy(parallel_batch["root"] / "gradebook.db", tmp_path / "gradebook.db")
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    writers = 4
    with ProcessPoolExecutor(writers, mp_context=get_context("spawn")) as pool:
        students = [[f"writer{k}-{j}" for j in range(2)] for k in range(writers)]
        results = list(pool.map(hammer, [url] * writers, [ASSIGNMENT] * writers, students, [4] * writers))
    errors = [e for _, found in results for e in found]
    assert not errors, errors[:5]
    assert sum(commits for commits, _ in results) > 20


def test_unfinished_grading_is_discarded_not_scored(parallel_batch):
    """A submission whose grading stopped mid-notebook (no score yet) is removed: crashed, not 0."""
    root, student = parallel_batch["root"], "blank"
    with Gradebook(db_url(root)) as gradebook:
        for notebook in gradebook.find_submission(ASSIGNMENT, student).notebooks:
            notebook.grades[0].auto_score = None
        gradebook.db.commit()
    assert discard_unfinished(root, ASSIGNMENT, list(parallel_batch["plan"])) == [student]
    (row,) = read_results(root, ASSIGNMENT, [student])
    assert row.status == "crashed" and row.score is None
    assert student not in gradebook_submissions(root, ASSIGNMENT)
