"""A plain .npy on the crosscheck's result channel. In the crosscheck runner (outside the kernel)
a cell writes numpy.save bytes to every open descriptor and exits; `np.load` then returned an
array, the parent's `with np.load(...)` raised TypeError and the whole `make grade` died. In the
kernel the answers are zeros and an AST transformer blanks the tests. The refused results give no
verdict: the in-kernel points are withheld and the row needs review."""

from tests.adversarial.attack_ast_transformer import TRANSFORMER
from tests.adversarial.kernel_tricks import fake_answers, insert_after_imports

ASSIGNMENT = "01_norm_layers"
STATUSES = {"needs review"}
HONEST_CELLS = set()
NOTES = ["crosscheck reached no verdict"]

CODE = r'''
import io, os, sys
if not type(get_ipython()).__module__.startswith(("ipykernel", "IPython")):  # the crosscheck runner
    import numpy as np
    buffer = io.BytesIO()
    np.save(buffer, np.arange(10))
    for fd in range(3, 32):
        try:
            os.write(fd, buffer.getvalue())
        except OSError:
            pass
    os._exit(0)
'''


def build(release, source):
    fake_answers(release)
    insert_after_imports(release, TRANSFORMER)
    return insert_after_imports(release, CODE)
