"""Grading kernels run in a bubblewrap sandbox (tools/sandbox_kernel.py).

The main proofs go through a real `nbgrader autograde` of notebook 01 in a temporary copy of the
course, with the grading-only kernelspec first on JUPYTER_PATH and the IPC settings of
nbgrader_config.py. Two submissions are graded in one batch: `alice`, the source
notebook (full marks: torch and utils import in the sandbox), and `mallory`, the same solutions
with attack cells before the last test cell (grading runs no cell after it). Mallory keeps her
full marks, that last test cell's included, and every attack fails: reading source/,
gradebook.db, tools/ or another student's folder; connecting to a server this test runs on the
host's 127.0.0.1; writing outside her folder, or leaving a symlink or FIFO in it for nbgrader to
follow when it writes the graded notebook; allocating past the memory limit (a MemoryError, and
the kernel lives on); starting a process; reading the grader's environment.
Faster tests start the sandboxed kernel with jupyter_client directly (interrupts, what it sees,
clean-up) or only look at the bwrap command line.
"""

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbgrader.api import Gradebook, MissingEntry

from tests.adversarial.attack_thread_flood import CODE as THREAD_FLOOD
from tools import sandbox_kernel
from tools.course import ROOT, copy_course, nbgrader_config, notebooks, submit, venv_environment
from tools.plugins.graded_cells_execute import last_graded_code_cell
from tools.release import generate

ASSIGNMENT = "01_norm_layers"
SECRET = "GRADER_SECRET_TOKEN"

try:
    sandbox_kernel.find_bwrap()
    BWRAP_MISSING = None
except sandbox_kernel.SandboxError as error:
    BWRAP_MISSING = str(error)
needs_bwrap = pytest.mark.skipif(BWRAP_MISSING is not None, reason=f"{BWRAP_MISSING}")

ATTACK_SETUP = '''
import json, os, resource, socket, subprocess, sys

def attempt(name, action):
    try:
        value = action()
    except Exception as error:
        outcome = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    else:
        outcome = {"ok": True, "value": value if isinstance(value, (list, int, str)) else repr(value)}
    print("ATTEMPT", json.dumps({"name": name, **outcome}))
'''
ATTACKS = [
    '''
attempt("read_repo_source", lambda: open(f"{REPO}/source/01_norm_layers/norm_layers.ipynb").read())
attempt("read_course_source", lambda: open(f"{COURSE}/source/01_norm_layers/norm_layers.ipynb").read())
attempt("read_course_gradebook", lambda: open(f"{COURSE}/gradebook.db", "rb").read(16))
attempt("read_repo_gradebook", lambda: open(f"{REPO}/gradebook.db", "rb").read(16))
attempt("read_repo_tools", lambda: open(f"{REPO}/tools/grade.py").read())
attempt("read_other_student", lambda: os.listdir(f"{COURSE}/autograded/alice/01_norm_layers"))
attempt("read_submitted", lambda: os.listdir(f"{COURSE}/submitted"))
attempt("list_course", lambda: sorted(os.listdir(COURSE)))
attempt("list_repo", lambda: sorted(os.listdir(REPO)))
''',
    '''
attempt("connect_host_loopback", lambda: socket.create_connection(("127.0.0.1", PORT), timeout=5).close())
attempt("connect_outside", lambda: socket.create_connection(("1.1.1.1", 53), timeout=5).close())
attempt("hostname", lambda: socket.gethostname())
''',
    '''
attempt("write_course", lambda: open(f"{COURSE}/pwned.txt", "w").write("x"))
attempt("write_course_autograded", lambda: open(f"{COURSE}/autograded/pwned.txt", "w").write("x"))
attempt("write_submitted",
        lambda: open(f"{COURSE}/submitted/mallory/{ASSIGNMENT}/norm_layers.ipynb", "w").write("{}"))
attempt("write_repo_utils", lambda: open(f"{REPO}/utils/pwned.py", "w").write("x"))
attempt("write_venv", lambda: open(f"{sys.prefix}/pwned.txt", "w").write("x"))
attempt("write_own_folder", lambda: open("own.txt", "w").write("mine"))
attempt("replace_notebook", lambda: os.remove("norm_layers.ipynb"))
attempt("plant_symlink", lambda: os.symlink(f"{COURSE}/victim.txt", "planted.txt"))
attempt("plant_fifo", lambda: os.mkfifo("fifo"))
attempt("write_tmp", lambda: open("/tmp/scratch.txt", "w").write("scratch"))
''',
    '''
attempt("subprocess", lambda: subprocess.run(["true"]).returncode)
attempt("secret_env", lambda: os.environ["GRADER_SECRET_TOKEN"])
attempt("memory_limit", lambda: resource.getrlimit(resource.RLIMIT_AS)[0])
attempt("vm_peak_kb", lambda: int(open("/proc/self/status").read().split("VmPeak:")[1].split()[0]))
attempt("torch_oversized", lambda: __import__("torch").empty(2**38, dtype=__import__("torch").uint8))
''',
    # Re-raised on purpose: nbgrader must record the MemoryError. The memory is let go first: a
    # kernel left at its limit may fail in its own threads (seen once in a dozen runs), which costs
    # the student the rest of the run but never the machine.
    '''
attempt("allocate_past_limit", lambda: len(bytes(resource.getrlimit(resource.RLIMIT_AS)[0] + 2**30)))
hog = []
try:
    while True:
        hog.append(bytes(256 * 2**20))
except MemoryError:
    hog = None
    raise
''',
    '''
del hog
attempt("alive_after_memory_error", lambda: "alive")
''',
]


