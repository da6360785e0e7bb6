"""tools/plugins/graded_cells_execute.py: no code cell after the last graded one is run."""

import nbformat

from tools.plugins.graded_cells_execute import GradedCellsExecute, last_graded_code_cell


def cell(kind, source, **grading):
    made = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if grading:
        made.metadata["nbgrader"] = {"grade_id": source[:8], "points": 1, "solution": False, **grading}
    return made


def notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def test_the_last_graded_code_cell_is_a_test_cell_or_a_hand_graded_answer_never_markdown():
    tests_then_demo = notebook(cell("code", "x = 1"), cell("code", "assert x == 1", grade=True),
                               cell("code", "demo()"), cell("markdown", "answer", grade=True, solution=True))
    assert last_graded_code_cell(tests_then_demo) == 1
    answer_by_hand = notebook(cell("code", "assert True", grade=True), cell("code", "plot()"),
                              cell("code", "y = 2", grade=True, solution=True), cell("code", "demo()"))
    assert last_graded_code_cell(answer_by_hand) == 2


def test_a_notebook_without_graded_cells_runs_whole():
    plain = notebook(cell("code", "x = 1"), cell("code", "demo()"))
    assert last_graded_code_cell(plain) == 2


def test_a_cell_after_the_last_graded_one_is_returned_unrun():
    execute = GradedCellsExecute()
    execute._last_graded = 1
    demo = cell("code", "demo()")
    resources = {"marker": True}
    # No kernel was started: running the cell would fail.
    assert execute.preprocess_cell(demo, resources, 2) == (demo, resources)
    assert demo.outputs == [] and demo.execution_count is None
