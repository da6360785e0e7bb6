"""Crosscheck: graded answers re-run outside the grading kernel, compared by a trusted process.

Why: hidden tests run in the grading kernel, after the student's own code, in the same
interpreter. Code in a submission can make them pass without solving anything: return an object
whose `__eq__` is always true, a tensor subclass that lies to `torch.allclose`, replace
`torch.allclose`, `torch.testing.assert_close` or `utils.checks.check_close` by no-ops, or install
an IPython input/AST transformer that blanks or rewrites the test cells before they run. None of
that can be detected from inside the kernel, so nbgrader's score alone is not trusted.

Design (what `review` does for each graded submission that scored points):

1. Probes. `tools/probes/<assignment>.py` (instructor-side; never shipped to students, never in
   `utils`) lists PROBES: Probe(exercise name, probe function, options) (probe_common.Probe). A
   probe gets the notebook's
   namespace and a seeded `torch.Generator`, builds fresh random inputs and edge cases (the same
   kinds the hidden tests use: shapes, eps, float64, in-place running statistics, gradients,
   train/eval mode, errors raised...), calls the exercise, and returns {key: value} of plain
   numbers / tensors / arrays. Options: `cells` (the test cells this probe speaks for; default:
   every test cell of the exercise), `rtol`, `atol`, `topic` (see 6), and `verify`: for answers
   that are random by design (03_augmentation: flips, crops, cutout draw their own numbers, so an
   honest answer need not match the reference draw for draw), a function run in the trusted
   parent on the plain arrays, verify(candidate, reference) -> None or a reason, which checks
   that the inputs are the reference's and that the outputs have the required properties (each
   crop is a window of the padded input, every offset occurs, same seed gives same result...).
2. Runner. A fresh `python -I` process in the bubblewrap sandbox of tools/sandbox_kernel.py
   (reused read-only: same read-only software, no course folder, no network, no subprocesses,
   rlimits; here with no writable host folder at all and a wall-clock timeout) sees only a private
   copy of the notebook, the probe module and the runner (RUNNER: tools/crosscheck_runner.py, with
   tools/module_file.py). It executes the
   notebook's code cells except the graded test cells (NBGRADER_EXECUTION is set, so demos are
   skipped; IPython syntax is converted with IPython's TransformerManager and magics are
   skipped: `get_ipython()` is a stub that only knows run_line_magic/run_cell_magic/system).
   Within tools.crosscheck_warm.warm_processes() (tools.grade), a candidate's runner is instead a
   child forked from a warm process of the same sandbox, which imported the libraries once per
   grading thread (tools/crosscheck_forkserver.py says why a child cannot reach it or the next
   child); the reference always runs in a fresh process.
   Each probe runs where the first test cell it speaks for stands, in the namespace as it is
   there (as the hidden tests would see it: a later redefinition does not count), with its own
   seed derived from the run's seed; cells after the last such test cell are not run. Results go through a
   conversion to numpy that ignores `__torch_function__` (a lying subclass shows its real data);
   anything that is not a numeric/bool numpy array is an error. The arrays are written with
   numpy.savez to a file descriptor saved before any cell ran; everything else the process
   prints goes to /dev/null.
3. Reference. The same runner on the source notebook with the same seed gives the reference
   arrays (once per assignment and seed, cached in this process). The seed is random per grading
   run (CROSSCHECK_SEED fixes it), so no submission can carry precomputed answers.
4. Comparison, in this (trusted) process, which student code never touched: the candidate file
   is read with a size cap and `numpy.load(allow_pickle=False)`; for each key of the reference,
   the candidate must have the same shape and dtype kind (bool, integer, float, complex; float32
   vs float64 matters) and values within |a - b| <= atol + rtol*|b| (NaN only where the reference
   has NaN, infinities equal). A missing key or an error is a failed probe. The results file
   is validated strictly before use (load_results: a zip of plain arrays, sizes and keys capped).
   The comparison's functions are in tools/crosscheck_compare.py.
5. Verdict. A test cell keeps nbgrader's points only if every probe speaking for it agrees.
   Otherwise the cell's grade in the gradebook gets a manual score of 0 (nbgrader's own
   `score` = manual score when set, so exports, the submission's total and the feedback agree),
   the row's cell is set to 0, a note "crosscheck: <exercise> <what> differs from the reference
   outside the kernel (...)" is added and the status becomes "tampered".
   Fail closed: when no verdict is reached (the reference or the candidate process timed out,
   crashed or wrote refused results; no single graded notebook), the points of the probed cells
   are withheld the same way and the status becomes "needs review" (a row already "tampered"
   stays so), with a note saying why.
6. Built-ins. Each probe runs under utils.shortcuts.forbid_builtins(topic): the probe's option
   `topic`, else the probe module's TOPIC (none when absent or None), from a private copy of
   utils/shortcuts.py loaded before any cell of the notebook runs: a notebook that neutralized
   forbid_builtins in the kernel (and calls the built-in its exercise teaches) fails the probe
   here. After each probe, canaries (probe_common) call built-ins of the topic looked up before
   the cells ran: if they no longer raise, the notebook undid forbid_builtins in this process
   too, and the probe fails.

What this does not claim: a submission whose code computes the right values in a clean process
(for instance with a built-in that no topic of utils.shortcuts forbids) agrees with the reference;
the crosscheck proves the answers are right on fresh inputs outside the kernel, not how they were
computed. Nor does it stop two submissions graded in the same run from colluding: the seed is the
run's, and sandboxes that run one after another share channels that no sandbox closes (which
pages of the shared read-only software are in the page cache, say), so a correct submission could
pass its probes' results to a wrong one; that is copying with extra steps, and a seed per
submission (a reference run per submission) would end it. Code inside the runner can also lie,
but only with values it cannot know without computing them correctly (the seed is fresh, the
reference is computed in another sandbox). The
forbid_builtins check has the limits of utils.shortcuts itself (a private copy of a built-in's
code, made by the notebook, is not recognized). The probe modules are not secret (a student could
guess them); they hold no solution. Cells run in the runner as in the kernel except the graded
test cells: an answer that depends on a name a test cell defined would fail there (no exercise in
the course does).

Cost: one sandboxed run per submission that scored points (the notebook's non-test cells in
grading mode up to the last test cell, the probes; in a fresh process, the torch import too), plus
one fresh run for the reference per assignment and grading run. Measured wall time of one run of
the reference notebook (torch 2.14.1, 2 cores), fresh / in a warm process: 01 2.4 / 0.15 s,
02 5.1 / 1.35 s (ResNet-18s built and run), 03 6.5 / 1.7 s, 04 5.7 / 1.5 s, 05 4.3 / 0.3 s,
06 4.4 / 0.4 s; a warm process takes about 4 s to start, once per grading thread.
CROSSCHECK=off disables the whole step (reported in every row's notes).
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from tools.course import ROOT, notebooks
from tools.crosscheck_compare import ERROR, MAX_BYTES, disagreements, load_results
from tools.module_file import load_module
from tools.notebook_model import exercise_cells
from tools.status import Status

PROBES = Path(__file__).resolve().parent / "probes"
COMMON_MODULE = "probe_common"  # tools/probes/probe_common.py: helpers the probe modules import
SHORTCUTS = ROOT / "utils" / "shortcuts.py"  # forbid_builtins, loaded by the runner (not secret)
TIMEOUT = int(os.environ.get("CROSSCHECK_TIMEOUT", "240"))  # wall-clock seconds per runner process
CPU_SECONDS = 240
CELL_SECONDS = 30  # per non-test cell (demos are skipped while grading): a runaway cell is cut short

# Copied into the sandbox and executed there as runner.py (see its docstring), with the module it imports.
RUNNER = Path(__file__).resolve().with_name("crosscheck_runner.py")
MODULE_FILE = Path(__file__).resolve().with_name("module_file.py")


# --- Probe modules ------------------------------------------------------------------------------

_LOADING = threading.Lock()  # grading workers (tools.grade --jobs N) are threads of one process


def load_probes(assignment, folder=PROBES):
    """The probe module's PROBES list [Probe(exercise, function, options)], or None when there is
    none; ValueError when an entry is not a probe_common.Probe."""
    path = Path(folder) / f"{assignment}.py"
    if not path.exists():
        return None
    with _LOADING:  # the probe module must import the probe_common loaded here, not another thread's
        common = load_module(COMMON_MODULE, Path(folder) / f"{COMMON_MODULE}.py")  # instructor code (trusted)
        probes = load_module(f"probes_{assignment}", path).PROBES
    wrong = [entry for entry in probes if not isinstance(entry, common.Probe)]
    if wrong:
        raise ValueError(f"{path}: PROBES entries must be probe_common.Probe(exercise, function, options), "
                         f"got {wrong[0]!r}")
    return probes


# --- Running in the sandbox ---------------------------------------------------------------------

def probe_settings(environ):
    """(environment, limits) of a probe process, sandboxed or not."""
    from tools import sandbox_kernel as sk

    limits = sk.read_limits(environ)
    limits.update(cpu=min(limits["cpu"], CPU_SECONDS), file=min(limits["file"], MAX_BYTES))
    environment = sk.kernel_environment(environ, [Path(sys.executable).parent])
    environment.update(NBGRADER_EXECUTION="autograde", MPLBACKEND="Agg", PYTHONHASHSEED="0")
    return environment, limits


def cells_of(probe, mapping):
    """Grade ids of the test cells `probe` speaks for: its option `cells`, else every test cell of
    its exercise in `mapping` ({exercise: [grade ids]}, tools.notebook_model.exercise_cells)."""
    return probe.options.get("cells") or mapping.get(probe.exercise, [])


def probe_plan(probes, mapping):
    """{grade id: [probe numbers]}: each probe runs where the first of its test cells is."""
    plan = {}
    for number, probe in enumerate(probes):
        for cell in cells_of(probe, mapping):
            plan.setdefault(cell, []).append(number)
    return plan


@contextlib.contextmanager
def probe_job(notebook, assignment, plan, folder):
    """([(name, path)] of a run's input files in the runner's order, path of its results file),
    in a temporary folder removed on exit."""
    with tempfile.TemporaryDirectory(prefix="crosscheck-") as tmp:
        (Path(tmp) / "plan.json").write_text(json.dumps(plan))
        yield ([("submission.ipynb", notebook), ("probe_common.py", Path(folder) / f"{COMMON_MODULE}.py"),
                ("probes.py", Path(folder) / f"{assignment}.py"), ("shortcuts.py", SHORTCUTS),
                ("plan.json", Path(tmp) / "plan.json")], Path(tmp) / "results.npz")


def outcome(ended, output):
    """(arrays, problem or None) of a run that ended as (exit status, timed out)."""
    status, timed_out = ended
    if timed_out:
        return {}, f"the probes did not finish within {TIMEOUT} s"
    if status != 0:
        return {}, f"the probe process ended with status {status}"
    return load_results(output)


def run_probes(notebook, assignment, seed, plan, folder=PROBES):
    """Run the probes of `assignment` on `notebook` (a path) in a fresh process in the sandbox.

    Return (arrays {key: ndarray}, problem or None). The arrays are whatever the process wrote,
    validated; `problem` says why there are none (timeout, crash, refused payload).
    The sandbox (tools.sandbox_kernel.SandboxSpec) is the grading kernel's with no writable host
    folder at all (the private folder is bound read-only) and `probe_settings`' environment and
    limits; under the sandbox's explicit opt-out (GRADING_SANDBOX=off, trusted notebooks only) the
    process runs unsandboxed with the same environment and limits.
    """
    with probe_job(notebook, assignment, plan, folder) as (inputs, output):
        return outcome(run_fresh(inputs, output, seed), output)


def run_probes_warm(notebook, assignment, seed, plan, folder=PROBES):
    """run_probes in a child of this thread's warm process (inside
    tools.crosscheck_warm.warm_processes(); same sandbox); None when there is none or it failed."""
    from tools import crosscheck_warm

    with probe_job(notebook, assignment, plan, folder) as (inputs, output):
        ended = crosscheck_warm.run_warm(start_warm_process, inputs, output, seed, CELL_SECONDS, TIMEOUT)
        return None if ended is None else outcome(ended, output)


def start_warm_process():
    """A tools.crosscheck_warm.WarmProcess with the runner's files, environment and limits."""
    from tools.crosscheck_warm import WarmProcess

    return WarmProcess([("runner.py", RUNNER), ("module_file.py", MODULE_FILE)], *probe_settings(os.environ))