class Server:
    """A TCP server on the host's 127.0.0.1 that counts the connections it accepts."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()


def attacker_notebook(course, port):
    """The source notebook of 01 (all solutions) with the attack cells before its last graded cell."""
    (path,) = notebooks(course, ASSIGNMENT, "source")
    notebook = nbformat.read(path, as_version=4)
    setup = f"REPO, COURSE, PORT, ASSIGNMENT = {str(ROOT)!r}, {str(course)!r}, {port}, {ASSIGNMENT!r}\n"
    last = last_graded_code_cell(notebook)  # grading runs no cell after it
    notebook.cells[last:last] = [nbformat.v4.new_code_cell(source.strip())
                                 for source in [setup + ATTACK_SETUP, *ATTACKS]]
    return notebook


def gradebook_scores(root, students):
    """{student: None (not graded) or (score, max_score, {grade_id: score})} from the gradebook."""
    found = {}
    with Gradebook(f"sqlite:///{Path(root) / 'gradebook.db'}") as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(ASSIGNMENT, student)
            except MissingEntry:
                found[student] = None
                continue
            # The test cells only: written answers (markdown) are graded by hand, not by the kernel.
            grades = [grade for notebook in submission.notebooks for grade in notebook.grades
                      if grade.max_score > 0 and grade.cell.cell_type == "code"]
            cells = {grade.name: float(grade.score) for grade in grades}
            found[student] = (sum(cells.values()), sum(float(grade.max_score) for grade in grades), cells)
    return found


def attempts(notebook):
    """{name: outcome} from the ATTEMPT lines printed by the attack cells.

    A cell's stdout is joined first: the kernel may flush one print in several stream outputs
    (seen under load: "ATTEMPT" in one, the rest of the line in the next)."""
    found = {}
    for cell in notebook.cells:
        stdout = "".join(output.get("text", "") for output in cell.get("outputs", [])
                         if output.get("name") == "stdout")
        for line in stdout.splitlines():
            if line.startswith("ATTEMPT "):
                outcome = json.loads(line[len("ATTEMPT "):])
                found[outcome.pop("name")] = outcome
    return found


class Graded:
    """The outcome of the sandboxed autograde batch."""

    def __init__(self, root, server, result, scores, seconds, submitted_before):
        self.root, self.server, self.result, self.seconds = root, server, result, seconds
        self.scores = scores
        self.submitted_before = submitted_before
        self.log = (result.stdout + result.stderr)[-4000:]
        path = root / "autograded" / "mallory" / ASSIGNMENT / "norm_layers.ipynb"
        self.notebook = nbformat.read(path, as_version=4) if path.exists() else None
        self.attempts = attempts(self.notebook) if self.notebook else {}

    def attempt(self, name):
        if name not in self.attempts:
            tried = [(cell.source[:60], cell.get("outputs", [])) for cell in self.notebook.cells
                     if "attempt(" in cell.source]
            raise AssertionError(f"no outcome for {name}; found {sorted(self.attempts)}; "
                                 f"attack cells: {tried}; nbgrader said:\n{self.log}")
        return self.attempts[name]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Copy the course, grade alice (reference) and mallory (reference + attacks) in the sandbox."""
    # Outside /tmp, like a real course: the sandbox's /tmp is a private tmpfs of its own.
    (ROOT / ".cache").mkdir(exist_ok=True)
    root = copy_course(tempfile.mkdtemp(prefix="test-sandbox-course-", dir=ROOT / ".cache"))
    server = None
    try:
        assert generate(root, ASSIGNMENT) is None
        server = Server()
        with socket.create_connection(("127.0.0.1", server.port), timeout=5):
            pass  # reachable from the host, so a failure inside the sandbox means something
        deadline = time.monotonic() + 5
        while server.accepted < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.accepted == 1
        server.accepted = 0
        (root / "victim.txt").write_text("victim")  # the target of a planted symlink
        (source,) = notebooks(root, ASSIGNMENT, "source")  # the copy: immune to edits in the repo
        submit(root, "alice", ASSIGNMENT, nbformat.read(source, as_version=4))
        submit(root, "mallory", ASSIGNMENT, attacker_notebook(root, server.port))
        submitted = root / "submitted" / "mallory" / ASSIGNMENT / "norm_layers.ipynb"
        before = submitted.read_bytes()
        spec_dir = tmp_path_factory.mktemp("grading-kernels")
        sandbox_kernel.install_kernelspec(spec_dir)
        env = sandbox_kernel.grading_environment(spec_dir, venv_environment())
        env[SECRET] = "s3cr3t-value"
        start = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT], cwd=root,
                                env=env, capture_output=True, text=True, timeout=900)
        seconds = time.monotonic() - start
        scores = gradebook_scores(root, ["alice", "mallory"])
        yield Graded(root, server, result, scores, seconds, before)
    finally:
        if server is not None:
            server.socket.close()
        shutil.rmtree(root, ignore_errors=True)


