"""`make student-copy`: the archive students get, unpacked in a temporary folder and installed as
its README says (`student_course`, tests/student_env.py: read its docstring for what the install
borrows and why), then used as a student would: Validate on a release notebook, blank and solved.
"""

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from traitlets.config.loader import PyFileConfigLoader

from tests.course_harness import filled_release
from tools.course import ROOT, assignments, nbgrader_config, notebooks
from tools.notebook_model import (
    HIDDEN_BEGIN,
    HIDDEN_END,
    SOLUTION_BEGIN,
    block_lines,
    is_test_cell,
    is_written_answer,
    without_blocks,
)
from tools.student_copy import course_id

STUDENT_FILES = {"README.md", "Makefile", "nbgrader_config.py", "configure_jupyter.py", "requirements.txt",
                 "pyproject.toml"}
INSTRUCTOR_ONLY = ("source/", "tools/", "tests/", "bench/", "autograded/", "submitted/", "feedback/", ".git")
INSTRUCTOR_PLUGINS = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:menu", "@jupyter/nbgrader:assignment-list",
                      "@jupyter/nbgrader:course-list"}
# The README's install and start commands, as a student types them once the environment is active.
README_COMMANDS = ["-m venv .venv", "python -m pip install -r requirements.txt",
                   "python -m pip install --no-deps -e .", "python configure_jupyter.py", "jupyter lab"]
