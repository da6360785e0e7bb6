"""tools.crosscheck: the probe modules, the exercise map, and the sandboxed runner on the reference,
on the filled release and on mutants (see tools/crosscheck.py; the comparison and the results file:
tests/test_crosscheck_compare.py)."""

from types import SimpleNamespace

import nbformat
import pytest

from tests.course_harness import apply_mutant, filled_release, mutant_files
from tools import crosscheck
from tools.course import ROOT, notebooks
from tools.crosscheck_compare import ERROR
from tools.notebook_model import exercise_cells
from tools.row import Row
from tools.sandbox_kernel import check as sandbox_check
from tools.status import Status

SEED = 20261124


# --- probe modules and the exercise map (tests/test_notebook_model.py tests the map itself) -----

@pytest.mark.parametrize("assignment", sorted(p.stem for p in crosscheck.PROBES.glob("[0-9]*.py")))
def test_probe_modules_name_exercises_and_cells_of_their_notebook(assignment):
    probes, mapping, plan = crosscheck.assignment_setup(ROOT, assignment)
    assert probes, f"{assignment}: PROBES is empty"
    every_cell = {cell for cells in mapping.values() for cell in cells}
    for exercise, probe, options in probes:
        assert exercise in mapping, (exercise, probe.__name__)
        assert set(options.get("cells", [])) <= set(mapping[exercise]), (exercise, options)
        assert set(options) <= {"cells", "rtol", "atol", "verify", "topic"}, options
    names = [(e, p.__name__) for e, p, _ in probes]
    assert len(names) == len(set(names)), "two probes of one exercise share a name"
    assert set(plan) <= every_cell


# --- the sandboxed runner -----------------------------------------------------------------------

needs_sandbox = pytest.mark.skipif(not sandbox_check()[0], reason="bubblewrap sandbox unavailable")


@pytest.fixture(scope="module")
def reference_01():
    return crosscheck.reference_arrays(ROOT, "01_norm_layers", SEED)


@needs_sandbox
def test_reference_probes_run_without_errors(reference_01):
    errors = {k: str(v) for k, v in reference_01.items() if k.endswith(ERROR)}
    assert not errors
    assert str(reference_01["__cells__/errors"]) == ""
    probes, _, _ = crosscheck.assignment_setup(ROOT, "01_norm_layers")
    for exercise, probe, _ in probes:
        assert any(k.startswith(f"{exercise}/{probe.__name__}/") for k in reference_01), probe.__name__


@needs_sandbox
def test_filled_release_agrees_with_the_reference(reference_01, tmp_path):
    path = tmp_path / "filled.ipynb"
    nbformat.write(filled_release("01_norm_layers"), path)
    assert crosscheck.cell_verdicts(ROOT, "01_norm_layers", path, SEED) == ({}, {})


@needs_sandbox
@pytest.mark.parametrize("name", ["layernorm_eps_outside_sqrt", "batchnorm1d_not_in_place",
                                  "module_statistics_as_parameters"])
def test_mutants_disagree_on_their_target_cells(reference_01, tmp_path, name):
    (path,) = [p for p in mutant_files("01_norm_layers") if p.stem == name]
    notebook = filled_release("01_norm_layers")
    targets = apply_mutant(notebook, path)
    nbformat.write(notebook, tmp_path / "mutant.ipynb")
    verdicts, undecided = crosscheck.cell_verdicts(ROOT, "01_norm_layers", tmp_path / "mutant.ipynb", SEED)
    assert set(targets) <= set(verdicts) and not undecided, verdicts
    assert all(v.startswith("crosscheck: ") for v in verdicts.values())


@needs_sandbox
def test_a_process_that_writes_garbage_and_dies_decides_no_cell(reference_01, tmp_path):
    notebook = filled_release("01_norm_layers")
    notebook.cells.insert(2, nbformat.v4.new_code_cell(
        "import os\nfor fd in range(3, 64):\n    try:\n        os.write(fd, b'PK junk')\n"
        "    except OSError:\n        pass\nos._exit(0)"))
    nbformat.write(notebook, tmp_path / "dies.ipynb")
    verdicts, undecided = crosscheck.cell_verdicts(ROOT, "01_norm_layers", tmp_path / "dies.ipynb", SEED)
    (source,) = notebooks(ROOT, "01_norm_layers", "source")
    every_cell = {c for cells in exercise_cells(nbformat.read(source, as_version=4)).values()
                  for c in cells}
    assert not verdicts and set(undecided) == every_cell, undecided


@needs_sandbox
def test_a_cell_the_kernel_timed_out_is_skipped_as_in_the_kernel(reference_01, tmp_path, monkeypatch):
    """An endless loop that the grading kernel interrupted must not run forever here either."""
    monkeypatch.setattr(crosscheck, "TIMEOUT", 60)
    notebook = filled_release("01_norm_layers")
    loop = nbformat.v4.new_code_cell("while True:\n    pass")
    loop.outputs = [nbformat.v4.new_output("error", ename="CellTimeoutError", evalue="timed out",
                                           traceback=[])]
    notebook.cells.insert(2, loop)
    nbformat.write(notebook, tmp_path / "loop.ipynb")
    assert crosscheck.cell_verdicts(ROOT, "01_norm_layers", tmp_path / "loop.ipynb", SEED) == ({}, {})


# --- fail closed, forbid_builtins, and probes as strict as the hidden tests ---------------------

