"""docs/performance.md quotes bench/results.json as `python -m bench --report` renders it."""

import json

import pytest

from bench.__main__ import REPORT_MARKS, RESULTS, report, with_report
from tools.course import ROOT


def test_with_report_replaces_only_what_stands_between_the_marks():
    begin, end = REPORT_MARKS
    document = f"intro\n{begin}\nold table\n{end}\nafter\n"
    assert with_report(document, "new") == f"intro\n{begin}\nnew\n{end}\nafter\n"
    for broken in ("no marks", f"{end}\n{begin}", f"{begin}{begin}{end}"):
        with pytest.raises(SystemExit, match="must hold"):
            with_report(broken, "new")


def test_performance_page_quotes_the_recorded_results():
    page = (ROOT / "docs" / "performance.md").read_text()
    expected = with_report(page, report(json.loads(RESULTS.read_text())))
    assert page == expected, ("docs/performance.md differs from bench/results.json: run "
                              "`.venv/bin/python -m bench --report --update docs/performance.md`")
