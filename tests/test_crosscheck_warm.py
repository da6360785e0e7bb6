"""The crosscheck's warm process (tools/crosscheck_warm.py, tools/crosscheck_forkserver.py): a
child of it computes what a fresh process computes, one submission's child cannot reach the warm
process or the next submission's child, and a warm process that fails costs time, never a verdict."""

import os

import nbformat
import numpy as np
import pytest

from tools import crosscheck, crosscheck_warm
from tools.course import ROOT, notebooks
from tools.sandbox_kernel import check as sandbox_check

SEED = 20261124
ASSIGNMENTS = sorted(p.stem for p in crosscheck.PROBES.glob("[0-9]*.py"))

pytestmark = pytest.mark.skipif(not sandbox_check()[0], reason="bubblewrap sandbox unavailable")

# A submission's cell that tries what the warm process's docstring says it cannot do; it raises
# (a cell error of its run) if any of it works.
ATTACK = """
import fcntl, os, resource, signal, threading, time
for number in (signal.SIGTERM, signal.SIGINT, signal.SIGSTOP, signal.SIGKILL):
    os.kill(1, number)  # process 1 is the warm process: the kernel drops these
try:
    os.kill(-1, signal.SIGKILL)  # every process this one may signal but itself and process 1
    raise AssertionError("there was another process to signal")
except ProcessLookupError:
    pass
try:
    resource.prlimit(1, resource.RLIMIT_NOFILE, (16, 16))  # inherited by the next child
    raise AssertionError("the warm process's limits could be changed")
except PermissionError:
    pass
try:
    open("/proc/1/mem", "rb").read(1)
    raise AssertionError("the warm process's memory was readable")
except PermissionError:
    pass
try:
    pid = os.fork()
except PermissionError:
    pass
else:
    if pid == 0:
        os._exit(0)
    raise AssertionError("a child could fork")
workdir = open("/proc/1/cmdline", "rb").read().split(b"\\0")[-2].decode()
for folder in ("/tmp", "/dev/shm", workdir, os.getcwd()):
    open(os.path.join(folder, "left-behind"), "w").write("x")
    os.makedirs(os.path.join(folder, "locked", "deeper"))
    os.chmod(os.path.join(folder, "locked", "deeper"), 0)
    os.chmod(os.path.join(folder, "locked"), 0)
threading.Thread(target=time.sleep, args=(3600,)).start()
fcntl.fcntl(0, fcntl.F_SETFL, os.O_APPEND | os.O_NONBLOCK)  # on an open file description of its own?
os.chmod("/tmp", 0)
"""

# Pins the warm process to one CPU, after a nice value it may not set, and renices its session's
# scheduler autogroup where it may (as root).
PIN = """
import os
try:
    os.setpriority(os.PRIO_PROCESS, 1, 19)
    raise AssertionError("the warm process's nice value could be changed")
except PermissionError:
    pass
os.sched_setaffinity(1, {min(os.sched_getaffinity(1))})
try:
    open("/proc/self/autogroup", "w").write("19")
except OSError:
    pass
"""

# The next submission's cell: raises if anything of the ATTACK is left.
LOOK = """
import fcntl, os, stat
assert not fcntl.fcntl(0, fcntl.F_GETFL) & (os.O_APPEND | os.O_NONBLOCK)
workdir = open("/proc/1/cmdline", "rb").read().split(b"\\0")[-2].decode()
left = [p for p in ("/tmp/left-behind", "/tmp/locked", "/dev/shm/left-behind", "/dev/shm/locked")
        if os.path.lexists(p)] + os.listdir(workdir)
assert not left and stat.S_IMODE(os.stat("/tmp").st_mode) == 0o1777, left
"""


def source_with(assignment, tmp_path, name, cell):
    """The source notebook of `assignment` with `cell` (code) inserted as its third cell, written
    to tmp_path/name; return the path."""
    (source,) = notebooks(ROOT, assignment, "source")
    notebook = nbformat.read(source, as_version=4)
    notebook.cells.insert(2, nbformat.v4.new_code_cell(cell))
    nbformat.write(notebook, tmp_path / name)
    return tmp_path / name


def assert_same(warm, fresh):
    assert sorted(warm) == sorted(fresh)
    for key, value in fresh.items():
        assert warm[key].dtype == value.dtype and warm[key].shape == value.shape, key
        assert np.array_equal(warm[key], value, equal_nan=value.dtype.kind in "fc"), key


