"""A test cell copied by accident. Every exercise is solved honestly and every test cell is
duplicated below itself (what JupyterLab's "duplicate cell" does: same grade id, same cell id);
the work must still be graded in full, and the report must point at the copies."""

import copy

from tests.adversarial.harness import solve
from tools.notebook_model import answer_sources, is_test_cell

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests", "batchnorm1d_train_tests", "batchnorm1d_eval_tests",
                "layernorm2d_tests", "batchnorm2d_train_tests", "batchnorm2d_eval_tests",
                "groupnorm_tests", "batchnorm2d_module_tests"}
HONEST_CELLS_SCORE = True  # the honest work is graded in full


def build(release, source):
    solve(release, source, set(answer_sources(source)))
    cells = []
    for cell in release.cells:
        cells.append(cell)
        if is_test_cell(cell):
            cells.append(copy.deepcopy(cell))
    release.cells = cells
    return release
