"""A test cell deleted. Every test cell but the first is removed, hoping a missing test cell
cannot fail; the first exercise is solved honestly."""

from tests.adversarial.harness import solve
from tools.notebook_model import grade_id, is_test_cell

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded


def build(release, source):
    solve(release, source, {"layernorm1d"})
    release.cells = [c for c in release.cells
                     if not is_test_cell(c) or grade_id(c) == "layernorm1d_tests"]
    return release
