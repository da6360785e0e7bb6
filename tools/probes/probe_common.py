"""Helpers shared by the crosscheck probe modules (see tools/crosscheck.py).

tools/crosscheck loads this file as the module `probe_common` before the assignment's probe module
(in the sandbox and in the trusted parent), so a probe module imports from it:
`from probe_common import Probe, rand, randn, raises`.
"""

from typing import Callable, NamedTuple

import numpy as np
import torch


class Probe(NamedTuple):
    """One entry of a probe module's PROBES (options: tools/crosscheck.py's docstring, item 1)."""

    exercise: str  # the name a solution cell defines
    function: Callable  # function(namespace, generator) -> {key: value}
    options: dict  # cells, rtol, atol, topic, verify: each optional


def rand(g, *shape, dtype=torch.float32):
    """Uniform [0, 1) tensor of `shape` drawn from the generator `g`."""
    return torch.rand(*shape, generator=g, dtype=dtype)


def randn(g, *shape, dtype=torch.float32):
    """Standard normal tensor of `shape` drawn from the generator `g`."""
    return torch.randn(*shape, generator=g, dtype=dtype)


def raises(f, *args, **kwargs):
    """True when f(*args, **kwargs) raises ValueError (any other exception, or none, is False)."""
    try:
        f(*args, **kwargs)
    except ValueError:
        return True
    except Exception:  # noqa: BLE001 - another exception is not the ValueError asked for
        return False
    return False


def generator_decides(theirs):
    """For a verify function: True when the outputs a probe recorded for two generators seeded alike
    (`repeat_a`, `repeat_b`) are equal and the output for another seed (`other`) differs."""
    repeat = theirs["repeat_a"]
    return np.array_equal(repeat, theirs["repeat_b"]) and not np.array_equal(repeat, theirs["other"])



# topic of utils.shortcuts -> built-ins that topic forbids: (module, name, arguments of a call)
CANARIES = {
    "normalization": [("torch.nn.functional", "layer_norm", lambda: (torch.zeros(1, 2), (2,))),
                      ("torch.nn.functional", "group_norm", lambda: (torch.zeros(1, 2, 1), 1))],
    "resnet": [("torchvision.models.resnet", "resnet18", tuple)],
    "transforms": [("torchvision.transforms.functional", "hflip", lambda: (torch.zeros(1, 2, 2),))],
    "box_ops": [("torchvision.ops", "box_iou", lambda: (torch.zeros(1, 4), torch.zeros(1, 4))),
                ("torchvision.ops", "nms", lambda: (torch.zeros(1, 4), torch.zeros(1), 0.5))],
    "detection_ops": [("torchvision.ops", "roi_align",
                       lambda: (torch.zeros(1, 1, 2, 2), [torch.zeros(1, 4)], 1))],
}


def canaries(topic):
    """Zero-argument calls of built-ins that `topic` forbids, the functions looked up now (the
    runner does so before any cell of the notebook ran, so later patches cannot swap them)."""
    import importlib

    calls = []
    for module, name, arguments in CANARIES.get(topic or "", []):
        function = getattr(importlib.import_module(module), name)
        calls.append(lambda function=function, arguments=arguments: function(*arguments()))
    return calls


def builtins_refused(calls, error_type):
    """True when every call of `calls` (see canaries) raises `error_type` (utils.shortcuts'
    ShortcutError): forbid_builtins is in force, not undone by code that ran before."""
    for call in calls:
        try:
            call()
        except error_type:
            continue
        except Exception:  # noqa: BLE001 - any other outcome means the built-in was not refused
            return False
        return False
    return True
