"""Shared fixtures: one temporary course, regenerated and graded once per test session."""

import os
from pathlib import Path

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
    """A graded temporary course: its root, nbgrader's logs, and results by student/assignment."""

    def __init__(self, root, plan, rows, logs, generate_errors):
        self.root = Path(root)
        self.plan = plan
        self.logs = logs
        self.generate_errors = generate_errors
        self.results = {(r["student"], r["assignment"]): r for r in rows}


@pytest.fixture(scope="session")
def graded_course(tmp_path_factory):
    """Copy the course, regenerate release/ there with nbgrader, grade every test submission."""
    root = copy_course(tmp_path_factory.mktemp("course"))
    generate_errors = {a: generate(root, a) for a in selected_assignments()}
    plan = build_submissions(root)
    rows, logs = grade_all(root)
    return GradedCourse(root, plan, rows, logs, generate_errors)
