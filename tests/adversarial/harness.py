"""The adversarial batch: every tests/adversarial/attack_*.py graded with a clean reference.

An attack file is:

    \"\"\"One line naming the attack. Then what it tries.\"\"\"
    ASSIGNMENT = "01_norm_layers"
    STATUSES = {"tampered"}               # the report statuses that are right for this case
    HONEST_CELLS = {"layernorm1d_tests"}  # grade ids whose points the honest work in it may earn
    HONEST_CELLS_SCORE = True             # optional: those cells must earn their points
    STUDENT = "[a]lice"                   # optional: the student folder's name (default attack-<name>)
    NOTES = ["left out: "]                # optional: texts the row's notes must hold
    def build(release, source):           # fresh NotebookNode copies of the release and source
        \"\"\"Return the submission: a NotebookNode, a str written as the raw file, or None (no file).\"\"\"
    def prepare(folder, root):            # optional: add files (links, FIFOs...) to the submission
                                          # folder `folder` of the course copy `root`

Every attack of an assignment is one student (`attack-<name>`, or its STUDENT) of a single course
copy, graded by one real `make grade` run (tools.grade.grade_all: intake, `nbgrader autograde` in
the sandbox with ADVERSARIAL_JOBS workers, crosscheck) together with `reference`, the source notebook.
The copy's nbgrader_config.py gets a short per-cell timeout and the environment a small CPU-time
limit (ADVERSARIAL_LIMITS), so runaway loops end within seconds instead of minutes. Before and
after grading, the harness fingerprints what no submission may change: the course copy outside
`autograded/<attacker>/`, and the files of the repository's `utils` package (which the sandbox
binds read-only into every kernel).
"""

import hashlib
import importlib.util
import os
import time
from pathlib import Path

import nbformat

from tools import sandbox_kernel
from tools.course import ROOT, copy_course, notebooks, submit
from tools.grade import grade_all
from tools.notebook_model import answer_sources, fill_answers, grading_info, is_test_cell
from tools.release import generate

FOLDER = Path(__file__).resolve().parent
MARKER = "pwned-by-adversarial-suite"  # what the write attacks try to leave behind
# Short limits for the batch's course copy (the reference of 01 needs about 20 s of CPU, and no
# graded cell of it takes more than a few seconds).
ADVERSARIAL_TIMEOUT = 20  # seconds per cell (c.Execute.timeout)
ADVERSARIAL_LIMITS = {"SANDBOX_CPU_SECONDS": "60", "SANDBOX_MEMORY_MB": "6144",
                      "SANDBOX_WALL_SECONDS": "180"}  # a notebook of sleeping cells ends at 3 min
ADVERSARIAL_JOBS = 2  # grading workers: parallel grading is attacked too (exclusion lists, ids)


def attack_files(folder=FOLDER):
    """Every attack_*.py in `folder`, sorted."""
    return sorted(Path(folder).glob("attack_*.py"))


