"""nbgrader settings for the course; nbgrader reads this file from the repository root only."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.converters import Autograde  # noqa: E402
from nbgrader.preprocessors import Execute, GetGrades, OverwriteCells  # noqa: E402

from tools.plugins.graded_cells_execute import GradedCellsExecute  # noqa: E402
from tools.plugins.hide_hidden_tests import HideHiddenTests  # noqa: E402
from tools.plugins.other_exercise_hint import OtherExerciseHint  # noqa: E402
from tools.plugins.overwrite_known_cells import OverwriteKnownCells  # noqa: E402

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

# One course, rooted where this file is, so a temporary copy of the course grades itself.
c.CourseDirectory.course_id = "convnets"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# The gradebook: SQLite in the course folder (nbgrader's default, gradebook.db), or a shared
# database server when GRADEBOOK_URL is set, e.g. postgresql://grader@dbhost/convnets.
if os.environ.get("GRADEBOOK_URL"):
    c.CourseDirectory.db_url = os.environ["GRADEBOOK_URL"]

# The slowest graded cell takes a few seconds on 2 CPU cores; 300 s leaves a wide margin for a
# slow machine without letting one runaway submission hold the batch for long.
c.Execute.timeout = 300
# A cell that runs past the timeout is interrupted and scored 0; the rest still runs.
c.Execute.interrupt_on_timeout = True
# Once a cell's reply has come, its last outputs must follow within this many seconds, or nbgrader
# abandons the submission (no score, reported `crashed`). nbclient's default, 4 s, was too short
# on a loaded 2-core machine (AVX2, make test): honest submissions were abandoned that way.
c.Execute.iopub_timeout = 60
# After the last cell the kernel is killed, not asked to shut down: its outputs are all in the
# notebook by then, and the sandbox is torn down either way (1 s less per graded notebook).
c.Execute.shutdown_kernel = "immediate"
# (OverwriteKernelspec, always on in autograde, restores the source's python3 kernelspec.)
# A test cell a student deleted is put back from the gradebook and graded.
c.OverwriteCells.add_missing_cells = True
# A cell with a grade id the gradebook does not know (renamed, or its id deleted) becomes an
# ordinary cell instead of stopping the whole submission (tools/plugins/overwrite_known_cells.py).
c.Autograde.sanitize_preprocessors = [OverwriteKnownCells if p is OverwriteCells else p
                                      for p in Autograde.class_traits()["sanitize_preprocessors"].default()]
# Known harmless stderr (warnings, progress bars) must not score a passing test cell 0.
c.IgnorePattern.enabled = True
# (An error is never a stderr stream, so this cannot hide a failing test.)
c.IgnorePattern.pattern = r"Warning:|warnings\.warn|\d+%\|"
# Keep huge outputs out of the gradebook and the feedback. Lines are cut after the run; bytes
# during it (tools/plugins/capped_execute.py: a flood of output must not fill the grader's memory).
# No cell runs after the last graded code cell: it could change no score
# (tools/plugins/graded_cells_execute.py).
c.Autograde.autograde_preprocessors = [GradedCellsExecute if p is Execute else p
                                       for p in Autograde.class_traits()["autograde_preprocessors"].default()]
c.LimitOutput.max_lines = 500
c.LimitOutput.max_traceback = 100
# Feedback shows scores and visible tests, never hidden-test source or hidden traceback lines.
# (OtherExerciseHint first: it reads the full traceback to name the exercise a failure comes from.)
c.GenerateFeedback.preprocessors = [GetGrades, OtherExerciseHint, HideHiddenTests, CSSHTMLHeaderPreprocessor]
# Grading kernels run in a bubblewrap sandbox without network (tools/sandbox_kernel.py, put in
# place by tools.course.nbgrader for autograde only): nbgrader talks to every kernel over IPC
# sockets, under an absolute path prefix (jupyter_client's default, "kernel-ipc", is relative to
# each process's folder), one per nbgrader process. Unsandboxed kernels (validation) work alike.
from jupyter_core.paths import jupyter_runtime_dir  # noqa: E402

os.makedirs(jupyter_runtime_dir(), exist_ok=True)
c.KernelManager.transport = "ipc"
c.KernelManager.ip = os.path.join(jupyter_runtime_dir(), f"nbgrader-{os.getpid()}")
