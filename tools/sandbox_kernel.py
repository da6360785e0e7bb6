"""Grading kernels in a bubblewrap sandbox: a submission sees its own folder and read-only software.

nbgrader runs a student's code in the grading kernel with the grader's rights. This module is a
kernel launcher, the argv of a grading-only `python3` kernelspec (see `install_kernelspec`). It
starts the kernel (what `python -m ipykernel_launcher -f <connection file>` runs) inside `bwrap`
(Debian package `bubblewrap`), where the kernel sees only:

    /usr (and /bin, /lib*, /sbin as the host has them), a few files of /etc    read-only
    the Python installation (sys.base_prefix) and the venv (sys.prefix)       read-only
    the course's `utils` package folder, nothing else of the course           read-only
    its working folder (the submission's autograded folder): the files in it read-only, over a
        size-capped tmpfs where it may create files; nothing it writes reaches the host
    a private /tmp and /dev/shm (size-capped tmpfs), a minimal /dev, its own /proc
    a private folder holding its connection file, its ZMQ IPC sockets and a copy of
        tools/kernel_prelude.py, what it runs first

So no `source/`, no `gradebook.db`, no `tools/` or `tests/`, no other student's folder, no home
folder. Namespaces: user (every capability dropped, no nested user namespace), pid (everything the
kernel started dies with it), net (only a loopback of its own: no connection leaves the sandbox,
not even to 127.0.0.1 of the host), ipc, uts, cgroup. The root of the sandbox is read-only.

Why the working folder is not simply bound read-write: nbgrader, running outside with the grader's
rights, writes the graded notebook into that folder and chmods every file in it after the kernel
has run, so a symlink (or FIFO) the kernel planted there would be followed on the host. Measured
with a read-write bind: the graded notebook overwrote a host file the kernel could not even see,
and another host file became mode 444.

Transport: with its own network namespace the kernel cannot reach the grader over TCP, so the
kernel manager must use ZMQ IPC sockets (the launcher refuses a TCP connection file):
`c.KernelManager.transport = "ipc"` and an absolute `c.KernelManager.ip` path prefix in
nbgrader_config.py (jupyter_client's default prefix, `kernel-ipc`, is relative to the manager's
folder; the launcher copes with it, but then the sockets appear in the course folder). The kernel
binds its sockets in a private folder beside that prefix, named in a copy of the connection file;
once all of them exist, the launcher hard-links them at the `<ip>-<n>` paths the manager connects
to (so no request, hence no student code, reaches the kernel before that, and nothing the kernel
does in its folder later can redirect the manager), then, when grading as root, hands the folder to
`nobody` so the kernel cannot write there any more. A small cleaner process removes the folder and
the links when the launcher ends, even by SIGKILL. The launcher stays the parent of `bwrap`: it
forwards SIGTERM and caps what the kernel process writes to the grading log.

Limits (environment variable, default, why):

    SANDBOX_MEMORY_MB    8192  RLIMIT_AS, address space of each process. Importing torch (a CUDA
                               build) maps about 3.3 GB; graded runs of the five source notebooks
                               peak at 4.3 to 5.4 GB of address space (02, ResNet-18, the most)
                               with at most 1.7 GB resident. 8 GiB leaves about 3 GB for a
                               student's less frugal code. Past it an allocation fails:
                               MemoryError in Python (torch raises RuntimeError "can't allocate
                               memory"), instead of the machine swapping or the OOM killer picking
                               a victim. A GPU cannot be used under it (CUDA reserves far more
                               address space), and the sandbox exposes no GPU device anyway.
    SANDBOX_CPU_SECONDS  600   RLIMIT_CPU, CPU seconds of the kernel (all threads). Graded runs
                               of the source notebooks take 2.5 to 7 s of CPU (2026-11-26, torch
                               2.14.1, AVX-512; a slow host 2-3 times that); this stops a runaway
                               cell that ignores interrupts, which the per-cell timeout cannot
                               (SIGXCPU, then SIGKILL 10 s later: the kernel dies, nbgrader moves on).
    SANDBOX_FILE_MB      256   RLIMIT_FSIZE, largest file the kernel may write (EFBIG, "File too
                               large", beyond): a bound besides the tmpfs sizes, also on the host
                               folder that holds its sockets (while it is still writable).
    SANDBOX_TMP_MB       256   size of the private /tmp and of the working folder's tmpfs (both
                               live in RAM, outside RLIMIT_AS); /dev/shm gets a quarter of it.
    SANDBOX_NOFILE       1024  RLIMIT_NOFILE, open files.
    SANDBOX_TASKS        256   tasks (processes and threads) of the sandbox. RLIMIT_NPROC, set
                               inside the sandbox's user namespace so that only the sandbox's own
                               tasks count; the kernel does not enforce RLIMIT_NPROC for uid 0, so
                               when grading runs as root the bound is a pids cgroup of its own
                               (`pids.max`, see TasksCgroup; cgroup v1's pids hierarchy or cgroup
                               v2), which holds for root too. As root without a writable pids
                               cgroup, grading refuses to start (--check says why): with
                               `threading.stack_size(64 KiB)` a kernel could otherwise start
                               tens of thousands of threads and exhaust the host's pids.
    SANDBOX_WALL_SECONDS 900   wall-clock seconds of one kernel, i.e. of one notebook's grading
                               (nbgrader starts a kernel per notebook): a notebook of cells that
                               each sleep just under the per-cell timeout is stopped here (the
                               kernel is killed and the submission reported crashed).
    SANDBOX_SUBPROCESSES 0     0: a seccomp filter makes fork, vfork and clone without CLONE_THREAD
                               fail with EPERM (clone3 gets ENOSYS so glibc falls back to clone):
                               the kernel can start threads but no process, which holds for root
                               too. The filter is built by libseccomp (pyseccomp; see
                               seccomp_filter): without libseccomp, grading refuses to start.
                               1: allow subprocesses (for a course that needs them).
    SANDBOX_LOG_KB       64    how much of the kernel process's own stdout/stderr (start-up
                               messages, crashes; not cell outputs) reaches the grading log; code
                               writing straight to file descriptors 1 and 2 cannot flood it.
    RLIMIT_CORE is always 0: a crashing kernel must not write a core file of gigabytes.

Other settings: SANDBOX_BWRAP (path of bwrap; default: found on PATH), SANDBOX_RO_BINDS (more
read-only folders, separated by os.pathsep, e.g. a data set), SANDBOX_PACKAGES (importable
packages whose folders are bound read-only, comma-separated; default `utils`), SANDBOX_PASS_ENV
(more environment variables to pass, comma-separated). The kernel gets a clean environment: PATH,
HOME=/tmp, cache folders in /tmp, and only LANG, LC_*, TZ, PYTHONHASHSEED, MPLBACKEND, thread
counts, NBGRADER_* and COURSE_* from the grader's environment (no tokens or keys leak into outputs).

Usage:
    python -I tools/sandbox_kernel.py -f CONNECTION_FILE [KERNEL ARGS...]   what the kernelspec runs
    python tools/sandbox_kernel.py --install-kernelspec DIR    write DIR/kernels/python3/kernel.json
    python tools/sandbox_kernel.py --check                     can a sandbox start here? (exit 0/1)
    python tools/sandbox_kernel.py --require    exit 1 with the reason unless grading may run
                                                (a sandbox starts, or GRADING_SANDBOX=off)
Only the standard library and pyseccomp (libseccomp's bindings, for the seccomp filter) are
imported, so the launcher starts fast from any working folder.
"""

