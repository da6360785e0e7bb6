"""The status of a graded row (one student, one assignment): what tools.results, tools.intake and
tools.crosscheck write and the grade table, grades.csv and the tests read (meanings: tools.results)."""

import enum


class Status(enum.StrEnum):
    """A row's status; each member is its own string ("needs review" == Status.NEEDS_REVIEW)."""

    GRADED = "graded"
    TIMED_OUT = "timed out"
    TAMPERED = "tampered"
    NEEDS_REVIEW = "needs review"
    MALFORMED = "malformed"
    REJECTED = "rejected"
    CRASHED = "crashed"
