"""Autograde's Execute (with the output caps of capped_execute.py) up to the last graded code cell.

A score comes only from graded code cells (test cells, and code answers graded by hand), each from
its own run, and a cell can change nothing that ran before it: the code cells after the last
graded one cannot change any score. nbgrader would still run them (the demonstrations at the end
of a notebook, or what their `is_grading()` guard leaves of them); here they are left unrun,
without outputs (nbgrader cleared them before), as the crosscheck's runner leaves them
(tools/crosscheck_runner.py). Feedback shows no output of such cells either
(tools/plugins/hide_hidden_tests.py). Markdown cells, written answers included, have nothing to
run. The graded cells are counted on the notebook as it is executed, after nbgrader has restored
the test cells from the gradebook (a test cell a student deleted is put back where it was).
"""

from tools.notebook_model import grading_info
from tools.plugins.capped_execute import CappedExecute


def last_graded_code_cell(notebook):
    """Index of the last code cell nbgrader grades; len(cells) when there is none (all run)."""
    graded = [index for index, cell in enumerate(notebook.cells)
              if cell.cell_type == "code" and grading_info(cell).get("grade")]
    return max(graded, default=len(notebook.cells))


class GradedCellsExecute(CappedExecute):
    """CappedExecute (all of Execute's settings apply) that runs no cell after the last graded one."""

    def preprocess(self, nb, resources=None, km=None):
        self._last_graded = last_graded_code_cell(nb)
        return super().preprocess(nb, resources=resources, km=km)

    def preprocess_cell(self, cell, resources, index):
        if index > self._last_graded:
            return cell, resources
        return super().preprocess_cell(cell, resources, index)
