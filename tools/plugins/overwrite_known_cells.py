"""nbgrader's OverwriteCells, turning cells with unknown grade ids into ordinary cells.

A submission whose graded cell carries a grade id the gradebook does not know (renamed by hand, or
a student's edit of the cell metadata that removed the id) is not graded at all by stock nbgrader:
OverwriteCells deletes the unknown `grade_id` but leaves the rest of the cell's nbgrader metadata,
so CheckCellMetadata then rejects the notebook ("the nbgrader metadata may be corrupted") and the
student gets no score. With this class in place of OverwriteCells (nbgrader_config.py) such a cell
loses all its nbgrader metadata and runs as an ordinary cell; add_missing_cells then puts the
real test cell back from the gradebook, so the honest work in the notebook is graded.
tools/results.py still reports the submission as tampered (the ids differ from the release).
Duplicated grade ids: nbgrader's DeduplicateIds keeps the last copy and leaves the others with
empty nbgrader metadata, on which OverwriteCells.add_missing_task_cells stops (KeyError
'grade_id', so again no score); those copies become ordinary cells here too.
"""

from nbgrader.preprocessors import OverwriteCells

from tools.notebook_model import grading_info, make_ordinary


class OverwriteKnownCells(OverwriteCells):
    """OverwriteCells for known grade ids; a cell with an unknown or missing id becomes ordinary."""

    def preprocess_cell(self, cell, resources, cell_index):
        # OverwriteCells looks the id up and deletes it when the gradebook does not know it.
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if "nbgrader" in cell.metadata and "grade_id" not in grading_info(cell):
            self.log.warning("Cell %d has no known grade id: graded as an ordinary cell", cell_index)
            make_ordinary(cell)
        return cell, resources
