"""An nbgrader preprocessor for `generate_feedback` that keeps hidden tests out of feedback.

In every graded test cell it removes the `### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS`
block from the source shown, and reduces each error's traceback to its last line (the error
type and message), so no hidden-test line can appear through a traceback either.
"""

from nbgrader.preprocessors import NbGraderPreprocessor

from tools.course import is_test_cell

BEGIN, END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
NOTE = "# (hidden tests ran here; their source is not shown in feedback)"


def strip_hidden_block(source):
    """Return `source` (a str) with every hidden-test block replaced by one comment line."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if BEGIN in line:
            hidden = True
            kept.append(line[: len(line) - len(line.lstrip())] + NOTE)
        elif END in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


class HideHiddenTests(NbGraderPreprocessor):
    """Strip hidden-test source and traceback lines from graded test cells of the feedback."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_test_cell(cell):
            cell.source = strip_hidden_block(cell.source)
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