ASSIGNMENT = "01_norm_layers"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The archive as `make student-copy` writes it (its command line, to a temporary path)."""
    path = tmp_path_factory.mktemp("student-copy") / "student.zip"
    subprocess.run([sys.executable, "-m", "tools.student_copy", "--output", str(path)], cwd=ROOT, check=True,
                   capture_output=True)
    with zipfile.ZipFile(path) as bundle:
        return {name: bundle.read(name) for name in bundle.namelist() if not name.endswith("/")}


def inside(archive):
    """{path inside the course folder: bytes}, checking that there is exactly one top folder."""
    tops = {name.split("/", 1)[0] for name in archive}
    assert tops == {f"{course_id()}-student"}, f"expected one folder {course_id()}-student/, got {tops}"
    return {name.split("/", 1)[1]: data for name, data in archive.items()}


def test_archive_holds_what_students_need(archive):
    files = inside(archive)
    missing = STUDENT_FILES - set(files)
    assert not missing, f"the student copy lacks {sorted(missing)}"
    for assignment in assignments(ROOT):
        for notebook in notebooks(ROOT, assignment, "release"):
            name = notebook.relative_to(ROOT).as_posix()
            assert files.get(name) == notebook.read_bytes(), f"{name} missing or not the committed release"
    for module in (ROOT / "utils").rglob("*"):
        name = module.relative_to(ROOT).as_posix()
        if module.is_file() and "__pycache__" not in name:
            assert name in files, f"{name} is missing from the student copy"
    assert files["README.md"] == (ROOT / "student" / "README.md").read_bytes()


def test_archive_holds_nothing_of_the_instructors(archive):
    files = inside(archive)
    leaked = sorted(name for name in files if name.startswith(INSTRUCTOR_ONLY) or name.endswith(".db")
                    or "mutant" in name or "probe" in name)
    assert not leaked, f"instructor-only files in the student copy: {leaked}"
    text = "\n".join(data.decode("utf-8", "replace") for data in files.values())
    for marker in (SOLUTION_BEGIN, HIDDEN_BEGIN, HIDDEN_END):
        assert marker not in text, f"{marker!r} in the student copy"
    # A solution or hidden-test block leaks when most of its distinctive lines (block_lines: longer
    # than 25 characters, and not also in the source's visible parts) stand in a file of the copy
    # other than the release (test_course_integrity.py proves the release leak-free). Single lines
    # may be shared with utils/ (input checks written alike, an example call in a docstring).
    # Binary files (a NUL byte: the 22 MB checkpoint) hold no source lines and are left out.
    others = "\n".join(data.decode("utf-8", "replace") for name, data in files.items()
                       if not name.startswith("release/") and b"\0" not in data)
    for assignment in assignments(ROOT):
        (source,) = notebooks(ROOT, assignment, "source")
        nb = nbformat.read(source, as_version=4)
        visible = without_blocks("\n".join(cell.source for cell in nb.cells))
        for kind in ("HIDDEN TESTS", "SOLUTION"):
            for cell in nb.cells:
                block = block_lines(nbformat.from_dict({"cells": [cell]}), kind) - {
                    line.strip() for line in visible.splitlines()}
                found = sorted(line for line in block if line in others)
                assert len(found) * 2 <= len(block), \
                    f"{assignment}: a {kind.lower()} block is in the student copy: {found[:3]}"


def test_student_side_needs_nothing_from_tools(archive):
    files = inside(archive)
    for name in ("Makefile", "nbgrader_config.py", "configure_jupyter.py"):
        assert not re.search(r"\btools[/.]|sandbox|source/", files[name].decode()), \
            f"{name} of the student copy refers to the instructors' side"


def test_student_timeout_is_the_courses():
    student = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "student")).load_config()
    course = nbgrader_config()
    assert student.Execute.timeout == course.Execute.timeout
    assert student.Execute.interrupt_on_timeout == course.Execute.interrupt_on_timeout
    assert student.Execute.iopub_timeout == course.Execute.iopub_timeout


def test_readme_walks_students_through_every_step_on_every_system():
    readme = (ROOT / "student" / "README.md").read_text()
    headings = re.findall(r"^## \d\. (\w+)", readme, flags=re.M)
    assert headings == ["Install", "Open", "Work", "Validate", "Submit"]
    for system in ("macOS", "Linux", "Windows"):
        assert f"**{system}" in readme or f"{system}**" in readme or system in readme
    for command in README_COMMANDS:
        assert command in readme, f"README.md does not say `{command}`"
    assert ".venv\\Scripts\\Activate.ps1" in readme and "source .venv/bin/activate" in readme
    (first,) = notebooks(ROOT, assignments(ROOT)[0], "release")
    assert first.relative_to(ROOT).as_posix() in readme, "README.md does not show where the notebooks are"


def test_install_resolves_the_whole_lock(student_course):
    """pip's dry run in the new environment takes every pin that applies here, and nothing else."""
    env = default_environment()
    lock = [Requirement(line) for line in (student_course.root / "requirements.txt").read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    pins = {canonicalize_name(r.name): str(r.specifier)[2:] for r in lock
            if r.marker is None or r.marker.evaluate(env)}
    assert student_course.planned == pins
    assert student_course.planned["torch"] == "2.14.1"


def test_student_jupyter_is_configured_in_its_environment_only(student_course):
    venv = student_course.root / ".venv"
    page_config = json.loads((venv / "etc/jupyter/labconfig/page_config.json").read_text())
    disabled = {name for name, off in page_config.get("disabledExtensions", {}).items() if off}
    locked = {name for name, on in page_config.get("lockedExtensions", {}).items() if on}
    assert disabled == INSTRUCTOR_PLUGINS and locked == INSTRUCTOR_PLUGINS
    server = subprocess.run([student_course.python, "-m", "jupyter", "server", "extension", "list"],
                            env=student_course.env, cwd=student_course.root, capture_output=True, text=True)
    listing = re.sub(r"\x1b\[[0-9;]*m", "", server.stdout + server.stderr)  # without colours
    for extension in ("formgrader", "assignment_list", "course_list"):
        assert re.search(rf"nbgrader\.server_extensions\.{extension} disabled", listing), listing
    assert re.search(r"nbgrader\.server_extensions\.validate_assignment enabled", listing), listing
    installed = (venv / "etc/jupyter/nbgrader_config.py").read_text()
    assert installed == (ROOT / "student/nbgrader_config.py").read_text()
    # Nothing outside the environment changed: the student's home and the course's own .venv.
    assert not any(Path(student_course.env["HOME"]).rglob("page_config.json"))
    course_page_config = Path(sys.prefix) / "etc/jupyter/labconfig/page_config.json"
    assert not course_page_config.exists() or "nbgrader" not in course_page_config.read_text()


def validate(course, notebook):
    """What `nbgrader validate` prints in the student's environment, from the folder `/tmp`
    (not the course folder: the settings must come from the environment)."""
    done = subprocess.run([course.root / ".venv/bin/nbgrader", "validate", str(notebook)], cwd="/tmp",
                          env=course.env, capture_output=True, text=True, timeout=900)
    return done.stdout + done.stderr


def test_validate_on_a_blank_and_a_solved_release_notebook(student_course):
    (release,) = notebooks(student_course.root, ASSIGNMENT, "release")
    # Validate fails every test cell of the blank notebook and every written answer left blank.
    cells = nbformat.read(release, as_version=4).cells
    test_cells = sum(is_test_cell(c) or is_written_answer(c) for c in cells)
    shown = subprocess.run([student_course.root / ".venv/bin/nbgrader", "validate",
                            "--NbGrader.show_config_json=True"], cwd="/tmp", env=student_course.env,
                           capture_output=True, text=True)
    assert json.loads(shown.stdout)["Execute"]["timeout"] == nbgrader_config().Execute.timeout, shown.stderr
    blank = validate(student_course, release)
    assert f"VALIDATION FAILED ON {test_cells} CELL(S)!" in blank, blank[-3000:]
    solved = student_course.root / "solved" / ASSIGNMENT / release.name
    solved.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(filled_release(ASSIGNMENT), solved)
    output = validate(student_course, solved)
    assert "Success! Your notebook passes all the tests." in output, output[-3000:]