import collections
import contextlib
import errno
import importlib.util
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

KERNEL_NAME = "python3"
INSTALL_HINT = ("bubblewrap is not installed: grading runs every kernel in a bubblewrap sandbox. "
                "Install it with `sudo apt-get install bubblewrap` (Debian/Ubuntu), "
                "`sudo dnf install bubblewrap` (Fedora) or `sudo pacman -S bubblewrap` (Arch).")

# name: (environment variable, default, converter to the value used)
LIMITS = {
    "memory": ("SANDBOX_MEMORY_MB", 8192, lambda v: v * 2**20),
    "cpu": ("SANDBOX_CPU_SECONDS", 600, lambda v: v),
    "file": ("SANDBOX_FILE_MB", 256, lambda v: v * 2**20),
    "tmp": ("SANDBOX_TMP_MB", 256, lambda v: v * 2**20),
    "nofile": ("SANDBOX_NOFILE", 1024, lambda v: v),
    "tasks": ("SANDBOX_TASKS", 256, lambda v: v),
    "wall": ("SANDBOX_WALL_SECONDS", 900, lambda v: v),
    "subprocesses": ("SANDBOX_SUBPROCESSES", 0, bool),
    "log": ("SANDBOX_LOG_KB", 64, lambda v: v * 2**10),
}
MINIMUM_BWRAP = (0, 8)  # --disable-userns first appeared in bubblewrap 0.8.0
CPU_GRACE_SECONDS = 10  # between SIGXCPU (soft limit) and SIGKILL (hard limit)
MAX_WORKDIR_ENTRIES = 1000  # names at the top of a submission's folder (each is one bind mount)
SOCKET_TIMEOUT = 300  # seconds for the kernel to bind its sockets (the manager may give up first)
NOBODY = 65534  # owns the private folder once the kernel's sockets exist (when grading as root)

ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
             "/etc/timezone", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/host.conf",
             "/etc/hosts", "/etc/mime.types", "/etc/os-release")
