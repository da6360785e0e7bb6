"""What a grading kernel runs first, inside the sandbox (tools/sandbox_kernel.py, launch), as

    python -P prelude.py TASKS -f CONNECTION_FILE [KERNEL ARGS...]

It sets RLIMIT_NPROC to TASKS only now, inside the sandbox's user namespace, so that the limit
counts the sandbox's own tasks instead of every process of the grader's user; then it runs
ipykernel's launcher with the remaining arguments. `-P` and the path filter below keep every
module of the submission's folder (the working folder) from standing in for these or ipykernel.
The launcher copies this file into the kernel's private folder, so no folder of the course is shown.
"""

import sys

sys.path[:] = [p for p in sys.path if p not in ("", ".")]

import resource  # noqa: E402 (after the path filter)
import runpy  # noqa: E402

tasks = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_NPROC, (tasks, tasks))
sys.argv[0] = "ipykernel_launcher"
runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