def full_marks(graded, student):
    assert graded.scores[student], f"{student} was not graded; nbgrader said:\n{graded.log}"
    score, max_score, cells = graded.scores[student]
    autograded = graded.root / "autograded" / student / ASSIGNMENT / "norm_layers.ipynb"
    assert autograded.exists(), f"no autograded notebook for {student}:\n{graded.log}"
    lost = {cell: points for cell, points in cells.items() if not points}
    assert score == max_score > 0, f"{student} lost points in {lost}:\n{graded.log}"


@needs_bwrap
def test_reference_submission_gets_full_marks_in_the_sandbox(graded):
    full_marks(graded, "alice")
    assert graded.attempt("hostname") == {"ok": True, "value": "grading-sandbox"}, "not sandboxed"


@needs_bwrap
def test_attack_cells_neither_gain_nor_lose_points(graded):
    full_marks(graded, "mallory")


@needs_bwrap
def test_graded_code_cannot_read_the_course(graded):
    for name in ("read_repo_source", "read_course_source", "read_course_gradebook",
                 "read_repo_gradebook", "read_repo_tools", "read_other_student", "read_submitted"):
        outcome = graded.attempt(name)
        assert not outcome["ok"], f"{name} succeeded in the sandbox: {outcome}"
    assert (graded.root / "autograded" / "alice" / ASSIGNMENT).is_dir()  # it exists on the host
    # The course folder exists inside only as the path to the submission's own folder.
    assert graded.attempt("list_course") == {"ok": True, "value": ["autograded"]}
    visible = set(graded.attempt("list_repo")["value"])  # .cache: this test's course lives there
    assert visible <= {".venv", "utils", ".cache"} and {".venv", "utils"} <= visible


@needs_bwrap
def test_graded_code_cannot_open_a_network_connection(graded):
    for name in ("connect_host_loopback", "connect_outside"):
        outcome = graded.attempt(name)
        assert not outcome["ok"], f"{name} succeeded in the sandbox: {outcome}"
    assert graded.server.accepted == 0


@needs_bwrap
def test_graded_code_cannot_write_outside_its_folder(graded):
    # A course below /tmp (a CI checkout there): the sandbox's /tmp is a private tmpfs in which bwrap
    # creates the parents of the kernel's folder, so writing to them succeeds there, in memory; the
    # host checks below prove that nothing reaches the real course.
    private_tmp = Path("/tmp") in graded.root.resolve().parents
    for name in ("write_course", "write_course_autograded", "write_submitted", "write_repo_utils",
                 "write_venv"):
        outcome = graded.attempt(name)
        if private_tmp and name in ("write_course", "write_course_autograded"):
            continue
        assert not outcome["ok"], f"{name} succeeded in the sandbox: {outcome}"
    assert not (graded.root / "pwned.txt").exists()
    assert not (graded.root / "autograded" / "pwned.txt").exists()
    assert not (ROOT / "utils" / "pwned.py").exists()
    submitted = graded.root / "submitted" / "mallory" / ASSIGNMENT / "norm_layers.ipynb"
    assert submitted.read_bytes() == graded.submitted_before
    # It may create files in its folder, in a tmpfs: nothing it writes reaches the host's folder,
    # where nbgrader, outside, writes the graded notebook and chmods every file afterwards.
    assert graded.attempt("write_own_folder")["ok"] and graded.attempt("write_tmp")["ok"]
    assert graded.attempt("plant_symlink")["ok"] and graded.attempt("plant_fifo")["ok"]
    assert not graded.attempt("replace_notebook")["ok"]
    folder = graded.root / "autograded" / "mallory" / ASSIGNMENT
    assert sorted(p.name for p in folder.iterdir()) == ["norm_layers.ipynb"]
    victim = graded.root / "victim.txt"
    assert victim.read_text() == "victim" and victim.stat().st_mode & 0o777 == 0o644
    assert not Path("/tmp/scratch.txt").exists() or Path("/tmp/scratch.txt").read_text() != "scratch"


