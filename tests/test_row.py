"""tools.row.Row: the transitions a grading result goes through (notes, status, withheld points)."""

from tools.row import Row
from tools.status import Status


def test_flag_and_withhold_keep_the_score_the_cells_and_the_notes_consistent():
    row = Row("alice", "01_norm_layers", Status.GRADED, score=3.5, max_score=4.0,
              cells={"a_tests": 2.0, "b_tests": 1.0, "c_tests": 0.5})
    row.note("from the intake")
    row.flag(Status.TAMPERED, "test cell changed: c_tests")
    row.withhold(["a_tests", "b_tests"], "crosscheck: a differs", "crosscheck: b differs")
    assert row.status == Status.TAMPERED and row.score == 0.5 and row.max_score == 4.0
    assert row.cells == {"a_tests": 0.0, "b_tests": 0.0, "c_tests": 0.5}
    assert row.notes == ["from the intake", "test cell changed: c_tests", "crosscheck: a differs",
                         "crosscheck: b differs"]


def test_a_new_row_has_no_score_and_empty_fields_of_its_own():
    first, second = Row("a", "01_norm_layers", Status.MALFORMED), Row("b", "01_norm_layers", Status.MALFORMED)
    first.note("no notebook")
    assert second.notes == [] and first.cells is not second.cells
    assert (first.score, first.max_score, first.pending_points, first.crosscheck) == (None, None, 0.0, {})
