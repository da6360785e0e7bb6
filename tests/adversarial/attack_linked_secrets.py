"""Files beside the notebook that nbgrader would copy into the kernel's folder: symbolic links to
source/, gradebook.db, the crosscheck probes, /proc/self/environ and /dev/zero (a copy that fills
the disk), a hard link to the source notebook, a FIFO, a sparse 80 MB file and a folder. The
notebook reads whatever it finds in its folder and runs any solution in it. The intake copies the
notebook alone and names what it left out; the honest layernorm1d keeps its points."""

import os

from tests.adversarial.harness import insert_code, solve

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded"}
HONEST_CELLS = {"layernorm1d_tests"}
HONEST_CELLS_SCORE = True
NOTES = ["left out: ", "source.ipynb (symbolic link)", "environ (symbolic link)", "fifo (special file",
         "solutions.ipynb (a hard link to another file)", "big.ipynb (larger than"]

CODE = r'''
import json, os
read = 0
for name in sorted(os.listdir(".")):
    try:
        with open(name, "rb") as handle:
            data = handle.read(10**6)
    except OSError as error:
        print("cannot read", name, error.strerror)
        continue
    if name.endswith(".ipynb") and name != "norm_layers.ipynb":
        read += 1
        print("EXFILTRATED", name, data[:2000])
        for cell in json.loads(data)["cells"]:
            if "BEGIN SOLUTION" in "".join(cell["source"]):
                exec("".join(cell["source"]), globals())
print("files read:", read)
'''


def build(release, source):
    solve(release, source, {"layernorm1d"})
    return insert_code(release, 2, CODE)


def prepare(folder, root):
    links = {"source.ipynb": "../../../source/01_norm_layers/norm_layers.ipynb",
             "gradebook.db": "../../../gradebook.db", "probes.py": "../../../tools/probes/01_norm_layers.py",
             "environ": "/proc/self/environ", "zero.ipynb": "/dev/zero"}
    for name, target in links.items():
        (folder / name).symlink_to(target)
    os.link(root / "source" / ASSIGNMENT / "norm_layers.ipynb", folder / "solutions.ipynb")
    os.mkfifo(folder / "fifo")
    with open(folder / "big.ipynb", "wb") as handle:
        handle.truncate(80 * 2**20)
    (folder / "data").mkdir()
