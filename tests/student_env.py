"""The student copy of the course, built by `make student-copy`'s code, unpacked in a temporary
folder and installed as its README says (the `student_course` fixture of tests/conftest.py, used by
tests/test_student_copy.py and tests/test_browser.py).

How honest the install is, and why: the README's commands run as written (`python -m venv .venv`,
`pip install -r requirements.txt`, `pip install --no-deps -e .`, `python configure_jupyter.py`)
with this machine's pip and its package sources, except for one thing. On Linux x86_64 the lock
pins PyTorch's CUDA build: torch, torchvision, triton and 18 nvidia/cuda wheels, 5.5 GB unpacked;
installing them took 8.5 minutes on the loaded 2-core machine, too long to repeat in every
`make test`. So:
1. `pip install --dry-run -r requirements.txt` in the new environment resolves the whole lock,
   heavy wheels included, from what pip finds here (no version may change, nothing may be added);
2. `pip install -r` installs every other pin for real (JupyterLab, nbgrader, numpy, ...);
3. the heavy distributions, exactly the versions pinned, are borrowed from the course's own .venv
   (which `make setup` installed from the same lock): symbolic links to their files (`dist.files`)
   in one folder, put on the new environment's path by a `.pth` file; `pip check` then checks the
   environment's dependencies, those included.
"""

import json
import os
import subprocess
import sys
import zipfile
from importlib.metadata import distribution
from pathlib import Path
from typing import NamedTuple

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools.student_copy import build

HEAVY_PREFIXES = ("nvidia-", "cuda-")
HEAVY_NAMES = {"torch", "torchvision", "triton"}


class StudentCourse(NamedTuple):
    archive: Path     # the zip that `make student-copy` writes
    root: Path        # the unpacked course folder
    python: Path      # the student environment's Python
    env: dict         # environment variables of a terminal with that environment active
    planned: dict     # {package: version} that `pip install --dry-run -r requirements.txt` chose
    log: str          # what the install commands printed


def is_heavy(name):
    name = canonicalize_name(name)
    return name in HEAVY_NAMES or name.startswith(HEAVY_PREFIXES)


def student_environment(root, home):
    """os.environ as in a student's terminal in `root` with `.venv` activated: nothing of the
    course's own .venv, Jupyter and IPython settings in an empty home folder."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "IPYTHON", "VIRTUAL_ENV", "PYTHON", "MPLCONFIGDIR", "NBGRADER",
                                "COURSE_", "CROSSCHECK"))}
    venv_bin = Path(sys.prefix) / "bin"
    path = [p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != venv_bin]
    env.update(PATH=os.pathsep.join([str(root / ".venv" / "bin"), *path]), VIRTUAL_ENV=str(root / ".venv"),
               HOME=str(home), MPLBACKEND="Agg")
    return env


def run(command, root, env, log):
    """Run `command` in `root`; append its output to `log`; raise with that output on failure."""
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    log.append(f"$ {' '.join(map(str, command))}\n{done.stdout}{done.stderr}")
    if done.returncode:
        raise RuntimeError(f"student install step failed: {' '.join(map(str, command))}\n"
                           f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done.stdout


def borrow(names, target, site_packages):
    """Link the files of the distributions `names` ({name: version}, installed in this test's own
    environment) into `target`; put `target` on the path of the environment of `site_packages`."""
    target.mkdir()
    for name, pinned in names.items():
        dist = distribution(name)
        if dist.version.split("+")[0] != pinned:
            raise RuntimeError(f"cannot borrow {name}: {dist.version} installed here, the lock says {pinned}")
        tops = {Path(f).parts[0] for f in dist.files if not str(f).startswith("..")}
        for top in tops:
            link = target / top
            if not link.exists():
                link.symlink_to(Path(dist.locate_file(top)))
    (site_packages / "course-borrowed.pth").write_text(f"{target}\n")


def install(archive, where):
    """Unpack `archive` into `where` and install it as its README says (see the module docstring)."""
    with zipfile.ZipFile(archive) as bundle:
        bundle.extractall(where)
        (top,) = {Path(n).parts[0] for n in bundle.namelist()}
    root = Path(where) / top
    for member in root.rglob("*"):  # zipfile does not restore permissions
        member.chmod(0o755 if member.is_dir() else 0o644)
    env = student_environment(root, Path(where) / "home")
    (Path(where) / "home").mkdir()
    log = []
    run([sys.executable, "-m", "venv", ".venv"], root, env, log)
    python = root / ".venv" / "bin" / "python"
    report = Path(where) / "dry-run.json"
    run([python, "-m", "pip", "install", "--dry-run", "--quiet", "--report", report,
         "-r", "requirements.txt"], root, env, log)
    planned = {canonicalize_name(i["metadata"]["name"]): i["metadata"]["version"]
               for i in json.loads(report.read_text())["install"]}
    lines = (root / "requirements.txt").read_text().splitlines()
    light = [line for line in lines if not line.strip() or line.lstrip().startswith("#")
             or not is_heavy(Requirement(line).name)]
    (Path(where) / "light.txt").write_text("\n".join(light) + "\n")
    run([python, "-m", "pip", "install", "--quiet", "-r", Path(where) / "light.txt"], root, env, log)
    heavy = {name: version for name, version in planned.items() if is_heavy(name)}
    site_packages = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             root, env, log).strip())
    borrow(heavy, Path(where) / "borrowed", site_packages)
    run([python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", "."], root, env, log)
    run([python, "configure_jupyter.py"], root, env, log)
    run([python, "-m", "pip", "check"], root, env, log)
    return StudentCourse(Path(archive), root, python, env, planned, "\n".join(log))


def build_and_install(tmp):
    """Build the student copy in folder `tmp`, unpack and install it there: a StudentCourse."""
    archive = build(Path(tmp) / "dist" / "course-student.zip")
    return install(archive, Path(tmp) / "unpacked")