SYSTEM_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
PASSED_ENV = ("LANG", "LANGUAGE", "TZ", "PYTHONHASHSEED", "MPLBACKEND", "OMP_NUM_THREADS",
              "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "PYTHONWARNINGS", "SOURCE_DATE_EPOCH")
PASSED_PREFIXES = ("LC_", "NBGRADER_", "COURSE_")
PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")

# Runs inside the sandbox before ipykernel (RLIMIT_NPROC, then ipykernel's launcher): its docstring.
PRELUDE = Path(__file__).resolve().with_name("kernel_prelude.py")


class SandboxError(RuntimeError):
    """The sandbox cannot be set up; the message says why and what to do."""


def read_limits(environ=None):
    """{name: value} of every limit (see the module docstring), from the environment or defaults."""
    environ = os.environ if environ is None else environ
    limits = {}
    for name, (variable, default, convert) in LIMITS.items():
        raw = environ.get(variable, "").strip()
        try:
            number = int(raw) if raw else default
        except ValueError:
            raise SandboxError(f"{variable}={raw!r} is not an integer") from None
        if number < 0 or (number == 0 and name not in ("subprocesses", "log")):
            raise SandboxError(f"{variable}={number} must be positive")
        limits[name] = convert(number)
    return limits


def find_bwrap(environ=None):
    """Path of the bwrap executable; SandboxError with install instructions when missing."""
    environ = os.environ if environ is None else environ
    path = environ.get("SANDBOX_BWRAP") or shutil.which("bwrap") or (
        "/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None)
    if not path or not os.access(path, os.X_OK):
        raise SandboxError(INSTALL_HINT)
    return path


def package_folders(names):
    """Folders of the importable packages `names` (found without importing them)."""
    folders = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None:
            print(f"sandbox_kernel: package {name!r} not found; it will not be importable in the "
                  "sandbox", file=sys.stderr)
        elif spec.submodule_search_locations:
            folders += [Path(p) for p in spec.submodule_search_locations]
        elif spec.origin:
            folders.append(Path(spec.origin).parent)
    return folders


def readonly_paths(environ=None):
    """Folders bound read-only besides the system: Python, the venv, `utils`, SANDBOX_RO_BINDS."""
    environ = os.environ if environ is None else environ
    packages = [n.strip() for n in environ.get("SANDBOX_PACKAGES", "utils").split(",") if n.strip()]
    extra = [Path(p) for p in environ.get("SANDBOX_RO_BINDS", "").split(os.pathsep) if p]
    candidates = [Path(sys.base_prefix), Path(sys.prefix),
                  Path(os.path.realpath(sys.executable)).parent.parent,
                  *package_folders(packages), *extra]
    paths = []
    for path in (Path(os.path.abspath(p)) for p in candidates):
        if not path.exists():
            raise SandboxError(f"read-only path {path} does not exist")
        if path == Path("/"):
            raise SandboxError("refusing to bind / into the sandbox")
        covered = [Path("/usr")] + paths
        if any(path == p or p in path.parents for p in covered):
            continue
        paths = [p for p in paths if path not in p.parents] + [path]
    return paths


def check_workdir(workdir, readonly):
    """Refuse a working folder that would expose more than one submission (e.g. the course root)."""
    workdir = Path(workdir)
    too_wide = [p for p in readonly if p == workdir or workdir in p.parents]
    if workdir == Path("/") or workdir == Path.home() or too_wide:
        raise SandboxError(f"refusing to run a sandboxed kernel in {workdir}: it contains "
                           f"{too_wide or 'everything'}; the working folder must be one submission's")
    for marker in ("gradebook.db", "nbgrader_config.py"):
        if (workdir / marker).exists():
            raise SandboxError(f"refusing to run a sandboxed kernel in {workdir}: it holds {marker} "
                               "(a course folder, not a submission's folder)")


def workdir_entries(workdir, skip=()):
    """[(name, symlink target or None)] of the files and folders in `workdir`, for SandboxSpec.

    The kernel gets these read-only, and writes into a tmpfs: nbgrader, running outside with the
    grader's rights, writes the graded notebook into this folder and chmods every file in it after
    the kernel has run, so a symlink or FIFO that the kernel left there would be followed on the
    host (measured: the graded notebook overwrote a file outside the course's reach, and that file
    became mode 444).
    """
    entries = []
    with os.scandir(workdir) as scan:
        for entry in sorted(scan, key=lambda e: e.name):
            if entry.path in skip:
                continue
            if entry.is_symlink():
                entries.append((entry.name, os.readlink(entry.path)))
            elif entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False):
                entries.append((entry.name, None))
    if len(entries) > MAX_WORKDIR_ENTRIES:
        raise SandboxError(f"{workdir} holds {len(entries)} entries; a submission's folder may hold "
                           f"at most {MAX_WORKDIR_ENTRIES}")
    return entries


def kernel_environment(environ=None, path_dirs=()):
    """The kernel's whole environment: a clean base plus an allow-list of the grader's variables."""
    environ = os.environ if environ is None else environ
    wanted = set(PASSED_ENV) | {n.strip() for n in environ.get("SANDBOX_PASS_ENV", "").split(",")}
    env = {name: value for name, value in environ.items()
           if name in wanted or name.startswith(PASSED_PREFIXES)}
    env.update({
        "PATH": os.pathsep.join([*map(str, path_dirs), "/usr/local/bin", "/usr/bin", "/bin"]),
        "HOME": "/tmp", "TMPDIR": "/tmp", "USER": "grader", "LOGNAME": "grader",
        "IPYTHONDIR": "/tmp/.ipython", "MPLCONFIGDIR": "/tmp/.matplotlib",
        "XDG_CACHE_HOME": "/tmp/.cache", "XDG_CONFIG_HOME": "/tmp/.config",
        "JUPYTER_CONFIG_DIR": "/tmp/.jupyter", "PYTHONDONTWRITEBYTECODE": "1",
        # The kernel's parent in its pid namespace is bwrap's pid 1. Saying so keeps ipykernel from
        # polling for a parent pid it cannot see (it would exit at once) and from printing a note.
        "JPY_PARENT_PID": "1",
    })
    env.setdefault("LANG", "C.UTF-8")
    return env


class SandboxSpec(collections.namedtuple(
        "SandboxSpec", ("bwrap", "workdir", "private", "readonly", "environment", "limits", "entries",
                        "private_writable", "as_pid_1"), defaults=((), True, False))):
    """What one sandboxed process sees and may do (see the module docstring); `argv` is the bwrap
    command line that enforces it, a pure function of these fields (a named tuple: dataclasses
    would cost every kernel start an import of `inspect`; `_replace` changes a field).

    `entries` are the names in `workdir` (see `workdir_entries`): each is bound read-only, or
    recreated as the same symlink (which then resolves inside the sandbox), over a size-capped
    tmpfs mounted on `workdir`. `private` is bound read-write for a kernel (its sockets), read-only
    when not `private_writable` (a process that needs no writable host folder at all). `limits`
    are `read_limits`' (the tmpfs sizes go into the argv; `apply_rlimits` sets the others in the
    child). With `as_pid_1` the command is process 1 of the sandbox's pid namespace (bwrap's
    --as-pid-1: no reaper of bwrap's in between; see tools/crosscheck_forkserver.py).
    """

    __slots__ = ()

    @classmethod
    def from_environment(cls, workdir, private, environ=None, *, path_dirs=(), skip=(),
                         private_writable=True):
        """The grading sandbox for `workdir` as the SANDBOX_* settings of `environ` (default
        os.environ) say; `path_dirs` go first on the process's PATH, `skip` are paths in `workdir`
        not to bind. SandboxError when bwrap is missing, a setting is wrong, or `workdir` would
        expose more than one submission."""
        environ = os.environ if environ is None else environ
        readonly = tuple(readonly_paths(environ))
        check_workdir(workdir, readonly)
        return cls(bwrap=find_bwrap(environ), workdir=Path(workdir), private=Path(private),
                   readonly=readonly, environment=kernel_environment(environ, path_dirs),
                   limits=read_limits(environ), entries=tuple(workdir_entries(workdir, skip)),
                   private_writable=private_writable)

    def argv(self, command, seccomp_fds=()):
        """The bwrap argv that runs `command` in this sandbox, under the seccomp filter read from
        `seccomp_fds` (what `seccomp` yields: pass them to the process, pass_fds)."""
        argv = [self.bwrap, "--unshare-user", "--disable-userns", "--cap-drop", "ALL",
                "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--hostname", "grading-sandbox",
                "--clearenv"]
        if self.as_pid_1:
            argv.append("--as-pid-1")
        for name, value in sorted(self.environment.items()):
            argv += ["--setenv", name, value]
        argv += ["--ro-bind", "/usr", "/usr"]
        for name in SYSTEM_LINKS:
            path = Path("/") / name
            if path.is_symlink():
                argv += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                argv += ["--ro-bind", str(path), str(path)]
        for path in ETC_FILES:
            argv += ["--ro-bind-try", path, path]
        tmp = self.limits["tmp"]
        argv += ["--proc", "/proc", "--dev", "/dev",
                 "--size", str(max(tmp // 4, 2**20)), "--tmpfs", "/dev/shm",
                 "--perms", "1777", "--size", str(tmp), "--tmpfs", "/tmp"]
        # After /tmp: any of these may live under the host's /tmp (a test course, the private folder).
        for path in self.readonly:
            argv += ["--ro-bind", str(path), str(path)]
        argv += ["--perms", "0755", "--size", str(tmp), "--tmpfs", str(self.workdir)]
        for name, link in self.entries:
            path = str(Path(self.workdir) / name)
            argv += ["--symlink", link, path] if link is not None else ["--ro-bind", path, path]
        argv += ["--bind" if self.private_writable else "--ro-bind", str(self.private), str(self.private),
                 "--chdir", str(self.workdir),
                 # Last: nothing more may be created in the sandbox's root or /dev.
                 "--remount-ro", "/dev", "--remount-ro", "/"]
        for fd in seccomp_fds:
            argv += ["--seccomp", str(fd)]
        return argv + ["--", *command]

    @contextlib.contextmanager
    def seccomp(self):
        """The file descriptors to pass to the process (pass_fds) and to `argv`: the seccomp
        filter's (see seccomp_filter), or none when subprocesses are allowed; closed on exit."""
        program = seccomp_filter(self.limits)
        if program is None:
            yield ()
            return
        with program:
            yield (program.fileno(),)


CLONE_THREAD = 0x00010000
# System calls that reach another process, or make kernel objects that outlive their process
# without being files (a private /tmp and /dev/shm are wiped; these would not be).
UNSHARED_STATE = ("ptrace", "process_vm_readv", "process_vm_writev", "shmget", "msgget", "semget",
                  "mq_open", "add_key", "request_key", "keyctl")
IO_RINGS = ("io_uring_setup", "io_uring_enter", "io_uring_register")
PRIO_PROCESS, IOPRIO_WHO_PROCESS = 0, 1  # setpriority's and ioprio_set's "which": one process
# Unix sockets and netlink (glibc asks it about interfaces): no network, nothing that outlives the
# socket (a TCP connection's TIME_WAIT would), nothing outside the sandbox (vsock reaches the host).
LOCAL_SOCKET_FAMILIES = (socket.AF_UNIX, socket.AF_NETLINK)
MAX_SOCKET_FAMILY = 64  # the kernel knows fewer (AF_MAX is 46 in Linux 6.x) and refuses the rest
SECCOMP_HINT = ("libseccomp is missing: the sandbox's seccomp filter is built with it. Install it with "
                "`sudo apt-get install libseccomp2` (Debian/Ubuntu; `libseccomp` on Fedora and Arch) and "
                "the instructors' requirements (requirements-dev.txt: pyseccomp)")


def seccomp_filter(limits):
    """None when `limits` allow subprocesses; else an open temporary file (read position 0) holding
    the classic-BPF seccomp filter for bwrap's --seccomp, built by libseccomp (pyseccomp): it
    forbids creating processes, reaching into another process, and the kernel objects that outlive
    the process that made them without being files.

    fork, vfork and clone without CLONE_THREAD fail with EPERM; clone3 (whose flags a filter cannot
    read) fails with ENOSYS, so glibc creates threads with clone; system calls of another ABI
    (i386 `int 0x80`, x32) fail with ENOSYS (libseccomp's bad-architecture action), so they cannot
    bypass the filter. UNSHARED_STATE (ptrace, process_vm_*, SysV IPC, POSIX message queues,
    keyrings), and prlimit, setpriority and ioprio_set on another process than the caller fail
    with EPERM; io_uring with ENOSYS; sockets of other families than LOCAL_SOCKET_FAMILIES with
    EACCES: the crosscheck's warm process (tools/crosscheck_forkserver.py) runs one submission
    after another in the same sandbox. Raises SandboxError when libseccomp cannot be loaded.
    """
    if limits["subprocesses"]:
        return None
    try:
        import pyseccomp as seccomp
    except (ImportError, RuntimeError, OSError) as error:  # RuntimeError: no libseccomp.so found
        raise SandboxError(f"{SECCOMP_HINT} ({error})") from error
    rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    rules.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.ERRNO(errno.ENOSYS))
    for name in ("fork", "vfork"):  # not on every architecture: libseccomp then leaves the rule out
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
    rules.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, CLONE_THREAD, 0))
    rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    for name in UNSHARED_STATE:
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name)
    for name in IO_RINGS:  # their requests would bypass the rules on the system calls below
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), name)
    # Only on the caller itself (0): another process's limits, priorities or I/O priority (pid 1 of
    # a sandbox is the crosscheck's warm process; PRIO_USER would reach every process of the user).
    rules.add_rule(seccomp.ERRNO(errno.EPERM), "prlimit64", seccomp.Arg(0, seccomp.NE, 0))
    for name, itself in (("setpriority", PRIO_PROCESS), ("ioprio_set", IOPRIO_WHO_PROCESS)):
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name, seccomp.Arg(0, seccomp.NE, itself))
        rules.add_rule(seccomp.ERRNO(errno.EPERM), name, seccomp.Arg(1, seccomp.NE, 0))
    # Sockets of local families only. The family is compared on its low 32 bits, as the kernel
    # reads it (an EQ on the whole register would let 0x100000002 through as AF_INET).
    for family in range(1, MAX_SOCKET_FAMILY):
        if family not in LOCAL_SOCKET_FAMILIES:
            for name in ("socket", "socketpair"):
                rules.add_rule(seccomp.ERRNO(errno.EACCES), name,
                               seccomp.Arg(0, seccomp.MASKED_EQ, 0xFFFFFFFF, family))
    program = tempfile.TemporaryFile()
    rules.export_bpf(program)
    program.seek(0)
    return program


