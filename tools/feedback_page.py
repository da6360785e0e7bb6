"""Feedback pages that read well offline.

`make_offline(feedback)`: nbgrader's feedback pages load MathJax from a CDN; this copies MathJax
from the installed `jupyter_server_mathjax` package to `feedback/mathjax/` and points every page
there (a relative link: give students their folder and `feedback/mathjax/` together), and makes
long messages wrap instead of scrolling sideways.
"""

import os
import re
import shutil
from pathlib import Path

CDN = re.compile(r'<script src="https://cdnjs\.cloudflare\.com/ajax/libs/mathjax/[^"]*">')
CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"  # the combined configuration the package ships
STYLE = ("<style>/* offline feedback: long messages wrap */ div.output_area pre, div.output_subarea pre "
         "{white-space: pre-wrap; overflow-wrap: anywhere;}</style>\n"
         '<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": {availableFonts: [], '
         'webFont: "STIX-Web", imageFont: null}});</script>\n')


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
