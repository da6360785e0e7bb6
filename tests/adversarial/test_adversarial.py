"""Attacks on grading, each a submission graded by real `nbgrader autograde` in the sandbox.

Every tests/adversarial/attack_*.py (format: tests/adversarial/harness.py) is one student of a
single batch on its assignment, graded with a clean reference. For each attack: no graded cell
outside its HONEST_CELLS scores a point, its report status is one of its STATUSES (an ungraded
submission has no score, never 0), and nothing outside its own folder changed. The reference in
the same batch keeps full marks and status `graded`.
"""

import html
import re

import nbformat
import pytest

from tests.adversarial.harness import MARKER, attack_files, load_attack, marker_files, student_of
from tools import sandbox_kernel
from tools.course import ROOT, notebooks
from tools.notebook_model import block_lines, is_test_cell

ATTACKS = attack_files()
if sandbox_kernel.switched_off(sandbox_kernel.OPT_OUT):
    pytestmark = pytest.mark.skip(reason="GRADING_SANDBOX=off: never run attacks unsandboxed")


def explain(batch, student):
    row = batch.rows.get(student)
    return f"{student}: {row}\nnbgrader said (end):\n{batch.logs[-3000:]}"


STATUSES = {"graded", "timed out", "tampered", "needs review", "malformed", "rejected", "crashed"}


def test_every_attack_file_is_well_formed():
    assert len(ATTACKS) >= 17
    for path in ATTACKS:
        module = load_attack(path)
        assert module.STATUSES <= STATUSES, path
        assert module.__doc__.strip().splitlines()[0].strip(), f"{path}: a first line naming it"


def test_reference_in_the_batch_is_unaffected(adversarial_batch):
    row = adversarial_batch.rows["reference"]
    assert adversarial_batch.generate_error is None
    assert row.status == "graded", explain(adversarial_batch, "reference")
    written = row.pending_points  # written answers (if any) await grading by hand
    assert row.score + written == row.max_score > 0, explain(adversarial_batch, "reference")
    print(f"\nadversarial batch: {len(adversarial_batch.plan)} attacks + reference graded in "
          f"{adversarial_batch.seconds:.0f} s")


@pytest.mark.parametrize("path", ATTACKS, ids=lambda p: p.stem[len("attack_"):])
def test_attack_gains_nothing_and_is_reported_honestly(adversarial_batch, path):
    module = load_attack(path)
    student = student_of(path, module)
    row = adversarial_batch.rows[student]
    assert row.status in module.STATUSES, explain(adversarial_batch, student)
    missing = [text for text in getattr(module, "NOTES", []) if text not in "; ".join(row.notes)]
    assert not missing, f"{student}: notes lack {missing}\n" + explain(adversarial_batch, student)
    gained = {cell: score for cell, score in row.cells.items()
              if score and cell not in module.HONEST_CELLS}
    assert not gained, f"{student} gained points: {gained}\n" + explain(adversarial_batch, student)
    if getattr(module, "HONEST_CELLS_SCORE", False):  # tampering elsewhere costs the honest work nothing
        lost = sorted(cell for cell in module.HONEST_CELLS if not row.cells.get(cell))
        assert not lost, f"{student}: honest cells scored 0: {lost}\n" + explain(adversarial_batch, student)
    if row.status in ("malformed", "crashed"):
        assert row.score is None and row.notes, row
    if row.score is None:  # not graded: reported as such, never as a 0
        assert row.status in ("malformed", "rejected", "crashed", "tampered") and not row.cells, row
    else:
        reference = adversarial_batch.rows["reference"]
        assert set(row.cells) == set(reference.cells), "every test cell must be graded"
    if row.status != "graded":
        assert row.notes, f"{student}: status {row.status} without notes"


def test_nothing_outside_the_attackers_folders_changed(adversarial_batch):
    before, after = adversarial_batch.before, adversarial_batch.after
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    # autograded/reference is new (the reference graded); nothing else may differ.
    changed = [k for k in changed if not k.startswith("autograded/reference/")]
    assert not changed, f"files changed outside the attackers' folders: {changed[:10]}"
    # (its own notebook holds the marker, of course: as submitted, staged by the intake, graded)
    own = [adversarial_batch.root / folder / student for student in adversarial_batch.plan
           for folder in ("submitted", ".cache/intake/submitted", "autograded")]
    left = [p for p in marker_files(adversarial_batch.root) if not any(f in p.parents for f in own)]
    assert not left, f"a write attack left its marker in the course: {left}"
    utils_changed = sorted(k for k in adversarial_batch.utils_before
                           if adversarial_batch.utils_after.get(k) != adversarial_batch.utils_before[k])
    new_utils = sorted(set(adversarial_batch.utils_after) - set(adversarial_batch.utils_before))
    # (other people may edit the repository's utils meanwhile: only the marker proves an attack)
    assert not marker_files(ROOT / "utils"), f"utils/ was written: {utils_changed} {new_utils}"


