"""Writing over files outside the submission folder. The kernel appends a marker to the course's
source notebook, config and gradebook, to the `utils` package every kernel imports (an always-true
check would pass later students), to the other submissions, and plants symlinks and files in its
own folder for nbgrader to follow; then solves nothing."""

from tests.adversarial.harness import MARKER, insert_code

ASSIGNMENT = "01_norm_layers"
STATUSES = {"graded"}
HONEST_CELLS = set()

CODE = r'''
import glob, os, sys
import utils, utils.checks
MARKER = %r
here = os.getcwd()
course = os.path.abspath(os.path.join(here, "..", "..", ".."))
repo = os.path.dirname(os.path.dirname(os.path.abspath(utils.__file__)))
targets = [utils.checks.__file__, utils.__file__, os.path.join(sys.prefix, "pyvenv.cfg")]
for root in (course, repo):
    for pattern in ("source/*/*.ipynb", "release/*/*.ipynb", "gradebook.db", "nbgrader_config.py",
                    "submitted/*/*/*.ipynb", "autograded/*/*/*.ipynb", "tools/*.py"):
        targets += glob.glob(os.path.join(root, pattern))
for path in targets + [os.path.join(course, MARKER), os.path.join(repo, "utils", MARKER + ".py")]:
    if os.path.abspath(path).startswith(here + os.sep):
        continue
    try:
        with open(path, "a") as handle:
            handle.write("\n# " + MARKER + "\n")
        print("WROTE", path)
    except OSError as error:
        print("cannot write", path, error.strerror)
for name, target in (("link-source", os.path.join(course, "source")), ("link-config",
                     os.path.join(course, "nbgrader_config.py"))):
    try:
        os.symlink(target, name)
    except OSError as error:
        print("cannot symlink", name, error.strerror)
try:
    os.remove("norm_layers.ipynb")
    os.symlink(os.path.join(course, "nbgrader_config.py"), "norm_layers.ipynb")
except OSError as error:
    print("cannot replace the notebook", error.strerror)
''' % MARKER


def build(release, source):
    return insert_code(release, 2, CODE)
