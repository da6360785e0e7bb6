"""An nbgrader preprocessor for `generate_feedback` that says where a failure comes from.

In nbgrader_config.py before HideHiddenTests (tools/plugins/hide_hidden_tests.py, which cuts
tracebacks to one line): when a test cell fails inside a function that another exercise defines
(`BatchNorm2d` calling a `batchnorm2d_eval` left unimplemented), the error message starts by naming
that function and its exercise. Only names of the student's own functions are added, never a
traceback line.
"""

import re

from nbgrader.preprocessors import NbGraderPreprocessor

from tools.notebook_model import defined_names, grade_id, is_exercise, is_test_cell

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
FRAME = re.compile(r"(?:Cell In\[\d+\], line \d+|File \"[^\"]*\", line \d+), in (\w+)")


def raising_function(traceback, names):
    """The innermost frame of `traceback` (lines, with or without colours) whose function is in `names`."""
    found = [m.group(1) for m in FRAME.finditer(ANSI.sub("", "\n".join(traceback)))]
    inner = [name for name in found if name in names]
    return inner[-1] if inner else None


class OtherExerciseHint(NbGraderPreprocessor):
    """Prefix a test cell's error with the exercise it came from, when that is another exercise."""

    def preprocess(self, nb, resources):
        # {name: grade id of the answer cell defining it}, and the answer cell each test cell follows.
        self.owner, self.tested, current = {}, {}, None
        for index, cell in enumerate(nb.cells):
            if is_exercise(cell):
                current = grade_id(cell)
                self.owner.update(dict.fromkeys(defined_names(cell.source), current))
            elif is_test_cell(cell):
                self.tested[index] = current
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_test_cell(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") != "error":
                    continue
                name = raising_function(output.get("traceback", []), self.owner)
                if name and self.owner[name] != self.tested.get(index):
                    hint = f"[raised in {name}() of the exercise {self.owner[name]}: fix that one first]"
                    output["evalue"] = f"{hint} {output.get('evalue', '')}"
        return cell, resources
