"""The notebook as a symbolic link to the instructor's. nbgrader copied the submission with the
grader's rights, following links: the relative link ../../../source/01_norm_layers/norm_layers.ipynb
was graded as the source notebook, full marks. The intake reads regular files only: not graded."""

ASSIGNMENT = "01_norm_layers"
STATUSES = {"malformed"}
HONEST_CELLS = set()
NOTES = ["norm_layers.ipynb (symbolic link)"]


def build(release, source):
    return None


def prepare(folder, root):
    (folder / "norm_layers.ipynb").symlink_to("../../../source/01_norm_layers/norm_layers.ipynb")
