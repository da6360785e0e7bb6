"""Runs one assignment's submissions as a student runs them, visible checks only; prints JSON.

Usage: python -m tests.visible_runner ASSIGNMENT OUTPUT.json  (from the repository root). For the reference
(every answer from the source) and for each variant and each mutant of ASSIGNMENT: the release notebook
with the answers filled in (and the variant or mutant applied) runs in a fresh IPython namespace with
NBGRADER_EXECUTION set, as Validate does, so the notebooks skip their training demos. Only the
set-up cells before the first exercise, the answer cells and the graded test cells run (the test
cells as released: visible checks, no hidden tests). A mutant's run stops at the first failing
test cell (one is all tests/test_visible_checks.py asks of it); the reference and the variants run
to the end. Writes to OUTPUT.json {"reference", "variants/<variant stem>" or mutant stem:
{"failed": {grade_id: last error line}, "errors": [...]}}.
"""

import gc
import json
import os
import sys

from IPython.core.interactiveshell import InteractiveShell

from tests.course_harness import apply_mutant, filled_release, mutant_files, variant_files
from tools.course import ROOT
from tools.notebook_model import grade_id, is_answer, is_test_cell


def cells_a_student_checks(notebook):
    """The code cells that run: set-up (before the first answer cell), answers and test cells."""
    first_answer = next(i for i, c in enumerate(notebook.cells) if is_answer(c))
    return [c for i, c in enumerate(notebook.cells) if c.cell_type == "code"
            and (i < first_answer or is_answer(c) or is_test_cell(c))]


def last_error_line(result):
    """`Type: message` of the exception a cell raised (first line of the message)."""
    error = result.error_in_exec or result.error_before_exec
    return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"


def run(shell, notebook, first_failure=False):
    """Run the checked cells of `notebook` in a fresh namespace; return failed test cells and errors
    (with `first_failure`, up to the first failed test cell only)."""
    shell.reset(new_session=False)
    failed, errors = {}, []
    for cell in cells_a_student_checks(notebook):
        result = shell.run_cell(cell.source, silent=True, store_history=False)
        if result.success:
            continue
        if is_test_cell(cell):
            failed[grade_id(cell)] = last_error_line(result)
            if first_failure:
                break
        else:
            errors.append(f"{grade_id(cell) or 'set-up cell'}: {last_error_line(result)}")
    return {"failed": failed, "errors": errors}


def main(assignment, output):
    os.environ["NBGRADER_EXECUTION"] = "validate"
    os.environ["MPLBACKEND"] = "Agg"
    shell = InteractiveShell.instance(colors="nocolor")
    shell.showtraceback = lambda *args, **kwargs: None  # errors are reported in the JSON
    shell.enable_gui = lambda gui=None: None  # `%matplotlib inline` without a kernel
    os.chdir(ROOT / "release" / assignment)
    results = {"reference": run(shell, filled_release(assignment))}
    # What is left after a reset is the imported modules: frozen, the garbage collection that each
    # later reset runs skips them (0.3 s per reset otherwise, a third of a mutant's run in 04).
    shell.reset(new_session=False)
    gc.freeze()
    # a variant, a correct alternative definition, is swapped in as a replacement mutant is
    swaps = [(f"variants/{p.stem}", p, False) for p in variant_files(assignment)]
    for key, path, first_failure in swaps + [(p.stem, p, True) for p in mutant_files(assignment)]:
        notebook = filled_release(assignment)
        apply_mutant(notebook, path)
        results[key] = run(shell, notebook, first_failure)
    with open(output, "w") as handle:
        json.dump(results, handle)


if __name__ == "__main__":
    main(sys.argv[1], os.path.abspath(sys.argv[2]))