def fake_submission(scores):
    grades = [SimpleNamespace(name=name, manual_score=None) for name in scores]
    submission = SimpleNamespace(notebooks=[SimpleNamespace(grades=grades)])
    gradebook = SimpleNamespace(db=SimpleNamespace(commit=lambda: None))
    row = Row("s", "01_norm_layers", Status.GRADED, score=float(sum(scores.values())), cells=dict(scores))
    return grades, submission, gradebook, row


def test_no_verdict_withholds_the_points_and_needs_review(monkeypatch, tmp_path):
    """The reference timed out (or crashed): the in-kernel points are not kept silently."""
    def reference_failed(*args, at_stake):
        raise RuntimeError("crosscheck: the reference of 01_norm_layers failed its probes: timeout")

    monkeypatch.setattr(crosscheck, "graded_notebook", lambda *args: tmp_path / "graded.ipynb")
    monkeypatch.setattr(crosscheck, "cell_verdicts", reference_failed)
    grades, submission, gradebook, row = fake_submission({"a_tests": 2.0, "b_tests": 0.0})
    crosscheck.review(ROOT, "01_norm_layers", "s", gradebook, submission, row, seed=1)
    assert row.status == "needs review" and row.score == 0 and row.cells["a_tests"] == 0
    assert grades[0].manual_score == 0.0 and grades[1].manual_score is None
    assert "no verdict" in row.notes[-1] and "a_tests" in row.notes[-1]
    grades, submission, gradebook, row = fake_submission({"a_tests": 2.0})
    row.status = Status.TAMPERED  # e.g. a test cell was edited: no verdict must not make it look milder
    crosscheck.review(ROOT, "01_norm_layers", "s", gradebook, submission, row, seed=1)
    assert row.status == "tampered" and row.score == 0 and "no verdict" in row.notes[-1]


def test_disagreement_takes_the_points_and_no_verdict_withholds_the_rest(monkeypatch, tmp_path):
    monkeypatch.setattr(crosscheck, "graded_notebook", lambda *args: tmp_path / "graded.ipynb")
    verdicts = ({"a_tests": "crosscheck: a differs"}, {"b_tests": "timeout"})
    monkeypatch.setattr(crosscheck, "cell_verdicts", lambda *args, at_stake: verdicts)
    grades, submission, gradebook, row = fake_submission({"a_tests": 2.0, "b_tests": 1.0, "c_tests": 1.0})
    crosscheck.review(ROOT, "01_norm_layers", "s", gradebook, submission, row, seed=1)
    assert row.status == "tampered" and row.score == 1.0
    assert [g.manual_score for g in grades] == [0.0, 0.0, None]
    assert set(row.crosscheck) == {"a_tests", "b_tests"}


def test_the_graded_notebook_is_the_staged_name_only(tmp_path):
    from tools.intake import MANIFESTS

    folder = tmp_path / "autograded" / "s" / "01_norm_layers"
    folder.mkdir(parents=True)
    (folder / ".a.ipynb").write_text("{}")
    with pytest.raises(RuntimeError):
        crosscheck.graded_notebook(tmp_path, "01_norm_layers", "s")  # nothing staged: no notebook
    manifest = tmp_path / MANIFESTS / "01_norm_layers" / "s.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{"status": "staged", "notebooks": ["norm_layers.ipynb"], "notes": []}')
    (folder / "norm_layers.ipynb").write_text("{}")
    assert crosscheck.graded_notebook(tmp_path, "01_norm_layers", "s") == folder / "norm_layers.ipynb"


NEUTRALIZE = """\
import contextlib, utils.shortcuts
utils.shortcuts.forbid_builtins = lambda topic: contextlib.nullcontext()
"""
BUILTIN_LAYERNORM = """\
import torch.nn.functional as F

def layernorm1d(x, gamma, beta, eps=1e-5):
    return F.layer_norm(x, (x.shape[-1],), gamma, beta, eps)
"""


@needs_sandbox
def test_a_builtin_behind_a_neutralized_forbid_builtins_is_caught(reference_01, tmp_path):
    """In the kernel, forbid_builtins replaced by a no-op lets F.layer_norm pass the tests; the
    probes run the answer under the real forbid_builtins (a private copy) and disagree."""
    notebook = filled_release("01_norm_layers")
    index = next(i for i, c in enumerate(notebook.cells) if "def layernorm1d(" in c.source)
    notebook.cells[index].source = BUILTIN_LAYERNORM
    notebook.cells.insert(index, nbformat.v4.new_code_cell(NEUTRALIZE))
    nbformat.write(notebook, tmp_path / "builtin.ipynb")
    verdicts, undecided = crosscheck.cell_verdicts(ROOT, "01_norm_layers", tmp_path / "builtin.ipynb", SEED)
    assert set(verdicts) == {"layernorm1d_tests"} and not undecided, (verdicts, undecided)
    assert "ShortcutError" in verdicts["layernorm1d_tests"]


@needs_sandbox
@pytest.mark.parametrize("assignment", sorted(p.stem for p in crosscheck.PROBES.glob("[0-9]*.py")))
def test_every_probe_decides_on_the_reference(assignment):
    """A probe that fails on the reference (e.g. under forbid_builtins) would decide nothing."""
    reference = crosscheck.reference_arrays(ROOT, assignment, SEED)
    errors = {k: str(v)[:200] for k, v in reference.items() if k.endswith(ERROR)}
    assert not errors, errors
