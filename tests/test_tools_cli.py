"""`python -m tools <verb>`: the one command line behind the Makefile (tools/__main__.py)."""

import re
from pathlib import Path

import pytest

from tools.__main__ import VERBS, main

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
