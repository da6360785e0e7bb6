"""Reading grading results back: one row per (student, assignment) with an honest status
(tools.status.Status):

    graded     nbgrader graded it; the score is the sum of its test cells and of its written answers
               graded by hand so far (a blank answer scores 0 at once; the others are listed in
               `notes` and `written` until an instructor grades them in the Formgrader)
    timed out  graded, but a cell ran past the timeout and was interrupted (score still counts)
    tampered   the submission changed, removed, renamed or duplicated graded cells or their ids, or
               removed an answer cell (named in `notes`): worth a look. Graded with the original
               test cells put back (a cell with an unknown grade id runs as an ordinary cell:
               tools/plugins/overwrite_known_cells.py); no score when nbgrader still refused its
               metadata; or a test cell's points were taken back because the answers it tests differ from the
               reference when re-run outside the kernel (tools.crosscheck; the note says which)
    needs review  graded, but the crosscheck reached no verdict on some cells (or reading the
               results failed): their in-kernel points are withheld (manual score 0, named in
               `notes`) until an instructor looks; a regrade decides again
    malformed  no readable notebook of the assignment was handed in (tools.intake says what
               came): not graded, no score
    rejected   a folder or file in submitted/ that is not a submission (an invalid student id,
               an unknown assignment folder, a link): listed, not graded
    crashed    a readable notebook that nbgrader could not grade: the kernel died or was killed
               (os._exit, a signal, a sandbox limit) or ignored the timeout's interrupt: no score

A submission that was not graded never shows a 0.0 that would look like work failing every test.
"""

from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from tools import crosscheck
from tools.autograde import db_url
from tools.course import notebooks
from tools.intake import STAGED, manifest, staged_notebooks
from tools.notebook_model import answer_sources, grade_id, grading_info, is_tracked, sources_of_test_cells
from tools.row import Row
from tools.status import Status


def read_notebook(path):
    """The notebook at `path`, or None when it is not a readable, valid notebook."""
    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        return notebook
    except Exception:  # noqa: BLE001 - any unreadable file is "malformed"
        return None


def accepted_test_cells(root, assignment):
    """{notebook name: {grade_id: the sources a submission may hold (release and source versions)}}."""
    accepted = {}
    for source_path in notebooks(root, assignment, "source"):
        original = sources_of_test_cells(nbformat.read(source_path, as_version=4))
        released = sources_of_test_cells(nbformat.read(Path(root) / "release" / assignment / source_path.name,
                                                   as_version=4))
        accepted[source_path.name] = {k: {v, released.get(k, v)} for k, v in original.items()}
    return accepted


def tampering(accepted, submitted, answers=None):
    """Notes on the test cells `submitted` ({name: notebook}) changed or removed; see accepted_test_cells.

    With `answers` ({name: answer cell grade ids}, see answer_cells): also missing answer cells and
    grade ids the source does not have or that occur twice.
    """
    notes = []
    for name, cells in accepted.items():
        theirs = sources_of_test_cells(submitted[name]) if name in submitted else {}
        if answers is not None and name in submitted:
            notes += id_problems(set(cells), answers[name], submitted[name])
        notes += [f"test cell missing: {k}" for k in sorted(set(cells) - set(theirs))]
        notes += [f"test cell changed: {k}" for k in sorted(cells)
                  if k in theirs and theirs[k] not in cells[k]]
    return notes


def answer_cells(root, assignment):
    """{notebook name: grade ids of the answer (solution) cells of the source notebook}."""
    return {path.name: set(answer_sources(nbformat.read(path, as_version=4)))
            for path in notebooks(root, assignment, "source")}


def id_problems(tests, answers, notebook):
    """Notes on the grade ids of `notebook`: answer cells missing, ids unknown or duplicated."""
    ids = [grade_id(c) for c in notebook.cells if grade_id(c) is not None and is_tracked(c)]
    notes = [f"answer cell missing: {k}" for k in sorted(answers - set(ids))]
    notes += [f"unknown grade id: {k}" for k in sorted(set(ids) - answers - tests)]
    return notes + [f"duplicate grade id: {k}" for k in sorted({k for k in ids if ids.count(k) > 1})]


