"""tests/course_harness.py's mutant files: every mutant builds its notebook; a malformed file is refused."""

import copy

import pytest

from tests.course_harness import (
    apply_mutant,
    filled_release,
    mutant_files,
    parse_mutant,
    patched,
    selected_assignments,
)

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
