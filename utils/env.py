"""Where code runs and how big it runs: device choice, seeding, the CPU/GPU size knob.

Environment variables (all optional):
    COURSE_DEVICE  force a device ("cpu", "cuda", "mps"); default: the best one available.
    COURSE_SIZE    force the size knob ("small" or "full"); default: "full" on a GPU, else "small".
"""

import os
import random

import numpy as np
import torch

DEVICES = ("cuda", "mps", "cpu")
SIZES = ("small", "full")


def _mps_available():
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def pick_device(prefer=None):
    """Return the `torch.device` to compute on: `prefer` (a name or a device), $COURSE_DEVICE, or the best.

    Order of preference when nothing is forced: cuda, mps, cpu. A forced device that this
    machine does not have raises `RuntimeError` naming what is available.
    """
    if isinstance(prefer, torch.device):
        prefer = prefer.type
    name = prefer or os.environ.get("COURSE_DEVICE") or None
    available = [d for d, ok in (("cuda", torch.cuda.is_available()), ("mps", _mps_available()),
                                 ("cpu", True)) if ok]
    if name is None:
        return torch.device(available[0])
    if name not in DEVICES:
        raise ValueError(f"device must be one of {DEVICES}, got {name!r}")
    if name not in available:
        raise RuntimeError(f"device {name!r} was asked for but this machine has only {available}")
    return torch.device(name)


def size_knob(device=None):
    """Return "full" when a GPU does the work (or $COURSE_SIZE=full), else "small".

    Notebooks choose their experiment sizes from this one value, so the same notebook stays
    within its CPU time budget in CI and runs the bigger configuration on a GPU runner.
    """
    forced = os.environ.get("COURSE_SIZE")
    if forced:
        if forced not in SIZES:
            raise ValueError(f"COURSE_SIZE must be one of {SIZES}, got {forced!r}")
        return forced
    device = torch.device(device) if device is not None else pick_device()
    return "full" if device.type in ("cuda", "mps") else "small"


def seed_everything(seed):
    """Seed Python's, NumPy's and PyTorch's random generators; return a seeded `torch.Generator`."""
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise ValueError(f"seed must be an int in [0, 2**63), got {seed!r}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def is_grading():
    """True while nbgrader executes the notebook (autograde or validate): skip heavy demos then."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))
