"""Builds a temporary copy of the course, its submissions (reference, blank, mutants), and grades them.

A mutant is `tests/mutants/<assignment>/<name>.py`: a module docstring naming the mistake, then
either one top-level replacement definition (function or class) of an exercise, or a patch of the
reference's definition: `TARGET = "<name>"` and `PATCH = [(old, new), ...]`, each `old` occurring
exactly once in that definition. A docstring line starting `Hidden only:` says why the visible
checks are not expected to catch it (tests/test_visible_checks.py). Its submission is the release
notebook with every solution cell filled from the source notebook, then that one definition
swapped in or patched. Its target cells are the graded test cells that follow the solution cell
defining the name, up to the next solution cell.
"""

import ast
import os
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import nbformat

from tools.course import ROOT, assignments, grading_info, is_test_cell, notebooks

MUTANTS = ROOT / "tests" / "mutants"
COPIED = ("source", "release", "tools", "nbgrader_config.py")


def selected_assignments():
    """The assignments under test: all, or those listed in $COURSE_TEST_ASSIGNMENTS (a,b,...)."""
    wanted = [a for a in os.environ.get("COURSE_TEST_ASSIGNMENTS", "").split(",") if a]
    unknown = sorted(set(wanted) - set(assignments(ROOT)))
    if unknown:
        raise ValueError(f"COURSE_TEST_ASSIGNMENTS names unknown assignments {unknown}")
    return wanted or assignments(ROOT)


def copy_course(dest):
    """Copy what grading needs (source, release, tools, config) into `dest`; return its Path."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, dest / name)
    (dest / "autograded").mkdir(exist_ok=True)
    return dest


def mutant_files(assignment=None):
    """Mutant paths, for one assignment or for all."""
    folders = [MUTANTS / a for a in ([assignment] if assignment else selected_assignments())]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.glob("*.py"))


class Mutant(NamedTuple):
    """A typical mistake: its docstring, the exercise name it changes, and how."""

    docstring: str
    name: str
    definition: str | None  # the whole replacement definition, or None for a patch
    patch: list  # [(old, new), ...] applied to the reference definition ([] with a definition)


def parse_mutant(path):
    """Return the Mutant of a mutant file; raise ValueError if malformed."""
    text = Path(path).read_text()
    tree = ast.parse(text)
    docstring = ast.get_docstring(tree)
    if not docstring:
        raise ValueError(f"{path}: a mutant needs a module docstring naming the mistake")
    definitions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    constants = {target.id: node.value for node in tree.body if isinstance(node, ast.Assign)
                 for target in node.targets if isinstance(target, ast.Name)}
    if definitions and not constants and len(definitions) == 1:
        node = definitions[0]
        return Mutant(docstring, node.name, ast.get_source_segment(text, node, padded=False), [])
    if not definitions and set(constants) == {"TARGET", "PATCH"}:
        name, patch = ast.literal_eval(constants["TARGET"]), ast.literal_eval(constants["PATCH"])
        if not (isinstance(name, str) and isinstance(patch, list) and patch
                and all(isinstance(p, tuple) and len(p) == 2 and all(isinstance(s, str) for s in p)
                        for p in patch)):
            raise ValueError(f"{path}: TARGET must be a name, PATCH a non-empty list of (old, new) strings")
        return Mutant(docstring, name, None, patch)
    raise ValueError(f"{path}: expected exactly one top-level def or class, or TARGET and PATCH, "
                     f"got {len(definitions)} definitions and constants {sorted(constants)}")


def hidden_only_reason(mutant):
    """The reason a mutant is left to the hidden tests (its `Hidden only:` line), or None."""
    lines = [line for line in mutant.docstring.splitlines() if line.startswith("Hidden only:")]
    return lines[0].removeprefix("Hidden only:").strip() if lines else None


def patched(definition, patch, path):
    """`definition` with each (old, new) of `patch` applied; each old must occur exactly once."""
    for old, new in patch:
        if definition.count(old) != 1:
            raise ValueError(f"{path}: {old!r} occurs {definition.count(old)} times in the reference "
                             "definition, expected exactly once")
        definition = definition.replace(old, new)
    return definition


def defined_names(source):
    """{name: (first line, last line)} (0-based, inclusive) of top-level defs/classes in `source`."""
    spans = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            spans[node.name] = (first, node.end_lineno - 1)
    return spans


def filled_release(assignment):
    """The release notebook of `assignment` with every solution cell taken from the source."""
    (source_path,) = notebooks(ROOT, assignment, "source")
    (release_path,) = notebooks(ROOT, assignment, "release")
    source = nbformat.read(source_path, as_version=4)
    release = nbformat.read(release_path, as_version=4)
    answers = {grading_info(c)["grade_id"]: c.source for c in source.cells if grading_info(c).get("solution")}
    for cell in release.cells:
        if grading_info(cell).get("solution"):
            cell.source = answers[grading_info(cell)["grade_id"]]
    return release


def apply_mutant(notebook, path):
    """Swap the mutant's definition into `notebook` (in place); return its target grade ids."""
    mutant = parse_mutant(path)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or not grading_info(cell).get("solution"):
            continue
        spans = defined_names(cell.source)
        if mutant.name in spans:
            first, last = spans[mutant.name]
            lines = cell.source.split("\n")
            definition = mutant.definition or patched("\n".join(lines[first:last + 1]), mutant.patch, path)
            cell.source = "\n".join(lines[:first] + definition.split("\n") + lines[last + 1:])
            return target_cells(notebook, index)
    raise ValueError(f"{path}: no solution cell of the notebook defines {mutant.name!r}")


