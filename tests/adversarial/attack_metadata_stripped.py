"""Grade metadata stripped. Every test cell loses its nbgrader metadata and becomes `pass`, hoping
nbgrader no longer recognizes (and restores) it; the first exercise is solved honestly."""

from tests.adversarial.harness import solve
from tools.course import is_test_cell

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}


def build(release, source):
    solve(release, source, {"layernorm1d"})
    for cell in release.cells:
        if is_test_cell(cell):
            del cell.metadata["nbgrader"]
            cell.source = "pass"
    return release
