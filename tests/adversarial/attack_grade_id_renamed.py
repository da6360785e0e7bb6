"""A grade id renamed. Every test cell gets a new grade id (and `pass` as source), hoping nbgrader
grades the renamed cell, which passes, instead of the original; the first exercise is honest."""

from tests.adversarial.harness import blank_test_cells, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded


def rename(cell):
    cell.metadata["nbgrader"]["grade_id"] += "_renamed"


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return blank_test_cells(release, rename)
