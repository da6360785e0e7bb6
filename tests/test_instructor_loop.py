"""The instructor's loop on one small course copy: release, grade, grade by hand, regrade, feedback.

One copy of the course with assignment 01 only, a written question added to its source notebook
(a markdown answer cell graded by hand, as docs/instructors.md describes), its release regenerated,
and two submissions (the reference and the untouched release) graded once for the whole module.
"""

import csv
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from tests.course_harness import copy_course, submit
from tools.autograde import db_url
from tools.course import notebooks, summarize
from tools.grade import awaiting_hand_grades, feedback, grade_all, write_report
from tools.release import generate, written_problems

ASSIGNMENT = "01_norm_layers"
QUESTION = "q_batch"
MODEL_ANSWER = "Each example is normalized over its own features: no statistic is shared across the batch."


def add_written_question(path, grade_id=QUESTION, points=1):
    """Append a written question (prompt and answer cell with the model answer) to the notebook at `path`."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("**Question.** Why is LayerNorm's output for one "
                                                        "example the same whatever the batch?"))
    answer = nbformat.v4.new_markdown_cell(MODEL_ANSWER)
    answer.metadata["nbgrader"] = {"solution": True, "grade": True, "task": False, "points": points,
                                   "grade_id": grade_id, "schema_version": 3, "locked": False}
    notebook.cells.append(answer)
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def loop_course(tmp_path_factory):
    """The course copy (01 only, with a written question), graded once: (root, {student: row})."""
    root = copy_course(tmp_path_factory.mktemp("instructor-loop"))
    for other in {p.name for p in (root / "source").iterdir()} - {ASSIGNMENT}:
        shutil.rmtree(root / "source" / other)
        shutil.rmtree(root / "release" / other, ignore_errors=True)
    (source,) = notebooks(root, ASSIGNMENT, "source")
    add_written_question(source)
    assert generate(root, ASSIGNMENT) is None
    (release,) = notebooks(root, ASSIGNMENT, "release")
    submit(root, "reference", ASSIGNMENT, nbformat.read(source, as_version=4))
    submit(root, "blank", ASSIGNMENT, nbformat.read(release, as_version=4))
    rows, _ = grade_all(root)
    write_report(root, rows)
    return root, {row["student"]: row for row in rows}


def test_written_question_is_released_empty_and_validated(loop_course, tmp_path):
    root, _ = loop_course
    (source,) = notebooks(root, ASSIGNMENT, "source")
    (release,) = notebooks(root, ASSIGNMENT, "release")
    assert summarize(source)["questions"] == 1 and summarize(source)["written_points"] == 1
    assert MODEL_ANSWER not in release.read_text() and written_problems(root, ASSIGNMENT) == []
    # A question without a q_ id, points or model answer, or released with its answer, is refused.
    bad = copy_course(tmp_path / "bad")
    (bad_source,) = notebooks(bad, ASSIGNMENT, "source")
    add_written_question(bad_source, grade_id="why_batch", points=0)
    shutil.copy(bad_source, bad / "release" / ASSIGNMENT / bad_source.name)
    problems = "\n".join(written_problems(bad, ASSIGNMENT))
    assert "must start with q_" in problems and "give it points" in problems
    assert "not the model" in problems


def test_written_answers_await_grading_by_hand_and_blank_scores_zero(loop_course):
    root, rows = loop_course
    reference, blank = rows["reference"], rows["blank"]
    assert reference["status"] == "graded" and reference["written"] == {QUESTION: None}
    assert reference["score"] + reference["pending_points"] == reference["max_score"]
    assert reference["pending_points"] == 1 and any(QUESTION in note for note in reference["notes"])
    assert blank["written"] == {QUESTION: 0.0} and blank["score"] == 0 and blank["pending_points"] == 0
    with (root / "grades.csv").open() as handle:
        written = {r["student"]: r for r in csv.DictReader(handle)}
    assert written["reference"]["to_grade_by_hand"] == "1" and written["blank"]["to_grade_by_hand"] == ""
    assert awaiting_hand_grades(root) == [f"reference/{ASSIGNMENT}"]


def test_hand_grades_survive_a_regrade_and_reach_the_feedback(loop_course, capsys):
    root, rows = loop_course
    assert feedback(root) == 0
    assert "not graded by hand yet" in capsys.readouterr().out
    page = (root / "feedback" / "reference" / ASSIGNMENT / "norm_layers.html").read_text()
    assert MODEL_ANSWER.split(":")[0] in page  # the student's own answer is shown
    with Gradebook(db_url(root)) as gradebook:  # what the Formgrader's Manual Grading saves
        gradebook.find_grade(QUESTION, "norm_layers", ASSIGNMENT, "reference").manual_score = 0.5
        gradebook.find_comment(QUESTION, "norm_layers", ASSIGNMENT, "reference").manual_comment = "Half."
        gradebook.db.commit()
    again = {row["student"]: row for row in grade_all(root)[0]}
    assert again["reference"]["written"] == {QUESTION: 0.5}
    assert again["reference"]["score"] == rows["reference"]["score"] + 0.5
    assert again["reference"]["pending_points"] == 0
    with Gradebook(db_url(root)) as gradebook:
        comment = gradebook.find_comment(QUESTION, "norm_layers", ASSIGNMENT, "reference").manual_comment
    assert comment == "Half."
    assert awaiting_hand_grades(root) == []
