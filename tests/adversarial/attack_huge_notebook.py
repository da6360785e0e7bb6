"""A notebook file of 80 MB (sparse: cheap to make, costly to read and parse for every tool that
opens it). The intake reads no file over its size limit: not graded, said in the notes."""

ASSIGNMENT = "01_norm_layers"
STATUSES = {"malformed"}
HONEST_CELLS = set()
NOTES = ["norm_layers.ipynb (larger than"]


def build(release, source):
    return None


def prepare(folder, root):
    with open(folder / "norm_layers.ipynb", "wb") as handle:
        handle.truncate(80 * 2**20)