def target_cells(notebook, solution_index):
    """Grade ids of the graded test cells after cell `solution_index`, up to the next solution cell."""
    targets = []
    for cell in notebook.cells[solution_index + 1:]:
        info = grading_info(cell)
        if info.get("solution"):
            break
        if info.get("grade"):
            targets.append(info["grade_id"])
    return targets


def submit(root, student, assignment, notebook):
    """Write `notebook` (a NotebookNode, or raw text) as a submission of `student`."""
    (name,) = [p.name for p in notebooks(ROOT, assignment, "source")]
    folder = Path(root) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(notebook, str):
        (folder / name).write_text(notebook)
    else:
        nbformat.write(notebook, folder / name)


def tampered_release(assignment, replacement):
    """The untouched release with every test cell's source set to `replacement`, or deleted if None."""
    (release_path,) = notebooks(ROOT, assignment, "release")
    notebook = nbformat.read(release_path, as_version=4)
    if replacement is None:
        notebook.cells = [c for c in notebook.cells if not is_test_cell(c)]
    for cell in notebook.cells:
        if is_test_cell(cell):
            cell.source = replacement
    return notebook


def build_submissions(root, assignments):
    """Create every test submission of `assignments` in `root`; return {student: (assignment, targets)}."""
    plan = {}
    for assignment in assignments:
        (source_path,) = notebooks(ROOT, assignment, "source")
        submit(root, "reference", assignment, nbformat.read(source_path, as_version=4))
        (release_path,) = notebooks(ROOT, assignment, "release")
        submit(root, "blank", assignment, nbformat.read(release_path, as_version=4))
        submit(root, "filled", assignment, filled_release(assignment))
        plan.update({"reference": None, "blank": None, "filled": None, "malformed": None,
                     "attack-pass": None, "attack-deleted": None})
        for path in mutant_files(assignment):
            notebook = filled_release(assignment)
            targets = apply_mutant(notebook, path)
            student = f"mutant-{assignment[:2]}-{path.stem}"
            submit(root, student, assignment, notebook)
            plan[student] = (assignment, targets)
        submit(root, "malformed", assignment, '{"cells": [ this is not JSON')
        submit(root, "attack-pass", assignment, tampered_release(assignment, "pass"))
        submit(root, "attack-deleted", assignment, tampered_release(assignment, None))
    return plan


def block_lines(notebook, kind):
    """Distinctive lines (> 25 characters) inside `### BEGIN <kind>` ... `### END <kind>` blocks.

    `kind` is "SOLUTION" or "HIDDEN TESTS"; used to prove such lines never reach students.
    """
    lines = set()
    for cell in notebook.cells:
        for body in re.findall(rf"### BEGIN {kind}(.*?)### END {kind}", cell.source, flags=re.S):
            lines.update(line.strip() for line in body.splitlines() if len(line.strip()) > 25)
    return lines
