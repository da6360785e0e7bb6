"""An allocation beyond the memory limit. One huge tensor, then 256 MiB blocks until allocation
fails, hoping to take the grading machine down (the sandbox's address-space limit raises
MemoryError; the kernel lives on and the rest is graded)."""

from tests.adversarial.harness import index_of, insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded

CODE = """\
import torch
try:
    torch.empty(2**40, dtype=torch.uint8)
except (MemoryError, RuntimeError) as error:
    print("huge tensor:", type(error).__name__)
hog = []
try:
    while True:
        hog.append(bytearray(256 * 2**20))
except MemoryError:
    print("blocks before MemoryError:", len(hog))
hog = None
"""


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return insert_code(release, index_of(release, "layernorm1d_tests") + 1, CODE)
