"""A flood of output. Millions of short lines and one line of many megabytes, hoping to blow up
the graded notebook, the feedback or the grader's memory."""

from tests.adversarial.harness import index_of, insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded

CODE = """\
import sys
for i in range(300_000):
    print("flood", i)
sys.stdout.write("x" * (30 * 2**20) + "\\n")
sys.stderr.write("y" * (10 * 2**20) + "\\n")
"""


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return insert_code(release, index_of(release, "layernorm1d_tests") + 1, CODE)
