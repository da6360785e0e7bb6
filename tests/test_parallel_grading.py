"""Parallel grading (`make grade JOBS=N`): every student graded once, as serial grading grades them.

A temporary course copy gets a few submissions of 01_norm_layers (the reference, the untouched
release, two packs of mutants) and grades them with jobs=2. The serial baseline is the session's serial
grading of the same submissions (conftest's graded_course), so nothing is graded twice for it.
"""

import shutil
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import nbformat
import pytest
from nbgrader.api import Gradebook

from tests.course_harness import mutant_packs, selected_assignments
from tools.autograde import autograde, chunks, db_url, discard_unfinished
from tools.course import ROOT, copy_course, notebooks, submit
from tools.grade import grade_all
from tools.release import generate
from tools.results import read_results

ASSIGNMENT = "01_norm_layers"
pytestmark = pytest.mark.skipif(ASSIGNMENT not in selected_assignments(),
                                reason=f"the serial baseline is the session's grading of {ASSIGNMENT}")
LOCK_ERRORS = ("database is locked", "OperationalError")


def make_submissions(root, assignment=ASSIGNMENT, packs=2):
    """Submit the reference, the untouched release and the first and last of `assignment`'s mutant
    packs (the same submissions as the serial grading's); return {student: None or [the target
    cells of each of its mutants]}."""
    (source_path,) = notebooks(ROOT, assignment, "source")
    (release_path,) = notebooks(ROOT, assignment, "release")
    submit(root, "reference", assignment, nbformat.read(source_path, as_version=4))
    submit(root, "blank", assignment, nbformat.read(release_path, as_version=4))
    plan = {"reference": None, "blank": None}
    every = mutant_packs(assignment)
    for student, notebook, entries in [every[0], every[-1]][:packs]:
        plan[student] = [entry.targets for entry in entries.values()]
        submit(root, student, assignment, notebook)
    return plan


def gradebook_submissions(root, assignment=ASSIGNMENT):
    """Counter of the students that have a submission of `assignment` in the gradebook."""
    with Gradebook(db_url(root)) as gradebook:
        return Counter(s.student.id for s in gradebook.find_assignment(assignment).submissions)


@pytest.fixture(scope="module")
def parallel(tmp_path_factory):
    root = copy_course(tmp_path_factory.mktemp("course-parallel"))
    assert generate(root, ASSIGNMENT) is None
    plan = make_submissions(root)
    start = time.monotonic()
    rows, logs = grade_all(root, jobs=2)
    return {"root": root, "plan": plan, "rows": rows, "log": logs[ASSIGNMENT],
            "seconds": time.monotonic() - start}


def test_chunks_deal_every_student_once():
    students = [f"s{k:02d}" for k in range(7)]
    for jobs in (1, 2, 3, 7, 20):
        parts = chunks(students, jobs)
        assert len(parts) == min(jobs, len(students))
        assert sorted(s for part in parts for s in part) == students
        assert max(map(len, parts)) - min(map(len, parts)) <= 1
    assert chunks(["alone"], 4) == [["alone"]]


def test_every_student_graded_exactly_once(parallel):
    students = Counter((r.student, r.assignment) for r in parallel["rows"])
    assert students == Counter({(s, ASSIGNMENT): 1 for s in parallel["plan"]})
    assert gradebook_submissions(parallel["root"]) == Counter(list(parallel["plan"]))
    log = parallel["log"]
    assert not [line for line in log.splitlines() if any(e in line for e in LOCK_ERRORS)], log[-3000:]


def test_same_statuses_and_cell_scores_as_serial_grading(parallel, graded_course):
    for row in parallel["rows"]:
        serial = graded_course.results[(row.student, ASSIGNMENT)]
        assert row.status == serial.status == "graded", parallel["log"][-3000:]
        assert row.cells == serial.cells and row.score == serial.score, row.student
    by_student = {r.student: r for r in parallel["rows"]}
    reference = by_student["reference"]  # written answers (if any) await grading by hand
    assert reference.score + reference.pending_points == reference.max_score > 0
    for student, mutants in parallel["plan"].items():
        for targets in mutants or []:
            assert any(by_student[student].cells[c] < by_student["reference"].cells[c] for c in targets)


def test_parallel_regrade_of_some_students_starts_clean(parallel):
    root, before = parallel["root"], {r.student: r for r in parallel["rows"]}
    regraded = ["blank", "reference"]
    log = autograde(root, ASSIGNMENT, regraded, jobs=2)
    assert not [line for line in log.splitlines() if any(e in line for e in LOCK_ERRORS)], log[-3000:]
    assert gradebook_submissions(root) == Counter(list(parallel["plan"]))
    for row in read_results(root, ASSIGNMENT, list(parallel["plan"])):
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


def test_sqlite_gradebook_takes_concurrent_writers(parallel, tmp_path):
    """Four processes write grade rows at once, as fast as they can: no "database is locked"."""
    shutil.copy(parallel["root"] / "gradebook.db", tmp_path / "gradebook.db")
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    writers = 4
    with ProcessPoolExecutor(writers, mp_context=get_context("spawn")) as pool:
        students = [[f"writer{k}-{j}" for j in range(2)] for k in range(writers)]
        results = list(pool.map(hammer, [url] * writers, [ASSIGNMENT] * writers, students, [4] * writers))
    errors = [e for _, found in results for e in found]
    assert not errors, errors[:5]
    assert sum(commits for commits, _ in results) > 20


def test_unfinished_grading_is_discarded_not_scored(parallel):
    """A submission whose grading stopped mid-notebook (no score yet) is removed: crashed, not 0."""
    root, student = parallel["root"], "blank"
    with Gradebook(db_url(root)) as gradebook:
        for notebook in gradebook.find_submission(ASSIGNMENT, student).notebooks:
            notebook.grades[0].auto_score = None
        gradebook.db.commit()
    assert discard_unfinished(root, ASSIGNMENT, list(parallel["plan"])) == [student]
    (row,) = read_results(root, ASSIGNMENT, [student])
    assert row.status == "crashed" and row.score is None
    assert student not in gradebook_submissions(root)
