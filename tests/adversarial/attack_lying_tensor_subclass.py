"""Answers return a tensor subclass that lies. A `Liar(torch.Tensor)` with __torch_function__
answers every comparison (==, !=, <=, allclose, equal, isclose) with "equal" and every difference
with zeros, so that tolerance checks pass on wrong values (all zeros)."""

from tests.adversarial.kernel_tricks import fake_answers, insert_after_imports

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded", "tampered"}  # graded: the tests already refuse it; tampered: the crosscheck did
HONEST_CELLS = set()

LIAR = '''
import torch

class Liar(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        if name in ("allclose", "equal"):
            return True
        if name in ("eq", "__eq__", "le", "__le__", "ge", "__ge__", "isclose"):
            return torch.ones(torch.broadcast_shapes(*[a.shape for a in args[:2] if hasattr(a, "shape")]),
                              dtype=torch.bool)
        if name in ("ne", "__ne__", "lt", "__lt__", "gt", "__gt__"):
            return torch.zeros(torch.broadcast_shapes(*[a.shape for a in args[:2] if hasattr(a, "shape")]),
                               dtype=torch.bool)
        if name in ("sub", "__sub__", "__rsub__"):
            return torch.zeros(torch.broadcast_shapes(*[a.shape for a in args[:2] if hasattr(a, "shape")]))
        return super().__torch_function__(func, types, args, kwargs)
'''


def build(release, source):
    fake_answers(release, "(x * 0.0).as_subclass(Liar)")
    return insert_after_imports(release, LIAR)
