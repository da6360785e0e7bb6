"""Before `make grade` or `make feedback` changes anything: which gradebook, can it be reached, does
it know the assignments.

A run that cannot start says so in one line (`RunCannotStart`) and changes nothing: no earlier
result is removed and grades.csv is left as it was. An assignment that the gradebook does not know
(after `make clean`, which deletes gradebook.db, or in a new PostgreSQL database) is recorded from
`source/` first, as `make release` would, with its release written to a temporary folder so that
the committed `release/` is never touched.
"""

import tempfile

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy import create_engine

from tools.autograde import course_id, db_url, shown_url
from tools.course import nbgrader


class RunCannotStart(Exception):
    """The run stops before changing anything; the message is one line for the instructor."""


def first_line(error):
    """The first non-empty line of an error's message, without SQLAlchemy's background link."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return (lines[0] if lines else type(error).__name__)[:300]


def check_connection(root):
    """Open the gradebook's database once; raise RunCannotStart with one line when that fails."""
    url = db_url(root)
    try:
        engine = create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure to connect is said in one line
        raise RunCannotStart(f"cannot open the gradebook {shown_url(url)}: {first_line(error)}") from None


def recorded(root, assignment):
    """True when the gradebook knows `assignment` (generate_assignment recorded it)."""
    with Gradebook(db_url(root), course_id(root)) as gradebook:
        try:
            gradebook.find_assignment(assignment)
            return True
        except MissingEntry:
            return False


def record_release(root, assignment):
    """Record `assignment` in the gradebook from source/ (generate_assignment into a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="release-") as folder:
        result = nbgrader(root, "generate_assignment", assignment, "--force",
                          f"--CourseDirectory.release_directory={folder}")
    if result.returncode != 0 or not recorded(root, assignment):
        errors = [line for line in (result.stdout + result.stderr).splitlines() if "ERROR" in line]
        raise RunCannotStart(f"assignment {assignment} is not in the gradebook {shown_url(db_url(root))} and "
                             f"recording it from source/ failed: {(errors or ['see `make release`'])[0]}")


def prepare(root, assignments, say=print):
    """Say which gradebook this run uses; check it; record the assignments it does not know."""
    say(f"gradebook: {shown_url(db_url(root))}")
    check_connection(root)
    for assignment in assignments:
        if not recorded(root, assignment):
            record_release(root, assignment)
            say(f"recorded {assignment} in the gradebook from source/ (it was not there: after `make clean`, "
                "or a new database)")
