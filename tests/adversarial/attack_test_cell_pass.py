"""A test cell edited to `pass`. Every test cell of the release is replaced by `pass`, hoping an
empty test cell scores its points; the first exercise is solved honestly."""

from tests.adversarial.harness import solve
from tools.course import is_test_cell

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}


def build(release, source):
    solve(release, source, {"layernorm1d"})
    for cell in release.cells:
        if is_test_cell(cell):
            cell.source = "pass"
    return release
