"""Facts about the course folder: its assignments, their notebooks, the nbgrader configuration;
copies of it and submissions into them (tests, benchmarks).

What a cell of a notebook is (answer, test cell, grade id...): tools.notebook_model.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from traitlets.config.loader import PyFileConfigLoader

from tools.notebook_model import HIDDEN_BEGIN, grading_info, is_exercise, is_test_cell, is_written_answer

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("source", "release", "tools", "nbgrader_config.py")  # what copy_course copies


def assignments(root=ROOT):
    """Names of the assignments (folders `source/NN_topic`), in teaching order."""
    return sorted(p.name for p in (Path(root) / "source").iterdir()
                  if p.is_dir() and p.name[:2].isdigit() and p.name[2] == "_")


def notebooks(root, assignment, folder="source"):
    """Paths of the notebooks of `assignment` inside `folder` (source, release, ...)."""
    return sorted((Path(root) / folder / assignment).glob("*.ipynb"))


# nbgrader's command line as the course starts it (tools/nbgrader_command.py)
NBGRADER = [sys.executable, "-m", "tools.nbgrader_command"]


def nbgrader_config(root=ROOT):
    """The traitlets Config that nbgrader builds from `root/nbgrader_config.py`."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def summarize(path):
    """Count a source notebook's exercises (code answer cells), written questions, points (test
    cells' and written answers') and hidden-test cells."""
    nb = nbformat.read(path, as_version=4)
    questions = [c for c in nb.cells if is_written_answer(c)]
    exercises = [c for c in nb.cells if is_exercise(c)]
    tests = [c for c in nb.cells if is_test_cell(c)]
    return {"exercises": len(exercises), "questions": len(questions),
            "points": sum(float(grading_info(c).get("points", 0)) for c in tests),
            "written_points": sum(float(grading_info(c).get("points", 0)) for c in questions),
            "test_cells": len(tests),
            "hidden_test_cells": sum(HIDDEN_BEGIN in c.source for c in tests)}


def copy_course(dest):
    """Copy what grading needs (source, release, tools, config) into `dest`; return its Path."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, dest / name)
    (dest / "autograded").mkdir(exist_ok=True)
    return dest


def submit(root, student, assignment, notebook):
    """Write `notebook` (a NotebookNode, or raw text) as the submission of `student` in course `root`
    (`submitted/<student>/<assignment>/`, under the name of this course's source notebook)."""
    (name,) = [p.name for p in notebooks(ROOT, assignment, "source")]
    folder = Path(root) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(notebook, str):
        (folder / name).write_text(notebook)
    else:
        nbformat.write(notebook, folder / name)


def nbgrader(root, *args, timeout=None):
    """Run the nbgrader command line in course folder `root`; return the CompletedProcess.

    `autograde` (the only subcommand that runs students' code) always runs its kernels in the
    bubblewrap sandbox (tools.sandbox_kernel.sandboxed_environment), and raises SandboxError,
    saying how to install bubblewrap, when no sandbox can start.
    """
    env = venv_environment()
    if args[:1] == ("autograde",):
        from tools.sandbox_kernel import sandboxed_environment

        env = sandboxed_environment(root, env)
    return subprocess.run([*NBGRADER, *args], cwd=root, capture_output=True, text=True, timeout=timeout,
                          env=env)


def venv_environment():
    """os.environ with this interpreter's bin folder first on PATH (nbgrader runs `alembic`)."""
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


def print_table(header, rows):
    """Print `rows` (tuples of str) under `header` in left-aligned columns."""
    widths = [max(len(row[k]) for row in [header, *rows]) for k in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
