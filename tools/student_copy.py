"""Build the student copy of the course: one zip archive with what students need and nothing else.

    python -m tools.student_copy [--output dist/<course_id>-student.zip]

The archive holds one folder, `<course_id>-student/`, with `release/` (the student notebooks),
`utils/` (the helpers they import), the dependency files (`requirements.txt`, `pyproject.toml`)
and the student side of `student/`: its README.md (install, open, work, Validate, submit), Makefile,
nbgrader_config.py and configure_jupyter.py, which need nothing from `tools/`. Never `source/`,
`tools/` (probes), `tests/` (mutants) or anything else of the instructors'. File times are fixed,
so the same course gives the same archive.
"""

import argparse
import zipfile
from pathlib import Path

from tools.course import ROOT, nbgrader_config

FOLDERS = ("release", "utils")
FILES = {"requirements.txt": "requirements.txt", "pyproject.toml": "pyproject.toml",
         "student/README.md": "README.md", "student/Makefile": "Makefile",
         "student/nbgrader_config.py": "nbgrader_config.py",
         "student/configure_jupyter.py": "configure_jupyter.py"}
SKIPPED = {"__pycache__", ".ipynb_checkpoints"}
DATE = (2020, 1, 1, 0, 0, 0)


def course_id(root=ROOT):
    return nbgrader_config(root).CourseDirectory.course_id


def default_output(root=ROOT):
    return Path(root) / "dist" / f"{course_id(root)}-student.zip"


def members(root=ROOT):
    """[(path in the course, path in the archive's folder)] of everything the archive holds."""
    root = Path(root)
    found = []
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if path.is_file() and not SKIPPED & set(relative.parts) and path.suffix != ".pyc":
                found.append((path, relative.as_posix()))
    found += [(root / source, name) for source, name in FILES.items()]
    return found


def build(output=None, root=ROOT):
    """Write the archive to `output` (default dist/<course_id>-student.zip); return its path."""
    output = Path(output) if output else default_output(root)
    output.parent.mkdir(parents=True, exist_ok=True)
    top = f"{course_id(root)}-student"
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in members(root):
            info = zipfile.ZipInfo(f"{top}/{name}", DATE)
            info.external_attr = (path.stat().st_mode & 0o777 | 0o100000) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return output


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", help="archive to write (default: dist/<course_id>-student.zip)")
    path = build(parser.parse_args(argv).output)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
