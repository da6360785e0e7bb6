"""The crosscheck's runner: runs a notebook's cells and the probes in the grading sandbox.

Copied into the sandbox's working folder and executed there (tools/crosscheck.py, run_probes) as

    python -I runner.py NOTEBOOK COMMON:PROBES:SHORTCUTS PLAN SEED CELL_SECONDS

or imported by the crosscheck's warm process (tools/crosscheck_forkserver.py), whose child for a
submission calls main(argv, results file descriptor) with its descriptors 1 and 2 on /dev/null.
It runs the notebook's code cells in order, in one namespace, each cut short after CELL_SECONDS;
a graded test cell never runs: the probes of its exercise (PLAN: {grade id: [probe numbers]}) run at
its place instead, each under utils.shortcuts.forbid_builtins of its topic (from a private copy,
SHORTCUTS, loaded before any cell). It writes the probes' results, a zip of plain numpy arrays
(np.savez), to its standard output, and everything the notebook prints to /dev/null. Only the
standard library, numpy, torch and IPython are imported, and module_file.py (a copy of
tools/module_file.py, standard library only) from this file's folder: nothing of the course, and
nothing here is trusted by the parent except as data (tools.crosscheck.load_results checks it).
"""

import builtins
import json
import os
import signal
import sys


def redirect_output():
    """Send file descriptors 1 and 2 to /dev/null; return a private copy of the old 1 (the results')."""
    out = os.dup(1)
    os.set_inheritable(out, False)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    return out


if __name__ == "__main__":
    OUT = redirect_output()  # before the imports below: nothing imported may keep the real stdout

import io  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

# `python -I` leaves this file's folder off sys.path: it is there for this one import only, so that the
# notebook's imports resolve as in the grading kernel.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from module_file import load_module  # noqa: E402 (tools/module_file.py, copied next to this file)

del sys.path[0]

# Looked up before any cell runs: a notebook that patches them cannot change how results are read.
_numpy, _savez, _write, _asarray = torch.Tensor.numpy, np.savez, os.write, np.asarray
_detach, _cpu, _clone = torch.Tensor.detach, torch.Tensor.cpu, torch.Tensor.clone
_disable = torch._C.DisableTorchFunction


class CellTimeout(BaseException):
    """A cell ran past CELL_SECONDS (BaseException: a notebook's `except Exception` cannot keep it)."""


class Shell:
    """What notebooks may ask of get_ipython(): magics and shell commands are skipped."""

    def run_line_magic(self, *args, **kwargs):
        return None

    def run_cell_magic(self, *args, **kwargs):
        return None

    def system(self, *args, **kwargs):
        return None

    def getoutput(self, *args, **kwargs):
        return []


