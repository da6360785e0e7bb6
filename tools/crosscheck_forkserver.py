"""The crosscheck's warm process: the libraries imported once, one forked child per submission.

Copied into the sandbox's private folder beside runner.py and module_file.py (tools/crosscheck.py,
WarmProcess) and started there as process 1 of the sandbox (bwrap --as-pid-1) as

    python -I forkserver.py SOCKET_FD FILTER_FD WORKDIR

It imports what runner.py and the course's notebooks import from libraries (numpy, torch,
torchvision, matplotlib with Agg, skimage's data, IPython's cell transformer), then serves the
trusted parent's jobs one at a time over SOCKET_FD (SOCK_SEQPACKET): a JSON header {files, seed,
cell_seconds, timeout} with the job's file descriptors (the results file, then the input files in
the order of `files`: notebook, probe_common, probes, shortcuts, plan). For each job it forks a
child that closes the socket, puts a /dev/null of its own on descriptors 0-2, copies the inputs
into a fresh folder in /tmp, loads the seccomp filter read from FILTER_FD
(tools.sandbox_kernel.seccomp_filter), says so through a pipe, and only then runs runner.main, as
`python -I runner.py` would in a fresh sandbox. The reply is {"status": exit status (negative:
killed by that signal), "timed_out", "setup_failed" (no word through the pipe: the notebook never
ran), "retire" (see below)}; the results file is read by the parent only.

Why the code of a submission, which only ever runs in a child, cannot reach this process or the
child of another submission:
- signals: this process is process 1 of its pid namespace and catches no signal (SIGINT is reset
  to its default; checked at start, glibc's internal signals aside), so the kernel drops every
  signal that a child sends it, SIGKILL included; a child cannot create processes (the filter),
  so nothing of it outlives it;
- memory: this process is not dumpable, so no process of its user can open /proc/1/mem or ptrace
  it (the sandbox has no capability), and the filter forbids ptrace and process_vm_* anyway; it
  has no writable shared mapping (checked at start), so what a child writes stays in its own
  copy-on-write pages; each job is answered in a function call of its own, so nothing of a job
  (its reply) is still bound here when the next child is forked;
- open files: a child shares none of this process's open file descriptions (their locks and
  flags would outlive it): it closes the socket and opens its own /dev/null;
- files: the sandbox's root is read-only; what a child can change (/tmp, /dev/shm, /dev/pts,
  WORKDIR) is brought back after it, before the next job is read, to the state bwrap left it in
  (snapshot before the imports): everything added removed, the modes, times and extended
  attributes of what bwrap made put back, and the file systems as free as then (no skeleton file
  grew); this is done by a short-lived child of this process, so no name a submission chose
  enters this process's memory, and this process reads nothing from there;
- kernel objects that outlive a process without being files (SysV IPC, POSIX message queues,
  keyrings) are forbidden by the filter, and so are io_uring and sockets other than Unix and
  netlink ones (a closed TCP connection's TIME_WAIT would outlive it in the shared loopback);
- what a process of the same user may change in another one and a child would inherit: the
  filter refuses prlimit, setpriority and ioprio_set on another process, and the resource
  limits, nice value, CPU affinity, scheduling policy, OOM score adjustment, core dump filter and
  autogroup of this process are compared with their values at start after every job;
- the socket is the only channel to the parent: the child closes it before anything else.
When the sandbox could not be brought back, or this process's inherited state changed, the reply
says "retire" and this process ends: the job's result stands (its child ran in a clean sandbox),
and the parent starts a new warm process for the next job. Whatever else fails here (the
start-up checks, the socket) ends this process without a reply; the parent then runs the job in a
fresh process of its own, as it does when the child's setup failed.
What this does not hide: a child can see this process in /proc (its command line, its status,
its descriptors' numbers), and counters that only grow (process ids, inode numbers, the change
times that restoring sets) tell a child how much the jobs before it did, and the inode flags of
the folders bwrap made (chattr) are not put back: a few bits. The sandbox has a session, hence a
scheduler autogroup, of its own (tools.crosscheck_warm), so a child that renices it reaches
nobody else, and this process then retires. Channels
between two sandboxes that run at the same time or one after another exist outside this design
too (the page cache of the shared read-only files, say), so two colluding submissions can pass
data to each other; see tools/crosscheck.py.
"""

import atexit
import ctypes
import errno
import json
import os
import random
import resource
import select
import shutil
import signal
import socket
import stat
import sys
import tempfile

PR_SET_DUMPABLE, PR_SET_SECCOMP, PR_SET_NO_NEW_PRIVS, SECCOMP_MODE_FILTER = 4, 22, 38, 2
GLIBC_SIGNALS = {32, 33}  # SIGCANCEL and SIGSETXID: glibc's own handlers ignore signals from others
MAX_HEADER = 1 << 16
WRITABLE = ("/tmp", "/dev/shm", "/dev/pts")  # and WORKDIR: what a child can change (/dev/pts: modes, times)
_libc = ctypes.CDLL(None, use_errno=True)


