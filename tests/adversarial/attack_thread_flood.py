"""Exhausting the machine's pids. With 64 KiB stacks a kernel could start tens of thousands of
threads inside its address-space limit (RLIMIT_NPROC does not bind root): enough to exhaust the
host's pid_max and make everyone's grading (and the crosscheck) fail. The sandbox's pids cgroup
stops it at SANDBOX_TASKS; the threads die with the kernel."""

from tests.adversarial.harness import insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded", "crashed"}
HONEST_CELLS = {"layernorm1d_tests"}

CODE = r'''
import threading, time
threading.stack_size(64 * 1024)
started = 0
try:
    for _ in range(40000):
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
        started += 1
except Exception as error:
    print("stopped:", type(error).__name__)
print("threads started:", started)
'''


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return insert_code(release, 2, CODE)