def apply_rlimits(limits):
    """Set the per-process limits (inherited by bwrap and the kernel); RLIMIT_NPROC is set later."""
    import resource

    def cap(kind, value):
        _, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))

    cap(resource.RLIMIT_AS, limits["memory"])
    cap(resource.RLIMIT_FSIZE, limits["file"])
    cap(resource.RLIMIT_NOFILE, limits["nofile"])
    cap(resource.RLIMIT_CORE, 0)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = limits["cpu"] if hard == resource.RLIM_INFINITY else min(limits["cpu"], hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard if hard != resource.RLIM_INFINITY
                                             else soft + CPU_GRACE_SECONDS))


CGROUP_MOUNTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"))  # cgroup v1's pids, cgroup v2


class TasksCgroup:
    """A pids cgroup of its own for one sandbox: `pids.max` bounds its tasks, for root too.

    Created as a child of this process's pids cgroup (cgroup v1) or of the cgroup v2 root, when
    this process may write there (root, as a rule). `join` (in the child, before exec) moves the
    calling process into it; `close` kills whatever is left in it and removes it. `available`
    is False when no pids cgroup can be made here.
    """

    def __init__(self, limit):
        self.path = None
        for mount in CGROUP_MOUNTS:
            parent = self._parent(mount)
            if parent is None:
                continue
            self._remove_stale(parent)
            path = parent / f"grading-sandbox-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
            try:
                path.mkdir()
            except OSError:
                continue
            try:
                (path / "pids.max").write_text(str(int(limit)))
            except OSError:
                path.rmdir()
                continue
            self.path = path
            break
        self.available = self.path is not None

    @staticmethod
    def _remove_stale(parent):
        """Remove the empty cgroups left by graders that were killed (their pid is gone)."""
        for stale in parent.glob("grading-sandbox-*"):
            pid = stale.name.split("-")[2]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                try:
                    stale.rmdir()  # fails, harmlessly, while a task is still in it
                except OSError:
                    pass

    @staticmethod
    def _parent(mount):
        """The folder under `mount` where this process may create a pids cgroup, or None."""
        if not (mount / "cgroup.procs").exists() or not os.access(mount, os.W_OK):
            return None
        if mount.name == "pids":  # cgroup v1: below this process's own pids cgroup
            lines = Path("/proc/self/cgroup").read_text().splitlines()
            own = next((line.split(":", 2)[2] for line in lines if "pids" in line.split(":")[1].split(",")),
                       None)
            return None if own is None else mount / own.lstrip("/")
        try:
            controllers = (mount / "cgroup.subtree_control").read_text().split()
        except OSError:
            return None
        return mount if "pids" in controllers else None

    def join(self):
        """Move the calling process into the cgroup (run in the child between fork and exec)."""
        if self.path is not None:
            with open(self.path / "cgroup.procs", "w") as handle:
                handle.write(str(os.getpid()))

    def close(self, wait=5.0):
        """Kill every task left in the cgroup and remove it."""
        if self.path is None:
            return
        deadline = time.monotonic() + wait
        while True:
            try:
                pids = (self.path / "cgroup.procs").read_text().split()
            except OSError:
                pids = []
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except OSError:
                    pass
            try:
                self.path.rmdir()
                break
            except OSError:
                if time.monotonic() > deadline:
                    print(f"sandbox_kernel: could not remove {self.path}", file=sys.stderr, flush=True)
                    break
                time.sleep(0.05)
        self.path = None


