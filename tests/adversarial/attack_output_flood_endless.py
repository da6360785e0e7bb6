"""An endless flood of output. 1 MiB writes without end until the timeout interrupts the cell,
hoping to fill the graded notebook and the grader's memory (measured without a cap: a 524 MB graded
notebook and a 2.7 GB nbgrader process within 20 s; tools/plugins/capped_execute.py drops output past
4 MiB per cell).

Measured: the outcome depends on how fast the kernel produces output against how fast the grader
drains it, so four outcomes were seen on the same code: the cell interrupted ("timed out"); the
grading of the notebook abandoned because the queued output did not drain within nbgrader's IOPub
timeout after the interrupt ("crashed", no score); the later cells run in a kernel that cannot
answer in time ("graded", all zero); or, on an idle machine, the kernel's own output buffer hits
the sandbox's memory limit first, the cell ends in a MemoryError and the rest of the notebook is
graded ("graded", the honest cell keeps its points). Each is honest; none gains a point."""

from tests.adversarial.harness import index_of, insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"timed out", "crashed", "graded"}
HONEST_CELLS = {"layernorm1d_tests"}

CODE = "import sys\nwhile True:\n    sys.stdout.write('x' * 2**20)\n    sys.stdout.flush()"


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return insert_code(release, index_of(release, "layernorm1d_tests") + 1, CODE)
