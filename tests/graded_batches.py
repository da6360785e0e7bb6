"""The grading work of a test session, run in conftest's pool of worker processes (grading_jobs).

Each function here is one pool job: it grades in a course copy of its own and returns plain data
(rows, logs, paths) that the tests then check. The follow-up gradings that the tests compare with a
first grading (a regrade, other hash seeds, a parallel regrade) and the feedback pages are part
of the same job, so they run beside the rest of the suite instead of after it, one test at a time.
"""

import json
import os
import re
import shutil
import time
from collections import Counter
from pathlib import Path
from unittest import mock

import nbformat
from nbgrader.api import Gradebook

from tools.autograde import autograde, db_url
from tools.course import ROOT, copy_course, notebooks, submit
from tools.crosscheck_warm import warm_processes
from tools.grade import feedback, grade_all
from tools.notebook_model import block_lines
from tools.release import generate
from tools.results import read_results

HASH_SEEDS = ("0", "1", "4242")  # PYTHONHASHSEED values the determinism check grades the reference under
REGRADED = ["reference", "blank"]  # the students graded a second time in the same course copy
PARALLEL_ASSIGNMENT = "01_norm_layers"  # graded with two workers (grade_in_parallel)


def timed(log, name, job, *args):
    """Run the pool job `job(*args)` and return its result; append one line to the file `log`:
    {"job": name, "start": epoch seconds, "seconds": its wall time} (conftest prints them)."""
    start = time.time()
    try:
        return job(*args)
    finally:
        seconds = round(time.time() - start, 1)
        with open(log, "a") as lines:
            lines.write(json.dumps({"job": name, "start": start, "seconds": seconds}) + "\n")


def regrade_for_determinism(root, assignment):
    """Grade the reference of `assignment` again: once per HASH_SEEDS value (as a student
    `hashseed-<seed>`, a copy of the reference submission) and, with the blank release, in place
    (REGRADED, a regrade of graded students). Return {student: Row}."""
    rows = {}
    submitted = root / "submitted"
    with warm_processes():  # as tools.grade.grade_all crosschecks a batch
        for seed in HASH_SEEDS:
            student = f"hashseed-{seed}"
            shutil.copytree(submitted / "reference" / assignment, submitted / student / assignment)
            with mock.patch.dict(os.environ, PYTHONHASHSEED=seed):  # the sandbox passes it on to the kernel
                autograde(root, assignment, [student])
            (rows[student],) = read_results(root, assignment, [student])
        autograde(root, assignment, REGRADED)
        rows.update({r.student: r for r in read_results(root, assignment, REGRADED)})
    return rows


def feedback_students(root, assignment):
    """The students of `assignment` (graded in course copy `root`) whose feedback the tests read:
    the reference, the blank release, and every student whose autograded notebook shows a
    hidden-test line in an output (a traceback quoting one, say), which the feedback must hide.
    Another student's page is made of the same cells with other answers and no such output, so it
    can leak nothing these do not (about 1.3 s of CPU a page, most of it nbconvert's HTML pass)."""
    (source,) = notebooks(root, assignment, "source")
    (release,) = notebooks(root, assignment, "release")
    visible = "\n".join(cell.source for cell in nbformat.read(release, as_version=4).cells)
    hidden = [line for line in block_lines(nbformat.read(source, as_version=4), "HIDDEN TESTS")
              if line not in visible]
    students = {"reference", "blank"}
    for path in Path(root).glob(f"autograded/*/{assignment}/*.ipynb"):
        outputs = [cell.get("outputs", []) for cell in nbformat.read(path, as_version=4).cells]
        shown = re.sub(r"\\u001b\[[0-9;]*m", "", json.dumps(outputs, ensure_ascii=False))  # no colours
        if any(json.dumps(line, ensure_ascii=False)[1:-1] in shown for line in hidden):
            students.add(path.parent.parent.name)
    return students


def grade_shard(root, assignment, determinism=False):
    """Copy the course to `root`, regenerate `assignment`'s release there, grade its submissions
    (tests.course_harness.build_submissions), with `determinism` grade again
    (regrade_for_determinism), and write the feedback of feedback_students (the exit status of
    tools.grade.feedback is `feedback_status`)."""
    from tests.course_harness import build_submissions

    copy_course(root)
    generate_error = generate(root, assignment)
    plan = build_submissions(root, [assignment])
    rows, logs = grade_all(root)
    regraded = regrade_for_determinism(root, assignment) if determinism else {}
    status = feedback(root, feedback_students(root, assignment))
    return {"root": root, "generate_error": generate_error, "plan": plan, "rows": rows, "logs": logs,
            "regraded": regraded, "feedback_status": status}


def gradebook_submissions(root, assignment):
    """Counter of the students that have a submission of `assignment` in the gradebook."""
    with Gradebook(db_url(root)) as gradebook:
        return Counter(s.student.id for s in gradebook.find_assignment(assignment).submissions)


def parallel_submissions(root, assignment):
    """Submit the reference, the untouched release and the first and last of `assignment`'s mutant
    packs (submissions the serial grading of the session also grades); return {student: None or
    [the target cells of each of its mutants]}."""
    from tests.course_harness import mutant_packs

    (source_path,) = notebooks(ROOT, assignment, "source")
    (release_path,) = notebooks(ROOT, assignment, "release")
    submit(root, "reference", assignment, nbformat.read(source_path, as_version=4))
    submit(root, "blank", assignment, nbformat.read(release_path, as_version=4))
    plan = {"reference": None, "blank": None}
    every = mutant_packs(assignment)
    for student, notebook, entries in [every[0], every[-1]]:
        plan[student] = [entry.targets for entry in entries.values()]
        submit(root, student, assignment, notebook)
    return plan


def grade_in_parallel(root, assignment):
    """Grade parallel_submissions of `assignment` in a course copy at `root` with two workers,
    then regrade REGRADED with two workers. Return the plan; the rows, log and gradebook counts of
    the first grading; the log, rows and gradebook counts after the regrade."""
    copy_course(root)
    generate_error = generate(root, assignment)
    plan = parallel_submissions(root, assignment)
    rows, logs = grade_all(root, jobs=2)
    graded = gradebook_submissions(root, assignment)
    regrade_log = autograde(root, assignment, REGRADED, jobs=2)
    return {"root": root, "generate_error": generate_error, "plan": plan, "rows": rows,
            "log": logs.get(assignment, ""), "gradebook": graded,
            "regrade_log": regrade_log, "regraded": read_results(root, assignment, list(plan)),
            "gradebook_after_regrade": gradebook_submissions(root, assignment)}
