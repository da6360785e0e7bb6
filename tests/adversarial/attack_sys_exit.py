"""sys.exit. A cell calls sys.exit() (and raises SystemExit), hoping to stop grading early with
the test cells unrun; the kernel survives both (IPython catches them), so grading goes on."""

from tests.adversarial.harness import index_of, insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded


def build(release, source):
    solve(release, source, {"layernorm1d"})
    index = index_of(release, "layernorm1d_tests") + 1
    insert_code(release, index, "raise SystemExit(0)")
    return insert_code(release, index, "import sys\nsys.exit(0)")
