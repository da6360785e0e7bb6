"""An infinite loop. A busy loop after the first exercise holds the kernel until the per-cell
timeout interrupts it; the rest of the notebook must still be graded (the first exercise is honest)."""

from tests.adversarial.harness import index_of, insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"timed out"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return insert_code(release, index_of(release, "layernorm1d_tests") + 1, "while True:\n    pass")
