"""Killing the kernel. A cell sends SIGKILL to its parent and to its own pid, hoping to take the
grader (or the batch) down or to leave the test cells unrun (the submission must be reported
`crashed`, with no score, and the rest of the batch graded)."""

from tests.adversarial.harness import index_of, insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"crashed"}
HONEST_CELLS = {"layernorm1d_tests"}

CODE = """\
import os, signal
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as error:
        print("cannot kill", pid, error.strerror)
os.kill(os.getpid(), signal.SIGKILL)
"""


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return insert_code(release, index_of(release, "layernorm1d_tests") + 1, CODE)
