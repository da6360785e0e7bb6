"""Exercises that teach a built-in must not call it: `forbid_builtins(topic)` makes it raise.

Used by the notebooks' checks around the student's call only, never around the reference:

    with forbid_builtins("normalization"):
        out = layernorm1d(x, gamma, beta)          # F.layer_norm inside raises ShortcutError
    check_close(out, F.layer_norm(x, (D,), gamma, beta))   # the reference still works here

Two mechanisms, both undone when the block ends:
- operators (PyTorch's `aten::native_layer_norm`, torchvision's `torchvision::nms`, ...) are caught
  by a `TorchDispatchMode`, whatever Python path reached them (`F.layer_norm`, `nn.LayerNorm`,
  `torch.layer_norm`, `torch.ops.aten...`);
- pure-Python built-ins (torchvision's `box_iou`, the transforms, ResNet's `forward`) have their
  code swapped for one that raises, so every reference to them, however imported, raises.
"""

import importlib
import sys
import types
from contextlib import contextmanager
from dataclasses import dataclass

from torch.utils._python_dispatch import TorchDispatchMode


class ShortcutError(AssertionError):
    """An exercise called the built-in it asks the student to write."""


@dataclass(frozen=True)
class Topic:
    """What one kind of exercise may not call.

    `operators`: {qualified operator name: how students write it}; `modules`: modules whose
    functions are off limits; `classes`: "module:Class" whose methods are off limits.
    """

    operators: dict
    modules: tuple = ()
    classes: tuple = ()


_NORM = "F.layer_norm/batch_norm/group_norm/instance_norm, nn.LayerNorm/BatchNorm*/GroupNorm/InstanceNorm*"
TOPICS = {
    "normalization": Topic(operators={
        f"aten::{op}": _NORM for op in (
            "native_layer_norm", "native_batch_norm", "_native_batch_norm_legit",
            "_native_batch_norm_legit_no_training", "_native_batch_norm_legit_functional",
            "_batch_norm_with_update", "_batch_norm_with_update_functional", "_batch_norm_no_update",
            "native_group_norm", "batch_norm", "instance_norm", "layer_norm", "group_norm")}),
    "resnet": Topic(operators={}, classes=(
        "torchvision.models.resnet:ResNet", "torchvision.models.resnet:BasicBlock",
        "torchvision.models.resnet:Bottleneck")),
    "transforms": Topic(operators={}, modules=(
        "torchvision.transforms.functional", "torchvision.transforms._functional_tensor",
        "torchvision.transforms.v2.functional._geometry", "torchvision.transforms.v2.functional._misc",
        "torchvision.transforms.v2.functional._augment", "torchvision.transforms.v2.functional._color")),
    "box_ops": Topic(operators={"torchvision::nms": "torchvision.ops.nms/batched_nms"}, modules=(
        "torchvision.ops.boxes", "torchvision.ops._box_convert")),
    "detection_ops": Topic(
        operators={"torchvision::roi_align": "torchvision.ops.roi_align/RoIAlign",
                   "torchvision::roi_pool": "torchvision.ops.roi_pool/RoIPool",
                   "torchvision::ps_roi_align": "torchvision.ops.ps_roi_align",
                   "torchvision::ps_roi_pool": "torchvision.ops.ps_roi_pool"},
        modules=("torchvision.ops.roi_align", "torchvision.ops.roi_pool", "torchvision.ops.poolers"),
        classes=("torchvision.models.detection.anchor_utils:AnchorGenerator",
                 "torchvision.models.detection._utils:BoxCoder")),
}

# The name under which `_refused` is put in a forbidden function's module while the block runs.
_HOOK = "_forbidden_builtin_called"


def _refuse(*args, **kwargs):
    """The code swapped into a forbidden function (it runs with that function's module globals)."""
    _forbidden_builtin_called()  # noqa: F821 - put in the module's globals by forbid_builtins


def _refused():
    """Raise ShortcutError naming the built-in: the caller's code is named after it."""
    name = sys._getframe(1).f_code.co_name
    raise ShortcutError(f"this exercise called {name}, the built-in it asks you to write yourself; "
                        "compute it with basic tensor operations instead")


def _functions(topic):
    """The plain Python functions (no closure) that `topic` forbids: {function: qualified name}."""
    found = {}
    owners = [(importlib.import_module(m), m) for m in topic.modules]
    for spec in topic.classes:
        module, _, name = spec.partition(":")
        owners.append((getattr(importlib.import_module(module), name), f"{module}.{name}"))
    for owner, prefix in owners:
        for name, value in vars(owner).items():
            value = value.__func__ if isinstance(value, (staticmethod, classmethod)) else value
            if (isinstance(value, types.FunctionType) and not value.__code__.co_freevars
                    and (isinstance(owner, type) or value.__module__ == owner.__name__)):
                found.setdefault(value, f"{prefix}.{name}")
    return found


class _RefuseOperators(TorchDispatchMode):
    """Raise ShortcutError when one of `operators` ({qualified name: what students write}) runs."""

    def __init__(self, operators):
        super().__init__()
        self.operators = operators

    @classmethod
    def _should_skip_dynamo(cls):
        # PyTorch otherwise wraps __torch_dispatch__ for torch.compile, and the wrapper imports
        # torch._dynamo (1.6 s) at the first operator; this mode only ever runs eagerly.
        return False

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = func._schema.name
        if name in self.operators:
            raise ShortcutError(f"this exercise called {self.operators[name]} (operator {name}), the "
                                "built-in it asks you to write yourself; compute it with basic tensor "
                                "operations instead")
        return func(*args, **(kwargs or {}))


@contextmanager
def forbid_builtins(topic):
    """Inside the block, the built-ins of `topic` (a key of TOPICS) raise ShortcutError."""
    if topic not in TOPICS:
        raise ValueError(f"forbid_builtins: unknown topic {topic!r}; expected one of {sorted(TOPICS)}")
    rule = TOPICS[topic]
    swapped = []
    try:
        for function, qualified in _functions(rule).items():
            swapped.append((function, function.__code__))
            function.__globals__[_HOOK] = _refused
            function.__code__ = _refuse.__code__.replace(co_name=qualified)
        if rule.operators:
            with _RefuseOperators(rule.operators):
                yield
        else:
            yield
    finally:
        for function, code in reversed(swapped):
            function.__code__ = code
            function.__globals__.pop(_HOOK, None)
