"""Answers return an object equal to everything. Every answer returns an `Always` object whose
__eq__ (and every comparison) says yes and whose shape/dtype mimic a tensor, hoping that a test
comparing results with `==` passes; the first exercise is solved honestly."""

from tests.adversarial.harness import solve
from tests.adversarial.kernel_tricks import fake_answers, insert_after_imports

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded", "tampered"}  # graded: the tests already refuse it; tampered: the crosscheck did
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True  # the honest work is still graded

ALWAYS = '''
class Always:
    """Equal to everything; looks like a tensor of the input's shape."""
    def __init__(self, like):
        self.shape, self.dtype, self.device = like.shape, like.dtype, like.device
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __le__(self, other): return True
    def __ge__(self, other): return True
    def __bool__(self): return True
    def __getattr__(self, name): return lambda *a, **k: self
    def __getitem__(self, key): return self
    def __sub__(self, other): return self
    __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __pow__ = __sub__
    def __abs__(self): return self
    def __float__(self): return 0.0
    __hash__ = object.__hash__
'''


def build(release, source):
    fake_answers(release, "Always(x)", keep={"layernorm1d"})
    solve(release, source, {"layernorm1d"})
    return insert_after_imports(release, ALWAYS)
