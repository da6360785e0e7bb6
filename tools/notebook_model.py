"""The notebook model: what each cell of a course notebook is, read from its nbgrader metadata.

    answer cell   nbgrader "solution": a code exercise (code cell) or a written answer (markdown,
                  also graded: by hand)
    test cell     graded, not a solution: a locked code cell of visible checks ending with a
                  hidden-test block (HIDDEN_BEGIN ... HIDDEN_END, removed by nbgrader's
                  ClearHiddenTests when it generates the release)
    other cells   no nbgrader role: prose, set-up, demonstrations

An exercise is a name (function or class) a code answer cell defines; its test cells are the test
cells after that answer cell, up to the next answer cell (exercise_cells). The crosscheck's probes
and the mutants' target cells both use that one map. Cells are read as data here, nothing runs.
The crosscheck's sandboxed runner (tools/crosscheck_runner.py) cannot import this module and
mirrors is_test_cell.
"""

import ast
import re

from nbgrader.utils import is_grade, is_solution

# nbgrader's ClearSolutions / ClearHiddenTests delimiters ("BEGIN SOLUTION", "BEGIN HIDDEN
# TESTS", ...) as the course writes them: behind `### `.
SOLUTION_BEGIN, SOLUTION_END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
BLOCKS = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS).*?### END \1", flags=re.S)
# The keys of nbgrader's cell metadata and the types nbgrader writes for them.
METADATA_TYPES = {"grade_id": str, "points": (int, float), "grade": bool, "solution": bool,
                  "locked": bool, "task": bool, "schema_version": int, "checksum": str, "cell_type": str}


# --- One cell -------------------------------------------------------------------------------------

def grading_info(cell):
    """The cell's nbgrader metadata dict (empty when it has none)."""
    return cell.get("metadata", {}).get("nbgrader", {})


def grade_id(cell):
    """The cell's grade id, or None when it has none."""
    return grading_info(cell).get("grade_id")


def is_answer(cell):
    """True for an answer cell (nbgrader's solution cell): a code exercise or a written answer."""
    return bool(is_solution(cell))


def is_exercise(cell):
    """True for a code exercise's answer cell (a code solution cell)."""
    return cell.get("cell_type") == "code" and is_answer(cell)


def is_written_answer(cell):
    """True for a written question's answer: a markdown answer cell graded by hand (nbgrader's
    "Manually graded answer"; grade id `q_<name>`, the model answer in the source notebook)."""
    return cell.get("cell_type") == "markdown" and is_answer(cell) and bool(is_grade(cell))


def is_test_cell(cell):
    """True for a graded test cell (graded, not an answer)."""
    return bool(is_grade(cell)) and not is_answer(cell)


def is_tracked(cell):
    """True for a cell nbgrader tracks by its grade id: an answer or a test cell."""
    return is_answer(cell) or bool(is_grade(cell))


def well_formed(cell):
    """True when the cell has no nbgrader metadata or metadata of the form nbgrader writes (a
    mapping whose known keys have METADATA_TYPES' types)."""
    info = cell.get("metadata", {}).get("nbgrader")
    return info is None or isinstance(info, dict) and all(
        isinstance(info[key], kinds) and not (kinds is not bool and isinstance(info[key], bool))
        for key, kinds in METADATA_TYPES.items() if key in info)


def make_ordinary(cell):
    """Remove the cell's nbgrader metadata (in place): nbgrader then runs it as an ordinary cell."""
    cell.metadata.pop("nbgrader", None)


# --- A notebook -----------------------------------------------------------------------------------

def answer_sources(notebook):
    """{grade id: source} of the answer cells of `notebook` that have a grade id."""
    return {grade_id(c): c.source for c in notebook.cells if is_answer(c) and grade_id(c) is not None}


def sources_of_test_cells(notebook):
    """{grade id: source} of the test cells of `notebook` that have a grade id."""
    return {grade_id(c): c.source for c in notebook.cells if is_test_cell(c) and grade_id(c) is not None}


def fill_answers(notebook, answers, grade_ids=None):
    """Set the answer cells of `notebook` to `answers` ({grade id: source}, see answer_sources), all
    of them or those named in `grade_ids` (in place; KeyError for an answer cell `answers` lacks);
    return the notebook."""
    for cell in notebook.cells:
        if is_answer(cell) and (grade_ids is None or grade_id(cell) in grade_ids):
            cell.source = answers[grade_id(cell)]
    return notebook


def defined_names(source):
    """{name: (first line, last line)} (0-based, inclusive, decorators included) of the top-level
    functions and classes `source` defines, in order; empty when it does not parse."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return {}
    return {node.name: (min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1, node.end_lineno - 1)
            for node in body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


def exercise_cells(notebook):
    """{exercise name: [grade ids]}: for each name a code answer cell defines, the test cells after
    that cell, up to the next answer cell (code or written)."""
    cells, current = {}, []
    for cell in notebook.cells:
        if is_answer(cell):
            current = list(defined_names(cell.source)) if cell.cell_type == "code" else []
            for name in current:
                cells.setdefault(name, [])
        elif is_test_cell(cell) and grade_id(cell) is not None:
            for name in current:
                cells[name].append(grade_id(cell))
    return cells


def block_lines(notebook, kind):
    """Distinctive lines (> 25 characters, stripped) inside `### BEGIN <kind>` ... `### END <kind>`
    blocks of `notebook`'s cells; `kind` is "SOLUTION" or "HIDDEN TESTS"."""
    lines = set()
    for cell in notebook.cells:
        for body in re.findall(rf"### BEGIN {kind}(.*?)### END {kind}", cell.source, flags=re.S):
            lines.update(line.strip() for line in body.splitlines() if len(line.strip()) > 25)
    return lines


def without_blocks(source):
    """`source` without its solution and hidden-test blocks (delimiters included): what is public."""
    return BLOCKS.sub("", source)
