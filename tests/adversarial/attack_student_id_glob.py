"""A student id that is a glob pattern. nbgrader globbed `[r]eference` and graded reference's
notebook under it, then skipped reference. Ids are checked at intake: the folder is listed as
rejected, not graded, and reference keeps its full marks."""

import nbformat

ASSIGNMENT = "01_norm_layers"
STUDENT = "[r]eference"
STATUSES = {"rejected"}
HONEST_CELLS = set()
NOTES = ["not a valid student id"]


def build(release, source):
    return nbformat.writes(source)
