"""tests/mutant_packs.py: two mutants share a submission only when neither can run the other's exercise."""

import re

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
    # changed in place, not assigned: a store into it, a method call on it, a call given it
    (("d = {}", "d['k'] = f"), "check(g(d['k'](1)))", APART),
    (("import types\nns = types.SimpleNamespace()", "ns.fn = f"), "check(g(ns.fn(1)))", APART),
    (("fs = []", "fs.append(f)"), "check(g(fs[0](1)))", APART),
    (("data = [1]", "f(data)"), "check(g(data))", APART),
    (("registry = []\ndef register(fn):\n    registry.append(fn)", "register(f)"),
     "check(g(registry[0](1)))", APART),                              # ... by a function it calls
    (("import torch", "torch.manual_seed(f(0))"), "torch.rand(1)\ncheck(g(1))", TOGETHER),  # a module
    # bound in a nested scope: a function's global, a comprehension's walrus
    (("def setup():\n    global y\n    y = f(2)", "setup()"), "check(g(y))", APART),
    (("ys = [(y := f(i)) for i in range(2)]",), "check(g(y))", APART),
    # whether a binding happens depends on a header or on a try's body
    (("y = 0", "if f(1) == 2:\n    y = 3"), "check(g(y))", APART),
    (("y = 0", "for _ in range(f(1)):\n    y += 1"), "check(g(y))", APART),
    (("y = 0", "while y < f(1):\n    y += 1\nelse:\n    y = 5"), "check(g(y))", APART),
    (("y = 0", "for v in [1]:\n    if f(v):\n        break\nelse:\n    y = 1"), "check(g(y))", APART),
    (("y = 0", "try:\n    f(1)\nexcept Exception:\n    y = 1"), "check(g(y))", APART),
    # a statement that raises skips the rest of its cell; a with body may be cut short
    (("y = f(2)", "f(1)\ny = 3"), "check(g(y))", APART),
    (("y = 0", "f(1)\ny = 3"), "check(g(y))", APART),                # whether y is 3 depends on f
    (("y = f(2)", "import contextlib\nwith contextlib.suppress(Exception):\n    y = 3"), "check(g(y))",
     APART),
    (("y = f(2)",), "with torch.no_grad():\n    y = 3\ncheck(g(y))", TOGETHER),  # never swallows
    (("y = f(2)",), "for i in range(2):\n    y = i\n    check(g(y))", TOGETHER),  # this iteration's
], ids=["independent", "direct call", "value", "rebound", "maybe rebound", "rebound in try", "helper",
        "lambda", "loop-carried", "with rebinds", "with reads", "import", "subscript store",
        "attribute store", "method call", "argument", "registering function", "module call",
        "global in a function", "walrus in a comprehension", "if test", "for iterable", "while/else",
        "for/else", "except", "earlier cell raises", "raising decides",
        "suppressing with", "no_grad with", "loop body"])
def test_dependencies_keep_mutants_apart(middle, g_tests, expected):
    assert packs(notebook(*middle, g_tests=g_tests)) == expected


@pytest.mark.parametrize("source, construct", [
    ("exec('y = f(2)')", "exec"),
    ("z = eval('f')", "eval"),
    ("globals()['y'] = f(2)", "globals"),
    ("vars()['y'] = f(2)", "vars()"),
    ("locals()['y'] = f(2)", "locals()"),
    ("z = Out[3]", "Out"),
    ("z = In[3]", "In"),
    ("f(2)\nz = _", "_"),
    ("z = __", "__"),
    ("get_ipython().user_ns['y'] = 1", "IPython magic"),
    ("%time y = f(2)", "IPython magic"),
    ("%%time\ny = f(2)", "IPython magic"),
    ("!ls", "IPython magic"),
], ids=lambda v: v if isinstance(v, str) and "\n" not in v else None)
def test_constructs_that_cannot_be_followed_are_refused(source, construct):
    """The graph cannot follow them: the planner refuses the notebook, naming the cell and why."""
    with pytest.raises(ValueError, match=f"cell g_tests: {re.escape(construct)} cannot be analysed"):
        PackPlanner(notebook(g_tests=f"{source}\ncheck(g(1))"))


def test_what_the_notebook_binds_may_be_read():
    """`%matplotlib inline`, `_` once bound, vars(obj) and locals() in a function are allowed."""
    PackPlanner(notebook("for _ in range(2):\n    pass\nz = _", "def k():\n    return locals(), vars(k)"))


def test_a_mutant_that_writes_what_another_test_reads_stays_apart():
    """f's mutant assigns a global that g's test reads, or changes it in place."""
    nb = notebook(g_tests="check(g(y) == 10)")
    nb.cells.insert(1, cell("code", "y = 5\nitems = [1]"))
    for f_mutant in ["def f(x):\n    global y\n    y = 0\n    return x + 1",
                     "def f(x):\n    items.append(x)\n    return x + 1"]:
        g_tests = "check(g(y) == 10)" if "global" in f_mutant else "check(g(items[0]))"
        nb.cells[-3].source = g_tests
        planner = PackPlanner(nb)
        assert planner.pack([("f-mutant", "f", f_mutant), ("g-mutant", "g", DEFINE_G)]) == APART, f_mutant
    assert PackPlanner(nb).pack([("f-mutant", "f", DEFINE_F), ("g-mutant", "g", DEFINE_G)]) == TOGETHER


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
