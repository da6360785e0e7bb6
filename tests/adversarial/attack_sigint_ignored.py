"""A loop that ignores SIGINT. The kernel ignores the timeout's interrupt and spins, hoping to hold
the grader forever (the CPU-time limit of the sandbox ends it: the kernel dies, no score)."""

from tests.adversarial.harness import index_of, insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"crashed"}
HONEST_CELLS = {"layernorm1d_tests"}


def build(release, source):
    solve(release, source, {"layernorm1d"})
    code = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    return insert_code(release, index_of(release, "layernorm1d_tests") + 1, code)
