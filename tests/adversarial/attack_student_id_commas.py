"""A student id with commas. With JOBS=2, nbgrader's `student_id_exclude` splits at commas, so a
student named `b,reference,z` made another worker exclude reference. Ids are checked at intake:
rejected, not graded; reference keeps its full marks."""

import nbformat

ASSIGNMENT = "01_norm_layers"
STUDENT = "b,reference,z"
STATUSES = {"rejected"}
HONEST_CELLS = set()
NOTES = ["not a valid student id"]


def build(release, source):
    return nbformat.writes(source)
