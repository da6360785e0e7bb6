"""tests/mutant_packs.py: two mutants share a submission only when neither can run the other's exercise."""

import nbformat
import pytest

from tests.course_harness import (
    filled_release,
    mutant_definition,
    mutant_files,
    parse_mutant,
    selected_assignments,
)
from tests.mutant_packs import PackPlanner
from tests.test_notebook_model import cell
from tools.course import ROOT, notebooks

DEFINE_F = "def f(x):\n    return x + 1"
DEFINE_G = "def g(x):\n    return 2 * x"


def notebook(*middle, g_tests="check(g(1))"):
    """Exercise f and its tests, the cells `middle`, exercise g and its tests `g_tests`, then an
    exercise h that nothing reaches (a pack must leave some test cell to score)."""
    return nbformat.v4.new_notebook(cells=[
        cell("code", "%matplotlib inline\nimport torch"),
        cell("code", DEFINE_F, solution=True, grade=False, grade_id="f"),
        cell("code", "check(f(1))", grade=True, solution=False, grade_id="f_tests", points=1),
        *[cell("code", source) for source in middle],
        cell("code", DEFINE_G, solution=True, grade=False, grade_id="g"),
        cell("code", g_tests, grade=True, solution=False, grade_id="g_tests", points=1),
        cell("code", "def h():\n    return 0", solution=True, grade=False, grade_id="h"),
        cell("code", "check(h())", grade=True, solution=False, grade_id="h_tests", points=1),
    ])


def packs(nb, g_definition=DEFINE_G):
    """The packs of one mutant of f and one of g (written as `g_definition`)."""
    return PackPlanner(nb).pack([("f-mutant", "f", DEFINE_F), ("g-mutant", "g", g_definition)])


TOGETHER = [[("f-mutant", "f"), ("g-mutant", "g")]]
APART = [[("f-mutant", "f")], [("g-mutant", "g")]]


@pytest.mark.parametrize("middle, g_tests, expected", [
    ((), "check(g(1))", TOGETHER),
    ((), "check(g(f(1)))", APART),                                    # g's test calls f
    (("y = f(2)",), "check(g(y))", APART),                             # through a value built by f
    (("y = f(2)",), "y = 3\ncheck(g(y))", TOGETHER),                  # ... rebound first: f's y is gone
    (("y = f(2)",), "if flag:\n    y = 3\ncheck(g(y))", APART),        # ... rebound only maybe
    (("y = f(2)",), "try:\n    y = 3\nexcept E:\n    pass\ncheck(g(y))", APART),
    (("def helper(v):\n    return f(v)",), "check(g(helper(1)))", APART),   # through a helper, when called
    (("h = lambda v: f(v)",), "check(g(h(1)))", APART),
    (("z = 0",), "for i in range(2):\n    check(g(z))\n    z = f(i)", APART),  # an earlier iteration's z
    (("z = 0",), "with ctx() as z:\n    check(g(z))", TOGETHER),       # z rebound by the with
    (("z = f(0)",), "with ctx(z):\n    check(g(1))", APART),
    (("import f as alias",), "check(g(alias))", TOGETHER),             # a module, not the exercise
], ids=["independent", "direct call", "value", "rebound", "maybe rebound", "rebound in try", "helper",
        "lambda", "loop-carried", "with rebinds", "with reads", "import"])
def test_dependencies_keep_mutants_apart(middle, g_tests, expected):
    assert packs(notebook(*middle, g_tests=g_tests)) == expected


def test_a_mutant_that_calls_the_other_exercise_stays_apart():
    assert packs(notebook(), g_definition="def g(x):\n    return f(x)") == APART


def test_a_mutant_that_calls_a_later_exercise_stays_apart():
    """f's body runs g when called (after g is defined): f's mutant reaches g."""
    calls_g = "def f(x):\n    return g(x)"
    assert PackPlanner(notebook()).pack([("f-mutant", "f", calls_g), ("g-mutant", "g", DEFINE_G)]) == APART


def test_two_exercises_of_one_cell_share_target_cells_so_stay_apart():
    nb = notebook()
    nb.cells[1].source = f"{DEFINE_F}\n\n\n{DEFINE_G}"
    del nb.cells[3:5]
    assert PackPlanner(nb).pack([("f-mutant", "f", DEFINE_F), ("g-mutant", "g", DEFINE_G)]) == APART


def test_two_mutants_of_one_exercise_stay_apart():
    planner = PackPlanner(notebook())
    assert planner.pack([("a", "f", DEFINE_F), ("b", "f", DEFINE_F)]) == [[("a", "f")], [("b", "f")]]


def test_a_pack_leaves_a_test_cell_that_no_member_reaches():
    """Three independent exercises: two mutants share a submission, the third would leave no cell
    scoring points (the crosscheck skips a submission without points), so it opens another."""
    planner = PackPlanner(notebook())
    found = planner.pack([("f-mutant", "f", DEFINE_F), ("g-mutant", "g", DEFINE_G),
                          ("h-mutant", "h", "def h():\n    return 1")])
    assert found == [[("f-mutant", "f"), ("g-mutant", "g")], [("h-mutant", "h")]]


def test_untouched_cells_reach_no_member():
    nb = notebook("y = f(2)", g_tests="check(g(y))")
    planner = PackPlanner(nb)
    assert planner.untouched_cells(["f"]) == ["h_tests"]   # g's test reads y, which f built
    assert planner.untouched_cells(["g"]) == ["f_tests", "h_tests"]


@pytest.mark.parametrize("assignment", selected_assignments())
def test_course_packs_hold_independent_mutants_only(assignment):
    """The real mutants: each pack's members are pairwise independent, re-checked from the map of
    what each one reaches, and packing grades fewer submissions than there are mutants."""
    (source,) = notebooks(ROOT, assignment, "source")
    planner = PackPlanner(nbformat.read(source, as_version=4))
    filled = filled_release(assignment)
    mutants = [(path, parse_mutant(path).name, mutant_definition(filled, path))
               for path in mutant_files(assignment)]
    definitions = {path: definition for path, _, definition in mutants}
    found = planner.pack(mutants)
    assert sorted(path for members in found for path, _ in members) == sorted(definitions)
    assert len(found) < len(mutants)
    for members in found:
        assert planner.untouched_cells([name for _, name in members]), members
        for a, (path, name) in enumerate(members):
            for other_path, other in members[a + 1:]:
                assert name != other
                pair = (path.name, other_path.name)
                assert other not in planner.reached(name, definitions[path]), pair
                assert name not in planner.reached(other, definitions[other_path]), pair
