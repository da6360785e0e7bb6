"""Intake: submissions are data, checked and copied before nbgrader sees them.

nbgrader reads the submission folder with the grader's rights, outside the sandbox, following
links and globbing student ids; so `make grade` never lets it read `submitted/`. Each
`submitted/<student>/<assignment>/` is checked here and its notebook copied into a clean staging
area, `STAGING/<student>/<assignment>/<name>.ipynb` (STAGING is nbgrader's
`CourseDirectory.submitted_directory` while grading, see tools.autograde); what was done is
recorded in a manifest (`MANIFESTS/<assignment>/<student>.json`) whose notes go into the row.

The rules:
- Student ids match STUDENT_ID (letters, digits, `.`, `_`, `-`, starting with a letter or digit):
  nbgrader treats an id as a glob pattern and splits exclusion lists at commas, so `[a]lice`
  or `b,alice` would change whose work is graded. Other folders are reported, not graded.
- Assignment folders are the names of `source/`'s assignments; others are reported (with the
  closest name), as are files where a folder was expected.
- Only regular files are read: a symbolic link, device, FIFO or socket is never opened (lstat,
  then open with O_NOFOLLOW | O_NONBLOCK and fstat of what was opened), nor is a file with other
  hard links (another file's content), one over MAX_NOTEBOOK_BYTES, or more than MAX_NOTEBOOKS
  notebooks; a folder of more than MAX_ENTRIES names is not looked at. Everything left out is
  named in the notes (Jupyter's `.ipynb_checkpoints` folder is left out silently).
- The notebook: the release's name when that file is a readable notebook; otherwise the single
  readable notebook of another name (a browser's `norm_layers (1).ipynb`), graded under the
  release's name with the note "renamed from ...". Unreadable or extra notebooks are named and
  left out, so they never sink a good submission. No readable notebook, or several of other
  names: `malformed`, not graded. Readable means JSON that nbformat reads and validates (older
  versions are converted to version 4).
- nbgrader metadata of a cell that is not of the form nbgrader writes (a mapping whose known keys
  have the right types) is removed from the staged copy, with a note: the cell is then ordinary,
  and nbgrader puts the original test cells back (tools/plugins/overwrite_known_cells.py).
"""

import difflib
import json
import os
import re
import shutil
import stat
from pathlib import Path

import nbformat

from tools.course import assignments, notebooks
from tools.notebook_model import make_ordinary, well_formed
from tools.row import Row
from tools.status import Status

STAGING = Path(".cache") / "intake" / "submitted"  # relative to the course root
STAGED = "staged"  # a manifest's status when the submission was staged for grading
MANIFESTS = Path(".cache") / "intake" / "manifests"
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
MAX_NOTEBOOK_BYTES = 64 * 2**20
MAX_ENTRIES = 1000  # names in one student's or submission's folder; more: not looked at
MAX_STUDENTS = 100000  # names in submitted/
MAX_NOTEBOOKS = 10  # notebook files read in one submission (the release's name first)
SILENT = {".ipynb_checkpoints"}


def shown(name):
    """`name` safe to print in a table or a note (control characters escaped, at most 80 chars)."""
    text = name if name.isprintable() else name.encode("unicode_escape", errors="backslashreplace").decode()
    return text if len(text) <= 80 else text[:77] + "..."


def entries(folder, limit=MAX_ENTRIES):
    """([(name, kind)], notes) of the entries of `folder` (kind: "dir", "file", "link", "other"),
    without following links; none, and a note, when it holds more than `limit`."""
    found = []
    with os.scandir(folder) as scan:
        for entry in scan:
            if len(found) >= limit:
                return [], [f"{shown(Path(folder).name)}/ holds more than {limit} names: not looked at"]
            mode = entry.stat(follow_symlinks=False).st_mode
            kind = ("link" if stat.S_ISLNK(mode) else "dir" if stat.S_ISDIR(mode)
                    else "file" if stat.S_ISREG(mode) else "other")
            found.append((entry.name, kind))
    return sorted(found), []


def scan(root):
    """({assignment: [student, ...]} of the folders to grade, [rejected row, ...]) of `root/submitted`.

    A rejected row (a tools.row.Row: status `rejected`, no score) names a folder or file that is not a
    submission: an invalid student id, an unknown assignment folder, a link or a stray file.
    """
    known, batches, rejected = assignments(root), {}, []
    top = Path(root) / "submitted"
    if not top.is_dir():
        return {}, []

    def reject(student, assignment, note):
        rejected.append(Row(shown(student), shown(assignment), Status.REJECTED, notes=[note]))

    students, notes = entries(top, MAX_STUDENTS)
    for note in notes:
        reject("", "", note)
    for student, kind in students:
        if kind != "dir":
            reject(student, "", f"submitted/{shown(student)} is a {describe(kind)}, not a student's folder: "
                                "not graded")
        elif not STUDENT_ID.match(student):
            reject(student, "", "not a valid student id (letters, digits, '.', '_', '-', starting with a "
                                "letter or digit, at most 64): not graded")
        else:
            folders, notes = entries(top / student)
            for note in notes:
                reject(student, "", note)
            for assignment, kind in folders:
                if assignment in known and kind == "dir":
                    batches.setdefault(assignment, []).append(student)
                elif assignment in known:
                    reject(student, assignment, f"{shown(assignment)} is a {describe(kind)}, not a folder: "
                                                "not graded")
                else:
                    close = difflib.get_close_matches(assignment, known, n=1, cutoff=0.6)
                    hint = f" (did you mean {close[0]}?)" if close else ""
                    reject(student, assignment, f"unknown assignment folder {shown(assignment)}{hint}: "
                                                f"the assignments are {', '.join(known)}; not graded")
    return {a: sorted(s) for a, s in sorted(batches.items())}, rejected


