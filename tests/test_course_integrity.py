"""The course is well formed: metadata, clean notebooks, release in sync and leak-free, config."""

import re

import nbformat
import pytest

from tests.course_harness import selected_assignments
from tools.course import ROOT, nbgrader_config, notebooks
from tools.notebook_model import (
    HIDDEN_BEGIN,
    HIDDEN_END,
    SOLUTION_BEGIN,
    SOLUTION_END,
    block_lines,
    grading_info,
    is_answer,
    is_exercise,
    is_written_answer,
    without_blocks,
)

ASSIGNMENTS = selected_assignments()
SOURCES = [p for a in ASSIGNMENTS for p in notebooks(ROOT, a, "source")]
RELEASES = [p for a in ASSIGNMENTS for p in notebooks(ROOT, a, "release")]
GRADE_ID = re.compile(r"^[a-z0-9_]+$")


def load(path):
    return nbformat.read(path, as_version=4)


def ids(paths):
    return [f"{p.parent.parent.name}/{p.parent.name}" for p in paths]


def test_expected_layout():
    for name in ("README.md", "requirements.txt", "pyproject.toml", "Makefile", "nbgrader_config.py",
                 "source", "release", "autograded/README.md", "utils", "tests", ".ci/run"):
        assert (ROOT / name).exists(), f"{name} is missing"
    assert (ROOT / "source" / "01_norm_layers").is_dir()
    for assignment in ASSIGNMENTS:
        assert len(notebooks(ROOT, assignment)) == 1, f"{assignment}: expected one source notebook"


# The exact pins of requirements.txt and requirements-dev.txt: tests/test_lock.py.


def test_ci_runs_make_test():
    script = (ROOT / ".ci" / "run").read_text()
    assert "make test" in script and "set -e" in script


@pytest.mark.parametrize("path", SOURCES + RELEASES, ids=ids(SOURCES + RELEASES))
def test_notebooks_are_valid_and_clean(path):
    nb = load(path)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"cells {dirty} have outputs or execution counts: clear them before committing"


@pytest.mark.parametrize("path", SOURCES, ids=ids(SOURCES))
def test_source_nbgrader_metadata(path):
    nb = load(path)
    seen = set()
    for index, cell in enumerate(nb.cells):
        info = grading_info(cell)
        if not info:
            continue
        where = f"cell {index} ({info.get('grade_id')})"
        assert info.get("schema_version") == 3, f"{where}: nbgrader schema_version must be 3"
        assert GRADE_ID.match(info.get("grade_id", "")), f"{where}: grade_id must match {GRADE_ID.pattern}"
        assert info["grade_id"] not in seen, f"{where}: duplicate grade_id"
        seen.add(info["grade_id"])
        if is_written_answer(cell):  # a written question, graded by hand: the model answer is the cell
            assert info["grade_id"].startswith("q_") and float(info.get("points", 0)) > 0, (
                f"{where}: a written answer is named q_<name> and has points")
            assert not info.get("locked") and cell.source.strip(), f"{where}: unlocked, with a model answer"
            continue
        if info.get("solution"):
            assert SOLUTION_BEGIN in cell.source and SOLUTION_END in cell.source, where
            assert not info.get("grade"), f"{where}: solution cells are not graded themselves"
        if info.get("grade"):
            assert info.get("locked") and float(info.get("points", 0)) > 0, f"{where}: lock it, give points"
            assert cell.cell_type == "code" and cell.source.rstrip().endswith(HIDDEN_END), (
                f"{where}: a test cell ends with a hidden-test block")
            assert cell.source.index(HIDDEN_BEGIN) > 0, f"{where}: visible checks come first"
            assert re.search(r"_tests$", info["grade_id"]), f"{where}: test cells are named <name>_tests"
    assert any(is_answer(c) for c in nb.cells), "no exercise"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_leaks_no_solution_and_no_hidden_test(assignment):
    (source,) = [load(p) for p in notebooks(ROOT, assignment, "source")]
    (release,) = [load(p) for p in notebooks(ROOT, assignment, "release")]
    text = "\n".join(c.source for c in release.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text, f"release/{assignment} contains {marker!r}"
    # A line the source also shows outside its blocks (e.g. `with forbid_builtins(...):` in a
    # visible check) is public, wherever else it stands.
    public = "\n".join(without_blocks(c.source) for c in source.cells)
    public_lines = {line.strip() for line in public.splitlines()}
    solution_lines = block_lines(source, "SOLUTION") - public_lines
    hidden_lines = block_lines(source, "HIDDEN TESTS") - public_lines
    release_lines = {line.strip() for line in text.splitlines()}
    assert not solution_lines & release_lines, f"solution lines leak: {solution_lines & release_lines}"
    assert not hidden_lines & release_lines, f"hidden-test lines leak: {hidden_lines & release_lines}"
    stubs = [c for c in release.cells if is_exercise(c)]
    assert stubs and all("raise NotImplementedError" in c.source for c in stubs)
    written = {line.strip() for c in source.cells if is_written_answer(c) for line in c.source.splitlines()
               if len(line.strip()) > 10}
    assert not written & release_lines, f"model answers leak: {written & release_lines}"


@pytest.mark.grading  # it reads the release regenerated by the graded course copies
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_is_in_sync_with_source(graded_course, assignment):
    assert graded_course.generate_errors[assignment] is None, graded_course.generate_errors[assignment]
    for committed in notebooks(ROOT, assignment, "release"):
        generated = graded_course.roots[assignment] / "release" / assignment / committed.name
        assert generated.read_text() == committed.read_text(), (
            f"release/{assignment}/{committed.name} differs from what generate_assignment makes now: "
            f"run `make release` and commit")
    committed_files = sorted(p.name for p in (ROOT / "release" / assignment).iterdir())
    generated = graded_course.roots[assignment] / "release" / assignment
    generated_files = sorted(p.name for p in generated.iterdir())
    assert committed_files == generated_files


def test_nbgrader_config_settings():
    config = nbgrader_config(ROOT)
    assert config.Execute.timeout >= 60 and config.Execute.interrupt_on_timeout is True
    assert config.OverwriteCells.add_missing_cells is True
    assert config.IgnorePattern.enabled is True and re.search(config.IgnorePattern.pattern,
                                                              "foo.py:3: UserWarning: careful")
    assert not re.search(config.IgnorePattern.pattern, "Traceback (most recent call last)")
    names = [p.__name__ for p in config.GenerateFeedback.preprocessors]
    assert "HideHiddenTests" in names


def test_makefile_has_every_command():
    text = (ROOT / "Makefile").read_text()
    for target in ("setup", "release", "validate", "grade", "feedback", "lab", "test", "clean"):
        assert re.search(rf"^{target}:", text, flags=re.M), f"make {target} is missing"


def test_pytest_never_collects_generated_folders():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'testpaths = ["tests"]' in text and 'packages = ["utils"]' in text
