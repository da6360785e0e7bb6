"""Duplicated ids. Before every test cell goes a copy with the same grade id and cell id whose
source is `pass`, hoping the copy is graded instead of the original; the first exercise is honest."""

import copy

from tests.adversarial.harness import solve
from tools.notebook_model import is_test_cell

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded


def build(release, source):
    solve(release, source, {"layernorm1d"})
    cells = []
    for cell in release.cells:
        if is_test_cell(cell):
            fake = copy.deepcopy(cell)
            fake.source = "pass"
            cells.append(fake)
        cells.append(cell)
    release.cells = cells
    return release
