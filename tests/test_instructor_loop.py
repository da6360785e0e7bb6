"""The instructor's loop on one small course copy: release, grade, grade by hand, regrade, feedback.

One copy of the course with assignment 01 only, a written question added to its source notebook
(a markdown answer cell graded by hand, as docs/instructors.md describes), its release regenerated,
and two submissions (the reference and the untouched release) graded once for the whole module;
the tests run in file order on it (the last one regrades it through `make grade`'s entry point).
"""

import csv
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from tools.autograde import db_url
from tools.course import copy_course, notebooks, submit, summarize
from tools.grade import awaiting_hand_grades, feedback, grade_all, write_report
from tools.grade import main as grade_main
from tools.notebook_model import is_written_answer
from tools.preflight import prepare
from tools.release import generate, written_problems
from tools.release import main as release_main

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
    notebook = nbformat.read(source, as_version=4)  # 01's own questions out: QUESTION is the only one
    notebook.cells = [c for c in notebook.cells if not is_written_answer(c)]
    nbformat.write(notebook, source)
    add_written_question(source)
    assert generate(root, ASSIGNMENT) is None
    (release,) = notebooks(root, ASSIGNMENT, "release")
    submit(root, "reference", ASSIGNMENT, nbformat.read(source, as_version=4))
    submit(root, "blank", ASSIGNMENT, nbformat.read(release, as_version=4))
    rows, _ = grade_all(root)
    write_report(root, rows)
    return root, {row.student: row for row in rows}


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
    assert reference.status == "graded" and reference.written == {QUESTION: None}
    assert reference.score + reference.pending_points == reference.max_score
    assert reference.pending_points == 1 and any(QUESTION in note for note in reference.notes)
    assert blank.written == {QUESTION: 0.0} and blank.score == 0 and blank.pending_points == 0
    with (root / "grades.csv").open() as handle:
        written = {r["student"]: r for r in csv.DictReader(handle)}
    assert written["reference"]["to_grade_by_hand"] == "1" and written["blank"]["to_grade_by_hand"] == ""
    assert awaiting_hand_grades(root) == [f"reference/{ASSIGNMENT}"]


def test_a_run_that_cannot_start_says_so_in_one_line_and_changes_nothing(loop_course, monkeypatch, capsys):
    root, _ = loop_course
    before = {p: p.read_bytes() for p in [root / "grades.csv", *root.glob("autograded/*/*/*.ipynb")]}
    monkeypatch.setenv("GRADEBOOK_URL", "postgresql://grader:secret@127.0.0.1:1/convnets")
    assert grade_main(["--root", str(root)]) == 2
    out, err = capsys.readouterr()
    assert "gradebook: postgresql://grader:***@127.0.0.1:1/convnets" in out and "secret" not in out + err
    assert len(err.strip().splitlines()) == 1 and "cannot open the gradebook" in err
    assert "nothing was changed" in err
    assert {p: p.read_bytes() for p in before} == before


def test_a_gradebook_without_the_release_gets_it_recorded_from_source(loop_course, tmp_path, capsys):
    """After `make clean` (gradebook.db deleted) or in a new database, grading records the release itself,
    without touching the committed release/."""
    root, _ = loop_course
    (release,) = notebooks(root, ASSIGNMENT, "release")
    released = release.read_bytes()
    shutil.move(root / "gradebook.db", tmp_path / "gradebook.db")
    try:
        prepare(root, {ASSIGNMENT: ["reference"]})
        assert "recorded 01_norm_layers in the gradebook from source/" in capsys.readouterr().out
        with Gradebook(db_url(root)) as gradebook:
            cells = gradebook.find_notebook("norm_layers", ASSIGNMENT).grade_cells
            assert QUESTION in {cell.name for cell in cells}
        assert release.read_bytes() == released
    finally:
        shutil.move(tmp_path / "gradebook.db", root / "gradebook.db")


def test_feedback_is_offline_and_wraps(loop_course, capsys):
    root, _ = loop_course
    assert feedback(root) == 0
    assert "not graded by hand yet" in capsys.readouterr().out
    page = (root / "feedback" / "reference" / ASSIGNMENT / "norm_layers.html").read_text()
    assert MODEL_ANSWER.split(":")[0] in page  # the student's own answer is shown
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', page), "the page loads from the web"
    assert '<script src="../../mathjax/MathJax.js?config=' in page and "pre-wrap" in page
    assert (root / "feedback" / "mathjax" / "MathJax.js").exists()


