"""The crosscheck's warm processes, parent side: torch imported once per grading worker, not once
per submission.

A candidate's probes (tools.crosscheck.run_probes) normally run in a fresh sandboxed `python -I
runner.py`, which spends most of its time importing torch and torchvision (about 3.5 s of CPU of
4.4 s for 05_yolo). Within `warm_processes()` (tools.grade.grade_all), each grading thread instead
starts one WarmProcess: tools/crosscheck_forkserver.py, in the same sandbox as the runner (same
read-only software, environment and limits, no writable host folder), as process 1 of it, which
imports the libraries once and forks one child per submission (its docstring says why one
submission's child cannot reach the warm process or a later child). The reference of each
assignment is still computed in a fresh process, so a fault of the warm process could not make a
candidate and its reference agree.

Failures fall back, never through: when the warm process cannot start, stops answering, breaks
its protocol or its child fails before running the notebook, it is stopped and the job runs in a
fresh process (tools.crosscheck); a thread whose warm processes failed MAX_STARTS times runs the
rest of its jobs in fresh processes. A warm process that could not bring its sandbox back after a
job (the job's own doing) answers for that job and retires: the next job starts a new one, which
counts as no failure. CROSSCHECK_WARM=off runs every job in a fresh process.
"""

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tools import sandbox_kernel as sk

FORKSERVER = Path(__file__).resolve().with_name("crosscheck_forkserver.py")
READY_SECONDS = 120  # for the warm process to import the libraries and say it is ready
REPLY_GRACE_SECONDS = 60  # beyond a job's own timeout, for the warm process to empty its folders
MAX_STARTS = 3  # warm processes per thread: after as many failures, the thread's jobs run cold


class WarmFailed(Exception):
    """The warm process failed (not the job): run the job in a fresh process instead."""


