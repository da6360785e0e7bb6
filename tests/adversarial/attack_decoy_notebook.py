"""A decoy notebook beside the graded one. `.a.ipynb` (a dot-file: nbgrader's `*.ipynb` ignore
glob misses it) holds correct code, and the crosscheck took the first notebook of the folder:
the decoy was checked while the graded notebook cheated in the kernel (an AST transformer and
answers of zeros). The intake leaves the decoy out; the crosscheck reads the graded notebook."""

import nbformat

from tests.adversarial.attack_ast_transformer import TRANSFORMER
from tests.adversarial.kernel_tricks import fake_answers, insert_after_imports

ASSIGNMENT = "01_norm_layers"
STATUSES = {"tampered"}
HONEST_CELLS = set()
NOTES = ["left out: .a.ipynb (another notebook)"]


def build(release, source):
    return insert_after_imports(fake_answers(release), TRANSFORMER)


def prepare(folder, root):
    nbformat.write(nbformat.read(root / "source" / ASSIGNMENT / "norm_layers.ipynb", as_version=4),
                   folder / ".a.ipynb")
