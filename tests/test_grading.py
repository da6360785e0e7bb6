"""Autograding proves the tests: source = full marks, release = zero, each mutant loses points."""

import csv

import pytest

from tests.course_harness import (
    MutantSubmission,
    mutant_files,
    mutant_key,
    parse_mutant,
    selected_assignments,
)
from tests.graded_batches import HASH_SEEDS, REGRADED
from tools import crosscheck
from tools.grade import write_report
from tools.notebook_model import block_lines, is_test_cell

ASSIGNMENTS = selected_assignments()
MINIMUM_MUTANTS = {"01_norm_layers": 10, "02_resnet18": 8, "03_augmentation": 8, "04_transfer": 8,
                   "05_yolo": 12, "06_rcnn_unet": 12}


def result(course, student, assignment):
    """The row of a graded submission (status graded)."""
    row = course.results[(student, assignment)]
    log = course.logs.get(assignment, "")[-3000:]
    assert row.status == "graded", (
        f"{student}/{assignment} was not graded ({row.status}: {row.notes}); nbgrader said:\n{log}")
    return row


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.parametrize("student", ["reference", "filled"])
def test_solutions_get_full_marks(graded_course, student, assignment):
    row = result(graded_course, student, assignment)
    lost = {cell: score for cell, score in row.cells.items() if score == 0 or score is None}
    assert lost == {} and row.score + row.pending_points == row.max_score > 0, (
        f"{student} lost points in {lost}")
    # Written answers (markdown answer cells) await grading by hand: no score yet, not a 0.
    assert all(score is None for score in row.written.values()), row.written


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_scores_zero_on_every_cell(graded_course, assignment):
    row = result(graded_course, "blank", assignment)
    assert row.cells, "no graded cells were recorded"
    passing = {cell: score for cell, score in row.cells.items() if score != 0}
    assert not passing, f"the untouched release scores points in {passing}"
    # A written answer left as released scores 0 at once: nothing to grade by hand.
    assert row.score == 0 and all(score == 0 for score in row.written.values()), row.written


@pytest.mark.parametrize("path", mutant_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_mutant_loses_points_on_its_target_cell(graded_course, path):
    student, assignment, targets, untouched = graded_course.plan[mutant_key(path)]
    assert targets, f"{path.name}: no test cell follows the solution cell it replaces"
    row = graded_course.results[(student, assignment)]
    # An honest mistake is graded by the hidden tests alone: the out-of-kernel crosscheck (which
    # sets the status to tampered) must never be stricter than they are. The row is the whole
    # pack's: a note on a cell that another member targets (and this one does not) is that
    # member's to answer for; every other note is this mutant's.
    others = {cell for key, entry in graded_course.plan.items()
              if key != mutant_key(path) and isinstance(entry, MutantSubmission)
              and (entry.student, entry.assignment) == (student, assignment) for cell in entry.targets}
    crosschecked = [note for cell, note in row.crosscheck.items()
                    if (cell in targets or cell not in others) and note.startswith("crosscheck: ")
                    and note in row.notes]
    crosschecked += [note for note in row.notes if note.startswith("crosscheck: ")
                     and note not in row.crosscheck.values()]  # a note that names no cell
    assert not crosschecked, (f"mutant {path.stem}: the crosscheck overruled the hidden tests "
                              f"(a probe stricter than the test cell, or a test too weak): {crosschecked}")
    row = result(graded_course, student, assignment)
    reference = result(graded_course, "reference", assignment)
    lost = {cell: (row.cells[cell], reference.cells[cell]) for cell in targets
            if row.cells[cell] < reference.cells[cell]}
    assert lost, (f"mutant {path.stem} ({parse_mutant(path)[0].splitlines()[0]}) kept full points on "
                  f"its target cells {targets}: the hidden tests do not catch this mistake")
    # It shares its submission with mutants of exercises it cannot reach (tests/mutant_packs.py):
    # the cells that none of them reaches score as the reference's do.
    moved = {cell: (row.cells[cell], reference.cells[cell]) for cell in untouched
             if row.cells[cell] != reference.cells[cell]}
    assert not moved, (f"{student}, the submission of mutant {path.stem} and its pack, scores cells that no "
                       f"mutant of the pack reaches unlike the reference (got, reference): {moved}")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_enough_well_formed_mutants(assignment):
    paths = mutant_files(assignment)
    assert len(paths) >= MINIMUM_MUTANTS.get(assignment, 8), f"{assignment} has {len(paths)} mutants"
    names = [parse_mutant(p)[1] for p in paths]  # raises on a malformed mutant file
    assert len(set(names)) >= 3, f"{assignment}: mutants should cover several exercises, got {set(names)}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_malformed_submission_is_reported_as_such_not_zero(graded_course, assignment):
    row = graded_course.results[("malformed", assignment)]
    assert row.status == "malformed" and row.score is None
    result(graded_course, "reference", assignment)  # the rest of the batch was still graded


def test_grade_report_lists_every_submission(graded_course, tmp_path, capsys):
    rows = list(graded_course.results.values())
    write_report(tmp_path, rows)
    with (tmp_path / "grades.csv").open() as handle:
        written = list(csv.DictReader(handle))
    assert len(written) == len(rows)
    malformed = [r for r in written if r["student"] == "malformed"]
    assert all(r["status"] == "malformed" and r["score"] == "" for r in malformed)
    assert "need attention" in capsys.readouterr().out


def test_regrading_gives_the_same_scores(graded_course):
    """REGRADED graded a second time in the same course copy (in the first shard's job)."""
    assignment = ASSIGNMENTS[0]
    for student in REGRADED:
        again = graded_course.regraded[(student, assignment)]
        assert again.cells == graded_course.results[(student, assignment)].cells, student


def test_feedback_shows_scores_but_no_hidden_test_source(graded_course):
    """Feedback shows the score and the visible checks, and no hidden-test line: neither in the
    source shown nor in tracebacks, for the reference, the blank release and every submission
    (mutant) whose hidden tests failed with a traceback that, in the autograded notebook, quotes
    hidden lines (the shards write those pages: tests/graded_batches.feedback_students)."""
    import html
    import re

    import nbformat

    from tools.course import notebooks

    for assignment in ASSIGNMENTS:
        root = graded_course.roots[assignment]
        assert graded_course.feedback_status[assignment] == 0, f"feedback of {assignment} failed"
        (source_path,) = notebooks(root, assignment, "source")
        (release_path,) = notebooks(root, assignment, "release")
        release = nbformat.read(release_path, as_version=4)
        visible = "\n".join(c.source for c in release.cells)
        hidden = {line for line in block_lines(nbformat.read(source_path, as_version=4), "HIDDEN TESTS")
                  if line not in visible}
        checks = {line.strip() for c in release.cells if is_test_cell(c) for line in c.source.splitlines()
                  if len(line.strip()) > 25 and not line.strip().startswith("#")}
        exposed = set()  # students whose autograded tracebacks quote hidden-test lines
        for path in root.glob(f"autograded/*/{assignment}/*.ipynb"):
            for cell in nbformat.read(path, as_version=4).cells:
                for output in cell.get("outputs", []) if is_test_cell(cell) else []:
                    trace = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(output.get("traceback", [])))
                    if any(line in trace for line in hidden):
                        exposed.add(path.parent.parent.name)
        # (Visible checks now catch every mutant before its hidden block, so few tracebacks quote
        # hidden lines; tests/adversarial/attack_feedback_hook.py puts them in a kernel's output.)
        pages = sorted((root / "feedback").glob(f"*/{assignment}/*.html"))
        students = {p.parent.parent.name for p in pages}
        assert {"reference", "blank"} | exposed <= students, f"feedback missing for some students: {students}"
        for page in pages:
            text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
            (submitted,) = root.glob(f"autograded/{page.parent.parent.name}/{assignment}/*.ipynb")
            cells = nbformat.read(submitted, as_version=4).cells
            own = "\n".join(c.source for c in cells if not is_test_cell(c))  # a student's own line is no leak
            leaked = [line for line in hidden if line in text and line not in own]
            assert not leaked, f"{page.relative_to(root)} shows hidden-test lines: {leaked[:3]}"
            assert "Score" in text or "score" in text
            assert any(line in text for line in checks), f"{page.relative_to(root)} shows no visible check"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.parametrize("student", ["attack-pass", "attack-deleted"])
