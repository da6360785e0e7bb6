"""Running `nbgrader autograde` for a course folder: which submissions exist, a clean regrade, and
grading in parallel.

Clean regrade: every earlier result of the students being graded (gradebook entries, autograded
copies) is removed first, so a regrade can never keep a stale score. A submission that breaks is
logged by nbgrader and the others are still graded.

Parallel grading, `autograde(root, assignment, students, jobs=N)`:

* The students are dealt round robin into min(N, students) chunks; each chunk is one
  `nbgrader autograde <assignment>` process told to skip every other student
  (`CourseDirectory.student_id_exclude`), and the chunks run at the same time. Each submission
  still runs in a fresh kernel of its own, exactly as in serial grading (jobs=1: one chunk, the
  former single batch call). One process per chunk, not per student: starting nbgrader costs
  CPU for its imports (about 1.5 s idle on a fast host, with tools/__init__.py's setting), a
  share of every submission's cost (about 7 s for 01_norm_layers there) that a process per
  student would pay again each time. The chunks of all assignments share one pool, largest
  first, and whatever follows a chunk's grading (tools.grade reads its results there, crosscheck
  runs included) runs in the same worker, so that runs N at a time too.
* No duplicates: every student is in exactly one chunk, and the gradebook holds one submission per
  (student, assignment). Nothing is lost silently: a student whose chunk could not grade them (a
  crash, the time limit) has no autograded copy and is reported `crashed`; a submission whose
  grading started but did not finish (some autograded test cell still has no score) is removed
  afterwards (`discard_unfinished`), so a half-graded submission can never read as a 0.
* The database. Everything that several nbgrader processes could otherwise create at the same
  moment is done first, by this process alone: the tables (already made by generate_assignment),
  the course rows, every student's row, and the removal of old results. The workers then write
  only rows of their own students (submission, notebook, grade and comment rows), in transactions
  that last milliseconds (nbgrader commits after each small change and never keeps a transaction
  open while a kernel runs).
  - SQLite (the default, `gradebook.db`) allows one writer at a time by file locks; a connection
    that finds the file locked retries for up to 5 s (Python's sqlite3 busy timeout, which
    nbgrader keeps) before failing with "database is locked". Python's sqlite3 opens a transaction
    only just before its first write, so a connection never holds a read lock while it waits for
    the write lock: the lock-upgrade deadlock, the one case where SQLite fails at once instead of
    waiting, cannot happen. A writer thus waits at most for a few millisecond transactions of the
    other workers, far inside the 5 s. Measured: tests/test_parallel_grading.py (2 workers) and 8
    processes writing grade rows as fast as they can, no "database is locked".
  - PostgreSQL (`GRADEBOOK_URL=postgresql://...`, see nbgrader_config.py): rows are locked one by
    one and the workers' rows are disjoint, so they never wait on each other.
"""

import shutil
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from subprocess import TimeoutExpired

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.engine import make_url

from tools.course import nbgrader, nbgrader_config
from tools.intake import STAGED, STAGING, scan, stage

STUDENT_TIMEOUT = 1800  # seconds allowed per submission of a chunk (a last resort: cells time out)


def submissions(root):
    """{assignment: [student, ...]} of every folder submitted/<student>/<assignment> to grade (a valid
    student id, a known assignment; see tools.intake, which also lists what is not graded)."""
    return scan(root)[0]


def db_url(root):
    """The gradebook URL nbgrader uses for the course in `root` ($GRADEBOOK_URL when set)."""
    config = nbgrader_config(root)
    url = config.CourseDirectory.get("db_url") if "CourseDirectory" in config else None
    return url or f"sqlite:///{Path(root) / 'gradebook.db'}"


def course_id(root):
    """The course id of `root`'s nbgrader configuration (nbgrader's own default otherwise)."""
    config = nbgrader_config(root)
    found = config.CourseDirectory.get("course_id") if "CourseDirectory" in config else None
    return found or "default_course"


