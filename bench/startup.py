"""Start-up costs: module imports, a Jupyter kernel, the nbgrader command line.

Import cost = wall time of a fresh `python -c "import M"` minus that of `python -c "pass"`, median
of interleaved repeats (the same subtraction for every module, so the figures add up). The
heaviest modules pulled in (from `python -X importtime`) are kept in the details. No targets:
these rows tell where start-up time goes (README, "Performance", has before/after figures).
"""

import subprocess
import sys

from bench.measure import interleaved, median, row
from tools.course import NBGRADER, ROOT, venv_environment

MODULES = ("torch", "torchvision", "utils.env", "utils.checks", "utils.train", "utils.data",
           "utils.detection_data", "utils.plot", "utils.pretrained")
#: What a notebook's first cell typically imports (05_yolo's), besides the kernel itself.
NOTEBOOK_IMPORTS = ("torch", "torchvision", "matplotlib.pyplot", "utils.checks", "utils.detection_data",
                    "utils.env", "utils.plot")


def python(code, *flags):
    return subprocess.run([sys.executable, *flags, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env=venv_environment())


def heaviest(code, count=6):
    """The `count` top-level packages whose own modules take longest to import for `code` (ms).

    Sums `python -X importtime`'s self times per top-level package (torch, sklearn, scipy, ...).
    """
    totals = {}
    for line in python(code, "-X", "importtime").stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        top = parts[2].strip().split(".")[0]
        totals[top] = totals.get(top, 0) + int(parts[0]) / 1000
    return {k: round(v) for k, v in sorted(totals.items(), key=lambda kv: -kv[1])[:count]}


def bench_imports(modules=MODULES, repeats=3):
    """Rows: seconds to import each module in a fresh interpreter (beyond Python's own start)."""
    codes = {"(python)": "pass", **{m: f"import {m}" for m in modules},
             "notebook imports": "import " + ", ".join(NOTEBOOK_IMPORTS)}
    seconds = interleaved({name: (lambda c=code: python(c)) for name, code in codes.items()},
                          repeats=repeats, warmup=1)
    base = median(seconds["(python)"])
    rows = []
    for name, code in codes.items():
        if name == "(python)":
            continue
        label = name if name == "notebook imports" else f"import {name}"
        note = "" if name != "notebook imports" else ", ".join(NOTEBOOK_IMPORTS)
        details = {"seconds": seconds[name], "python_alone": base,
                   "heaviest_ms": heaviest(code) if name.startswith(("utils", "notebook")) else {}}
        rows.append(row(f"import_{name.replace(' ', '_')}", label, median(seconds[name]) - base, "s",
                        note=note, details=details))
    return rows


def start_kernel():
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", cwd=str(ROOT), stderr=subprocess.DEVNULL)
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def bench_kernel(repeats=3):
    """Row: seconds from launching a python3 kernel to its first kernel_info reply."""
    seconds = interleaved({"kernel": start_kernel}, repeats=repeats, warmup=1)["kernel"]
    return [row("kernel_start", "Jupyter python3 kernel start-up", median(seconds), "s",
                details={"seconds": seconds})]


def bench_nbgrader(repeats=3):
    """Row: seconds for `nbgrader autograde --help` as tools.course.nbgrader starts it (imports
    nbgrader's apps, reads config)."""
    def run():
        result = subprocess.run([*NBGRADER, "autograde", "--help"], cwd=ROOT,
                                capture_output=True, text=True, env=venv_environment())
        if result.returncode:
            raise RuntimeError(result.stderr[-500:])
    seconds = interleaved({"nbgrader": run}, repeats=repeats, warmup=1)["nbgrader"]
    return [row("nbgrader_start", "nbgrader command-line start-up (autograde --help)", median(seconds), "s",
                details={"seconds": seconds})]
