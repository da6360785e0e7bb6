"""Wall time without CPU. Forty cells each sleep just under the per-cell timeout: no cell times
out and no CPU limit is reached, so only the chunk's timeout (30 min per student) bounded it. The
sandbox stops the kernel at SANDBOX_WALL_SECONDS (3 min in this batch): crashed, no score."""

from tests.adversarial.harness import ADVERSARIAL_TIMEOUT, insert_code

ASSIGNMENT = "01_norm_layers"
STATUSES = {"crashed"}
HONEST_CELLS = set()


def build(release, source):
    for _ in range(40):
        insert_code(release, 2, f"import time\ntime.sleep({ADVERSARIAL_TIMEOUT - 3})")
    return release