def test_edited_or_deleted_test_cells_are_restored_and_flagged(graded_course, student, assignment):
    row = graded_course.results[(student, assignment)]
    assert row.status == "tampered", row
    assert row.score == 0, f"{student} gained points: {row.cells}"
    blank = graded_course.results[("blank", assignment)]
    assert set(row.cells) == set(blank.cells), "every test cell must be graded again"
    kind = "changed" if student == "attack-pass" else "missing"
    assert all(f"test cell {kind}" in note for note in row.notes) and row.notes


def test_reference_scores_are_identical_across_gradings_and_hash_seeds(graded_course):
    """Determinism: the first assignment's reference solutions are graded 6 times (the shard's
    `reference` and `filled`, 3 more runs under the PYTHONHASHSEED values HASH_SEEDS, which the
    sandbox passes to the kernel, and the regrade of `reference`); every other assignment twice
    (`reference`, `filled`). Per-cell scores must be identical."""
    for assignment in ASSIGNMENTS:
        reference = result(graded_course, "reference", assignment).cells
        assert result(graded_course, "filled", assignment).cells == reference, assignment
    assignment = ASSIGNMENTS[0]
    reference = graded_course.results[("reference", assignment)].cells
    for seed in HASH_SEEDS:
        row = graded_course.regraded[(f"hashseed-{seed}", assignment)]
        assert row.status == "graded", f"PYTHONHASHSEED={seed}: {row}"
        assert row.cells == reference, f"PYTHONHASHSEED={seed}: {row.cells} != {reference}"


def mutant_row(graded_course, path):
    student, assignment, targets, _ = graded_course.plan[mutant_key(path)]
    return assignment, targets, graded_course.results[(student, assignment)]


PROBED_MUTANTS = [p for p in mutant_files() if (crosscheck.PROBES / f"{p.parent.name}.py").exists()]


@pytest.mark.parametrize("path", PROBED_MUTANTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_probes_see_every_mistake_the_hidden_tests_see(graded_course, path):
    """The converse of "probes never stricter" (test_mutant_loses_points_on_its_target_cell):
    every target cell that the hidden tests fail gets a crosscheck verdict too, so "mistake +
    in-kernel cheat" never keeps points."""
    assignment, targets, row = mutant_row(graded_course, path)
    reference = graded_course.results[("reference", assignment)]
    failed = [c for c in targets if row.cells.get(c, 0) < reference.cells.get(c, 0)]
    verdicts = row.crosscheck
    unseen = [c for c in failed if not verdicts.get(c, "").startswith("crosscheck: ")]
    assert not unseen, (f"{path.parent.name}/{path.stem}: the hidden tests fail {failed}, the probes see no "
                        f"mistake in {unseen} (verdicts: {verdicts})")
