"""Feedback that reads well offline and says where a failure comes from.

- `OtherExerciseHint`, an nbgrader preprocessor for `generate_feedback` (nbgrader_config.py, before
  tools.feedback_filter.HideHiddenTests, which cuts tracebacks to one line): when a test cell
  fails inside a function that another exercise defines (`BatchNorm2d` calling a
  `batchnorm2d_eval` left unimplemented), the error message starts by naming that function and
  its exercise. Only names of the student's own functions are added, never a traceback line.
- `make_offline(feedback)`: nbgrader's feedback pages load MathJax from a CDN; this copies MathJax
  from the installed `jupyter_server_mathjax` package to `feedback/mathjax/` and points every page
  there (a relative link: give students their folder and `feedback/mathjax/` together), and makes
  long messages wrap instead of scrolling sideways.
"""

import os
import re
import shutil
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor

from tools.notebook_model import defined_names, grade_id, is_exercise, is_test_cell

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
FRAME = re.compile(r"(?:Cell In\[\d+\], line \d+|File \"[^\"]*\", line \d+), in (\w+)")
CDN = re.compile(r'<script src="https://cdnjs\.cloudflare\.com/ajax/libs/mathjax/[^"]*">')
CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"  # the combined configuration the package ships
STYLE = ("<style>/* offline feedback: long messages wrap */ div.output_area pre, div.output_subarea pre "
         "{white-space: pre-wrap; overflow-wrap: anywhere;}</style>\n"
         '<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": {availableFonts: [], '
         'webFont: "STIX-Web", imageFont: null}});</script>\n')


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


def mathjax_source():
    """The MathJax folder of the installed jupyter_server_mathjax package."""
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).parent / "static"


def skipped(folder, names):
    """What make_offline leaves out of the copy: other output modes, translations, accessibility."""
    relative = Path(folder).relative_to(mathjax_source()).as_posix()
    drop = {".": {"localization"}, "jax/output": {"SVG"}, "extensions": {"a11y"}}.get(relative, set())
    return [name for name in names if name in drop]


def make_offline(feedback):
    """Copy MathJax into `feedback`/mathjax (once) and link every page below `feedback` to it."""
    feedback = Path(feedback)
    target = feedback / "mathjax"
    if not (target / "MathJax.js").exists():
        shutil.copytree(mathjax_source(), target, ignore=skipped, dirs_exist_ok=True)
    for page in feedback.glob("*/*/*.html"):
        text = page.read_text()
        link = os.path.relpath(target / "MathJax.js", page.parent).replace(os.sep, "/")
        if CDN.search(text):
            text = CDN.sub(f'<script src="{link}?config={CONFIG}">', text, count=1)
            text = text.replace("</head>", STYLE + "</head>", 1)
            page.write_text(text)