class WarmProcess:
    """tools/crosscheck_forkserver.py in its sandbox; `run` sends it one job."""

    def __init__(self, files, environment, limits):
        """Start it with `files` [(name, path)] (the runner and module_file) beside it; WarmFailed
        when it cannot start or says it is not ready."""
        self.folder = Path(tempfile.mkdtemp(prefix="crosscheck-warm-"))
        self.process, self.cgroup, self.channel = None, None, None
        try:
            self._start(files, environment, limits)
        except BaseException:
            self.close()
            raise

    def _start(self, files, environment, limits):
        workdir, private = self.folder / "work", self.folder / "private"
        workdir.mkdir()
        private.mkdir()
        for name, path in [*files, ("forkserver.py", FORKSERVER)]:
            shutil.copyfile(path, private / name)
        spec = sk.SandboxSpec.from_environment(workdir, private, private_writable=False)._replace(
            environment=environment, limits=limits, as_pid_1=True)
        program = sk.seccomp_filter(limits)
        if program is None:  # subprocesses allowed: a child could leave processes behind
            raise WarmFailed("the sandbox allows subprocesses")
        self.channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with program, theirs:
            self.cgroup = sk.tasks_bound(limits)
            argv = spec.argv([sys.executable, "-I", str(private / "forkserver.py"), str(theirs.fileno()),
                              str(program.fileno()), str(workdir)])
            # A session, so a scheduler autogroup, of its own: a child may renice the autogroup
            # (/proc/self/autogroup), which would otherwise be the grader's.
            self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=True,
                                            preexec_fn=sk.sandbox_setup(limits, self.cgroup),
                                            pass_fds=(theirs.fileno(), program.fileno()))
        answer = self._receive(READY_SECONDS)
        if not answer.get("ready"):
            raise WarmFailed(f"the warm process is not ready: {answer.get('why')}")

    def _receive(self, seconds):
        self.channel.settimeout(seconds)
        try:
            message = self.channel.recv(1 << 16)
            return json.loads(message) if message else {}
        except (OSError, ValueError) as error:  # socket.timeout is an OSError
            raise WarmFailed(f"no answer from the warm process: {error}") from error

    def run(self, inputs, output, seed, cell_seconds, timeout):
        """Run one job: `inputs` [(name, path)] in the runner's order, the results written to the
        file `output`. Return (exit status, timed out, retired: the warm process ended after the
        job, whose sandbox it could not bring back); WarmFailed when the warm process failed."""
        header = json.dumps({"files": [name for name, _ in inputs], "seed": seed,
                             "cell_seconds": cell_seconds, "timeout": timeout}).encode()
        with contextlib.ExitStack() as stack:
            results = stack.enter_context(open(output, "wb"))
            files = [stack.enter_context(open(path, "rb")) for _, path in inputs]
            try:
                socket.send_fds(self.channel, [header], [results.fileno(), *(f.fileno() for f in files)])
            except OSError as error:
                raise WarmFailed(f"the warm process took no job: {error}") from error
        reply = self._receive(timeout + REPLY_GRACE_SECONDS)
        if not isinstance(reply.get("status"), int) or any(
                not isinstance(reply.get(key), bool) for key in ("timed_out", "setup_failed", "retire")):
            raise WarmFailed(f"the warm process answered {reply!r}")
        if reply["setup_failed"]:
            raise WarmFailed("the warm process's child failed before running the notebook")
        return reply["status"], reply["timed_out"], reply["retire"]

    def close(self):
        """Stop the warm process (closing its socket ends it) and remove its folders."""
        if self.channel is not None:
            self.channel.close()
        if self.process is not None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.cgroup is not None:
            self.cgroup.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class _Scope:
    """The warm processes of one `warm_processes()` block: one per thread, started on first use."""

    def __init__(self):
        self.lock = threading.Lock()
        self.processes, self.failures = {}, {}

    def get(self, start):
        thread = threading.get_ident()
        with self.lock:
            process = self.processes.get(thread)
            if process is not None or self.failures.get(thread, 0) >= MAX_STARTS:
                return process
        try:
            process = start()
        except Exception:  # noqa: BLE001 - whatever it was, the job runs in a fresh process
            self.failed(thread, None)
            return None
        with self.lock:
            self.processes[thread] = process
        return process

    def failed(self, thread, process, count=True):
        """Forget and stop `process` (None: none started); `count` it as a failure of `thread`."""
        with self.lock:
            self.failures[thread] = self.failures.get(thread, 0) + count
            if process is not None and self.processes.get(thread) is process:
                del self.processes[thread]
        if process is not None:
            process.close()

    def close(self):
        with self.lock:
            processes, self.processes = list(self.processes.values()), {}
        for process in processes:
            process.close()


_scope = None


@contextlib.contextmanager
def warm_processes():
    """Within this block, tools.crosscheck runs candidates in warm processes (one per thread),
    unless CROSSCHECK_WARM=off or the sandbox is off; all of them are stopped on exit."""
    global _scope
    if _scope is not None or sk.switched_off("CROSSCHECK_WARM") or sk.switched_off(sk.OPT_OUT):
        yield
        return
    _scope = _Scope()
    try:
        yield
    finally:
        scope, _scope = _scope, None
        scope.close()


def run_warm(start, inputs, output, seed, cell_seconds, timeout):
    """(exit status, timed out) of the job in this thread's warm process, or None when there is
    none (outside warm_processes(), or it failed: the caller runs the job in a fresh process).
    `start()` starts a WarmProcess."""
    scope = _scope
    if scope is None:
        return None
    process = scope.get(start)
    if process is None:
        return None
    try:
        status, timed_out, retired = process.run(inputs, output, seed, cell_seconds, timeout)
    except Exception:  # noqa: BLE001 - WarmFailed or a bug here: the job runs in a fresh process
        scope.failed(threading.get_ident(), process)
        return None
    if retired:  # the job's own doing, not a failure: the thread's next job gets a new warm process
        scope.failed(threading.get_ident(), process, count=False)
    return status, timed_out

