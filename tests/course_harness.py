"""Builds a temporary copy of the course, its submissions (reference, blank, mutants), and grades them.

A mutant is `tests/mutants/<assignment>/<name>.py`: a module docstring naming the mistake, then
either one top-level replacement definition (function or class) of an exercise, or a patch:
`TARGET = "<name>"` and `PATCH = [(old, new), ...]`, each `old` occurring exactly once in the
definition it patches: the reference's, or with `BASE = "<variant>"` a variant's. A variant,
`tests/mutants/<assignment>/variants/<variant>.py` (not a mutant itself), is a correct alternative
definition, written like a replacement mutant with a docstring saying how it differs from the
reference: mistakes made in that other way of writing the exercise are then each one patch of it
(tests/test_visible_checks.py checks that a variant passes every visible check, as the reference
does). A docstring line starting `Hidden only:` says why the visible checks are not expected to
catch a mutant (tests/test_visible_checks.py). Its submission is the release notebook with every
solution cell filled from the source notebook, then that one definition swapped in or patched,
shared with mutants of exercises it cannot reach (tests/mutant_packs.py). Its target cells are
the test cells of the exercise it changes
(tools.notebook_model.exercise_cells, the map the crosscheck's probes use). The course copy and
the submissions are written with tools.course.copy_course and submit.
"""

import ast
import os
from pathlib import Path
from typing import NamedTuple

import nbformat

from tests.mutant_packs import PackPlanner
from tools.course import ROOT, assignments, notebooks, submit
from tools.notebook_model import (
    answer_sources,
    defined_names,
    exercise_cells,
    fill_answers,
    is_exercise,
    is_test_cell,
)

MUTANTS = ROOT / "tests" / "mutants"


def selected_assignments():
    """The assignments under test: all, or those listed in $COURSE_TEST_ASSIGNMENTS (a,b,...)."""
    wanted = [a for a in os.environ.get("COURSE_TEST_ASSIGNMENTS", "").split(",") if a]
    unknown = sorted(set(wanted) - set(assignments(ROOT)))
    if unknown:
        raise ValueError(f"COURSE_TEST_ASSIGNMENTS names unknown assignments {unknown}")
    return wanted or assignments(ROOT)


def mutant_files(assignment=None):
    """Mutant paths, for one assignment or for all."""
    folders = [MUTANTS / a for a in ([assignment] if assignment else selected_assignments())]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.glob("*.py"))


def variant_files(assignment):
    """The paths of `assignment`'s variants: correct alternative definitions that mutants patch."""
    return sorted((MUTANTS / assignment / "variants").glob("*.py"))


class Mutant(NamedTuple):
    """A typical mistake: its docstring, the exercise name it changes, and how."""

    docstring: str
    name: str
    definition: str | None  # the definition to patch: the file's own or its BASE's; None: the reference's
    patch: list  # [(old, new), ...] applied to that definition ([] for a whole replacement definition)


def parse_mutant(path):
    """Return the Mutant of a mutant (or variant) file; raise ValueError if malformed."""
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
    if not definitions and set(constants) - {"BASE"} == {"TARGET", "PATCH"}:
        name, patch = ast.literal_eval(constants["TARGET"]), ast.literal_eval(constants["PATCH"])
        if not (isinstance(name, str) and isinstance(patch, list) and patch
                and all(isinstance(p, tuple) and len(p) == 2 and all(isinstance(s, str) for s in p)
                        for p in patch)):
            raise ValueError(f"{path}: TARGET must be a name, PATCH a non-empty list of (old, new) strings")
        variant = constants.get("BASE")
        base = variant_definition(path, ast.literal_eval(variant), name) if variant else None
        return Mutant(docstring, name, base, patch)
    raise ValueError(f"{path}: expected exactly one top-level def or class, or TARGET and PATCH (and BASE), "
                     f"got {len(definitions)} definitions and constants {sorted(constants)}")


def variant_definition(path, variant, name):
    """The definition in the variant file `variant` next to mutant `path`, which must define `name`."""
    variant_path = Path(path).parent / "variants" / f"{variant}.py"
    if not (isinstance(variant, str) and variant.isidentifier() and variant_path.is_file()):
        raise ValueError(f"{path}: BASE must name a file variants/<name>.py next to it, got {variant!r}")
    base = parse_mutant(variant_path)
    if base.patch or base.name != name:
        raise ValueError(f"{path}: {variant_path} must be one definition of {name!r}, the TARGET")
    return base.definition


def hidden_only_reason(mutant):
    """The reason a mutant is left to the hidden tests (its `Hidden only:` line), or None."""
    lines = [line for line in mutant.docstring.splitlines() if line.startswith("Hidden only:")]
    return lines[0].removeprefix("Hidden only:").strip() if lines else None