@needs_bwrap
def test_memory_limit_raises_memory_error_and_the_kernel_lives_on(graded):
    limit = graded.attempt("memory_limit")["value"]
    assert limit == sandbox_kernel.read_limits()["memory"]
    errors = [output for cell in graded.notebook.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert [e["ename"] for e in errors] == ["MemoryError"], f"errors in the attack cells: {errors}"
    assert "MemoryError" in graded.attempt("torch_oversized")["error"] or \
        "can't allocate memory" in graded.attempt("torch_oversized")["error"]
    assert graded.attempt("allocate_past_limit")["error"].startswith("MemoryError")
    assert graded.attempt("alive_after_memory_error") == {"ok": True, "value": "alive"}


@needs_bwrap
def test_graded_code_starts_no_process_and_sees_no_secret(graded):
    assert graded.attempt("subprocess")["error"].startswith("PermissionError")
    assert graded.attempt("secret_env")["error"].startswith("KeyError")
    print(f"\nsandboxed autograde of 2 submissions: {graded.seconds:.1f} s")
    for name, outcome in graded.attempts.items():
        print(f"  {name:26} {outcome.get('error') or outcome.get('value')}"[:150])


# --- The kernel alone, through jupyter_client (what nbclient does inside nbgrader) ---------------

class Kernel:
    """A sandboxed kernel started like nbgrader starts it, with a helper to run code."""

    def __init__(self, spec_dir, workdir, ipc_dir, env=None):
        specs = KernelSpecManager(kernel_dirs=[str(spec_dir / "kernels")])
        self.manager = KernelManager(kernel_name="python3", kernel_spec_manager=specs,
                                     transport="ipc", ip=str(ipc_dir / "kernel"))
        self.manager.start_kernel(cwd=str(workdir), env={**os.environ, **(env or {})})
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=120)

    def run(self, code, timeout=60):
        """Return (stdout text, ename or None)."""
        text, error = [], []

        def hook(message):
            if message["msg_type"] == "stream":
                text.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                error.append(message["content"]["ename"])

        self.client.execute_interactive(code, output_hook=hook, timeout=timeout)
        return "".join(text), (error[0] if error else None)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    spec_dir = tmp_path_factory.mktemp("kernelspec")
    sandbox_kernel.install_kernelspec(spec_dir)
    workdir = tmp_path_factory.mktemp("submission")
    (workdir / "data.txt").write_text("shipped with the assignment")
    ipc_dir = tmp_path_factory.mktemp("ipc")
    (ipc_dir / "jpserver-1.json").write_text('{"token": "instructor-token"}')
    kernel = Kernel(spec_dir, workdir, ipc_dir)
    kernel.ipc_dir, kernel.workdir = ipc_dir, workdir
    yield kernel
    kernel.client.stop_channels()
    kernel.manager.shutdown_kernel(now=True)


@needs_bwrap
def test_interrupt_reaches_the_sandboxed_kernel(kernel):
    """nbgrader's Execute.interrupt_on_timeout sends SIGINT to the launcher's process group."""
    threading.Timer(2, kernel.manager.interrupt_kernel).start()
    start = time.monotonic()
    assert kernel.run("while True: pass", timeout=60) == ("", "KeyboardInterrupt")
    assert time.monotonic() - start < 30
    assert kernel.run("print('alive')") == ("alive\n", None)


@needs_bwrap
def test_kernel_sees_only_its_folder_and_private_files(kernel):
    marker = Path("/tmp") / f"host-marker-{os.getpid()}"
    marker.write_text("host")
    try:
        out, error = kernel.run(
            f"import json, os, threading\nmarker, ipc = {str(marker)!r}, {str(kernel.ipc_dir)!r}\n"
            "print(json.dumps([os.path.exists(marker), sorted(os.listdir(ipc))]))\n"
            "print(json.dumps(sorted(os.listdir('/'))))\n"
            "t = threading.Thread(target=print, args=('thread',)); t.start(); t.join()\n"
            "print(os.getcwd(), sorted(os.listdir('.')), open('data.txt').read())\n"
            "try:\n    open('data.txt', 'w')\nexcept OSError as e:\n    print(e.strerror)\n"
            "private = os.path.join(ipc, os.listdir(ipc)[0])\n"
            "try:\n    open(private + '/fill', 'w')\nexcept OSError as e:\n    print(e.strerror)\n")
    finally:
        marker.unlink()
    assert error is None
    lines = out.splitlines()
    seen_marker, runtime_listing = json.loads(lines[0])
    assert not seen_marker  # the host's /tmp is not the sandbox's
    assert len(runtime_listing) == 1 and runtime_listing[0].startswith("sandbox-")  # no tokens
    bound = [*sandbox_kernel.readonly_paths(), kernel.workdir, kernel.ipc_dir]
    bound_tops = {Path(path).parts[1] for path in bound}  # e.g. "work" or "check" for the clone
    assert set(json.loads(lines[1])) <= {"bin", "dev", "etc", "lib", "lib32", "lib64", "libx32",
                                         "proc", "root", "sbin", "tmp", "usr"} | bound_tops
    assert lines[2] == "thread"
    assert lines[3] == f"{kernel.workdir} ['data.txt'] shipped with the assignment"
    assert lines[4] == "Read-only file system"  # the submission's own files
    if os.geteuid() == 0:  # the folder of its sockets, once they exist
        assert lines[5] == "Permission denied"


