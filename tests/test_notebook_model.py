"""tools.notebook_model: cell roles, the exercise -> test cells map, hidden-test blocks, metadata form."""

import nbformat

from tests.course_harness import apply_mutant, filled_release, mutant_files
from tools.course import ROOT, notebooks
from tools.notebook_model import (
    HIDDEN_BEGIN,
    HIDDEN_END,
    answer_sources,
    defined_names,
    exercise_cells,
    fill_answers,
    is_answer,
    is_exercise,
    is_test_cell,
    is_written_answer,
    sources_of_test_cells,
    well_formed,
    without_blocks,
)


def cell(kind, source, **info):
    """A code or markdown cell with nbgrader metadata `info` (none when empty)."""
    made = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if info:
        made.metadata["nbgrader"] = {"schema_version": 3, **info}
    return made


def toy():
    """Set-up, two exercises with their test cells, a written answer and a test cell after it."""
    test = f"check(f)\n{HIDDEN_BEGIN}\nsecret(f)\n{HIDDEN_END}"
    return nbformat.v4.new_notebook(cells=[
        cell("code", "import torch"),
        cell("code", "def helper():\n    pass\n\n@wrap\ndef f(x):\n    return x", solution=True, grade=False,
             grade_id="f"),
        cell("code", test, grade=True, solution=False, grade_id="f_tests", points=1, locked=True),
        cell("markdown", "prose"),
        cell("code", test, grade=True, solution=False, grade_id="f_more_tests", points=1, locked=True),
        cell("code", "class G:\n    pass", solution=True, grade=False, grade_id="g"),
        cell("code", test, grade=True, solution=False, grade_id="g_tests", points=1, locked=True),
        cell("markdown", "model answer", solution=True, grade=True, grade_id="q_why", points=1),
        cell("code", test, grade=True, solution=False, grade_id="after_tests", points=1, locked=True),
    ])


def test_roles_of_cells():
    nb = toy()
    assert [is_answer(c) for c in nb.cells] == [False, True, False, False, False, True, False, True, False]
    assert [is_exercise(c) for c in nb.cells] == [False, True, False, False, False, True, False, False, False]
    assert [is_written_answer(c) for c in nb.cells] == [False] * 7 + [True, False]
    assert [is_test_cell(c) for c in nb.cells] == [False, False, True, False, True, False, True, False, True]
    assert set(answer_sources(nb)) == {"f", "g", "q_why"}
    assert set(sources_of_test_cells(nb)) == {"f_tests", "f_more_tests", "g_tests", "after_tests"}


def test_exercise_cells_stop_at_the_next_answer_cell():
    assert exercise_cells(toy()) == {"helper": ["f_tests", "f_more_tests"], "f": ["f_tests", "f_more_tests"],
                                     "G": ["g_tests"]}


def test_exercise_cells_of_the_norm_layers_notebook():
    (source,) = notebooks(ROOT, "01_norm_layers", "source")
    mapping = exercise_cells(nbformat.read(source, as_version=4))
    assert mapping["layernorm1d"] == ["layernorm1d_tests"]
    assert mapping["BatchNorm2d"] == ["batchnorm2d_module_tests"]
    assert "instancenorm" not in mapping  # defined in a plain cell, not an answer


def test_mutant_targets_are_the_exercise_map():
    """A mutant's target cells and the crosscheck's probes use one map (exercise_cells)."""
    (path, *_) = mutant_files("01_norm_layers")
    notebook = filled_release("01_norm_layers")
    targets = apply_mutant(notebook, path)
    assert targets and targets in exercise_cells(notebook).values()


def test_defined_names_spans_and_unparsable_source():
    spans = defined_names("x = 1\n@wrap\ndef f():\n    pass\nclass G:\n    y = 2")
    assert spans == {"f": (1, 3), "G": (4, 5)}
    assert defined_names("def f(:\n") == {}


def test_fill_answers_all_or_some():
    nb = toy()
    answers = {"f": "def f(x):\n    return 2", "g": "class G: ...", "q_why": "because"}
    fill_answers(nb, answers, {"g"})
    assert [c.source for c in nb.cells if is_answer(c)][1:] == ["class G: ...", "model answer"]
    fill_answers(nb, answers)
    assert answer_sources(nb) == answers


def test_without_blocks_and_metadata_form():
    assert without_blocks(f"a\n{HIDDEN_BEGIN}\nb\n{HIDDEN_END}\nc") == "a\n\nc"
    assert well_formed(cell("code", "x")) and well_formed(toy().cells[1])
    assert not well_formed(cell("code", "x", grade="yes"))
    assert not well_formed(cell("code", "x", points=True))
    broken = cell("code", "x")
    broken.metadata["nbgrader"] = []
    assert not well_formed(broken)
