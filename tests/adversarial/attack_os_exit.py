"""os._exit. A cell ends the kernel process at once, hoping the unrun test cells are skipped or
scored as passed (the submission must be reported `crashed`, with no score)."""

from tests.adversarial.harness import index_of, insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"crashed"}
HONEST_CELLS = {"layernorm1d_tests"}


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return insert_code(release, index_of(release, "layernorm1d_tests") + 1, "import os\nos._exit(0)")