@needs_bwrap
def test_private_folder_and_sockets_are_removed_when_the_kernel_is_killed(tmp_path):
    spec_dir, workdir, ipc_dir = tmp_path / "spec", tmp_path / "work", tmp_path / "ipc"
    workdir.mkdir()
    ipc_dir.mkdir()
    sandbox_kernel.install_kernelspec(spec_dir)
    kernel = Kernel(spec_dir, workdir, ipc_dir)
    names = sorted(p.name for p in ipc_dir.iterdir())
    assert len(names) == 6 and names[-1].startswith("sandbox-"), names  # 5 sockets, 1 folder
    assert all(sandbox_kernel.is_socket(ipc_dir / name) for name in names[:5])
    kernel.client.stop_channels()
    kernel.manager.shutdown_kernel(now=True)  # SIGKILL to the process group: no clean exit
    deadline = time.monotonic() + 10
    while list(ipc_dir.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not list(ipc_dir.iterdir())


@needs_bwrap
def test_file_size_and_cpu_time_limits_apply_to_the_kernel(tmp_path):
    spec_dir, workdir, ipc_dir = tmp_path / "spec", tmp_path / "work", tmp_path / "ipc"
    workdir.mkdir()
    ipc_dir.mkdir()
    sandbox_kernel.install_kernelspec(spec_dir)
    kernel = Kernel(spec_dir, workdir, ipc_dir, env={"SANDBOX_FILE_MB": "1", "SANDBOX_CPU_SECONDS": "5"})
    try:
        out, error = kernel.run("import os\ntry:\n    open('big', 'wb').write(bytes(2 * 2**20))\n"
                                "except OSError as e:\n    print(e.errno, os.path.getsize('big'))")
        assert (out, error) == (f"27 {2**20}\n", None)  # EFBIG (File too large) at 1 MiB
        assert not (workdir / "big").exists()  # and nothing reached the host's folder
        start = time.monotonic()
        kernel.client.execute("while True: pass")
        deadline = start + 60
        while kernel.manager.is_alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not kernel.manager.is_alive(), "the CPU-time limit did not stop the kernel"
        print(f"\nkernel stopped by the CPU limit {time.monotonic() - start:.1f} s into a busy loop")
    finally:
        kernel.client.stop_channels()
        kernel.manager.shutdown_kernel(now=True)


@needs_bwrap
def test_tasks_and_wall_clock_limits_hold_for_root_too(tmp_path):
    """Threads with tiny stacks stop at SANDBOX_TASKS (a pids cgroup as root, RLIMIT_NPROC
    otherwise), the kernel lives on, and a kernel that idles past SANDBOX_WALL_SECONDS is stopped."""
    spec_dir, workdir, ipc_dir = tmp_path / "spec", tmp_path / "work", tmp_path / "ipc"
    workdir.mkdir()
    ipc_dir.mkdir()
    sandbox_kernel.install_kernelspec(spec_dir)
    kernel = Kernel(spec_dir, workdir, ipc_dir, env={"SANDBOX_TASKS": "64", "SANDBOX_WALL_SECONDS": "40"})
    launcher, start = kernel.manager.provisioner.process.pid, time.monotonic()
    try:
        out, error = kernel.run(THREAD_FLOOD)  # tests/adversarial's thread flood, on a kernel of its own
        assert error is None and out.splitlines()[0] == "stopped: RuntimeError", out  # can't start new thread
        assert 0 < int(out.splitlines()[-1].removeprefix("threads started: ")) < 64, out
        assert kernel.run("print('alive')") == ("alive\n", None)
        kernel.client.execute("import time\ntime.sleep(600)")
        while kernel.manager.is_alive() and time.monotonic() < start + 120:
            time.sleep(0.5)
        assert not kernel.manager.is_alive(), "the wall-clock limit did not stop the kernel"
        assert time.monotonic() - start < 90
    finally:
        kernel.client.stop_channels()
        kernel.manager.shutdown_kernel(now=True)
    if os.geteuid() == 0:
        leftovers = [p for mount in sandbox_kernel.CGROUP_MOUNTS if mount.is_dir()
                     for p in mount.rglob(f"grading-sandbox-{launcher}-*")]
        assert not leftovers, leftovers


def test_grading_as_root_needs_a_pids_cgroup(monkeypatch):
    monkeypatch.setattr(sandbox_kernel, "CGROUP_MOUNTS", (Path("/nonexistent/cgroup"),))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    with pytest.raises(sandbox_kernel.SandboxError, match="pids cgroup"):
        sandbox_kernel.tasks_bound(sandbox_kernel.read_limits({}))


# --- The launcher's pieces, without starting a kernel --------------------------------------------

def test_nbgrader_config_talks_ipc_under_an_absolute_prefix():
    config = nbgrader_config(ROOT)
    assert config.KernelManager.transport == "ipc"
    assert os.path.isabs(config.KernelManager.ip) and str(os.getpid()) in config.KernelManager.ip


def test_autograde_runs_in_the_sandbox_or_refuses(tmp_path, monkeypatch):
    """tools.course.nbgrader gives autograde the grading kernelspec; without bwrap it refuses."""
    env = sandbox_kernel.sandboxed_environment(tmp_path, {"PATH": os.environ["PATH"]})
    assert env["JUPYTER_PATH"].split(os.pathsep)[0] == str(tmp_path / ".cache" / "grading-kernels")
    spec = json.loads((tmp_path / ".cache/grading-kernels/kernels/python3/kernel.json").read_text())
    assert spec["argv"][2].endswith("sandbox_kernel.py")
    missing = {"PATH": os.environ["PATH"], "SANDBOX_BWRAP": str(tmp_path / "no-bwrap")}
    with pytest.raises(sandbox_kernel.SandboxError, match="apt-get install bubblewrap"):
        sandbox_kernel.sandboxed_environment(tmp_path, missing)
    assert sandbox_kernel.sandboxed_environment(tmp_path, {**missing, "GRADING_SANDBOX": "off"}) == \
        {**missing, "GRADING_SANDBOX": "off"}
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(k["env"]))
    from tools.course import nbgrader

    nbgrader(tmp_path, "autograde", "x")
    nbgrader(tmp_path, "generate_feedback", "x")
    assert "grading-kernels" in calls[0].get("JUPYTER_PATH", "")
    assert "grading-kernels" not in calls[1].get("JUPYTER_PATH", "")