def sandbox_setup(limits, cgroup):
    """The preexec_fn of a sandboxed process: `limits`' rlimits, then `cgroup` (a TasksCgroup or None)."""
    def setup():
        apply_rlimits(limits)
        if cgroup is not None:
            cgroup.join()

    return setup


def tasks_bound(limits):
    """The TasksCgroup bounding a sandbox's tasks, or None where RLIMIT_NPROC does (not root).

    SandboxError when grading as root without a pids cgroup: RLIMIT_NPROC would be void.
    """
    if os.geteuid() != 0:
        return None
    cgroup = TasksCgroup(limits["tasks"])
    if not cgroup.available:
        raise SandboxError("grading runs as root, where RLIMIT_NPROC does not apply, and no pids cgroup "
                           f"can be created here (looked in {', '.join(map(str, CGROUP_MOUNTS))}): a "
                           "graded notebook could exhaust the machine's pids. Grade as a non-root user, "
                           "or make the cgroup file system writable (cgroup v1 pids, or v2 with pids)")
    return cgroup


def launch(connection_file, kernel_args=(), environ=None):
    """Run the kernel of `connection_file` in the sandbox, in the current folder; return its status."""
    environ = os.environ if environ is None else environ
    info = json.loads(Path(connection_file).read_text())
    if info.get("transport") != "ipc":
        raise SandboxError(
            f"the connection file asks for transport {info.get('transport')!r}; a sandboxed kernel "
            "has no network, so grading must use IPC: set c.KernelManager.transport = \"ipc\" in "
            "nbgrader_config.py")
    ipc_prefix = client_ipc_prefix(info["ip"])
    workdir = Path(os.getcwd())
    links = [Path(f"{ipc_prefix}-{info[port]}") for port in PORTS]
    links[0].parent.mkdir(parents=True, exist_ok=True)
    # Beside the sockets the manager connects to: same file system, so they can be hard links.
    private = Path(tempfile.mkdtemp(prefix="sandbox-", dir=links[0].parent))
    cleaner_pipe = spawn_cleaner(private, links)  # open until this process ends
    python = sys.executable
    spec = SandboxSpec.from_environment(workdir, private, environ, path_dirs=[Path(python).parent],
                                        skip={str(private)})
    limits = spec.limits
    sockets = [private / f"ipc-{info[port]}" for port in PORTS]
    inner = dict(info, ip=str(private / "ipc"))
    inner_file = private / "connection.json"
    inner_file.touch(mode=0o600)
    inner_file.write_text(json.dumps(inner, indent=1))
    prelude = private / "prelude.py"
    shutil.copyfile(PRELUDE, prelude)
    # The kernel manager interrupts by sending SIGINT to this process group, which holds the
    # kernel too (no --new-session: this launcher already leads a session without a terminal).
    # bwrap must survive it (it inherits SIG_IGN; ipykernel sets its own handler), and so must
    # this launcher. SIGKILL reaches all of them; --die-with-parent covers the rest.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    cgroup = tasks_bound(limits)
    os.write(cleaner_pipe, f"cgroup {cgroup.path}\n".encode() if cgroup else b"")

    with spec.seccomp() as seccomp_fds:  # bwrap has its own copy of the filter once started
        command = spec.argv([python, "-P", str(prelude), str(limits["tasks"]), "-f", str(inner_file),
                             *kernel_args], seccomp_fds)
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, pass_fds=seccomp_fds,
                                   preexec_fn=sandbox_setup(limits, cgroup))

    def forward(signum, _frame):
        process.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)
    relay = threading.Thread(target=relay_output, args=(process.stdout, sys.stderr.buffer,
                                                        limits["log"]), daemon=True)
    relay.start()
    started = time.monotonic()
    try:
        published = publish_sockets(sockets, links, process)
        os.write(cleaner_pipe, "".join(f"{dev} {ino}\n" for dev, ino in published).encode())
        lock_private_folder(private)
    except SandboxError as error:
        print(f"sandbox_kernel: {error}", file=sys.stderr, flush=True)
        process.kill()
    try:
        status = process.wait(timeout=max(0.0, limits["wall"] - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        print(f"sandbox_kernel: the notebook ran past its wall-clock limit of {limits['wall']} s "
              "(SANDBOX_WALL_SECONDS): kernel stopped", file=sys.stderr, flush=True)
        process.kill()
        status = process.wait()
    relay.join(timeout=5)
    if cgroup is not None:
        cgroup.close()
    return status


def relay_output(source, destination, budget):
    """Copy the kernel's own stdout and stderr (not its cells' outputs, which travel over ZMQ) to
    the grader's stderr, up to `budget` bytes: code that writes straight to file descriptor 1 or 2
    must not flood the grading log or the memory of a process that captures it."""
    while chunk := source.read1(65536):
        if budget > 0:
            try:
                destination.write(chunk[:budget])
                if len(chunk) >= budget:
                    destination.write(b"\n[sandbox_kernel: further kernel output discarded]\n")
                destination.flush()
            except (OSError, ValueError):  # the grader's stderr is gone: keep draining
                budget = 0
        budget -= len(chunk)


def publish_sockets(sockets, links, process, timeout=SOCKET_TIMEOUT):
    """Once the kernel has bound every socket in its private folder, hard-link each one where the
    kernel manager connects.

    Until then the manager's paths do not exist (ZMQ keeps retrying), so no request, hence no
    student code, reaches the kernel before the links exist; and a hard link names the socket
    itself, so nothing the kernel later does in its folder (a symlink in place of a socket, to
    some other socket of the host) can redirect the manager.
    """
    deadline = time.monotonic() + timeout
    while not all(is_socket(path) for path in sockets):
        if process.poll() is not None:
            raise SandboxError(f"the kernel exited ({process.returncode}) before binding its sockets")
        if time.monotonic() > deadline:
            raise SandboxError(f"the kernel bound no sockets within {timeout} s")
        time.sleep(0.02)
    published = []
    for socket_path, link in zip(sockets, links, strict=True):
        temporary = link.with_name(f"{link.name}.{os.getpid()}")
        os.link(socket_path, temporary)
        if not is_socket(temporary):
            temporary.unlink()
            raise SandboxError(f"{socket_path} is no longer a socket")
        os.replace(temporary, link)
        published.append((os.lstat(link).st_dev, os.lstat(link).st_ino))
    return published


def is_socket(path):
    """True if `path` itself (not a symlink's target) is a socket."""
    try:
        return stat.S_ISSOCK(os.lstat(path).st_mode)
    except OSError:
        return False


def lock_private_folder(private):
    """Make the private folder read-only for the kernel once its sockets exist (when grading as
    root: the folder is handed to `nobody`, so the kernel, root without capabilities, can neither
    write there nor change that), so it cannot fill the host's disk through it."""
    if os.geteuid() != 0:
        return
    try:
        os.chown(private, NOBODY, NOBODY)
        os.chmod(private, 0o555)
    except OSError as error:
        print(f"sandbox_kernel: could not lock {private}: {error}", file=sys.stderr, flush=True)


def client_ipc_prefix(ip):
    """The absolute path prefix of the IPC sockets the kernel manager connects to.

    jupyter_client's default IPC "ip" is `kernel-ipc`, relative to the kernel manager's working
    folder, which is not the kernel's (nbgrader runs from the course root, the kernel in the
    submission's folder): resolve it against the working folder of this launcher's parent, the
    kernel manager. Better, configure an absolute one (c.KernelManager.ip).
    """
    if os.path.isabs(ip):
        return ip
    return os.path.join(os.readlink(f"/proc/{os.getppid()}/cwd"), ip)


def spawn_cleaner(private, links):
    """Fork a process that removes `private` and the published `links` once this launcher is gone.

    It lives in a session of its own, so the SIGKILL that the kernel manager sends to the
    launcher's process group cannot stop it; it wakes when the launcher's end of a pipe closes,
    which happens however the launcher ends. The launcher sends it the (device, inode) of each
    socket it published: a link is removed only if it is still one of those.
    """
    read_end, write_end = os.pipe()
    if os.fork() == 0:  # the cleaner
        try:
            os.close(write_end)
            os.setsid()
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):  # let nobody wait for the end of the grader's output pipes
                os.dup2(null, fd)
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
                signal.signal(signum, signal.SIG_IGN)
            received = b""
            while chunk := os.read(read_end, 4096):
                received += chunk
            lines = received.decode().splitlines()
            published = {tuple(map(int, line.split())) for line in lines if not line.startswith("cgroup ")}
            for line in lines:
                if line.startswith("cgroup "):  # the launcher's TasksCgroup, if it could not remove it
                    leftover = TasksCgroup.__new__(TasksCgroup)
                    leftover.path = Path(line[len("cgroup "):])
                    if leftover.path.exists():
                        leftover.close()
            for link in links:
                try:
                    info = os.lstat(link)
                    if stat.S_ISSOCK(info.st_mode) and (info.st_dev, info.st_ino) in published:
                        link.unlink()
                except OSError:
                    pass
            shutil.rmtree(private, ignore_errors=True)
        finally:
            os._exit(0)
    os.close(read_end)
    return write_end  # not inheritable: only this launcher holds it


def install_kernelspec(prefix, name=KERNEL_NAME, python=None):
    """Write `prefix/kernels/<name>/kernel.json` running this launcher; return that folder.

    Put `prefix` first on JUPYTER_PATH of the grading process only (see `grading_environment`):
    notebooks whose kernelspec is `python3` then get the sandboxed kernel there, while JupyterLab,
    nbval and validation keep the normal one.
    """
    folder = Path(prefix) / "kernels" / name
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [python or sys.executable, "-I", str(Path(__file__).resolve()),
                 "-f", "{connection_file}"],
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False, "sandbox": "bubblewrap"},
    }
    # Atomically: parallel graders may install the same kernelspec while others read it.
    temporary = folder / f".kernel.json.{os.getpid()}.{threading.get_ident()}"
    temporary.write_text(json.dumps(spec, indent=1) + "\n")
    os.replace(temporary, folder / "kernel.json")
    return folder