def test_feedback_names_the_other_exercise_a_failure_comes_from():
    from tools.plugins.other_exercise_hint import OtherExerciseHint

    notebook = nbformat.v4.new_notebook()
    answers = [nbformat.v4.new_code_cell("def inner(x):\n    raise NotImplementedError()"),
               nbformat.v4.new_code_cell("def outer(x):\n    return inner(x) + 1")]
    test = nbformat.v4.new_code_cell("assert outer(1) == 2")
    for cell, grade_id in zip(answers, ("inner_answer", "outer_answer"), strict=True):
        cell.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": grade_id}
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "outer_tests", "points": 1}
    trace = ["\x1b[0;31mNotImplementedError\x1b[0m", "Cell In[3], line 1", "Cell In[2], line 2, in outer(x)",
             "Cell In[1], line 2, in inner(x)", "NotImplementedError: "]
    test.outputs = [nbformat.v4.new_output("error", ename="NotImplementedError", evalue="", traceback=trace)]
    notebook.cells = [*answers, test]
    OtherExerciseHint().preprocess(notebook, {})
    assert test.outputs[0]["evalue"].startswith("[raised in inner() of the exercise inner_answer")
    test.outputs[0]["evalue"], test.outputs[0]["traceback"] = "", trace[:3] + ["NotImplementedError: "]
    OtherExerciseHint().preprocess(notebook, {})  # failing in its own exercise: nothing to add
    assert test.outputs[0]["evalue"] == ""


def test_grading_writes_a_log_shows_progress_keeps_hand_grades_and_exits_0(loop_course, capsys):
    root, rows = loop_course
    with Gradebook(db_url(root)) as gradebook:  # what the Formgrader's Manual Grading saves
        gradebook.find_grade(QUESTION, "norm_layers", ASSIGNMENT, "reference").manual_score = 0.5
        gradebook.find_comment(QUESTION, "norm_layers", ASSIGNMENT, "reference").manual_comment = "Half."
        gradebook.db.commit()
    shutil.rmtree(root / "submitted" / "blank")  # (cheaper: the regrade needs the reference only)
    assert grade_main(["--root", str(root)]) == 0
    out, err = capsys.readouterr()
    assert f"gradebook: sqlite:///{root / 'gradebook.db'}" in out
    assert "grade: 100%" in err and "1/1" in err  # the progress bar, over the submissions
    (log,) = re.findall(r"grading log \(nbgrader's output, full tracebacks\): (\S+)", out)
    assert "[autograde] 01_norm_layers" in Path(log).read_text()
    with (root / "grades.csv").open() as handle:
        written = {r["student"]: r for r in csv.DictReader(handle)}
    assert float(written["reference"]["score"]) == rows["reference"].score + 0.5
    assert written["reference"]["to_grade_by_hand"] == ""
    with Gradebook(db_url(root)) as gradebook:
        comment = gradebook.find_comment(QUESTION, "norm_layers", ASSIGNMENT, "reference").manual_comment
    assert comment == "Half." and awaiting_hand_grades(root) == []


def test_release_names_the_failing_cell_without_terminal_escapes(tmp_path, capsys):
    root = copy_course(tmp_path / "course")
    folder = root / "source" / "99_tiny"
    folder.mkdir()
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": kernel})
    answer = nbformat.v4.new_code_cell("def one():\n    ### BEGIN SOLUTION\n    return 2\n"
                                       "    ### END SOLUTION")
    test = nbformat.v4.new_code_cell("assert one() == 1, 'one() should be 1'")
    answer.metadata["nbgrader"] = {"solution": True, "grade": False, "task": False, "locked": False,
                                   "grade_id": "one_answer", "schema_version": 3}
    test.metadata["nbgrader"] = {"solution": False, "grade": True, "task": False, "locked": True,
                                 "points": 1, "grade_id": "one_tests", "schema_version": 3}
    notebook.cells = [answer, test]
    nbformat.write(notebook, folder / "tiny.ipynb")
    assert release_main(["--root", str(root), "99_tiny"]) == 1
    err = capsys.readouterr().err
    assert "tiny.ipynb (source): test cell one_tests fails" in err and "one() should be 1" in err
    assert "\x1b" not in err and "release: 100%" in err


def test_pretrain_leaves_the_shipped_checkpoint_alone_unless_asked(monkeypatch, tmp_path, capsys):
    from tools import pretrain

    shipped = {p: p.read_bytes() for p in pretrain.CHECKPOINTS.iterdir()}
    monkeypatch.setattr(pretrain, "SCRATCH", tmp_path)
    pretrain.main(["--steps", "1", "--batch-size", "8"])  # a tiny run: it cannot match, and must say so
    assert (tmp_path / f"{pretrain.CHECKPOINT_NAME}.pt").exists()
    assert {p: p.read_bytes() for p in pretrain.CHECKPOINTS.iterdir()} == shipped
    assert "DIFFERS from the shipped" in capsys.readouterr().out
