"""Take reference definitions (solutions) out of a source notebook without running the notebook.

Only the solution cells run, in notebook order, in a fresh namespace that already holds the usual
imports (torch, nn, F, torchvision, v2, tv_tensors, math): no demonstration, no set-up cell with side
effects (such as `torch.set_num_threads`), no plotting.
"""

import math

import nbformat
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision import tv_tensors
from torchvision.transforms import v2

from tools.course import ROOT, notebooks
from tools.notebook_model import is_exercise

PREAMBLE = {"math": math, "torch": torch, "nn": nn, "F": F, "torchvision": torchvision,
            "tv_tensors": tv_tensors, "v2": v2}


def solution_cells(assignment, root=ROOT):
    """The sources of the solution cells of `assignment`'s source notebook, in order."""
    (path,) = notebooks(root, assignment, "source")
    notebook = nbformat.read(path, as_version=4)
    return [c.source for c in notebook.cells if is_exercise(c)]


def load_definitions(assignment, names, root=ROOT):
    """{name: object} for `names` defined by the solution cells of `assignment`'s source notebook.

    Raises KeyError naming what is missing (for example when an exercise was renamed).
    """
    namespace = {"__name__": f"bench_{assignment}", **PREAMBLE}
    for index, source in enumerate(solution_cells(assignment, root)):
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        exec(compile("\n".join(lines), f"<{assignment} solution cell {index}>", "exec"), namespace)
    missing = [n for n in names if n not in namespace]
    if missing:
        raise KeyError(f"{assignment}: the solution cells define no {missing}")
    return {n: namespace[n] for n in names}
