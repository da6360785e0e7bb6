"""The feedback filter removes hidden-test source and traceback lines from graded test cells."""

import nbformat

from tools.plugins.hide_hidden_tests import HideHiddenTests, strip_hidden_block

CELL = "check(a)\n### BEGIN HIDDEN TESTS\nsecret_check(b)\n### END HIDDEN TESTS"


def test_strip_hidden_block_keeps_visible_checks():
    stripped = strip_hidden_block(CELL)
    assert "check(a)" in stripped and "secret_check" not in stripped and "END HIDDEN" not in stripped


def test_preprocessor_cleans_source_and_tracebacks_of_test_cells_only():
    test_cell = nbformat.v4.new_code_cell(CELL)
    test_cell.metadata = {"nbgrader": {"grade": True, "solution": False, "grade_id": "x_tests", "points": 1}}
    test_cell.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="expected 1, got 2",
                                                traceback=["line 3 secret_check(b)", "AssertionError"])]
    answer = nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\nstudent text")
    answer.metadata = {"nbgrader": {"grade": False, "solution": True, "grade_id": "x"}}
    nb = nbformat.v4.new_notebook(cells=[test_cell, answer])
    nb, _ = HideHiddenTests().preprocess(nb, {})
    assert "secret_check" not in nb.cells[0].source
    assert nb.cells[0].outputs[0]["traceback"] == ["AssertionError: expected 1, got 2"]
    assert nb.cells[1].source == "### BEGIN HIDDEN TESTS\nstudent text"
