"""Monkeypatching torch so comparisons always pass. torch.allclose, torch.equal, torch.isclose,
torch.testing.assert_close and the comparison operators of torch.Tensor (==, !=, <=) are replaced
so that any two tensors look equal; the answers return zeros of the right shape."""

from tests.adversarial.kernel_tricks import fake_answers, insert_after_imports

ASSIGNMENT = "01_norm_layers"
# 01's checks compute their own errors, so the patch may gain nothing in the kernel: a row graded
# with 0 points is as honest as one the crosscheck flags tampered.
STATUSES = {"tampered", "graded"}
HONEST_CELLS = set()

PATCH = '''
import torch
import torch.testing

_ones = lambda a, b: torch.ones(torch.broadcast_shapes(a.shape, getattr(b, "shape", ())), dtype=torch.bool)
_zeros = lambda a, b: torch.zeros(torch.broadcast_shapes(a.shape, getattr(b, "shape", ())), dtype=torch.bool)
torch.allclose = lambda *args, **kwargs: True
torch.equal = lambda *args, **kwargs: True
torch.isclose = lambda a, b, *args, **kwargs: _ones(a, b)
torch.testing.assert_close = lambda *args, **kwargs: None
torch.Tensor.__eq__ = _ones
torch.Tensor.__ne__ = _zeros
torch.Tensor.__le__ = _ones
'''


def build(release, source):
    fake_answers(release)
    return insert_after_imports(release, PATCH)
