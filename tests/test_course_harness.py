"""tests/course_harness.py's mutant files: every mutant builds its notebook; a malformed file is refused.
And which feedback pages the graded shards write (tests/graded_batches.py)."""

import copy

import nbformat
import pytest

from tests.course_harness import (
    apply_mutant,
    filled_release,
    mutant_files,
    parse_mutant,
    patched,
    selected_assignments,
)
from tests.graded_batches import feedback_students
from tools.course import copy_course, notebooks
from tools.notebook_model import block_lines

PATCH_OF_VARIANT = 'TARGET = "f"\nBASE = "shorter_f"\nPATCH = [("x + 1", "x + 2")]\n'
SHORTER_F = "def f(x):\n    return x + 1\n"


@pytest.mark.parametrize("assignment", selected_assignments())
def test_every_mutant_builds_its_notebook(assignment):
    """Each mutant parses, and each patch's `old` occurs once in the definition it patches."""
    filled = filled_release(assignment)
    for path in mutant_files(assignment):
        assert apply_mutant(copy.deepcopy(filled), path), f"{path.name}: no test cell follows its exercise"


def write_mutant(folder, mutant, variant=None):
    """Write `mutant` (and the variant shorter_f) in `folder`, each after a docstring; the mutant's path."""
    if variant is not None:
        (folder / "variants").mkdir()
        (folder / "variants" / "shorter_f.py").write_text(f'"""A correct f."""\n\n{variant}')
    path = folder / "mistake.py"
    path.write_text(f'"""The mistake."""\n\n{mutant}')
    return path


def test_a_patch_applies_to_its_base_variant(tmp_path):
    mutant = parse_mutant(write_mutant(tmp_path, PATCH_OF_VARIANT, SHORTER_F))
    assert (mutant.name, mutant.definition) == ("f", "def f(x):\n    return x + 1")
    assert patched(mutant.definition, mutant.patch, "mistake.py") == "def f(x):\n    return x + 2"


@pytest.mark.parametrize(("mutant", "variant", "refusal"), [
    (PATCH_OF_VARIANT, None, "BASE must name a file"),
    (PATCH_OF_VARIANT.replace("shorter_f", "../shorter_f"), SHORTER_F, "BASE must name"),
    (PATCH_OF_VARIANT, SHORTER_F.replace("f(", "g("), "one definition of 'f'"),
    (PATCH_OF_VARIANT, 'TARGET = "f"\nPATCH = [("a", "b")]\n', "one definition of 'f'"),
    (PATCH_OF_VARIANT + "EXTRA = 1\n", SHORTER_F, "expected exactly one"),
    (PATCH_OF_VARIANT.replace('TARGET = "f"\n', ""), SHORTER_F, "expected exactly one"),
], ids=["missing variant", "path outside variants", "variant of another name", "variant is a patch",
        "unknown constant", "no TARGET"])
def test_malformed_mutant_files_are_refused(tmp_path, mutant, variant, refusal):
    with pytest.raises(ValueError, match=refusal):
        parse_mutant(write_mutant(tmp_path, mutant, variant))


def test_a_patch_whose_old_is_not_unique_is_refused():
    with pytest.raises(ValueError, match="occurs 2 times"):
        patched("def f(x):\n    return x + 1 + 1", [("1", "2")], "mistake.py")


def test_feedback_pages_are_written_for_every_student_whose_outputs_show_a_hidden_line(tmp_path):
    """tests/graded_batches.feedback_students: the reference, the blank release and each student with
    a hidden-test line in any output (a coloured traceback included); nobody else."""
    assignment = "01_norm_layers"
    copy_course(tmp_path)
    (source,) = notebooks(tmp_path, assignment, "source")
    notebook = nbformat.read(source, as_version=4)
    hidden = sorted(block_lines(notebook, "HIDDEN TESTS"))[0]
    coloured = "\x1b[31m".join([hidden[:10], hidden[10:]])  # as IPython colours a traceback's line
    outputs = {"quiet": [], "traced": [nbformat.v4.new_output("error", ename="AssertionError", evalue="",
                                                              traceback=[f"----> 3 {coloured}\x1b[0m"])],
               "printed": [nbformat.v4.new_output("stream", name="stdout", text=f"{hidden}\n")]}
    for student, shown in outputs.items():
        graded = copy.deepcopy(notebook)
        next(c for c in graded.cells if c.cell_type == "code").outputs = shown
        target = tmp_path / "autograded" / student / assignment / source.name
        target.parent.mkdir(parents=True)
        nbformat.write(graded, target)
    assert feedback_students(tmp_path, assignment) == {"reference", "blank", "traced", "printed"}