class SockFprog(ctypes.Structure):
    """struct sock_fprog: a classic BPF program (8 bytes per instruction) for PR_SET_SECCOMP."""
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def prctl(option, value, pointer=0):
    """prctl(option, value, pointer, 0, 0); OSError when it fails."""
    if _libc.prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_void_p(pointer),
                   ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"prctl({option}, {value}): {os.strerror(error)}")


def load_filter(program):
    """Install the seccomp filter `program` (bytes of classic BPF) on this process, for good."""
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = SockFprog(len(program) // 8, ctypes.addressof(buffer))
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog))


def warm_up():
    """Import the runner and the libraries every run imports; return the runner module."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import runner  # numpy and torch
    del sys.path[0]
    for name in ("torchvision", "matplotlib.pyplot", "skimage.data", "IPython.core.inputtransformer2"):
        try:
            __import__(name)
        except ImportError:
            pass  # the notebook's import fails in the child, as it would in a fresh process
    return runner


def caught_signals():
    """Numbers of the signals this process has a handler for (SigCgt of /proc/self/status)."""
    with open("/proc/self/status") as status:
        mask = next(int(line.split()[1], 16) for line in status if line.startswith("SigCgt:"))
    return {bit + 1 for bit in range(64) if mask >> bit & 1}


def writable_shared_mappings():
    """Lines of /proc/self/maps that a child could write and this process would see."""
    with open("/proc/self/maps") as maps:
        return [line for line in maps if line.split()[1][1] == "w" and line.split()[1][3] == "s"]


def seal():
    """Make this process unreachable for its children (see the module docstring); ValueError if not."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if os.getpid() != 1:
        raise ValueError(f"the warm process must be process 1 of its sandbox, it is {os.getpid()}")
    handled = caught_signals() - GLIBC_SIGNALS
    if handled:
        raise ValueError(f"signal handlers installed for {sorted(handled)}")
    shared = writable_shared_mappings()
    if shared:
        raise ValueError(f"writable shared mappings: {shared[:3]}")
    prctl(PR_SET_DUMPABLE, 0)


def snapshot(roots):
    """{path: (inode, device, mode, own, (atime, mtime))} of `roots` and everything under them,
    mount points included but not what is inside one (`own`: on the root's own file system): the
    skeleton that bwrap made (the folders that lead to the sandbox's mounts under /tmp, say), which
    must survive every job as it is. A folder that a child renamed and replaced by one of its own
    is caught at the mount point under it: a folder of the child's is on the tmpfs's device, never
    on the mount's."""
    found = {}

    def walk(path, device):
        info = os.lstat(path)
        own = info.st_dev == device
        found[path] = (info.st_ino, info.st_dev, info.st_mode, own, (info.st_atime_ns, info.st_mtime_ns))
        if own and stat.S_ISDIR(info.st_mode):
            with os.scandir(path) as entries:
                for entry in entries:
                    walk(entry.path, device)

    for root in roots:
        walk(root, os.lstat(root).st_dev)
    return found


def inherited_state():
    """What a child inherits from this process and another process of its user can change: the
    resource limits (prlimit; the filter refuses it for another process), the nice value, the CPU
    affinity, the scheduling policy, the OOM score adjustment, the core dump filter and the
    autogroup's nice value."""
    limits = [resource.getrlimit(getattr(resource, name)) for name in sorted(dir(resource))
              if name.startswith("RLIMIT_")]
    with open("/proc/self/oom_score_adj") as oom, open("/proc/self/autogroup") as group, \
            open("/proc/self/coredump_filter") as dumps:
        # autogroup's first field is the group's number, which other processes may change too
        return (limits, os.getpriority(os.PRIO_PROCESS, 0), sorted(os.sched_getaffinity(0)),
                os.sched_getscheduler(0), oom.read(), group.read().split()[-1], dumps.read())


def listxattr(path):
    """The extended attributes of `path` (none where the file system has none)."""
    try:
        return os.listxattr(path, follow_symlinks=False)
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return []
        raise


def usage(roots):
    """(free blocks, free inodes) of each root's file system: what the skeleton's files may hold."""
    return [(info.f_bfree, info.f_ffree) for info in map(os.statvfs, roots)]


def clean(roots, skeleton, free):
    """restore() every root in a child of this process (so that no name a job's child chose ever
    enters this process's memory); True when the child restored all and the file systems are as
    free as at start."""
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            for root in roots:
                restore(root, skeleton)
            status = 0 if usage(roots) == free else 2
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def unlock(folder):
    """Give every folder under `folder` (links not followed) back its owner's rights."""
    os.chmod(folder, 0o700)
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                unlock(entry.path)


