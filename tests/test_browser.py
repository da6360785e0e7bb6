"""JupyterLab as students and instructors use it, in a real browser: Debian's chromium driven by
Playwright (`executable_path`, no browser download), JupyterLab on 127.0.0.1 with a token.

The student's JupyterLab runs from the student copy installed as its README says (`student_course`,
tests/student_env.py); the instructor's from the course's own .venv on a temporary copy of the
course (`make formgrader`). Screenshots go to .cache/screenshots/ (kept by CI as artifacts).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

from tests.course_harness import filled_release
from tools.course import ROOT, assignments, copy_course, notebooks
from tools.notebook_model import is_test_cell, is_written_answer

ASSIGNMENT = "01_norm_layers"
SCREENSHOTS = ROOT / ".cache" / "screenshots"
TOKEN = "course-browser-test"
# Without the networking flags Chromium keeps calling hosts this machine cannot reach.
CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
VALIDATED = "Validation Results"
PANEL = ".jp-NotebookPanel:visible"


def chromium():
    """Debian's chromium, or the Chromium-based browser named by $COURSE_CHROMIUM."""
    path = shutil.which(os.environ.get("COURSE_CHROMIUM", "chromium"))
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs the Debian package)")
        pytest.skip("chromium is not installed: apt-get install chromium")
    return path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def jupyter_lab(jupyter, root, env, log):
    """A JupyterLab server on 127.0.0.1 rooted at `root`; yields its base URL."""
    port = free_port()
    command = [str(jupyter), "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}"]
    with open(log, "w") as output:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, f"JupyterLab stopped:\n{Path(log).read_text()[-3000:]}"
                assert time.monotonic() < deadline, f"no JupyterLab:\n{Path(log).read_text()[-3000:]}"
                time.sleep(1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def status(url):
    """The HTTP status of GET `url` (with the token)."""
    try:
        return urllib.request.urlopen(f"{url}?token={TOKEN}", timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    executable = chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def student_lab(student_course, tmp_path_factory):
    """The student's JupyterLab (`jupyter lab` in the course folder, environment active): its URL."""
    log = tmp_path_factory.mktemp("student-lab") / "lab.log"
    with jupyter_lab(student_course.root / ".venv" / "bin" / "jupyter", student_course.root,
                     student_course.env, log) as url:
        yield url


@pytest.fixture(scope="module")
def instructor_lab(tmp_path_factory):
    """The instructor's JupyterLab (`make formgrader`) on a temporary copy of the course: its URL."""
    root = copy_course(tmp_path_factory.mktemp("instructor-course"))
    home = tmp_path_factory.mktemp("instructor-home")
    # As the Makefile runs it: the venv first on PATH (the gradebook calls `alembic` from there).
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
           "PATH": os.pathsep.join([str(Path(sys.prefix) / "bin"), os.environ.get("PATH", "")])}
    with jupyter_lab(Path(sys.prefix) / "bin" / "jupyter", root, env, home / "lab.log") as url:
        yield url


def open_notebook(browser, url, path):
    """A new page showing notebook `path` (relative to the server's root), fully rendered."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(120_000)
    page.goto(f"{url}/lab/tree/{path}?reset&token={TOKEN}")  # reset: only this notebook open
    page.wait_for_selector(f"{PANEL} .jp-Cell")
    return page


def validate(page, name):
    """Press Validate in the notebook's toolbar; return the results dialog (screenshot `name`)."""
    button = page.locator(f"{PANEL} .jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True)
    assert button.count() == 1, "no Validate button in the notebook's toolbar"
    button.click()
    dialog = page.locator(".jp-Dialog").filter(has_text=VALIDATED)
    dialog.wait_for(timeout=900_000)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")
    return dialog


def test_validate_lists_every_test_cell_of_the_blank_release(browser, student_course, student_lab):
    (release,) = notebooks(student_course.root, ASSIGNMENT, "release")
    # Validate fails every test cell of the blank notebook and every written answer left blank.
    cells = nbformat.read(release, as_version=4).cells
    test_cells = sum(is_test_cell(c) or is_written_answer(c) for c in cells)
    page = open_notebook(browser, student_lab, release.relative_to(student_course.root).as_posix())
    dialog = validate(page, "student-validate-blank")
    assert dialog.get_by_text("The following cell failed:").count() == test_cells
    page.close()


def test_validate_says_success_on_a_solved_copy(browser, student_course, student_lab):
    (release,) = notebooks(student_course.root, ASSIGNMENT, "release")
    solved = student_course.root / "solved-in-browser" / ASSIGNMENT / release.name
    solved.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(filled_release(ASSIGNMENT), solved)
    page = open_notebook(browser, student_lab, solved.relative_to(student_course.root).as_posix())
    dialog = validate(page, "student-validate-solved")
    assert dialog.get_by_text("Success! Your notebook passes all the tests.").count() == 1
    assert dialog.get_by_text("The following cell failed:").count() == 0
    page.close()


def test_test_cells_are_read_only(browser, student_course, student_lab):
    (release,) = notebooks(student_course.root, ASSIGNMENT, "release")
    cells = nbformat.read(release, as_version=4).cells
    first_test = next(c for c in cells if is_test_cell(c)).source.splitlines()[-1]
    page = open_notebook(browser, student_lab, release.relative_to(student_course.root).as_posix())
    for text, editable in ((first_test, False), ("raise NotImplementedError()", True)):
        cell = page.locator(f"{PANEL} .jp-CodeCell").filter(has_text=text).first
        cell.scroll_into_view_if_needed()
        editor = cell.locator(".cm-content")
        editor.click()
        page.keyboard.press("End")
        page.keyboard.type("  # typed")
        typed = "# typed" in editor.inner_text()
        assert typed == editable, f"cell ending {text!r}: typing {'failed' if editable else 'changed it'}"
    page.screenshot(path=SCREENSHOTS / "student-read-only.png")
    page.close()


def test_student_lab_shows_no_instructor_tools(browser, student_course, student_lab):
    (release,) = notebooks(student_course.root, ASSIGNMENT, "release")
    page = open_notebook(browser, student_lab, release.relative_to(student_course.root).as_posix())
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Kernel" in menus and "Nbgrader" not in menus, menus
    tabs = page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all("tabs => tabs.map(t => t.title)")
    assert not [t for t in tabs if "ssignment" in t or "Formgrader" in t or "Course" in t], tabs
    page.screenshot(path=SCREENSHOTS / "student-lab.png")
    page.close()
    for path in ("formgrader", "assignments", "formgrader/api/assignments", "courses"):
        assert status(f"{student_lab}/{path}") == 404, f"/{path} answers in the student's JupyterLab"


def test_instructor_formgrader_lists_every_assignment(browser, instructor_lab):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(120_000)
    page.goto(f"{instructor_lab}/lab?token={TOKEN}")
    page.locator(".lm-MenuBar-itemLabel").get_by_text("Nbgrader", exact=True).click()
    page.locator(".lm-Menu").get_by_text("Formgrader", exact=True).click()
    formgrader = page.frame_locator("iframe").first
    for assignment in assignments(ROOT):
        formgrader.get_by_text(assignment, exact=True).first.wait_for()
    page.screenshot(path=SCREENSHOTS / "instructor-formgrader.png")
    page.close()
