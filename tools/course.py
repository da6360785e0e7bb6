"""Facts about the course folder: its assignments, their notebooks, the nbgrader configuration."""

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parent.parent
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"


def assignments(root=ROOT):
    """Names of the assignments (folders `source/NN_topic`), in teaching order."""
    return sorted(p.name for p in (Path(root) / "source").iterdir()
                  if p.is_dir() and p.name[:2].isdigit() and p.name[2] == "_")


def notebooks(root, assignment, folder="source"):
    """Paths of the notebooks of `assignment` inside `folder` (source, release, ...)."""
    return sorted((Path(root) / folder / assignment).glob("*.ipynb"))


def nbgrader_config(root=ROOT):
    """The traitlets Config that nbgrader builds from `root/nbgrader_config.py`."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def grading_info(cell):
    """The cell's nbgrader metadata dict (empty when it has none)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell):
    """True for a graded test cell (graded, not an answer)."""
    return bool(grading_info(cell).get("grade")) and not grading_info(cell).get("solution")


def is_written_answer(cell):
    """True for a written question's answer: a markdown answer cell graded by hand (nbgrader's
    "Manually graded answer"; grade id `q_<name>`, the model answer in the source notebook)."""
    info = grading_info(cell)
    return cell.get("cell_type") == "markdown" and bool(info.get("solution")) and bool(info.get("grade"))


def summarize(path):
    """Count a source notebook's exercises (code answer cells), written questions, points (test
    cells' and written answers') and hidden-test cells."""
    nb = nbformat.read(path, as_version=4)
    questions = [c for c in nb.cells if is_written_answer(c)]
    exercises = [c for c in nb.cells if grading_info(c).get("solution") and not is_written_answer(c)]
    tests = [c for c in nb.cells if is_test_cell(c)]
    return {"exercises": len(exercises), "questions": len(questions),
            "points": sum(float(grading_info(c).get("points", 0)) for c in tests),
            "written_points": sum(float(grading_info(c).get("points", 0)) for c in questions),
            "test_cells": len(tests),
            "hidden_test_cells": sum(HIDDEN_BEGIN in c.source for c in tests)}


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
    command = [sys.executable, "-m", "nbgrader", *args]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=timeout, env=env)


def venv_environment():
    """os.environ with this interpreter's bin folder first on PATH (nbgrader runs `alembic`)."""
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


def print_table(header, rows):
    """Print `rows` (tuples of str) under `header` in left-aligned columns."""
    widths = [max(len(row[k]) for row in [header, *rows]) for k in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