def grading_environment(prefix, environ=None):
    """A copy of the environment with `prefix` (where install_kernelspec wrote) first on JUPYTER_PATH."""
    environ = dict(os.environ if environ is None else environ)
    rest = environ.get("JUPYTER_PATH", "")
    environ["JUPYTER_PATH"] = os.pathsep.join([str(prefix)] + ([rest] if rest else []))
    return environ


OPT_OUT = "GRADING_SANDBOX"  # =off: grade without the sandbox (trusted submissions only)
OFF_VALUES = ("off", "0", "no", "false")


def switched_off(variable, environ=None):
    """True when the on/off setting `variable` of `environ` (default os.environ) says off: one of
    OFF_VALUES, any case, spaces ignored. The one parser of the grading's opt-outs
    (GRADING_SANDBOX, CROSSCHECK)."""
    environ = os.environ if environ is None else environ
    return environ.get(variable, "").strip().lower() in OFF_VALUES


_checked = {}  # bwrap path: (ok, message) of `check`, once per process


def sandboxed_environment(root, environ=None):
    """The environment in which to run `nbgrader autograde` for the course in `root`.

    The grading-only kernelspec is (re)installed in `root/.cache/grading-kernels` and put first on
    JUPYTER_PATH, so every `python3` kernel nbgrader starts runs in the sandbox. Raise SandboxError
    (saying how to install bubblewrap) when no sandbox can start here: grading never silently
    runs unsandboxed. GRADING_SANDBOX=off in the environment is the explicit way to do that (for
    trusted notebooks on a machine without bubblewrap, e.g. macOS): a warning is printed and
    `environ` comes back unchanged.
    """
    environ = dict(os.environ if environ is None else environ)
    if switched_off(OPT_OUT, environ):
        print(f"WARNING: {OPT_OUT}=off: grading kernels run WITHOUT the sandbox, with your rights "
              "(they can read the course folder, the gradebook and the network)", file=sys.stderr)
        return environ
    key = environ.get("SANDBOX_BWRAP") or shutil.which("bwrap", path=environ.get("PATH"))
    if key not in _checked:
        _checked[key] = check(environ)
    ok, message = _checked[key]
    if not ok:
        raise SandboxError(f"{message}\n(grading refuses to run student code unsandboxed; to grade "
                           f"trusted notebooks anyway, set {OPT_OUT}=off)")
    prefix = Path(root).resolve() / ".cache" / "grading-kernels"
    install_kernelspec(prefix)
    return grading_environment(prefix, environ)


