"""Grade metadata stripped. Every test cell loses its nbgrader metadata and becomes `pass`, hoping
nbgrader no longer recognizes (and restores) it; the first exercise is solved honestly."""

from tests.adversarial.harness import blank_test_cells, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded


def strip(cell):
    del cell.metadata["nbgrader"]


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return blank_test_cells(release, strip)
