"""An answer cell deleted. The solution cells of the unsolved exercises are removed (with their
`raise NotImplementedError()`), hoping the tests then skip or pass; the first is solved honestly.
(Code answer cells only: a deleted written answer, graded by hand, is not put back by nbgrader
and the notebook is then not graded at all, fail-closed with a note; see the closing note.)"""

from tests.adversarial.harness import solve
from tools.notebook_model import grade_id, is_exercise

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded


def build(release, source):
    solve(release, source, {"layernorm1d"})
    release.cells = [c for c in release.cells if not is_exercise(c) or grade_id(c) == "layernorm1d"]
    return release