def load_attack(path):
    """The attack module at `path`, checked for the file format above."""
    spec = importlib.util.spec_from_file_location(f"adversarial_{Path(path).stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    missing = [n for n in ("ASSIGNMENT", "STATUSES", "HONEST_CELLS", "build") if not hasattr(module, n)]
    if missing or not (module.__doc__ or "").strip():
        raise ValueError(f"{path}: an attack needs a docstring and {missing}")
    return module


def student_of(path, module=None):
    """The student folder of the attack at `path`: its STUDENT, or attack-<name>."""
    default = "attack-" + Path(path).stem[len("attack_"):].replace("_", "-")
    return getattr(module, "STUDENT", default) if module is not None else default


def read_pair(root, assignment):
    """Fresh (release, source) NotebookNodes of `assignment` in course `root`."""
    (release,) = notebooks(root, assignment, "release")
    (source,) = notebooks(root, assignment, "source")
    return nbformat.read(release, as_version=4), nbformat.read(source, as_version=4)


# --- Helpers for attack files ---------------------------------------------------------------------

def solve(release, source, grade_ids):
    """Fill the release's solution cells named in `grade_ids` from the source (in place); return it."""
    return fill_answers(release, answer_sources(source), grade_ids)


def blank_test_cells(notebook, edit=None):
    """Set every test cell's source to `pass`, after edit(cell) if given (in place); return it."""
    for cell in [c for c in notebook.cells if is_test_cell(c)]:
        if edit is not None:
            edit(cell)
        cell.source = "pass"
    return notebook


def index_of(notebook, grade_id):
    """Index of the cell with this grade id."""
    return next(i for i, c in enumerate(notebook.cells) if grading_info(c).get("grade_id") == grade_id)


def insert_code(notebook, index, source):
    """Insert a plain code cell (not graded) at `index`; return the notebook."""
    notebook.cells.insert(index, nbformat.v4.new_code_cell(source))
    return notebook


def solution_code(source):
    """Every solution cell's source of the source notebook, joined (what a cheater wants)."""
    return "\n\n".join(answer_sources(source).values())


# --- Fingerprints ---------------------------------------------------------------------------------

def fingerprint(root, skip=()):
    """{relative path: sha256} of every file under `root`, except under the `skip` folders."""
    root = Path(root)
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(relative == s or s in relative.parents for s in map(Path, skip)):
            continue
        if path.is_symlink():
            found[str(relative)] = "symlink -> " + os.readlink(path)
        elif path.is_file():
            found[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def marker_files(folder):
    """Files under `folder` whose name or content holds MARKER."""
    hits = []
    for path in Path(folder).rglob("*"):
        if path.is_file() and not path.is_symlink():
            if MARKER in path.name or MARKER.encode() in path.read_bytes():
                hits.append(path)
    return hits


def course_fingerprint(root, attackers):
    """Fingerprint of the course copy minus what grading itself writes (gradebook, attackers' output)."""
    skip = ["gradebook.db", "gradebook.db-journal", ".cache", "feedback", "grades.csv"]
    skip += [f"autograded/{student}" for student in attackers]
    return fingerprint(root, skip)


class AdversarialBatch:
    """The graded batch: plan {student: attack file}, rows {student: row}, logs, fingerprints, seconds."""

    def __init__(self, root, plan, rows, logs, before, after, utils_before, utils_after, seconds,
                 generate_error):
        self.root, self.plan, self.logs, self.seconds = root, plan, logs, seconds
        self.rows = {r.student: r for r in rows}
        self.before, self.after = before, after
        self.utils_before, self.utils_after = utils_before, utils_after
        self.generate_error = generate_error


def grade_adversarial(root, assignment="01_norm_layers", folder=FOLDER):
    """Copy the course to `root`, submit the reference and every attack of `assignment`, grade once."""
    if sandbox_kernel.switched_off(sandbox_kernel.OPT_OUT):
        raise RuntimeError("GRADING_SANDBOX=off: the attacks are never graded without the sandbox")
    copy_course(root)
    root = Path(root)
    with (root / "nbgrader_config.py").open("a") as handle:
        # Read by nbgrader in its own process, whose environment the kernel launcher inherits.
        handle.write(f"\n# adversarial suite: short limits (tests/adversarial/harness.py)\n"
                     f"c.Execute.timeout = {ADVERSARIAL_TIMEOUT}\n"
                     f"os.environ.update({ADVERSARIAL_LIMITS!r})\n")
    generate_error = generate(root, assignment)
    plan = {}
    for path in attack_files(folder):
        module = load_attack(path)
        if module.ASSIGNMENT != assignment:
            continue
        release, source = read_pair(root, assignment)
        student = student_of(path, module)
        notebook = module.build(release, source)
        folder = root / "submitted" / student / assignment
        if notebook is not None:
            submit(root, student, assignment, notebook)
        folder.mkdir(parents=True, exist_ok=True)
        if hasattr(module, "prepare"):
            module.prepare(folder, root)
        plan[student] = path  # a path, not the module: the batch is graded in another process
    (source_path,) = notebooks(root, assignment, "source")
    submit(root, "reference", assignment, nbformat.read(source_path, as_version=4))
    before = course_fingerprint(root, plan)
    utils_before = fingerprint(ROOT / "utils")
    start = time.monotonic()
    rows, logs = grade_all(root, jobs=ADVERSARIAL_JOBS)
    seconds = time.monotonic() - start
    return AdversarialBatch(root, plan, rows, logs.get(assignment, ""), before,
                            course_fingerprint(root, plan), utils_before, fingerprint(ROOT / "utils"),
                            seconds, generate_error)
