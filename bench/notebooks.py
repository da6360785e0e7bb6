"""Wall time of each source notebook run top to bottom (as nbval runs it), and of `make test`.

Notebooks run in a fresh `python3` kernel through nbclient, outside grading (NBGRADER_EXECUTION
unset, so the demonstrations run too), with the device and size knob that utils.env picks.
`make test` records its own wall time in .cache/bench/make_test.json (see bench.record); the row
reads that record, or runs `make test` first with `python -m bench --with-test`.
"""

import json
import os
import subprocess
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from bench.measure import load_average, row, unavailable
from tools.course import ROOT, assignments, notebooks

BUDGETS = {"04_transfer": 180, "05_yolo": 120, "06_rcnn_unet": 120}  # seconds on a 2-core CPU; others: 90
DEFAULT_BUDGET = 90
MAKE_TEST_BUDGET = 20 * 60  # the whole suite's target on a 2-core machine: under 20 minutes
MAKE_TEST_RECORD = ROOT / ".cache" / "bench" / "make_test.json"


def budget(assignment):
    """The CPU time budget of `assignment`'s notebook, in seconds."""
    return BUDGETS.get(assignment, DEFAULT_BUDGET)


def run_notebook(path, timeout=1200):
    """Execute the notebook at `path` in a fresh kernel; return the wall time in seconds."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(Path(path).parent)}})
    grading = os.environ.pop("NBGRADER_EXECUTION", None)  # the kernel inherits the environment
    try:
        start = time.perf_counter()
        client.execute()
        return time.perf_counter() - start
    finally:
        if grading is not None:
            os.environ["NBGRADER_EXECUTION"] = grading


def bench_notebooks(chosen=None):
    """One row per source notebook: seconds top to bottom against its budget."""
    rows = []
    for assignment in chosen or assignments(ROOT):
        (path,) = notebooks(ROOT, assignment, "source")
        before = load_average()
        try:
            seconds, error = run_notebook(path), ""
        except Exception as exc:  # noqa: BLE001 - a failing notebook is a row, not a crash
            last = (str(exc).strip().splitlines() or [""])[-1][:200]
            seconds, error = None, f"FAILED: {type(exc).__name__}: {last}"
        after = load_average()
        rows.append(row(f"notebook_{assignment}", f"notebook {assignment} top to bottom", seconds, "s",
                        target=budget(assignment), goal="<=",
                        note=error or f"load {before} -> {after}",
                        details={"load_before": before, "load_after": after}))
    return rows


def run_make_test():
    """Run `make test` (it records its own time); return its exit status."""
    return subprocess.run(["make", "test"], cwd=ROOT).returncode


def bench_make_test():
    """Row: the last recorded `make test` wall time (see bench.record), against 20 minutes."""
    name = "make test (whole suite), last recorded run"
    if not MAKE_TEST_RECORD.exists():
        return [unavailable("make_test", name, "s", MAKE_TEST_BUDGET, "<=",
                            note="not measured yet: run `make test` (it records its time) or "
                                 "`make bench BENCH=test` / `python -m bench --with-test`")]
    record = json.loads(MAKE_TEST_RECORD.read_text())
    note = (f"{record.get('finished', '?')}, exit {record.get('status')}, load {record.get('load_after')}, "
            f"commit {record.get('commit', '?')[:10]}")
    if record.get("assignments"):
        note += f", only {record['assignments']}"
    if record.get("status") != 0:
        note += "; the suite FAILED in that run"
    return [row("make_test", name, record.get("seconds"), "s", MAKE_TEST_BUDGET, "<=", note=note,
                details=record)]
