"""A test cell edited to `pass`. Every test cell of the release is replaced by `pass`, hoping an
empty test cell scores its points; the first exercise is solved honestly."""

from tests.adversarial.harness import blank_test_cells, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return blank_test_cells(release)