class NoTopic:
    """The context of a probe whose exercise forbids no built-in."""

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def cell_transformer():
    """IPython's transformation of a cell's source into Python (magics to calls), else identity."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except Exception:  # noqa: BLE001 (no IPython: cells are run as they are)
        return lambda source: source
    return TransformerManager().transform_cell


def to_array(value):
    """Plain numpy data of `value`, read past __torch_function__ (a lying subclass shows its data)."""
    if isinstance(value, torch.Tensor):
        with _disable():
            value = _numpy(_cpu(_clone(_detach(value))))
    array = _asarray(value)
    if array.dtype.kind not in "biufc":
        raise TypeError(f"a result of type {type(value).__name__} is not numeric data")
    return array


class Runner:
    """The notebook's namespace, the probes and their results."""

    def __init__(self, module_paths, plan, seed, cell_seconds):
        common_path, probes_path, shortcuts_path = module_paths.split(os.pathsep)
        common = load_module("probe_common", common_path)  # the helpers the probe module imports
        probes = load_module("probes", probes_path)
        self.probes, self.topic = probes.PROBES, getattr(probes, "TOPIC", None)
        # utils/shortcuts.py, a private copy loaded before any cell runs: whatever a cell later does
        # to the `utils.shortcuts` module, the probes run the exercises under the real forbid_builtins.
        shortcuts = load_module("_course_shortcuts", shortcuts_path)
        self.forbid, self.shortcut_error = shortcuts.forbid_builtins, shortcuts.ShortcutError
        topics = {self.topic, *(options.get("topic") for _e, _p, options in self.probes)}
        self.canaries = {topic: common.canaries(topic) for topic in topics if topic}
        self.refused = common.builtins_refused
        self.plan, self.seed, self.cell_seconds = plan, seed, cell_seconds
        self.namespace = {"__name__": "__main__", "__builtins__": builtins, "get_ipython": Shell,
                          "display": lambda *a, **k: None}
        self.results, self.done, self.cell_errors = {}, set(), []

    def run_probe(self, number):
        """Run probe `number` on the namespace as it is now; store its values or its error."""
        self.done.add(number)
        exercise, probe, options = self.probes[number]
        topic = options.get("topic", self.topic)
        prefix = f"{exercise}/{probe.__name__}/"
        try:
            probe_seed = (self.seed * 1000003 + number) % 2**62
            torch.manual_seed(probe_seed)
            generator = torch.Generator().manual_seed(probe_seed)
            with self.forbid(topic) if topic else NoTopic():
                values = probe(self.namespace, generator)
                if topic and not self.refused(self.canaries[topic], self.shortcut_error):
                    raise RuntimeError("the built-ins this exercise must not call were usable: "
                                       "forbid_builtins was undone by the notebook")
            for key, value in values.items():
                self.results[prefix + key] = to_array(value)
        except BaseException as error:  # noqa: BLE001 (whatever the notebook raises fails this probe)
            for key in [k for k in self.results if k.startswith(prefix)]:
                del self.results[key]
            self.results[prefix + "__error__"] = np.array(f"{type(error).__name__}: {str(error)[:300]}")

    def run_cells(self, cells):
        """Run the code cells in order; a test cell runs its exercise's probes instead."""
        transform = cell_transformer()
        for index, cell in enumerate(cells):
            if len(self.done) == len(self.probes):
                break  # the rest of the notebook cannot change any probe's result
            if cell.get("cell_type") != "code":
                continue
            info = cell.get("metadata", {}).get("nbgrader", {})
            if info.get("grade") and not info.get("solution"):  # mirrors tools.notebook_model.is_test_cell
                # A graded test cell never runs here; the probes of its exercise run at its place.
                for number in self.plan.get(str(info.get("grade_id")), []):
                    if number not in self.done:
                        self.run_probe(number)
                continue
            if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
                # The kernel interrupted this cell at the per-cell timeout: skip it here too, as a
                # mirror of the graded run (nbgrader cleared the outputs before running: they are real).
                self.cell_errors.append(f"cell {index}: skipped (timed out in the kernel)")
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            signal.alarm(self.cell_seconds)  # like the kernel's per-cell timeout
            try:
                exec(compile(transform(source), f"<cell {index}>", "exec"), self.namespace)
            except BaseException as error:  # noqa: BLE001 (a failing cell fails only the probes that need it)
                self.cell_errors.append(f"cell {index}: {type(error).__name__}")
            finally:
                signal.alarm(0)
        for number in range(len(self.probes)):
            if number not in self.done:
                self.run_probe(number)

    def write(self, fd):
        """Write the results (np.savez) to file descriptor `fd`."""
        self.results["__cells__/errors"] = np.array("; ".join(self.cell_errors)[:2000])
        buffer = io.BytesIO()
        _savez(buffer, **self.results)
        data = buffer.getvalue()
        while data:
            data = data[_write(fd, data):]


def main(argv, out):
    """Run the notebook and the probes as `argv` says (see the module docstring); write the results
    to file descriptor `out`."""
    notebook_path, module_paths, plan_path, seed, cell_seconds = argv
    with open(notebook_path) as file:
        cells = json.load(file)["cells"]
    with open(plan_path) as file:
        plan = json.load(file)  # {grade id: [probe numbers]}: probes run where their test cell is

    def on_alarm(signum, frame):
        raise CellTimeout(f"a cell ran past {cell_seconds} s")

    signal.signal(signal.SIGALRM, on_alarm)
    runner = Runner(module_paths, plan, int(seed), int(cell_seconds))
    runner.run_cells(cells)
    runner.write(out)


if __name__ == "__main__":
    main(sys.argv[1:], OUT)