@pytest.mark.parametrize("student", ["attack-output-flood", "attack-output-flood-endless"])
def test_output_flood_is_cut_short(adversarial_batch, student):
    """tools/plugins/capped_execute.py: 4 MiB of output per cell reach the graded notebook, no more.

    (An endless flood may also end the grading of that submission: then there is no graded
    notebook at all, and the row must say crashed, with no score.)"""
    graded = notebooks(adversarial_batch.root / "autograded" / student, "01_norm_layers", ".")
    if not graded:
        row = adversarial_batch.rows[student]
        assert row.status == "crashed" and row.score is None, row
        return
    (path,) = graded
    assert path.stat().st_size < 8 * 2**20, f"the flood reached the graded notebook: {path.stat().st_size} B"
    text = path.read_text()
    assert "output of this cell past" in text or "Output truncated" in text


def test_no_exfiltration_into_outputs(adversarial_batch):
    """What the read attack printed, hence what its feedback would show, holds no hidden test."""
    root = adversarial_batch.root
    (source,) = notebooks(root, "01_norm_layers", "source")
    hidden = block_lines(nbformat.read(source, as_version=4), "HIDDEN TESTS")
    solutions = block_lines(nbformat.read(source, as_version=4), "SOLUTION")
    for student in ("attack-read-course", "attack-network"):
        (path,) = notebooks(root / "autograded" / student, "01_norm_layers", ".")
        notebook = nbformat.read(path, as_version=4)
        text = "\n".join(html.unescape(str(output)) for cell in notebook.cells if not is_test_cell(cell)
                         for output in cell.get("outputs", []))
        assert "EXFILTRATED" not in text and "CONNECTED" not in text and "SQLite format" not in text
        leaked = [line for line in hidden | solutions if line in text]
        assert not leaked, f"{student} printed instructor lines: {leaked[:3]}"
        assert re.search(r"cannot read|files read: 0|no connection", text), text[:2000]
    assert MARKER  # (the write attack's marker: see test_nothing_outside_the_attackers_folders_changed)


def test_only_the_staged_notebook_reaches_the_kernels_folder(adversarial_batch):
    """Links, devices, FIFOs, decoys and stray files never reach autograded/ (the kernel's folder)."""
    for student in [*adversarial_batch.plan, "reference"]:
        folder = adversarial_batch.root / "autograded" / student / "01_norm_layers"
        if folder.is_dir():
            names = sorted(p.name for p in folder.iterdir())
            assert names == ["norm_layers.ipynb"], f"{student}: {names}"
            assert not (folder / "norm_layers.ipynb").is_symlink()


def test_every_attack_has_a_row_and_grades_csv_is_written(adversarial_batch, tmp_path):
    from tools.grade import write_report

    assert set(adversarial_batch.plan) | {"reference"} <= set(adversarial_batch.rows)
    write_report(tmp_path, list(adversarial_batch.rows.values()))
    assert len((tmp_path / "grades.csv").read_text().splitlines()) == len(adversarial_batch.rows) + 1


def test_feedback_holds_no_hidden_test_in_any_output(adversarial_batch):
    """The hook attack printed every test cell's source into the graded notebook (so the attack
    worked in the kernel); its feedback, and the reference's, show no hidden-test line."""
    from tools.course import nbgrader

    root, student = adversarial_batch.root, "attack-feedback-hook"
    (source,) = notebooks(root, "01_norm_layers", "source")
    (release,) = notebooks(root, "01_norm_layers", "release")
    visible = nbformat.read(release, as_version=4)
    visible_text = "\n".join(c.source for c in visible.cells)
    hidden = {line for line in block_lines(nbformat.read(source, as_version=4), "HIDDEN TESTS")
              if line not in visible_text}
    graded = (root / "autograded" / student / "01_norm_layers" / "norm_layers.ipynb").read_text()
    assert any(line in json_text(graded) for line in hidden), "the hook attack printed nothing hidden"
    for who in (student, "reference"):
        result = nbgrader(root, "generate_feedback", "01_norm_layers", f"--student={who}", "--force")
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        (page,) = (root / "feedback" / who / "01_norm_layers").glob("*.html")
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{who}'s feedback shows hidden-test lines: {leaked[:3]}"


def json_text(text):
    """The strings of a notebook's JSON text, joined (escapes undone)."""
    import json

    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(json.loads(text))
    return "".join(found)
