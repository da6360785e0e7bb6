"""Not an attack: an honest accident. The complete solutions saved as `norm_layers (1).ipynb` (a
browser's re-download), beside an empty `Untitled.ipynb`. It is graded as norm_layers.ipynb with
the note "renamed from ...", the empty file is named and left out: full marks, status graded."""

import nbformat

from tests.adversarial.harness import read_pair, solve
from tools.notebook_model import answer_sources

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded"}
HONEST_CELLS = {"layernorm1d_tests", "batchnorm1d_train_tests", "batchnorm1d_eval_tests",
                "layernorm2d_tests", "batchnorm2d_train_tests", "batchnorm2d_eval_tests", "groupnorm_tests",
                "batchnorm2d_module_tests"}
HONEST_CELLS_SCORE = True
NOTES = ["renamed from norm_layers (1).ipynb", "Untitled.ipynb (not a readable notebook)"]


def build(release, source):
    return None


def prepare(folder, root):
    release, source = read_pair(root, ASSIGNMENT)
    nbformat.write(solve(release, source, set(answer_sources(source))),
                   folder / "norm_layers (1).ipynb")
    (folder / "Untitled.ipynb").write_text("")
