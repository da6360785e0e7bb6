"""Running `nbgrader autograde` for a course folder: which submissions exist, and a clean regrade.

Every earlier result of the students being graded is removed first (so a regrade can never keep a
stale score), then `nbgrader autograde` runs once for the assignment's batch: a submission that
breaks is logged by nbgrader and the others are still graded.
"""

import shutil
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from tools.course import assignments, nbgrader, nbgrader_config

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
