"""No surprise at grading: every typical mistake fails a visible check before a student submits.

Each assignment's reference, variants and mutants run as a student runs them (tests/visible_runner.py:
the release notebook, answers filled in, visible checks only, demos skipped). The reference and each
variant (a correct alternative definition that mutants patch, tests/course_harness.py) must pass
every visible check; each mutant must fail at least one of them, unless its docstring has a
`Hidden only:` line giving the reason, which at most 10% of a notebook's mutants may have.
"""

import json
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import pytest

from tests.course_harness import (
    hidden_only_reason,
    mutant_files,
    parse_mutant,
    selected_assignments,
    variant_files,
)
from tools.course import ROOT

ASSIGNMENTS = selected_assignments()
MUTANTS = mutant_files()
# (assignment, solution): the reference and each variant, keyed as tests/visible_runner.py writes them
SOLUTIONS = [(a, solution) for a in ASSIGNMENTS
             for solution in ["reference", *(f"variants/{p.stem}" for p in variant_files(a))]]


@cache
def visible_results(assignment):
    """{"reference", "variants/<stem>" or mutant stem: {"failed": {grade_id: error}, "errors": [...]}}."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "results.json"
        done = subprocess.run([sys.executable, "-m", "tests.visible_runner", assignment, str(output)],
                              cwd=ROOT, capture_output=True, text=True, timeout=1200)
        assert done.returncode == 0, f"tests/visible_runner.py {assignment} failed:\n{done.stderr[-3000:]}"
        return json.loads(output.read_text())


@pytest.mark.parametrize(("assignment", "solution"), SOLUTIONS, ids=[f"{a}/{s}" for a, s in SOLUTIONS])
def test_solution_passes_every_visible_check(assignment, solution):
    result = visible_results(assignment)[solution]
    assert not result["failed"] and not result["errors"], (
        f"the {solution} solution of {assignment}, run with visible checks only, fails: {result}")


@pytest.mark.parametrize("path", MUTANTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_mutant_fails_a_visible_check(path):
    mutant = parse_mutant(path)
    result = visible_results(path.parent.name)[path.stem]
    reason = hidden_only_reason(mutant)
    if reason:
        assert not result["failed"], (f"{path.stem} is marked 'Hidden only: {reason}' but fails the "
                                      f"visible check {', '.join(result['failed'])}: drop the line")
        pytest.skip(f"left to the hidden tests: {reason}")
    assert result["failed"], (f"mutant {path.stem} ({mutant.docstring.splitlines()[0]}) passes every "
                              f"visible check of {path.parent.name}; a student would learn of it only "
                              f"from the grade (other errors: {result['errors']})")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_few_mistakes_left_to_the_hidden_tests(assignment):
    paths = mutant_files(assignment)
    hidden = [p.stem for p in paths if hidden_only_reason(parse_mutant(p))]
    assert len(hidden) <= 0.1 * len(paths), (
        f"{assignment}: {len(hidden)} of {len(paths)} mutants are left to the hidden tests {hidden}; "
        "at most 10% may be")
