"""A grade id renamed. Every test cell gets a new grade id (and `pass` as source), hoping nbgrader
grades the renamed cell, which passes, instead of the original; the first exercise is honest."""

from tests.adversarial.harness import solve
from tools.course import is_test_cell

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}


def build(release, source):
    solve(release, source, {"layernorm1d"})
    for cell in release.cells:
        if is_test_cell(cell):
            cell.metadata["nbgrader"]["grade_id"] += "_renamed"
            cell.source = "pass"
    return release