def shown_url(url):
    """`url` without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


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


def prepare_gradebook(root, assignment, students):
    """Create the rows parallel nbgrader processes would otherwise race to create; return an error or None.

    The course's row and nbgrader's "default_course" row (its preprocessors open the gradebook
    without a course id), and one row per student. The error says when the assignment is not in
    the gradebook (generate_assignment was run against another database).
    """
    url = db_url(root)
    Gradebook(url).close()
    with Gradebook(url, course_id(root)) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            return (f"assignment {assignment} is not in the gradebook {shown_url(url)}: run `make release` "
                    "(nbgrader generate_assignment) with the same GRADEBOOK_URL first")
        for student in students:
            gradebook.update_or_create_student(student)
    return None


def chunks(students, jobs):
    """`students` dealt round robin into min(jobs, len(students)) lists (at least one)."""
    count = max(1, min(int(jobs), len(students)))
    return [list(students[k::count]) for k in range(count)]


def autograde_chunk(root, assignment, chunk, everyone):
    """One `nbgrader autograde` process for the students in `chunk`; return its log text.

    nbgrader grades the staged copies (tools.intake), never `submitted/` itself.
    """
    others = sorted(set(everyone) - set(chunk))
    args = ["autograde", assignment, f"--CourseDirectory.submitted_directory={STAGING}"]
    if others:
        args.append(f"--CourseDirectory.student_id_exclude={','.join(others)}")
    header = f"[autograde] {assignment}: {', '.join(chunk)}\n"
    try:
        result = nbgrader(root, *args, timeout=STUDENT_TIMEOUT * len(chunk))
    except TimeoutExpired as expired:
        output = "".join(o.decode(errors="replace") if isinstance(o, bytes) else (o or "")
                         for o in (expired.stdout, expired.stderr))
        return (header + output + f"\n[autograde | ERROR] stopped after {expired.timeout:g} s "
                f"({STUDENT_TIMEOUT} s per submission); ungraded students are reported crashed\n")
    return header + result.stdout + result.stderr


def submitted_notebooks(gradebook, assignment, students):
    """(student, submitted notebook) of each of `students` that the gradebook has a submission for."""
    for student in students:
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            continue
        for notebook in submission.notebooks:
            yield student, notebook


def discard_unfinished(root, assignment, students):
    """Remove the results of submissions whose autograding started but did not finish; return them.

    Finished means every autograded code test cell has a score (nbgrader writes it after the
    kernel ran); a process that died or was stopped mid-notebook leaves None there.
    """
    unfinished = []
    with Gradebook(db_url(root)) as gradebook:
        for student, notebook in submitted_notebooks(gradebook, assignment, students):
            answers = {cell.name for cell in notebook.notebook.solution_cells}
            if student not in unfinished and any(
                    grade.auto_score is None and grade.name not in answers and grade.cell.cell_type == "code"
                    for grade in notebook.grades):
                unfinished.append(student)
    if unfinished:
        forget_previous_results(root, assignment, unfinished)
    return unfinished


def autograde_all(root, batches, jobs=1, then=None):
    """Autograde {assignment: [student, ...]} in `jobs` processes at a time; return {assignment: log text}.

    All the batches share one pool (chunks of every assignment, the largest first), so a small
    assignment does not leave workers idle while a large one still has students to grade.
    `then(assignment, chunk)`, when given, runs in the worker right after its chunk is graded
    (reading the chunk's results, say), so that work runs `jobs` at a time too.
    """
    logs, tasks, untouched = {}, [], {}
    for assignment, students in batches.items():
        forget_previous_results(root, assignment, students)
        error = prepare_gradebook(root, assignment, students)
        logs[assignment] = [f"[autograde | ERROR] {error}\n"] if error else []
        staged = [] if error else [s for s in students if stage(root, assignment, s)["status"] == STAGED]
        untouched[assignment] = sorted(set(students) - set(staged))
        if staged:
            everyone = sorted(p.parent.name for p in (Path(root) / STAGING).glob(f"*/{assignment}"))
            tasks += [(assignment, chunk, everyone) for chunk in chunks(sorted(staged), jobs)]
    tasks.sort(key=lambda task: -len(task[1]))

    def work(assignment, chunk, everyone):  # whatever fails is logged; the other chunks go on
        try:
            log = autograde_chunk(root, assignment, chunk, everyone)
            log += "".join(f"[autograde | ERROR] grading of {s}/{assignment} did not finish: its partial "
                           "result was removed\n" for s in discard_unfinished(root, assignment, chunk))
        except Exception:  # noqa: BLE001 - e.g. the sandbox could not start: the chunk is ungraded
            log = f"[autograde | ERROR] grading of {', '.join(chunk)} stopped:\n{traceback.format_exc()}"
        if then is not None:
            try:
                then(assignment, chunk)
            except Exception:  # noqa: BLE001 - the students without a row are reported by the caller
                log += f"[autograde | ERROR] reading the results failed:\n{traceback.format_exc()}"
        return log

    with ThreadPoolExecutor(max_workers=max(1, min(int(jobs), len(tasks)))) as pool:
        done = list(pool.map(lambda task: work(*task), tasks))
    for (assignment, _, _), log in zip(tasks, done, strict=True):
        logs[assignment].append(log)
    if then is not None:  # the submissions nbgrader never saw (not staged, or no gradebook)
        for assignment, students in untouched.items():
            if students:
                then(assignment, students)
    return {assignment: "".join(parts) for assignment, parts in logs.items()}


def autograde(root, assignment, students, jobs=1):
    """Autograde `students`' submissions of `assignment` in `jobs` processes; return nbgrader's log text."""
    return autograde_all(root, {assignment: students}, jobs)[assignment]