def run_fresh(inputs, output, seed):
    """Run the runner on `inputs` [(name, path)] in a fresh process, the results written to the file
    `output`, its folders made beside it; return (exit status, timed out)."""
    from tools import sandbox_kernel as sk

    workdir, private = output.parent / "work", output.parent / "private"
    workdir.mkdir()
    private.mkdir()
    for name, path in [*inputs, ("runner.py", RUNNER), ("module_file.py", MODULE_FILE)]:
        shutil.copyfile(path, workdir / name)
    paths = {name: str(workdir / name) for name, _ in inputs}
    probe_files = os.pathsep.join([paths["probe_common.py"], paths["probes.py"], paths["shortcuts.py"]])
    argv = [sys.executable, "-I", str(workdir / "runner.py"), paths["submission.ipynb"], probe_files,
            paths["plan.json"], str(seed), str(CELL_SECONDS)]
    environment, limits = probe_settings(os.environ)
    spec = None
    if not sk.switched_off(sk.OPT_OUT):
        spec = sk.SandboxSpec.from_environment(workdir, private, private_writable=False)._replace(
            environment=environment, limits=limits)
    with output.open("wb") as out, spec.seccomp() if spec else contextlib.nullcontext(()) as fds:
        if spec is None:  # the opt-out: limits, no sandbox
            command = ["/usr/bin/env", "-i", *[f"{k}={v}" for k, v in environment.items()], *argv]
        else:
            command = spec.argv(argv, fds)
        cgroup = sk.tasks_bound(limits)  # as root: a pids cgroup (RLIMIT_NPROC is void)

        try:  # a session, so a scheduler autogroup, of its own: the notebook may renice its autogroup
            process = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.DEVNULL, timeout=TIMEOUT, start_new_session=True,
                                     preexec_fn=sk.sandbox_setup(limits, cgroup), pass_fds=fds)
        except subprocess.TimeoutExpired:
            return None, True
        finally:
            if cgroup is not None:
                cgroup.close()
    return process.returncode, False


