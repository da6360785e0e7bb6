"""`make grade` and `make feedback`: autograde every submission, report honestly, send feedback.

Submissions live in `submitted/<student>/<assignment>/<notebook>.ipynb`; they are checked and
staged as data first (tools.intake). Each assignment's batch is autograded from a clean slate
(tools.autograde), every (student, assignment) gets a status (tools.results: graded, timed out,
tampered, needs review, malformed, crashed; `rejected` for what in submitted/ is no submission),
and `grades.csv` holds one row per (student, assignment) with its notes, whatever failed for one
submission (its row says so); a table is printed. `--jobs N` grades N students at a
time (see tools.autograde for how that stays safe for the gradebook).
Usage: python -m tools.grade [--root PATH] [--jobs N] [--feedback-only]
"""

import argparse
import contextlib
import csv
import sys
import threading
import time
import traceback
from pathlib import Path

from nbgrader.api import Gradebook
from tqdm import tqdm

from tools.autograde import autograde_all, db_url, shown_url, submissions
from tools.course import ROOT, assignments, nbgrader, print_table
from tools.crosscheck_warm import warm_processes
from tools.feedback_page import make_offline
from tools.intake import scan
from tools.manual_grades import kept_by_hand, restore
from tools.preflight import RunCannotStart, prepare
from tools.results import read_results, unread_row
from tools.status import Status


def grade_all(root, jobs=1):
    """Autograde every submission in `root/submitted`, `jobs` at a time; return ([Row], {assignment: log})
    (tools.row.Row: one per submission, and one per folder or file in submitted/ that is none)."""
    batches, found = submissions(root), {}
    by_hand = kept_by_hand(root, batches)  # written answers' hand grades, put back after the regrade

    def read(assignment, students):  # in the grading worker, right after its chunk
        changed = restore(root, assignment, students, by_hand)
        for student in students:  # one at a time: a submission that breaks the reading is its own row
            try:
                (row,) = read_results(root, assignment, [student])
            except Exception as error:  # noqa: BLE001 - that row says so; the others are read
                traceback.print_exc()
                row = unread_row(root, assignment, student, f"{type(error).__name__}: {str(error)[:200]}")
            row.note(*changed.get(row.student, []))
            found[(assignment, row.student)] = row

    # The crosscheck's candidates in warm processes, torch imported once per worker: worth its start
    # (about 4 s) from two submissions a worker on (tools.crosscheck_warm).
    warm = sum(map(len, batches.values())) >= 2 * max(1, int(jobs))
    with warm_processes() if warm else contextlib.nullcontext():
        logs = autograde_all(root, batches, jobs=jobs, then=read)
    rows = [found.get((a, s)) or unread_row(root, a, s, "grading stopped before its results were read")
            for a, students in batches.items() for s in students]
    return rows + scan(root)[1], logs  # and what is in submitted/ but is no submission


def write_report(root, rows):
    """Write grades.csv and print a table; ungraded rows are flagged, never scored 0."""
    path = Path(root) / "grades.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "status", "score", "max_score", "notes",
                         "to_grade_by_hand"])
        for r in rows:
            writer.writerow([r.student, r.assignment, r.status, "" if r.score is None else f"{r.score:g}",
                             "" if r.max_score is None else f"{r.max_score:g}", "; ".join(r.notes),
                             f"{r.pending_points:g}" if r.pending_points else ""])
    print_table(("student", "assignment", "status", "score"),
                [(r.student, r.assignment, r.status, shown_score(r)) for r in rows])
    attention = [r for r in rows if r.status != Status.GRADED]
    for r in attention:
        print(f"  {r.student}/{r.assignment} ({r.status}): {'; '.join(r.notes)}")
    by_hand = [r for r in rows if r.pending_points]
    print(f"\n{len(rows)} submissions, {len(attention)} need attention; written to {path}")
    if by_hand:
        print(f"{len(by_hand)} submissions have written answers to grade by hand: `make formgrader`, then "
              "Manual Grading (the scores count from the next `make grade`, which keeps them)")


def shown_score(row):
    """'18 / 22', '18 / 22 (+2 by hand)' while written answers await grading, '-' without a score."""
    if row.score is None:
        return "-"
    pending = row.pending_points
    return f"{row.score:g} / {row.max_score:g}" + (f" (+{pending:g} by hand)" if pending else "")


