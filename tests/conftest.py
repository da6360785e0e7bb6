"""Shared fixtures: temporary course copies, regenerated and graded once per test session."""

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.course_harness import build_submissions, copy_course, selected_assignments
from tools.course import ROOT
from tools.grade import grade_all
from tools.release import generate

os.environ.setdefault("MPLBACKEND", "Agg")
for variable, folder in (("IPYTHONDIR", "ipython"), ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
                         ("MPLCONFIGDIR", "matplotlib")):
    os.environ.setdefault(variable, str(ROOT / ".cache" / folder))


class GradedCourse:
    """Graded temporary courses, one per assignment: roots, nbgrader's logs, results, plan."""

    def __init__(self, shards):
        self.roots = {a: shard["root"] for a, shard in shards.items()}
        self.plan = {k: v for shard in shards.values() for k, v in shard["plan"].items()}
        self.logs = {a: shard["logs"].get(a, "") for a, shard in shards.items()}
        self.generate_errors = {a: shard["generate_error"] for a, shard in shards.items()}
        self.results = {(r["student"], r["assignment"]): r for s in shards.values() for r in s["rows"]}


def grade_shard(root, assignment):
    """Copy the course to `root`, regenerate `assignment`'s release there, grade its submissions."""
    copy_course(root)
    generate_error = generate(root, assignment)
    plan = build_submissions(root, [assignment])
    rows, logs = grade_all(root)
    return {"root": root, "generate_error": generate_error, "plan": plan, "rows": rows, "logs": logs}


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory):
    """Every assignment graded in its own course copy, $COURSE_TEST_JOBS (default: cores) at a time.

    Separate copies have separate gradebooks, so parallel nbgrader runs never share a database.
    """
    assignments = selected_assignments()
    jobs = int(os.environ.get("COURSE_TEST_JOBS", os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {a: pool.submit(grade_shard, tmp_path_factory.mktemp(f"course-{a}"), a)
                   for a in assignments}
        shards = {a: future.result() for a, future in futures.items()}
    return GradedCourse(shards)