# --- Verdicts -----------------------------------------------------------------------------------

_references = {}  # (source path, assignment, seed) -> arrays of the reference run


def run_seed():
    """The probes' seed for this grading run: CROSSCHECK_SEED, or fresh random."""
    fixed = os.environ.get("CROSSCHECK_SEED", "").strip()
    return int(fixed) if fixed else random.SystemRandom().randrange(2**31)


def assignment_setup(root, assignment):
    """(probes, {exercise: [grade ids]}, plan) of `assignment` in course `root`; probes None if none."""
    probes = load_probes(assignment)
    if not probes:
        return None, {}, {}
    (source,) = notebooks(root, assignment, "source")
    mapping = exercise_cells(nbformat.read(source, as_version=4))
    unknown = sorted({probe.exercise for probe in probes} - set(mapping))
    if unknown:
        raise ValueError(f"tools/probes/{assignment}.py probes {unknown}, which no solution cell defines")
    return probes, mapping, probe_plan(probes, mapping)


def reference_arrays(root, assignment, seed):
    """The reference run (the source notebook) of `assignment`, cached per seed."""
    (source,) = notebooks(root, assignment, "source")
    key = (str(source), assignment, seed)
    if key not in _references:
        _probes, _mapping, plan = assignment_setup(root, assignment)
        arrays, problem = run_probes(source, assignment, seed, plan)
        if problem:
            raise RuntimeError(f"crosscheck: the reference of {assignment} failed its probes: {problem}")
        _references[key] = arrays
    return _references[key]