def feedback(root, students=None):
    """Generate HTML feedback for every autograded assignment (of `students` only, when given: an
    iterable of student ids); return 0 or 1."""
    failures = 0
    for assignment in assignments(root):
        graded = {p.parent.name for p in (Path(root) / "autograded").glob(f"*/{assignment}")}
        others = sorted(graded - set(students)) if students is not None else []
        if graded - set(others):
            exclude = [f"--CourseDirectory.student_id_exclude={','.join(others)}"] if others else []
            result = nbgrader(root, "generate_feedback", assignment, "--force", *exclude)
            if result.returncode != 0:
                print(result.stdout + result.stderr, file=sys.stderr)
                failures += 1
    if (Path(root) / "feedback").is_dir():
        make_offline(Path(root) / "feedback")
    print(f"feedback written to {Path(root) / 'feedback'} (MathJax in feedback/mathjax: send it along)")
    waiting = awaiting_hand_grades(root)
    if waiting:
        print(f"note: written answers not graded by hand yet show 0 in the feedback of {', '.join(waiting)}: "
              "grade them in `make formgrader` (Manual Grading), then run `make feedback` again")
    return 1 if failures else 0


def awaiting_hand_grades(root):
    """'student/assignment' of every submission in the gradebook with a written answer awaiting grading."""
    with Gradebook(db_url(root)) as gradebook:
        return [f"{s.student_id}/{a.name}" for a in gradebook.assignments for s in a.submissions
                if any(g.cell.cell_type == "markdown" and g.manual_score is None and g.auto_score is None
                       for n in s.notebooks for g in n.grades)]


@contextlib.contextmanager
def progress(root, batches, every=2.0):
    """A progress bar (stderr) over the submissions of `batches`: a step for each
    autograded notebook written since it started, naming the last one graded."""
    start, done, stop = time.time(), set(), threading.Event()
    bar = tqdm(total=sum(map(len, batches.values())), desc="grade", unit="submission", file=sys.stderr,
               mininterval=1)

    def finished(assignment, student):
        try:
            return any(p.stat().st_mtime >= start
                       for p in (Path(root) / "autograded" / student / assignment).glob("*.ipynb"))
        except OSError:  # removed while looking: not finished
            return False

    def look():
        for assignment, students in batches.items():
            for student in students:
                if (assignment, student) not in done and finished(assignment, student):
                    done.add((assignment, student))
                    bar.update(1)
                    bar.set_postfix_str(f"{assignment}: {student} graded")

    def poll():
        while not stop.wait(every):
            look()

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        yield bar
    finally:
        stop.set()
        watcher.join()
        look()  # the last ones, graded since the last look
        bar.close()


def main(argv=None):
    """Exit status: 0 when every submission was graded or reported (see its row), 1 when the run itself
    failed (the grading log has the traceback), 2 when it could not start (nothing was changed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="course folder (default: this repo)")
    parser.add_argument("--feedback-only", action="store_true", help="only generate feedback")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="grade N submissions at a time (default: 1)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    batches = {} if args.feedback_only else submissions(args.root)
    try:
        prepare(args.root, batches)
    except RunCannotStart as error:
        command = "make feedback" if args.feedback_only else "make grade"
        print(f"{command} cannot start (nothing was changed): {error}", file=sys.stderr)
        return 2
    if args.feedback_only:
        return feedback(args.root)
    if not batches:
        print(f"nothing to grade: put notebooks in {args.root / 'submitted'}/<student>/<assignment>/")
        return 0
    log_path = Path(args.root) / "logs" / f"grading-{time.strftime('%Y%m%d-%H%M%S')}.log"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("w") as log:
        log.write(f"gradebook: {shown_url(db_url(args.root))}\n")
        try:
            with progress(args.root, batches):
                rows, logs = grade_all(args.root, jobs=args.jobs)
        except Exception:  # noqa: BLE001 - said in one line; the traceback goes to the log
            log.write(traceback.format_exc())
            print(f"make grade failed: {sys.exc_info()[1]!r:.200}; traceback in {log_path}", file=sys.stderr)
            return 1
        log.write("".join(logs.values()))
    for assignment, text in logs.items():
        errors = sum("ERROR" in line for line in text.splitlines())
        if errors:
            print(f"[{assignment}] nbgrader logged {errors} errors (see the grading log)", file=sys.stderr)
    write_report(args.root, rows)
    print(f"grading log (nbgrader's output, full tracebacks): {log_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