def patched(definition, patch, path):
    """`definition` with each (old, new) of `patch` applied; each old must occur exactly once."""
    for old, new in patch:
        if definition.count(old) != 1:
            raise ValueError(f"{path}: {old!r} occurs {definition.count(old)} times in the definition it "
                             "patches, expected exactly once")
        definition = definition.replace(old, new)
    return definition


def filled_release(assignment):
    """The release notebook of `assignment` with every solution cell taken from the source."""
    (source_path,) = notebooks(ROOT, assignment, "source")
    (release_path,) = notebooks(ROOT, assignment, "release")
    answers = answer_sources(nbformat.read(source_path, as_version=4))
    return fill_answers(nbformat.read(release_path, as_version=4), answers)


def definition_span(notebook, name, path):
    """(cell, first line, last line) of the definition of exercise `name` in `notebook`'s answer cells."""
    for cell in filter(is_exercise, notebook.cells):
        spans = defined_names(cell.source)
        if name in spans:
            return (cell, *spans[name])
    raise ValueError(f"{path}: no solution cell of the notebook defines {name!r}")


def mutant_definition(notebook, path):
    """The source of the mutant's definition: its own, or the one it patches (in `notebook`) patched."""
    mutant = parse_mutant(path)
    cell, first, last = definition_span(notebook, mutant.name, path)
    reference = "\n".join(cell.source.split("\n")[first:last + 1])
    return patched(mutant.definition or reference, mutant.patch, path)


def apply_mutant(notebook, path):
    """Swap the mutant's definition into `notebook` (in place); return its target grade ids (the
    test cells of its exercise: tools.notebook_model.exercise_cells, the crosscheck's map too)."""
    name = parse_mutant(path).name
    targets = exercise_cells(notebook)  # read before the swap, whatever the mutant's code
    definition = mutant_definition(notebook, path)
    cell, first, last = definition_span(notebook, name, path)
    lines = cell.source.split("\n")
    cell.source = "\n".join(lines[:first] + definition.split("\n") + lines[last + 1:])
    return targets[name]


class MutantSubmission(NamedTuple):
    """Where a mutant was graded: the submission of its pack (tests/mutant_packs.py)."""

    student: str     # the submission that carries it, with the other mutants of its pack
    assignment: str
    targets: list    # grade ids of its exercise's test cells: they must lose points
    untouched: list  # grade ids of the test cells that no mutant of its pack reaches


def mutant_key(path):
    """The key of a mutant in the plan of build_submissions."""
    return f"mutant-{Path(path).parent.name[:2]}-{Path(path).stem}"


def mutant_packs(assignment):
    """[(student, notebook, {mutant_key(path): MutantSubmission})]: the submissions that carry
    `assignment`'s mutants, packed (tests/mutant_packs.py), in a fixed order."""
    (source_path,) = notebooks(ROOT, assignment, "source")
    planner = PackPlanner(nbformat.read(source_path, as_version=4))
    filled = filled_release(assignment)
    mutants = [(path, parse_mutant(path).name, mutant_definition(filled, path))
               for path in mutant_files(assignment)]
    packs = []
    for number, members in enumerate(planner.pack(mutants), 1):
        student = f"mutants-{assignment[:2]}-{number:02d}"
        untouched = planner.untouched_cells([name for _, name in members])
        notebook, entries = filled_release(assignment), {}
        for path, _ in members:
            targets = apply_mutant(notebook, path)
            entries[mutant_key(path)] = MutantSubmission(student, assignment, targets, untouched)
        packs.append((student, notebook, entries))
    return packs


def add_mutant_packs(root, assignment, plan):
    """Submit `assignment`'s mutants, packed; record each in `plan`."""
    for student, notebook, entries in mutant_packs(assignment):
        plan.update(entries)
        submit(root, student, assignment, notebook)


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
    """Create every test submission of `assignments` in `root`; return the plan: {student: None}
    for the reference, blank, filled, malformed and tampered ones, {mutant_key(path): MutantSubmission}."""
    plan = {}
    for assignment in assignments:
        (source_path,) = notebooks(ROOT, assignment, "source")
        submit(root, "reference", assignment, nbformat.read(source_path, as_version=4))
        (release_path,) = notebooks(ROOT, assignment, "release")
        submit(root, "blank", assignment, nbformat.read(release_path, as_version=4))
        submit(root, "filled", assignment, filled_release(assignment))
        plan.update({"reference": None, "blank": None, "filled": None, "malformed": None,
                     "attack-pass": None, "attack-deleted": None})
        add_mutant_packs(root, assignment, plan)
        submit(root, "malformed", assignment, '{"cells": [ this is not JSON')
        submit(root, "attack-pass", assignment, tampered_release(assignment, "pass"))
        submit(root, "attack-deleted", assignment, tampered_release(assignment, None))
    return plan