def cell_verdicts(root, assignment, notebook, seed, at_stake=None):
    """({grade id: note} of the test cells whose probes disagree with the reference for `notebook`,
    {grade id: note} of the probed test cells on which no verdict was reached).

    No verdict: the probe process timed out, crashed or wrote results that were refused. Both
    empty when the assignment has no probe module. The candidate runs in a warm process when
    there is one (run_probes_warm); a verdict or no verdict on a cell `at_stake` (grade ids whose
    points it would cost; default: every cell) is only ever taken from a fresh process: then the
    candidate runs again in one, so that a fault of the warm process can cost time, not points.
    """
    probes, mapping, plan = assignment_setup(root, assignment)
    if not probes:
        return {}, {}
    reference = reference_arrays(root, assignment, seed)
    warm = run_probes_warm(notebook, assignment, seed, plan)
    if warm is not None:
        verdicts, undecided = judged(probes, mapping, reference, *warm)
        if not {*verdicts, *undecided} & set(probed_cells(probes, mapping) if at_stake is None else at_stake):
            return verdicts, undecided
    return judged(probes, mapping, reference, *run_probes(notebook, assignment, seed, plan))


def judged(probes, mapping, reference, candidate, problem):
    """cell_verdicts' answer for the candidate run (arrays, problem)."""
    if problem:
        return {}, {cell: f"{problem} (outside the kernel)" for cell in probed_cells(probes, mapping)}
    verdicts = {}
    by_name = {(probe.exercise, probe.function.__name__): probe for probe in probes}
    for (exercise, name), reason in disagreements(probes, reference, candidate).items():
        for cell in cells_of(by_name[(exercise, name)], mapping):
            verdicts.setdefault(cell, f"crosscheck: {exercise} ({name}) differs from the reference "
                                      f"outside the kernel: {reason}")
    return verdicts, {}


def probed_cells(probes, mapping):
    """Grade ids of the test cells some probe speaks for."""
    return sorted({cell for probe in probes for cell in cells_of(probe, mapping)})