def test_kernelspec_is_used_only_with_the_grading_path(tmp_path, monkeypatch):
    sandbox_kernel.install_kernelspec(tmp_path)
    argv = json.loads((tmp_path / "kernels" / "python3" / "kernel.json").read_text())["argv"]
    assert argv == [sys.executable, "-I", str(ROOT / "tools" / "sandbox_kernel.py"), "-f",
                    "{connection_file}"]
    normal = KernelSpecManager().get_kernel_spec("python3").argv
    assert not any("sandbox_kernel" in arg for arg in normal)
    grading = sandbox_kernel.grading_environment(tmp_path, {"JUPYTER_PATH": "/elsewhere"})
    assert grading["JUPYTER_PATH"] == f"{tmp_path}{os.pathsep}/elsewhere"
    monkeypatch.setenv("JUPYTER_PATH", grading["JUPYTER_PATH"])
    assert KernelSpecManager().get_kernel_spec("python3").argv[2].endswith("sandbox_kernel.py")


def test_only_python_the_venv_and_utils_are_bound_read_only():
    readonly = sandbox_kernel.readonly_paths({})
    assert set(readonly) == {Path(sys.base_prefix), Path(sys.prefix), ROOT / "utils"} - {Path("/usr")}
    spec = sandbox_kernel.SandboxSpec(
        "bwrap", workdir=Path("/course/autograded/s/a"), private=Path("/tmp/p"), readonly=readonly,
        environment={"HOME": "/tmp"}, limits=sandbox_kernel.read_limits({}),
        entries=(("nb.ipynb", None), ("link", "/etc/passwd")))
    command = spec.argv(["python"], seccomp_fds=(3,))
    assert command[command.index("--seccomp") + 1] == "3" and command[-2:] == ["--", "python"]
    runs = [command[i:i + 3] for i in range(len(command))]
    assert ["--ro-bind", "/course/autograded/s/a/nb.ipynb", "/course/autograded/s/a/nb.ipynb"] in runs
    assert ["--symlink", "/etc/passwd", "/course/autograded/s/a/link"] in runs
    binds = [(command[i], command[i + 1]) for i, arg in enumerate(command)
             if arg in ("--bind", "--ro-bind", "--ro-bind-try")]
    writable = [command[i + 1] for i, arg in enumerate(command) if arg == "--bind"]
    assert writable == ["/tmp/p"]  # the working folder is a tmpfs with read-only entries
    locked = spec._replace(private_writable=False).argv(["python"])
    assert "--bind" not in locked and "--seccomp" not in locked  # a probe process: nothing writable
    assert command[command.index("/course/autograded/s/a") - 1] == "--tmpfs"
    sources = {source for _, source in binds}
    assert not any(s == str(ROOT) or s.startswith(str(ROOT / "source")) or "gradebook" in s
                   or s.startswith(str(ROOT / "tools")) or s.startswith(str(ROOT / "tests"))
                   for s in sources)
    for flag in ("--unshare-net", "--unshare-pid", "--unshare-user", "--disable-userns",
                 "--die-with-parent", "--clearenv"):
        assert flag in command
    assert command[command.index("--cap-drop") + 1] == "ALL"
    last_mount = max(i for i, arg in enumerate(command) if arg in ("--bind", "--ro-bind", "--tmpfs"))
    assert command.index("--remount-ro") > last_mount and "--new-session" not in command


