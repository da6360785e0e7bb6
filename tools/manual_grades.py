"""Written answers graded by hand survive a regrade.

`make grade` regrades from a clean slate (tools.autograde.forget_previous_results removes each
submission from the gradebook), which would also erase the scores and comments an instructor gave
to written answers in the Formgrader. `kept_by_hand` reads them first, with the answer text they
were given for; `restore` writes them back after the regrade when the student's answer is still
the same text, and otherwise says that the answer must be graded again.
"""

from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from tools.autograde import db_url, submitted_notebooks
from tools.notebook_model import grading_info


def answer_texts(root, student, assignment, notebook):
    """{grade_id: source} of the graded cells of the autograded copy of `notebook` (a name)."""
    path = Path(root) / "autograded" / student / assignment / f"{notebook}.ipynb"
    if not path.exists():
        return {}
    return {grading_info(c)["grade_id"]: c.source for c in nbformat.read(path, as_version=4).cells
            if "grade_id" in grading_info(c)}


def kept_by_hand(root, batches):
    """{(assignment, student): {(notebook, grade_id): (score, comment, answer text)}} of the written
    answers graded by hand in the gradebook, for the submissions in `batches` ({assignment: [student]})."""
    kept = {}
    with Gradebook(db_url(root)) as gradebook:
        for assignment, students in batches.items():
            for student, notebook in submitted_notebooks(gradebook, assignment, students):
                texts = answer_texts(root, student, assignment, notebook.name)
                comments = {c.name: c.manual_comment for c in notebook.comments}
                for grade in notebook.grades:
                    if grade.cell.cell_type == "markdown" and grade.manual_score is not None:
                        kept.setdefault((assignment, student), {})[(notebook.name, grade.name)] = (
                            float(grade.manual_score), comments.get(grade.name), texts.get(grade.name))
    return kept


def restore(root, assignment, students, kept):
    """Write the kept hand grades of `students` back where the answer is unchanged; return
    {student: [note, ...]} for the answers that changed since (to be graded again)."""
    notes = {}
    with Gradebook(db_url(root)) as gradebook:
        graded_by_hand = [student for student in students if kept.get((assignment, student))]
        for student, notebook in submitted_notebooks(gradebook, assignment, graded_by_hand):
            saved = kept[(assignment, student)]
            texts = answer_texts(root, student, assignment, notebook.name)
            comments = {c.name: c for c in notebook.comments}
            for grade in notebook.grades:
                if (notebook.name, grade.name) not in saved:
                    continue
                score, comment, text = saved[(notebook.name, grade.name)]
                if text is None or texts.get(grade.name) != text:
                    notes.setdefault(student, []).append(
                        f"written answer {grade.name} changed since it was graded by hand: grade it anew")
                    continue
                grade.manual_score = score
                if comment and grade.name in comments:
                    comments[grade.name].manual_comment = comment
            gradebook.db.commit()
    return notes
