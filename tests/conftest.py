"""Shared fixtures: temporary course copies, regenerated and graded once per test session.

All grading of the session runs in one pool of worker processes, $COURSE_TEST_JOBS (default: the
number of cores) at a time (the jobs: tests/graded_batches.py), largest first: the adversarial
batch (`adversarial_batch`), the student copy's install (`student_course`, tests/student_env.py),
one shard per assignment under test (`graded_course`; the first assignment's also grades again
for the determinism tests) and the parallel-grading batch (`parallel_batch`). Only the jobs that
the selected tests use are run; `make test` prints when each started and how long it took. The
pool starts before the first test (`grading_jobs` is autouse) and the tests that wait for it run
last, so the rest of the suite runs meanwhile; the workers are processes started with the
session's environment, so what a test changes in this process (monkeypatch, os.environ) never
reaches a grading run.
"""

import json
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

from tests.course_harness import selected_assignments
from tools.course import ROOT

# The tiers: `make check` runs what is not marked; `make test` runs everything. A test file whose
# tests grade submissions in the sandbox, execute notebooks, install packages or drive a browser
# (minutes each) gets its tier's marker here, in one place (markers: pyproject.toml).
SLOW_FILES = {
    "test_grading.py": "grading", "test_adversarial.py": "grading", "test_crosscheck.py": "grading",
    "test_crosscheck_warm.py": "grading",
    "test_parallel_grading.py": "grading", "test_postgres_gradebook.py": "grading",
    "test_sandbox.py": "grading", "test_instructor_loop.py": "grading", "test_capped_execute.py": "grading",
    "test_visible_checks.py": "notebooks", "test_student_copy.py": "install", "test_lock.py": "install",
    "test_browser.py": "ui", "test_bench.py": "grading",
}


# The fixtures that wait for a job of the session's pool (see grading_jobs), in the order their
# jobs usually end: the student copy's install first, the parallel-grading batch last.
GRADED_BATCHES = ("student_course", "adversarial_batch", "graded_course", "parallel_batch")


def pytest_collection_modifyitems(items):
    """Mark each slow test with its tier (SLOW_FILES; notebooks executed by nbval: `notebooks`),
    then move the test files that wait for the graded batches to the end, whole (a file split in
    two would set up its module fixtures twice), those waiting for a job that ends early first:
    the rest of the suite runs while the batches are graded in the background (grading_jobs), and
    what is left to run once the last job has ended is as short as it can be."""
    waits = {}  # test file: 1 + the index in GRADED_BATCHES of the latest job it waits for
    for item in items:
        marker = "notebooks" if item.path.suffix == ".ipynb" else SLOW_FILES.get(item.path.name)
        if marker:
            item.add_marker(getattr(pytest.mark, marker))
        used = [1 + GRADED_BATCHES.index(name) for name in getattr(item, "fixturenames", ())
                if name in GRADED_BATCHES]
        waits[item.path] = max([waits.get(item.path, 0), *used])
    items.sort(key=lambda item: waits[item.path])


os.environ.setdefault("MPLBACKEND", "Agg")
# One crosscheck seed for the whole suite, so that a run can be repeated exactly (make grade draws one).
os.environ.setdefault("CROSSCHECK_SEED", "20261124")
for variable, folder in (("IPYTHONDIR", "ipython"), ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
                         ("MPLCONFIGDIR", "matplotlib")):
    os.environ.setdefault(variable, str(ROOT / ".cache" / folder))


class GradedCourse:
    """Graded temporary courses, one per assignment (tests/graded_batches.grade_shard): roots,
    nbgrader's logs, results, plan, the exit status of their feedback, and the rows graded again
    ({(student, assignment): Row}, see regrade_for_determinism)."""

    def __init__(self, shards):
        self.roots = {a: shard["root"] for a, shard in shards.items()}
        self.plan = {k: v for shard in shards.values() for k, v in shard["plan"].items()}
        self.logs = {a: shard["logs"].get(a, "") for a, shard in shards.items()}
        self.generate_errors = {a: shard["generate_error"] for a, shard in shards.items()}
        self.results = {(r.student, r.assignment): r for s in shards.values() for r in s["rows"]}
        self.feedback_status = {a: shard["feedback_status"] for a, shard in shards.items()}
        self.regraded = {(r.student, r.assignment): r for shard in shards.values()
                         for r in shard["regraded"].values()}