def timed_out_cells(autograded):
    """Grade ids (or cell numbers) of cells interrupted by the timeout in autograded notebooks."""
    found = []
    for path in sorted(Path(autograded).glob("*.ipynb")):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
                found.append(grading_info(cell).get("grade_id", f"cell {index}"))
    return found


def written_score(grade):
    """The score of a written answer: the instructor's, 0 when left blank, None while it awaits grading."""
    score = grade.manual_score if grade.manual_score is not None else grade.auto_score
    return None if score is None else float(score)


def read_results(root, assignment, students):
    """One tools.row.Row per student, in the order of `students`.

    `score` counts written answers once graded (a blank one is 0 at once); `max_score` counts them all.
    """
    rows = []
    accepted, answers = accepted_test_cells(root, assignment), answer_cells(root, assignment)
    with Gradebook(db_url(root)) as gradebook:
        for student in students:
            row = Row(student, assignment, Status.CRASHED)  # until nbgrader's results say otherwise
            intake = manifest(root, assignment, student)  # what tools.intake staged for nbgrader
            row.note(*(intake["notes"] if intake else ["not staged by tools.intake: not graded"]))
            if intake is None or intake["status"] != STAGED:
                row.status = Status.MALFORMED
                rows.append(row)
                continue
            submitted = {name: read_notebook(path)
                         for name, path in staged_notebooks(root, assignment, student).items()}
            autograded = Path(root) / "autograded" / student / assignment
            try:
                submission = gradebook.find_submission(assignment, student)
            except MissingEntry:
                submission = None
            if submission is not None and autograded.is_dir() and any(autograded.glob("*.ipynb")):
                row.status = Status.GRADED
                row.score, row.max_score = float(submission.score), float(submission.max_score)
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        if grade.cell.cell_type == "markdown":  # a written answer, graded by hand
                            row.written[grade.name] = written_score(grade)
                        elif grade.max_score > 0:
                            row.cells[grade.name] = float(grade.score)
                pending = sorted(k for k, v in row.written.items() if v is None)
                row.pending_points = sum((float(g.max_score) for n in submission.notebooks
                                          for g in n.grades if g.name in pending), 0.0)
                if pending:
                    row.note(f"written answers to grade by hand: {', '.join(pending)}")
                timed_out = timed_out_cells(autograded)
                if timed_out:
                    row.flag(Status.TIMED_OUT, *(f"interrupted by the timeout: {c}" for c in timed_out))
                tampered = tampering(accepted, submitted, answers)
                if tampered:
                    row.flag(Status.TAMPERED, *tampered)
                # Cells whose answers differ from the reference outside the kernel lose their points.
                crosscheck.review(root, assignment, student, gradebook, submission, row)
            elif tampering(accepted, submitted, answers):
                row.flag(Status.TAMPERED, *tampering(accepted, submitted, answers),
                         "not graded: nbgrader refused the notebook's cell metadata (see the grading log)")
            else:
                row.note("nbgrader could not grade it: the kernel died, was killed (a sandbox limit: memory, "
                         "CPU time, the notebook's wall-clock time) or ignored the timeout's interrupt (see "
                         "the grading log)")
            rows.append(row)
    return rows


def unread_row(root, assignment, student, reason):
    """The row of a submission whose results could not be read (`reason`): status `needs review`,
    no score, and every test cell's in-kernel points withheld in the gradebook (manual score 0),
    so that nothing unchecked stands there either (fail closed)."""
    row = Row(student, assignment, Status.NEEDS_REVIEW,
              notes=[f"its results could not be read ({reason}); see the grading log"])
    try:
        with Gradebook(db_url(root)) as gradebook:
            submission = gradebook.find_submission(assignment, student)
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.cell.cell_type == "code" and (grade.score or 0) > 0:
                        grade.manual_score = 0.0
            gradebook.db.commit()
            row.note("in-kernel points withheld until a regrade")
    except MissingEntry:
        row.status = Status.CRASHED
    except Exception as error:  # noqa: BLE001 - said in the row; the run goes on
        row.note(f"the gradebook could not be updated either ({type(error).__name__})")
    return row
