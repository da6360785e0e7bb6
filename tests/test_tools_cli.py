"""`python -m tools <verb>`: the one command line behind the Makefile (tools/__main__.py)."""

import re
import subprocess
from pathlib import Path

import pytest

from tools.__main__ import VERBS, main
from tools.course import NBGRADER

ROOT = Path(__file__).resolve().parent.parent


def test_every_verb_reaches_its_module(capsys):
    for verb, module in VERBS.items():
        if verb == "sandbox":  # a hand-written parser: no --help, its usage on an unknown option
            assert main([verb, "--usage"]) == 2 and "--check" in capsys.readouterr().err
            continue
        with pytest.raises(SystemExit) as stop:
            main([verb, "--help"])
        assert stop.value.code in (0, None), f"{verb} ({module}) --help failed"


def test_unknown_verb_is_refused_with_the_list_of_verbs(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["regrade"])
    assert stop.value.code == 2 and "invalid choice: 'regrade'" in capsys.readouterr().err


def test_the_makefile_calls_tools_only_through_its_verbs():
    calls = re.findall(r"-m tools[.\w]*(?: ([\w-]+))?", (ROOT / "Makefile").read_text())
    assert calls and all(verb in VERBS for verb in calls), calls


def test_the_course_nbgrader_command_never_loads_the_iri_grammar():
    """tools/__init__.py: nbgrader's command line as the course starts it (tools.course.NBGRADER)
    imports nbformat and jsonschema but not rfc3987_syntax (every grading test runs through it)."""
    done = subprocess.run([NBGRADER[0], "-X", "importtime", *NBGRADER[1:], "--version"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert {"nbformat", "jsonschema._format", "nbgrader"} <= imported
    # jsonschema._format tries the import (importtime lists the attempt), but none of the
    # package's own modules, where the grammar is compiled, ever runs
    assert not [name for name in imported if name.startswith("rfc3987_syntax.")]