def test_warm_children_compute_what_fresh_processes_compute():
    """Every assignment's reference, twice in one warm process: exactly the fresh process's
    arrays (03's random answers included: a child draws as a fresh process does)."""
    with crosscheck_warm.warm_processes():
        for assignment in ASSIGNMENTS:
            _probes, _mapping, plan = crosscheck.assignment_setup(ROOT, assignment)
            (source,) = notebooks(ROOT, assignment, "source")
            fresh = crosscheck.reference_arrays(ROOT, assignment, SEED)
            for _ in range(2):
                warm, problem = crosscheck.run_probes_warm(source, assignment, SEED, plan)
                assert problem is None, (assignment, problem)
                assert_same(warm, fresh)
        scope = crosscheck_warm._scope
        assert len(scope.processes) == 1 and not scope.failures  # it was warm, all along


def test_a_submission_cannot_reach_the_warm_process_or_the_next_submission(tmp_path):
    assignment = "01_norm_layers"
    _probes, _mapping, plan = crosscheck.assignment_setup(ROOT, assignment)
    attack, look = (source_with(assignment, tmp_path, name, cell)
                    for name, cell in (("attack.ipynb", ATTACK), ("look.ipynb", LOOK)))
    with crosscheck_warm.warm_processes():
        attacked, problem = crosscheck.run_probes_warm(attack, assignment, SEED, plan)
        errors = str(attacked["__cells__/errors"])
        assert problem is None and "cell 2:" not in errors, errors
        scope = crosscheck_warm._scope
        (process,) = scope.processes.values()
        looked, problem = crosscheck.run_probes_warm(look, assignment, SEED, plan)
        assert problem is None and str(looked["__cells__/errors"]) == "", looked["__cells__/errors"]
        assert scope.processes == {next(iter(scope.processes)): process} and not scope.failures
    assert_same(looked, crosscheck.reference_arrays(ROOT, assignment, SEED))


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one CPU: no affinity to change")
def test_a_job_that_changed_what_the_next_child_inherits_retires_its_warm_process(tmp_path):
    """A process of the same user may pin another one to a CPU (a nice value or limits it may not:
    the filter): the warm process sees it after the job, answers for the job and ends, so that no
    later child inherits it; the next job gets a new warm process, and no failure is counted. The
    autogroup a child may renice is its sandbox's, never the grader's."""
    assignment = "01_norm_layers"
    _probes, _mapping, plan = crosscheck.assignment_setup(ROOT, assignment)
    pin = source_with(assignment, tmp_path, "pin.ipynb", PIN)
    (source,) = notebooks(ROOT, assignment, "source")
    with open("/proc/self/autogroup") as group:
        ours = group.read()
    with crosscheck_warm.warm_processes():
        pinned, problem = crosscheck.run_probes_warm(pin, assignment, SEED, plan)
        errors = str(pinned["__cells__/errors"])
        assert problem is None and "cell 2:" not in errors, errors
        scope = crosscheck_warm._scope
        assert scope.processes == {} and not any(scope.failures.values())  # retired, not failed
        with open("/proc/self/autogroup") as group:
            assert group.read() == ours  # the sandbox's session is its own
        arrays, problem = crosscheck.run_probes_warm(source, assignment, SEED, plan)
        assert len(scope.processes) == 1 and not any(scope.failures.values())
    assert problem is None
    assert_same(arrays, crosscheck.reference_arrays(ROOT, assignment, SEED))


def test_a_failing_warm_process_leaves_the_job_to_a_fresh_one(monkeypatch):
    assignment = "01_norm_layers"
    (source,) = notebooks(ROOT, assignment, "source")

    def broken(self, *args):
        raise crosscheck_warm.WarmFailed("no answer from the warm process")

    with crosscheck_warm.warm_processes():
        monkeypatch.setattr(crosscheck_warm.WarmProcess, "run", broken)
        assert crosscheck.cell_verdicts(ROOT, assignment, source, SEED) == ({}, {})
        scope = crosscheck_warm._scope
        assert (scope.processes, list(scope.failures.values())) == ({}, [1])


def test_a_warm_verdict_that_would_cost_points_is_taken_from_a_fresh_process(monkeypatch):
    """Whatever a warm process got wrong (here: it says every probe failed) costs the reference
    nothing: the cells at stake are judged again in a fresh process; cells not at stake keep the
    warm verdict."""
    assignment = "01_norm_layers"
    (source,) = notebooks(ROOT, assignment, "source")
    monkeypatch.setattr(crosscheck, "run_probes_warm", lambda *args: ({}, "a fault of the warm process"))
    assert crosscheck.cell_verdicts(ROOT, assignment, source, SEED) == ({}, {})
    verdicts, undecided = crosscheck.cell_verdicts(ROOT, assignment, source, SEED, at_stake=[])
    assert not verdicts and undecided and all("a fault of the warm process" in v for v in undecided.values())


def test_outside_warm_processes_every_job_runs_in_a_fresh_process(tmp_path):
    assert crosscheck_warm.run_warm(lambda: pytest.fail("started a warm process"), [], tmp_path / "out",
                                    SEED, 1, 1) is None