def graded_notebook(root, assignment, student):
    """Path of the notebook nbgrader graded for `student` (the autograded copy of the staged one).

    nbgrader put the original test cells (and their metadata) back in it. Exactly that notebook,
    by the name tools.intake staged: never another file that happens to lie in the folder.
    """
    from tools.intake import staged_notebooks

    names = list(staged_notebooks(root, assignment, student))
    paths = [Path(root) / "autograded" / student / assignment / name for name in names]
    if len(paths) != 1 or not paths[0].is_file():
        raise RuntimeError(f"no single graded notebook of {student} (staged: {names})")
    return paths[0]


def withhold_in_gradebook(gradebook, submission, cells):
    """Give the test cells named in `cells` a manual score of 0 in the gradebook (nbgrader's score is
    then 0, in exports and feedback too)."""
    for notebook_entry in submission.notebooks:
        for grade in notebook_entry.grades:
            if grade.name in cells:
                grade.manual_score = 0.0
    if cells:
        gradebook.db.commit()


def review(root, assignment, student, gradebook, submission, row, seed=None):
    """Crosscheck one graded submission; update the gradebook and `row` (a tools.row.Row; see the
    module docstring).

    Only cells where nbgrader gave points are at stake: a submission without points is not run.
    Cells whose probes disagree lose their points (status `tampered`); cells on which no verdict
    was reached (the reference or the candidate run failed) have their points withheld (status
    `needs review`). `row.crosscheck` keeps every verdict, at stake or not: {grade id: note}.
    """
    from tools.sandbox_kernel import switched_off

    if switched_off("CROSSCHECK"):
        row.note("crosscheck disabled (CROSSCHECK=off)")
        return
    scored = [cell for cell, score in row.cells.items() if score > 0]  # the cells at stake
    if load_probes(assignment) is None or not scored:
        return
    seed = run_seed_for(root, assignment) if seed is None else seed
    try:
        notebook = graded_notebook(root, assignment, student)
        verdicts, undecided = cell_verdicts(root, assignment, notebook, seed, at_stake=scored)
    except Exception as error:  # noqa: BLE001 - no verdict at all: every cell's points are withheld
        reason = f"{type(error).__name__}: {str(error)[:200]}"
        verdicts, undecided = {}, {cell: reason for cell in row.cells}
    row.crosscheck = {**{cell: "no verdict: " + note for cell, note in undecided.items()}, **verdicts}
    taken = [cell for cell in scored if cell in verdicts]
    withheld = [cell for cell in scored if cell in undecided and cell not in verdicts]
    withhold_in_gradebook(gradebook, submission, taken + withheld)
    row.withhold(taken, *(verdicts[cell] for cell in taken))
    if withheld:
        why = undecided[withheld[0]]
        row.withhold(withheld, f"crosscheck reached no verdict ({why}): the in-kernel points of "
                               f"{', '.join(withheld)} are withheld; look at the notebook, then regrade")
    if taken:
        row.status = Status.TAMPERED
    elif withheld and row.status != Status.TAMPERED:  # a tampered submission stays reported as such
        row.status = Status.NEEDS_REVIEW


_seeds = {}


def run_seed_for(root, assignment):
    """One seed per (course, assignment) in this process: the reference is computed once for it."""
    return _seeds.setdefault((str(Path(root).resolve()), assignment), run_seed())


def main(argv=None):
    """python -m tools crosscheck ASSIGNMENT NOTEBOOK [SEED]: print the verdicts (debugging)."""
    parser = argparse.ArgumentParser(prog="python -m tools crosscheck",
                                     description="Crosscheck one notebook; print the verdicts.")
    parser.add_argument("assignment", help="e.g. 01_norm_layers")
    parser.add_argument("notebook", help="a filled-in or graded notebook of that assignment")
    parser.add_argument("seed", nargs="?", type=int, help="the probes' seed (default: a fresh one)")
    args = parser.parse_args(argv)
    assignment, notebook = args.assignment, args.notebook
    seed = args.seed if args.seed is not None else run_seed()
    start = time.monotonic()
    reference = reference_arrays(ROOT, assignment, seed)
    middle = time.monotonic()
    verdicts, undecided = cell_verdicts(ROOT, assignment, notebook, seed)
    print(json.dumps({"no verdict": undecided, "seed": seed, "reference seconds": round(middle - start, 1),
                      "candidate seconds": round(time.monotonic() - middle, 1),
                      "reference errors": {k: str(v) for k, v in reference.items() if ERROR in k},
                      "verdicts": verdicts}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
