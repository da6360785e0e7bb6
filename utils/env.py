"""Where code runs and how big it runs: device choice, seeding, the CPU/GPU size knob, and the
speed-ups that only pay on a GPU (mixed precision, channels_last).

Environment variables (all optional):
    COURSE_DEVICE        force a device ("cpu", "cuda", "mps"); default: the best one available.
    COURSE_THREADS       CPU threads for torch when the device is the CPU; default 1 (see pick_device).
    COURSE_SIZE          force the size knob ("small" or "full"); default: "full" on a GPU, else "small".
    COURSE_AMP           mixed precision: "auto" (default: bfloat16 on a CUDA GPU that supports it,
                         float16 on older ones, none on cpu and mps), "off", "bfloat16" or "float16".
    COURSE_CHANNELS_LAST "1" or "0" to force the channels_last memory format on or off; default:
                         on for cuda only.

utils.train.fit uses autocast and grad_scaler (no-ops on a CPU); notebook 05 uses memory_format.
"""

import contextlib
import os
import random

import numpy as np
import torch

DEVICES = ("cuda", "mps", "cpu")
SIZES = ("small", "full")
AMP_MODES = ("auto", "off", "bfloat16", "float16")


def _mps_available():
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def pick_device(prefer=None):
    """Return the `torch.device` to compute on: `prefer` (a name or a device), $COURSE_DEVICE, or the best.

    Order of preference when nothing is forced: cuda, mps, cpu. A forced device that this
    machine does not have raises `RuntimeError` naming what is available.

    When the CPU is chosen, torch's thread count is set to $COURSE_THREADS (default 1): the
    course's models are small, so a second thread gains little and costs much on a busy machine,
    and one thread gives the same numbers on every machine, whatever its core count.
    """
    device = _choose_device(prefer)
    if device.type == "cpu":
        torch.set_num_threads(cpu_threads())
    return device


def cpu_threads():
    """Threads for torch on the CPU: $COURSE_THREADS (a positive integer), default 1."""
    value = os.environ.get("COURSE_THREADS", "1")
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"COURSE_THREADS must be a positive integer, got {value!r}")
    return int(value)


def _choose_device(prefer):
    """The device of pick_device(prefer), without side effects."""
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


def _device(device):
    """`device` as a torch.device; None means `pick_device()`."""
    return torch.device(device) if device is not None else pick_device()


def autocast_dtype(device=None):
    """The dtype `autocast` computes in on `device`, or None for plain float32.

    Default ($COURSE_AMP unset or "auto"): bfloat16 on a CUDA GPU that supports it (Ampere and
    newer: float32's range, no loss scaling needed), else float16 on CUDA; None on cpu and mps
    (float32: CPUs without bfloat16 units run autocast slower, and the notebooks' CPU budgets are
    measured in float32). "off" always gives None;
    "bfloat16" or "float16" force that dtype on any device (CPU autocast supports both).
    """
    mode = os.environ.get("COURSE_AMP") or "auto"
    if mode not in AMP_MODES:
        raise ValueError(f"COURSE_AMP must be one of {AMP_MODES}, got {mode!r}")
    if mode == "off":
        return None
    if mode != "auto":
        return getattr(torch, mode)
    if _device(device).type != "cuda":
        return None
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def autocast(device=None):
    """A context manager running its block in mixed precision on `device` (see `autocast_dtype`).

    It is `torch.autocast(device.type, dtype)` when `autocast_dtype(device)` is a dtype, and a
    context that changes nothing otherwise, so `with autocast(device): loss = ...` runs anywhere.
    Wrap the forward pass and the loss only, not `backward()` or the optimizer step.
    """
    device = _device(device)
    dtype = autocast_dtype(device)
    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(device_type=device.type, dtype=dtype)


def grad_scaler(device=None):
    """A `torch.amp.GradScaler`, enabled only when `autocast` runs in float16 on CUDA.

    float16 gradients underflow without loss scaling; bfloat16 and float32 need none. A disabled
    scaler passes through: `scaler.scale(loss)` is `loss` and `scaler.step(opt)` is `opt.step()`.
    """
    device = _device(device)
    enabled = device.type == "cuda" and autocast_dtype(device) == torch.float16
    return torch.amp.GradScaler("cuda" if device.type == "cuda" else "cpu", enabled=enabled)


def memory_format(device=None):
    """`torch.channels_last` where it helps convolutions (cuda: tensor cores work in NHWC), else
    `torch.contiguous_format`. $COURSE_CHANNELS_LAST ("1" or "0") overrides."""
    forced = os.environ.get("COURSE_CHANNELS_LAST")
    if forced:
        if forced not in ("0", "1"):
            raise ValueError(f"COURSE_CHANNELS_LAST must be '0' or '1', got {forced!r}")
        on = forced == "1"
    else:
        on = _device(device).type == "cuda"
    return torch.channels_last if on else torch.contiguous_format


def describe(device=None):
    """One line for a notebook's first cell: device, size knob, autocast dtype, memory format."""
    device = _device(device)
    dtype = autocast_dtype(device)
    layout = "channels_last" if memory_format(device) == torch.channels_last else "contiguous"
    amp = str(dtype).removeprefix("torch.") if dtype is not None else "off"
    return (f"computing on {device.type} | size knob: {size_knob(device)} | autocast: {amp} | "
            f"memory format: {layout}")


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
