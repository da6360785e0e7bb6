"""nbgrader metadata that is a list. `"metadata": {"nbgrader": []}` on a test cell is valid for
nbformat; tools/results.py raised AttributeError on it and the whole `make grade` died (no
grades.csv for anyone). The intake removes metadata not of nbgrader's form: the test cell is
put back from the gradebook and graded, the honest layernorm1d keeps its points."""

from tests.adversarial.harness import index_of, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True
NOTES = ["nbgrader metadata not of nbgrader's form"]


def build(release, source):
    solve(release, source, {"layernorm1d"})
    release.cells[index_of(release, "groupnorm_tests")].metadata["nbgrader"] = []
    return release
