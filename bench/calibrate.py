"""Which host measured a bench run, and how fast it is on a fixed workload.

`host()` names the machine (CPU model, cores, torch's CPU capability, BLAS threads); the calibration
row times one fixed CPU workload, a ResNet-18 forward and backward pass on a fixed batch in one
thread, so that every other time can be read as a multiple of it (`relative`): a figure of 300x on
one host and 300x on another is the same result, whatever their speed.
"""

import os
import platform
import time

import torch
import torchvision

from bench.measure import median, row, torch_threads
from utils.pixel_conv import one_pixel_convs_as_linear

# The workload is part of the definition of the unit: change it and older results no longer compare.
WORKLOAD = {"batch": 16, "size": 64, "threads": 1}
# Notebook 04's training step as the notebook runs it: at 16x16 the convolutions of layer3 and layer4
# have 1x1 outputs, computed as linear layers (utils.pixel_conv). Before that, oneDNN's kernel for
# them made 04 twice as slow with AVX2 as with AVX-512 while the calibration moved 1.2x (see
# docs/performance.md); this row keeps telling how fast 04's step is on a host without the notebook.
# (Its id is older than this workload: rows of it recorded before 2026-11-26 measured plain convolutions.)
SMALL_MAPS = {"batch": 32, "size": 16, "threads": 1}


def cpu_model():
    """The CPU's model name (Linux: /proc/cpuinfo), else what the platform module says."""
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_threads():
    """{library: threads} of the BLAS libraries loaded in this process (threadpoolctl), {} without it."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return {}
    return {info["internal_api"]: info["num_threads"] for info in threadpool_info()
            if info.get("user_api") == "blas"}


def host():
    """The facts that tell two hosts apart: CPU model, cores, torch's CPU capability, threads."""
    return {"cpu_model": cpu_model(), "cores": os.cpu_count(),
            "cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "torch_threads": torch.get_num_threads(), "blas_threads": blas_threads()}


def host_line(facts):
    """One line for the table's head, e.g. 'host: AMD EPYC 7B13, 2 cores, torch CPU capability AVX2, ...'."""
    blas = ", ".join(f"{name} {count}" for name, count in facts.get("blas_threads", {}).items()) or "-"
    return (f"host: {facts['cpu_model']}, {facts['cores']} cores, torch CPU capability "
            f"{facts['cpu_capability']}, torch threads {facts['torch_threads']}, BLAS threads {blas}")


def resnet_step_seconds(batch, size, repeats, warmup=1, prepare=None):
    """Seconds of each of `repeats` ResNet-18 forward+backward passes on one fixed batch of images
    [batch, 3, size, size] (after `warmup` untimed ones); `prepare(model)`, when given, changes the
    model first and returns it."""
    generator = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None, num_classes=10).train()
    if prepare is not None:
        model = prepare(model)
    x = torch.randn(batch, 3, size, size, generator=generator)
    y = torch.randint(0, 10, (batch,), generator=generator)
    seconds = []
    for k in range(warmup + repeats):
        start = time.perf_counter()
        model.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(x), y).backward()
        if k >= warmup:
            seconds.append(time.perf_counter() - start)
    return seconds


def bench_calibration(repeats=5, workload=None, small_maps=None):
    """[the calibration row, notebook 04's step]: median seconds of the fixed workloads (WORKLOAD and
    SMALL_MAPS unless given, for tests); the second is also given relative to the first."""
    facts = host()
    rows = []
    for ident, label, chosen, prepare, note in (
            ("calibration", "calibration: ResNet-18 fwd+bwd", {**WORKLOAD, **(workload or {})}, None,
             host_line(facts)),
            ("calibration_small_maps", "notebook 04's step: ResNet-18 fwd+bwd, 1x1 outputs as F.linear",
             {**SMALL_MAPS, **(small_maps or {})}, one_pixel_convs_as_linear,
             "1x1 feature maps in layer3 and layer4")):
        with torch_threads(chosen["threads"]):
            seconds = resnet_step_seconds(chosen["batch"], chosen["size"], repeats, prepare=prepare)
        size = f"{chosen['size']}x{chosen['size']}"
        name = f"{label}, batch {chosen['batch']} at {size}, {chosen['threads']} thread"
        rows.append(row(ident, name, median(seconds), "s", note=note,
                        details={"seconds": seconds, "workload": chosen, "host": facts}))
    return [rows[0], *relative(rows[1:], rows[0]["value"])]


def relative(rows, calibration):
    """Set `calibrated` (value / calibration seconds) on every row measured in seconds."""
    for r in rows:
        if r["unit"] == "s" and r["value"] is not None and calibration and r["id"] != "calibration":
            r["calibrated"] = round(r["value"] / calibration, 2)
    return rows