def test_working_folder_entries_keep_symlinks_as_symlinks_and_skip_fifos(tmp_path):
    (tmp_path / "nb.ipynb").write_text("{}")
    (tmp_path / "data").mkdir()
    (tmp_path / "link").symlink_to(ROOT / "gradebook.db")
    os.mkfifo(tmp_path / "fifo")
    assert sandbox_kernel.workdir_entries(tmp_path) == [
        ("data", None), ("link", str(ROOT / "gradebook.db")), ("nb.ipynb", None)]


def test_working_folder_must_be_a_single_submission(tmp_path):
    readonly = sandbox_kernel.readonly_paths({})
    for wide in (ROOT, Path("/"), ROOT.parent):
        with pytest.raises(sandbox_kernel.SandboxError, match="refusing"):
            sandbox_kernel.check_workdir(wide, readonly)
    (tmp_path / "gradebook.db").write_text("")
    with pytest.raises(sandbox_kernel.SandboxError, match="gradebook.db"):
        sandbox_kernel.check_workdir(tmp_path, readonly)
    sandbox_kernel.check_workdir(tmp_path / "autograded", readonly)


def test_launcher_refuses_a_tcp_connection_file(tmp_path):
    connection = tmp_path / "kernel.json"
    connection.write_text(json.dumps({"transport": "tcp", "ip": "127.0.0.1", "shell_port": 1}))
    result = subprocess.run([sys.executable, "-I", sandbox_kernel.__file__, "-f", str(connection)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert 'c.KernelManager.transport = "ipc"' in result.stderr


def test_relative_ipc_path_is_the_kernel_managers(tmp_path):
    """jupyter_client's default IPC path `kernel-ipc` is relative to the manager's folder."""
    code = "from tools.sandbox_kernel import client_ipc_prefix as p; print(p('kernel-ipc'), p('/a/k'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.stdout.split() == [os.path.join(os.getcwd(), "kernel-ipc"), "/a/k"]


def test_limits_come_from_the_environment_with_defaults():
    defaults = sandbox_kernel.read_limits({})
    assert defaults["memory"] == 8 * 2**30 and defaults["cpu"] == 600 and not defaults["subprocesses"]
    custom = sandbox_kernel.read_limits({"SANDBOX_MEMORY_MB": "100", "SANDBOX_SUBPROCESSES": "1"})
    assert custom["memory"] == 100 * 2**20 and custom["subprocesses"]
    for bad in ("lots", "0", "-5"):
        with pytest.raises(sandbox_kernel.SandboxError, match="SANDBOX_CPU_SECONDS"):
            sandbox_kernel.read_limits({"SANDBOX_CPU_SECONDS": bad})


def test_kernel_environment_is_an_allow_list():
    env = sandbox_kernel.kernel_environment(
        {SECRET: "x", "AWS_SECRET_ACCESS_KEY": "y", "NBGRADER_EXECUTION": "autograde",
         "PYTHONHASHSEED": "3", "COURSE_DEVICE": "cpu", "JPY_PARENT_PID": "123", "HOME": "/root"})
    assert SECRET not in env and "AWS_SECRET_ACCESS_KEY" not in env
    assert env["NBGRADER_EXECUTION"] == "autograde" and env["PYTHONHASHSEED"] == "3"
    assert env["COURSE_DEVICE"] == "cpu" and env["HOME"] == "/tmp" and env["JPY_PARENT_PID"] == "1"


def test_kernel_process_output_reaching_the_log_is_capped():
    source, destination = io.BytesIO(b"x" * 100_000), io.BytesIO()
    sandbox_kernel.relay_output(source, destination, 1000)
    assert destination.getvalue().startswith(b"x" * 1000 + b"\n[sandbox_kernel: further")
    assert len(destination.getvalue()) < 1100 and source.read() == b""


def test_seccomp_filter_is_classic_bpf_unless_subprocesses_are_allowed():
    limits = sandbox_kernel.read_limits({})
    with sandbox_kernel.seccomp_filter(limits) as program:
        code = program.read()
    assert code and len(code) % 8 == 0  # struct sock_filter: 8 bytes an instruction
    assert sandbox_kernel.seccomp_filter(dict(limits, subprocesses=True)) is None
    spec = sandbox_kernel.SandboxSpec("bwrap", Path("/w"), Path("/p"), (), {},
                                      dict(limits, subprocesses=True))
    with spec.seccomp() as seccomp_fds:
        assert seccomp_fds == ()


@pytest.mark.parametrize("value, off", [("off", True), (" OFF ", True), ("0", True), ("No", True),
                                        ("false", True), ("on", False), ("", False), ("1", False)])
def test_switched_off_reads_the_grading_opt_outs(value, off):
    assert sandbox_kernel.switched_off("GRADING_SANDBOX", {"GRADING_SANDBOX": value}) is off
    assert sandbox_kernel.switched_off("CROSSCHECK", {}) is False


def test_seccomp_filter_without_libseccomp_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyseccomp", None)  # import fails as without the package
    with pytest.raises(sandbox_kernel.SandboxError, match="libseccomp is missing.*install libseccomp2"):
        sandbox_kernel.seccomp_filter(sandbox_kernel.read_limits({}))


def run_filtered(tmp_path, code):
    """The finished `python -I -c code` run in a sandbox under the seccomp filter, as the kernel runs."""
    workdir, private = tmp_path / "work", tmp_path / "private"
    workdir.mkdir()
    private.mkdir()
    spec = sandbox_kernel.SandboxSpec.from_environment(workdir, private, {}, private_writable=False)
    with spec.seccomp() as seccomp_fds:
        return subprocess.run(spec.argv([sys.executable, "-I", "-c", code], seccomp_fds),
                              capture_output=True, text=True, timeout=60, pass_fds=seccomp_fds)


@needs_bwrap
def test_filtered_process_starts_threads_but_no_process(tmp_path):
    """Under the filter (as the kernel runs) a thread starts; fork, subprocess and clone3 fail."""
    code = ("import os, subprocess, threading\n"
            "t = threading.Thread(target=print, args=('thread',)); t.start(); t.join()\n"
            "for start in (os.fork, lambda: subprocess.run(['true'])):\n"
            "    try:\n"
            "        start()\n"
            "        print('started')\n"
            "    except PermissionError:\n"
            "        print('refused')\n")
    result = run_filtered(tmp_path, code)
    assert result.stdout.split() == ["thread", "refused", "refused"], result.stderr


@needs_bwrap
def test_filtered_process_cannot_reach_another_process_or_leave_kernel_objects(tmp_path):
    """The filter refuses, with EPERM: ptrace, process_vm_readv, SysV shared memory, message
    queues and semaphores, POSIX message queues (what would outlive the process without being a
    file in its /tmp, or reach the crosscheck's warm process), prlimit on another process,
    setpriority on all of a user's processes; with ENOSYS io_uring; with EACCES an IPv6 socket,
    also when the family comes with high bits set (the kernel reads 32 bits). setrlimit on itself
    and Unix sockets still work."""
    code = ("import ctypes, os, platform, socket\n"
            "libc = ctypes.CDLL(None, use_errno=True)\n"
            "vec = (ctypes.c_char * 8)()\n"
            "iov = (ctypes.c_void_p * 2)(ctypes.addressof(vec), 8)\n"
            "sys_socket = {'x86_64': 41, 'aarch64': 198}.get(platform.machine())\n"
            "calls = {'ptrace': lambda: libc.ptrace(16, 1, 0, 0),\n"
            "         'process_vm_readv': lambda: libc.process_vm_readv(1, iov, 1, iov, 1, 0),\n"
            "         'shmget': lambda: libc.shmget(0, 4096, 0o1600),\n"
            "         'msgget': lambda: libc.msgget(0, 0o1600),\n"
            "         'semget': lambda: libc.semget(0, 1, 0o1600),\n"
            "         'mq_open': lambda: libc.mq_open(b'/q', os.O_CREAT | os.O_RDWR, 0o600, None),\n"
            "         'prlimit': lambda: libc.prlimit(1, 7, None, vec),\n"
            "         'setpriority': lambda: libc.setpriority(2, 0, 19),\n"
            "         'io_uring_setup': lambda: libc.syscall(425, 8, vec),\n"
            "         'socket': lambda: libc.socket(socket.AF_INET6, socket.SOCK_STREAM, 0),\n"
            "         'socket_high_bits': lambda: libc.syscall(sys_socket, ctypes.c_long(0x10000000a),\n"
            "                                                  1, 0) if sys_socket else -1}\n"
            "for name, call in calls.items():\n"
            "    ctypes.set_errno(0 if sys_socket or name != 'socket_high_bits' else 13)\n"
            "    print(name, call(), os.strerror(ctypes.get_errno()).replace(' ', '_'))\n"
            "import resource\n"
            "resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
            "print('setrlimit', 0, 'itself')\n"
            "print('socketpair', len(socket.socketpair()), 'unix')\n")
    result = run_filtered(tmp_path, code)
    lines = [line.split() for line in result.stdout.splitlines()]
    refused = ["ptrace", "process_vm_readv", "shmget", "msgget", "semget", "mq_open", "prlimit",
               "setpriority"]
    assert lines == [[name, "-1", "Operation_not_permitted"] for name in refused] + [
        ["io_uring_setup", "-1", "Function_not_implemented"], ["socket", "-1", "Permission_denied"],
        ["socket_high_bits", "-1", "Permission_denied"], ["setrlimit", "0", "itself"],
        ["socketpair", "2", "unix"]], result.stderr


def test_as_pid_1_makes_the_command_process_1_of_the_sandbox():
    spec = sandbox_kernel.SandboxSpec("bwrap", Path("/w"), Path("/p"), (), {}, sandbox_kernel.read_limits({}))
    assert "--as-pid-1" not in spec.argv(["true"])
    argv = spec._replace(as_pid_1=True).argv(["true"])
    assert argv.index("--as-pid-1") < argv.index("--") and "--unshare-pid" in argv


@needs_bwrap
def test_check_starts_a_sandbox():
    ok, message = sandbox_kernel.check()
    assert ok, message