def restore(path, skeleton):
    """Remove what a child added under `path` (a skeleton path), put the skeleton's modes, times
    and extended attributes back where they changed; ValueError when the skeleton itself was
    changed."""
    inode, device, mode, own, times = skeleton[path]
    info = os.lstat(path)
    if (info.st_ino, info.st_dev, stat.S_IFMT(info.st_mode)) != (inode, device, stat.S_IFMT(mode)):
        raise ValueError(f"{path} was replaced")
    if not own:
        return  # a mount point: what is in it is another file system's (read-only, or a root)
    for name in listxattr(path):
        os.removexattr(path, name, follow_symlinks=False)
    if stat.S_ISDIR(mode):
        if info.st_mode != mode:
            os.chmod(path, 0o700)  # a child may have locked it; it owns it, and so does this process
        with os.scandir(path) as entries:
            listed = list(entries)
        for entry in listed:
            if entry.path in skeleton:
                restore(entry.path, skeleton)
            elif entry.is_dir(follow_symlinks=False):
                unlock(entry.path)
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        missing = [p for p in skeleton if os.path.dirname(p) == path and p != path and not os.path.lexists(p)]
        if missing:
            raise ValueError(f"{missing[0]} was removed")
    info = os.lstat(path)
    if info.st_mode != mode and not stat.S_ISLNK(mode):
        os.chmod(path, stat.S_IMODE(mode))
    if (info.st_atime_ns, info.st_mtime_ns) != times:
        os.utime(path, ns=times, follow_symlinks=False)


def child(runner, job, fds, channel, program, ready):
    """Set up and run one job (never returns): descriptors of its own, inputs copied, filter
    loaded, a byte written to `ready` (the setup succeeded), then runner.main."""
    status = 1  # an error around the runner, as an uncaught exception in a fresh process
    try:
        channel.close()
        null = os.open(os.devnull, os.O_RDWR)  # not this process's /dev/null: its locks and flags are shared
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)
        results, inputs = fds[0], fds[1:]
        folder = tempfile.mkdtemp(dir="/tmp")
        paths = []
        for name, fd in zip(job["files"], inputs, strict=True):
            paths.append(os.path.join(folder, os.path.basename(name)))
            with open(fd, "rb") as source, open(paths[-1], "xb") as target:
                shutil.copyfileobj(source, target)
        os.chdir(folder)
        prctl(PR_SET_DUMPABLE, 1)  # this process only: /proc/self/* as in a fresh process
        signal.signal(signal.SIGINT, signal.default_int_handler)
        random.seed()  # a fresh process seeds these from the system; torch's default seed is fixed
        runner.np.random.seed()
        load_filter(program)
        os.write(ready, b"1")
        os.close(ready)
        notebook, common, probes, shortcuts, plan = paths
        runner.main([notebook, os.pathsep.join([common, probes, shortcuts]), plan, str(job["seed"]),
                     str(job["cell_seconds"])], results)
        atexit._run_exitfuncs()
        status = 0
    finally:
        os._exit(status)


def run(runner, job, fds, channel, program):
    """Run `job` in a child; return {status, timed_out, setup_failed} (see the module docstring)."""
    ready, told = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(ready)
        child(runner, job, fds, channel, program, told)
    os.close(told)
    for fd in fds:
        os.close(fd)
    watch = os.pidfd_open(pid)
    timed_out = not select.select([watch], [], [], job["timeout"])[0]
    if timed_out:
        signal.pidfd_send_signal(watch, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    os.close(watch)
    set_up = os.read(ready, 1) == b"1"  # the child has ended: the pipe holds its byte or nothing
    os.close(ready)
    return {"status": os.waitstatus_to_exitcode(status), "timed_out": timed_out, "setup_failed": not set_up}


def answer(channel, runner, program, roots, skeleton, free, state):
    """Receive one job, run it, bring the sandbox back; send the reply. False when the parent
    closed the socket; "retire" in the reply (and returned) when the sandbox could not be brought
    back to its state at start: the job's own result stands, this process then ends."""
    message, fds, _flags, _address = socket.recv_fds(channel, MAX_HEADER, 8)
    if not message:
        return False
    reply = run(runner, json.loads(message), fds, channel, program)
    reply["retire"] = not clean(roots, skeleton, free) or inherited_state() != state
    channel.send(json.dumps(reply).encode())
    return not reply["retire"]


def serve(channel, program, workdir):
    """Answer the parent's jobs until it closes the socket or a job leaves the sandbox changed.
    Each job is answered in a call of its own, so that nothing of it is left bound here."""
    roots = [root for root in (*WRITABLE, workdir) if os.path.isdir(root)]
    skeleton, free = snapshot(roots), usage(roots)  # before the imports write caches to /tmp
    runner = warm_up()
    try:
        seal()
        if not clean(roots, skeleton, free):  # the imports' caches: the first child sees what the others see
            raise ValueError("the sandbox could not be brought back to its state before the imports")
    except (ValueError, OSError) as error:
        channel.send(json.dumps({"ready": False, "why": str(error)[:500]}).encode())
        return
    state = inherited_state()
    channel.send(json.dumps({"ready": True}).encode())
    while answer(channel, runner, program, roots, skeleton, free, state):
        pass


def main(argv):
    channel_fd, filter_fd, workdir = argv
    channel = socket.socket(fileno=int(channel_fd))
    with open(int(filter_fd), "rb") as source:
        program = source.read()
    serve(channel, program, workdir)


if __name__ == "__main__":
    main(sys.argv[1:])