def describe(kind):
    return {"link": "symbolic link", "dir": "folder", "file": "file"}.get(kind, "special file (device, FIFO "
                                                                              "or socket)")


def expected_names(root, assignment):
    """File names of the assignment's notebooks, as released (the source's when there is no release)."""
    names = [p.name for p in notebooks(root, assignment, "release")]
    return names or [p.name for p in notebooks(root, assignment, "source")]


def read_regular(path, limit=MAX_NOTEBOOK_BYTES):
    """(bytes, None) of the regular file `path`, or (None, why not): never follows a link or opens
    a device or FIFO as a file, never reads more than `limit` + 1 bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        return None, "a symbolic link" if error.errno == 40 else f"not readable ({error.strerror})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, "not a regular file"
        if info.st_nlink > 1:
            return None, "a hard link to another file"
        if info.st_size > limit:
            return None, f"larger than {limit // 2**20} MiB"
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, 2**20)):
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            return None, f"larger than {limit // 2**20} MiB"
        return b"".join(chunks), None
    finally:
        os.close(fd)


def parse_notebook(data):
    """The NotebookNode (version 4) of the bytes `data`, or None when it is not a valid notebook."""
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
        nbformat.validate(notebook)
        return notebook
    except Exception:  # noqa: BLE001 - whatever fails to parse or validate is not a notebook
        return None


def clean_metadata(notebook):
    """Remove nbgrader metadata not of nbgrader's form from `notebook`'s cells (in place); return notes."""
    notes = []
    for index, cell in enumerate(notebook.cells):
        if not well_formed(cell):
            make_ordinary(cell)
            notes.append(f"cell {index}: nbgrader metadata not of nbgrader's form, removed (the cell is "
                         "graded as an ordinary cell)")
    return notes


def choose(folder, expected):
    """({expected name: NotebookNode}, notes) of the submission in `folder` (see the rules above)."""
    names, notes = entries(folder)
    readable, chosen, left_out, read = {}, {}, [], 0
    for name, kind in sorted(names, key=lambda entry: entry[0] not in expected):  # expected names first
        if name in SILENT:
            continue
        if kind != "file":
            left_out.append(f"{shown(name)} ({describe(kind)})")
            continue
        if not name.endswith(".ipynb"):
            left_out.append(f"{shown(name)} (not a notebook)")
            continue
        read += 1
        if read > MAX_NOTEBOOKS:
            left_out.append(f"{shown(name)} (not read: more than {MAX_NOTEBOOKS} notebooks)")
            continue
        data, problem = read_regular(folder / name)
        notebook = parse_notebook(data) if data is not None else None
        if notebook is None:
            left_out.append(f"{shown(name)} ({problem or 'not a readable notebook'})")
        else:
            readable[name] = notebook
    for name in expected:
        if name in readable:
            chosen[name] = readable.pop(name)
    missing = [name for name in expected if name not in chosen]
    if len(missing) == 1 and len(readable) == 1:
        (renamed,) = readable
        chosen[missing[0]] = readable.pop(renamed)
        notes.append(f"renamed from {shown(renamed)}: graded as {missing[0]}")
    left_out += [f"{shown(name)} (another notebook)" for name in sorted(readable)]
    if left_out:
        notes.append("left out: " + ", ".join(left_out))
    for name in missing:
        if name not in chosen:
            notes.append(f"no readable notebook {name}" + (
                f" (and several others: {', '.join(map(shown, sorted(readable)))}; hand in one)"
                if len(readable) > 1 else ""))
    return chosen, notes


def stage(root, assignment, student):
    """Check `submitted/<student>/<assignment>` and copy its notebook to the staging area; return
    the manifest {"status": "staged" or "malformed", "notebooks": [names], "notes": [...]}."""
    root = Path(root)
    staged = root / STAGING / student / assignment
    shutil.rmtree(staged, ignore_errors=True)
    expected = expected_names(root, assignment)
    try:
        chosen, notes = choose(root / "submitted" / student / assignment, expected)
    except OSError as error:
        chosen, notes = {}, [f"the submission folder could not be read ({error.strerror})"]
    complete = len(chosen) == len(expected)
    manifest = {"status": STAGED if complete else Status.MALFORMED,
                "notebooks": sorted(chosen) if complete else [], "notes": notes}
    if manifest["status"] == STAGED:
        staged.mkdir(parents=True)
        for name, notebook in chosen.items():
            manifest["notes"] += clean_metadata(notebook)
            nbformat.write(notebook, staged / name)
    else:
        manifest["notes"].append("not graded: hand in the notebook " + " and ".join(expected))
    path = root / MANIFESTS / assignment / f"{student}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=1))
    return manifest


def manifest(root, assignment, student):
    """The manifest `stage` wrote for this submission, or None."""
    path = Path(root) / MANIFESTS / assignment / f"{student}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def staged_notebooks(root, assignment, student):
    """{name: path} of the staged notebooks of a submission (what nbgrader graded)."""
    found = manifest(root, assignment, student) or {"notebooks": []}
    return {name: Path(root) / STAGING / student / assignment / name for name in found["notebooks"]}
