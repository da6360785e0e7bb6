"""Instructor-side code behind the Makefile: release table, grading runner, feedback filter.

Importing this package first makes every process of the course's tools start faster: jsonschema
(which nbformat imports) loads `rfc3987_syntax`, when installed, for its "iri" format checkers,
and that module compiles an IRI grammar at import, 0.9 s (idle, AVX-512 host) to 2.2 s (idle,
AVX2 host) of CPU in every process that reads a notebook. Nothing here validates an IRI. A None
entry in sys.modules makes that import fail, and jsonschema then goes without those two checkers
(jsonschema/_format.py catches the ImportError). A process that imported it already keeps it.
nbgrader's command line starts through tools/ for this (tools/nbgrader_command.py).
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