def check(environ=None):
    """Start a throw-away sandbox like a kernel's; return (ok, message)."""
    environ = os.environ if environ is None else environ
    with tempfile.TemporaryDirectory(prefix="grading-check-") as folder:
        workdir, private = Path(folder) / "work", Path(folder) / "private"
        workdir.mkdir()
        private.mkdir()
        try:
            spec = SandboxSpec.from_environment(workdir, private, environ)
            cgroup = tasks_bound(spec.limits)  # as root: a pids cgroup can be made here
            if cgroup is not None:
                cgroup.close()
        except SandboxError as error:
            return False, str(error)
        output = subprocess.run([spec.bwrap, "--version"], capture_output=True, text=True).stdout
        words = (output.splitlines() or [""])[0].split()  # "bubblewrap 0.8.0"
        numbers = tuple(int(n) for n in words[-1].split(".")[:2] if n.isdigit()) if words else ()
        if words[:1] != ["bubblewrap"] or numbers < MINIMUM_BWRAP:
            return False, (f"{spec.bwrap} says {' '.join(words) or 'nothing'!r} to --version; the sandbox "
                           f"needs bubblewrap {'.'.join(map(str, MINIMUM_BWRAP))} or newer "
                           "(--disable-userns): Debian 12, Ubuntu 24.04 or later")
        code = "import socket, utils; open('ok', 'w').write('ok'); print(open('ok').read())"
        try:
            with spec.seccomp() as seccomp_fds:  # libseccomp builds the filter
                result = subprocess.run(spec.argv([sys.executable, "-c", code], seccomp_fds),
                                        capture_output=True, text=True, timeout=120, pass_fds=seccomp_fds,
                                        preexec_fn=lambda: apply_rlimits(spec.limits))
        except SandboxError as error:
            return False, str(error)
        if result.returncode != 0 or result.stdout.strip() != "ok":
            return False, (f"bwrap is installed ({spec.bwrap}) but a sandbox could not run Python "
                           f"(exit {result.returncode}):\n{result.stderr.strip()}")
    return True, f"sandbox ok ({spec.bwrap})"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv[:1] == ["--check"]:
            ok, message = check()
            print(message, file=sys.stdout if ok else sys.stderr)
            return 0 if ok else 1
        if argv[:1] == ["--require"]:  # before grading: the reason and exit 1 when it must refuse
            with tempfile.TemporaryDirectory() as folder:
                sandboxed_environment(folder)
            return 0
        if len(argv) == 2 and argv[0] == "--install-kernelspec":
            print(install_kernelspec(argv[1]))
            return 0
        if len(argv) >= 2 and argv[0] == "-f":
            return launch(argv[1], argv[2:])
    except SandboxError as error:
        print(f"sandbox_kernel: {error}", file=sys.stderr)
        return 1 if argv[:1] == ["--require"] else 2
    print(__doc__.split("Usage:")[1].split("Only the")[0], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
