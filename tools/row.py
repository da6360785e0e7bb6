"""The result of grading one submission (one student, one assignment): what tools.results, tools.intake
and tools.crosscheck produce, and what tools.grade reports (grades.csv, the table) and the tests read."""

from dataclasses import dataclass, field

from tools.status import Status


@dataclass
class Row:
    """The result of grading one submission.

    student, assignment  whose submission of what (as shown: tools.intake shortens odd names)
    status          a tools.status.Status (what each means: tools.results)
    score           the points earned: its test cells and the written answers graded so far; None
                    when it was not graded (never a 0 that would look like work failing every test)
    max_score       the points it could earn, written answers included; None when it was not graded
    notes           what whoever reads the report should know about it, one sentence each
    cells           {grade id: points} of its test cells
    written         {grade id: points, or None while it awaits grading by hand} of its written answers
    pending_points  the points of the written answers awaiting grading by hand
    crosscheck      {grade id: verdict} of the test cells the crosscheck decided on or could not
                    (tools.crosscheck.review), whether they scored or not
    """

    student: str
    assignment: str
    status: Status
    score: float | None = None
    max_score: float | None = None
    notes: list[str] = field(default_factory=list)
    cells: dict[str, float] = field(default_factory=dict)
    written: dict[str, float | None] = field(default_factory=dict)
    pending_points: float = 0.0
    crosscheck: dict[str, str] = field(default_factory=dict)

    def note(self, *texts):
        """Add `texts` to the notes."""
        self.notes.extend(texts)

    def flag(self, status, *notes):
        """Set the status to `status`, with `notes` saying why."""
        self.status = status
        self.note(*notes)

    def withhold(self, cells, *notes):
        """Take back the points of the test cells `cells` (grade ids): each scores 0 and the score
        loses what it had; add `notes` saying why."""
        for cell in cells:
            self.score -= self.cells[cell]
            self.cells[cell] = 0.0
        self.note(*notes)
