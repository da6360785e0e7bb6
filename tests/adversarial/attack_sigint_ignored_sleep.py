"""A sleep that ignores SIGINT. The kernel ignores the interrupt and sleeps, using no CPU, so the
CPU-time limit never fires; every later cell would wait for the timeout in turn."""

from tests.adversarial.harness import index_of, insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"crashed"}
HONEST_CELLS = {"layernorm1d_tests"}


def build(release, source):
    solve(release, source, {"layernorm1d"})
    code = ("import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "while True:\n    time.sleep(1000)")
    return insert_code(release, index_of(release, "layernorm1d_tests") + 1, code)