@pytest.fixture(scope="session", autouse=True)
def grading_jobs(request, tmp_path_factory):
    """{shard name: Future} of every grading job the selected tests need, run in one pool, started
    before the first test (autouse). A skipped test needs nothing (under GRADING_SANDBOX=off the
    adversarial tests skip themselves, so the attacks are not graded).

    Separate copies have separate gradebooks, so parallel nbgrader runs never share a database.
    """
    needed = {name for item in request.session.items if not item.get_closest_marker("skip")
              for name in getattr(item, "fixturenames", ())}
    from tests import graded_batches

    jobs = {}
    if "adversarial_batch" in needed:
        from tests.adversarial.harness import grade_adversarial

        jobs["adversarial"] = (grade_adversarial, tmp_path_factory.mktemp("course-adversarial"))
    if "student_course" in needed:
        from tests.student_env import build_and_install

        jobs["student"] = (build_and_install, tmp_path_factory.mktemp("student"))
    if "graded_course" in needed:
        from tests.course_harness import mutant_packs

        # Largest first (a shard grades about as many submissions as its assignment has mutant
        # packs, plus six), so that the pool's two last jobs end close together.
        first, *_ = selected = selected_assignments()
        for assignment in sorted(selected, key=lambda a: -len(mutant_packs(a))):
            jobs[assignment] = (graded_batches.grade_shard, tmp_path_factory.mktemp(f"course-{assignment}"),
                                assignment, assignment == first)
    if "parallel_batch" in needed:
        jobs["parallel"] = (graded_batches.grade_in_parallel, tmp_path_factory.mktemp("course-parallel"),
                            graded_batches.PARALLEL_ASSIGNMENT)
    if not jobs:
        yield {}
        return
    workers = int(os.environ.get("COURSE_TEST_JOBS", os.cpu_count() or 1))
    pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=multiprocessing.get_context("spawn"))
    log = request.config.stash[JOB_LOG] = tmp_path_factory.getbasetemp() / "grading-jobs.jsonl"
    request.config.stash[JOB_START] = time.time()
    yield {name: pool.submit(graded_batches.timed, log, name, *job) for name, job in jobs.items()}
    pool.shutdown(wait=True, cancel_futures=True)


JOB_LOG, JOB_START = pytest.StashKey(), pytest.StashKey()


def pytest_terminal_summary(terminalreporter, config):
    """The grading jobs' timeline (when each started, after the pool, and how long it took): where
    the end of `make test` waits (docs/performance.md)."""
    log = config.stash.get(JOB_LOG, None)
    if log is None or not log.exists():
        return
    terminalreporter.write_sep("=", "grading jobs (pool of grading workers)")
    for job in sorted(map(json.loads, log.read_text().splitlines()), key=lambda job: job["start"]):
        start, seconds = job["start"] - config.stash[JOB_START], job["seconds"]
        terminalreporter.write_line(f"{job['job']:>16}: started at {start:6.1f} s, took {seconds:6.1f} s, "
                                    f"ended at {start + seconds:6.1f} s")


@pytest.fixture(scope="session")
def graded_course(grading_jobs):
    """Every assignment under test graded in its own course copy, with the feedback of every graded
    student (tests/graded_batches.grade_shard; see grading_jobs)."""
    return GradedCourse({a: grading_jobs[a].result() for a in selected_assignments()})


@pytest.fixture(scope="session")
def parallel_batch(grading_jobs):
    """Submissions of one assignment graded and regraded with two workers (tests/graded_batches.py)."""
    return grading_jobs["parallel"].result()


@pytest.fixture(scope="session")
def adversarial_batch(grading_jobs):
    """The adversarial batch (tests/adversarial/harness.py), graded in the sandbox."""
    return grading_jobs["adversarial"].result()


@pytest.fixture(scope="session")
def student_course(grading_jobs):
    """The student copy of the course, unpacked and installed as its README says (tests/student_env.py),
    a job of the pool (see grading_jobs)."""
    return grading_jobs["student"].result()
