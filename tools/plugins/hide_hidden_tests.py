"""An nbgrader preprocessor for `generate_feedback` that keeps hidden tests out of feedback.

Everything a graded notebook's outputs hold was produced by the student's kernel, after (or
while) the hidden tests ran in it: code in an answer cell can print a test cell's source (an
IPython `post_run_cell` hook, `In`, the cell history) into any later output. So the feedback
shows no output the kernel could have filled with them:

- graded test cells: the source without the `### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS`
  block; of the outputs only errors, each reduced to one line "<error type>: <message>" (no
  traceback, which quotes the failing lines); the visible checks print nothing when they pass,
  so stream and display outputs are dropped. A message that quotes a hidden-test line (compared
  on letters and digits only, so escaping or re-spacing does not hide it) is withheld.
- every other code cell: outputs cleared (students have their own run of them).
"""

import re

from nbgrader.preprocessors import NbGraderPreprocessor

from tools.notebook_model import HIDDEN_BEGIN, HIDDEN_END, is_test_cell

NOTE = "# (hidden tests ran here; their source is not shown in feedback)"
WITHHELD = "(message withheld: it quotes the hidden tests)"
MAX_MESSAGE = 1000  # characters of an error message shown
MIN_QUOTE = 16  # letters and digits a hidden-test line needs to be looked for in messages


def strip_hidden_block(source):
    """Return `source` (a str) with every hidden-test block replaced by one comment line."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if HIDDEN_BEGIN in line:
            hidden = True
            kept.append(line[: len(line) - len(line.lstrip())] + NOTE)
        elif HIDDEN_END in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def letters(text):
    """`text` reduced to its letters and digits."""
    return re.sub(r"[^A-Za-z0-9]", "", text)


def hidden_lines(notebook):
    """The hidden-test lines of `notebook`'s test cells, reduced by `letters` (long enough ones)."""
    found = set()
    for cell in notebook.cells:
        if cell.cell_type == "code" and is_test_cell(cell):
            inside = False
            for line in cell.source.split("\n"):
                if HIDDEN_BEGIN in line or HIDDEN_END in line:
                    inside = HIDDEN_BEGIN in line
                elif inside and len(letters(line)) >= MIN_QUOTE:
                    found.add(letters(line))
    return found


def error_line(output, hidden):
    """An error output reduced to one line "<ename>: <evalue>", the message withheld if it quotes `hidden`."""
    name = str(output.get("ename", "Error"))
    name = name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]{0,80}", name) else "Error"
    message = str(output.get("evalue", ""))[:MAX_MESSAGE]
    if any(line in letters(message) for line in hidden):
        message = WITHHELD
    return name, message


class HideHiddenTests(NbGraderPreprocessor):
    """Strip hidden-test source, and every output the kernel could have filled with it."""

    def preprocess(self, nb, resources):
        self.hidden = hidden_lines(nb)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if is_test_cell(cell):
            cell.source = strip_hidden_block(cell.source)
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            cell.outputs = []
            for output in errors:
                name, message = error_line(output, self.hidden)
                output.update(ename=name, evalue=message, traceback=[f"{name}: {message}"])
                cell.outputs.append(output)
        else:
            cell.outputs = []
        return cell, resources
