"""The gradebook on PostgreSQL (GRADEBOOK_URL): release and parallel grading against a real server.

A throwaway server (Debian's `postgresql` package; .ci/run installs it) is initialised in a
temporary folder and reached through a Unix socket in that folder only (no TCP port to collide
on). Its database starts empty: nbgrader's generate_assignment creates the tables and the
assignment, then two workers autograde at once. initdb refuses to run as root, so as root the
server runs as the `postgres` user (or `nobody`); the client (this process, nbgrader) connects
over the socket with trust authentication, which only that socket offers.
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import nbformat
import pytest
import sqlalchemy
from nbgrader.api import Gradebook

from tests.course_harness import apply_mutant, filled_release, mutant_files
from tools.autograde import db_url
from tools.course import ROOT, copy_course, notebooks, submit
from tools.grade import grade_all
from tools.release import generate

ASSIGNMENT = "01_norm_layers"


def postgres_bindir():
    """The folder of initdb/pg_ctl/postgres (the newest Debian version, or on PATH), or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                        key=lambda p: [int(x) for x in Path(p).parent.parent.name.split(".") if x.isdigit()])
    found = candidates[-1] if candidates else shutil.which("initdb")
    return Path(found).parent if found else None


def server_user():
    """As root, the (uid, gid) the server runs as (initdb refuses root); otherwise None."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
        except KeyError:
            continue
    pytest.fail("running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL")


def run_as(user, command, folder):
    """Run a server command (as `user` when given: (uid, gid)); fail with its output if it fails."""
    ids = {"user": user[0], "group": user[1], "extra_groups": []} if user else {}
    result = subprocess.run([str(c) for c in command], cwd=folder, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "LC_ALL": "C"}, **ids)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def postgres_url():
    """The URL of an empty database on a throwaway PostgreSQL server, stopped afterwards."""
    bindir = postgres_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but PostgreSQL is not installed (.ci/run installs Debian's postgresql)")
        pytest.skip("PostgreSQL binaries not found (Debian: apt-get install postgresql)")
    user = server_user()
    folder = Path(tempfile.mkdtemp(prefix="pg-"))  # short: a socket path has at most 107 bytes
    if user:
        os.chown(folder, *user)
    data = folder / "data"
    run_as(user, [bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--no-instructions"], folder)
    options = f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
    run_as(user, [bindir / "pg_ctl", "-D", data, "-l", folder / "server.log", "-w", "-t", "60",
                  "-o", options, "start"], folder)
    try:
        admin = sqlalchemy.create_engine(f"postgresql://postgres@/postgres?host={folder}",
                                         isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text("CREATE DATABASE gradebook"))
        admin.dispose()
        yield f"postgresql://postgres@/gradebook?host={folder}"
    finally:
        run_as(user, [bindir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], folder)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def graded(postgres_url, tmp_path_factory):
    """Release and grade (2 workers) three submissions of 01_norm_layers with GRADEBOOK_URL set."""
    root = copy_course(tmp_path_factory.mktemp("course-postgres"))
    (source_path,) = notebooks(ROOT, ASSIGNMENT, "source")
    mutant = mutant_files(ASSIGNMENT)[0]
    notebook = filled_release(ASSIGNMENT)
    targets = apply_mutant(notebook, mutant)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADEBOOK_URL", postgres_url)
        assert db_url(root) == postgres_url
        assert generate(root, ASSIGNMENT) is None
        submit(root, "reference", ASSIGNMENT, nbformat.read(source_path, as_version=4))
        submit(root, "mutant", ASSIGNMENT, notebook)
        submit(root, "malformed", ASSIGNMENT, '{"cells": [ not JSON')
        start = time.monotonic()
        rows, logs = grade_all(root, jobs=2)
        seconds = time.monotonic() - start
    return {"root": root, "url": postgres_url, "rows": {r.student: r for r in rows},
            "log": logs[ASSIGNMENT], "targets": targets, "seconds": seconds}


def test_grades_come_from_postgres(graded):
    rows, log = graded["rows"], graded["log"][-3000:]
    assert rows["reference"].status == "graded", log
    reference = rows["reference"]  # written answers (if any) await grading by hand
    assert reference.score + reference.pending_points == reference.max_score > 0
    assert rows["mutant"].status == "graded", log
    assert any(rows["mutant"].cells[c] < rows["reference"].cells[c] for c in graded["targets"])
    assert rows["malformed"].status == "malformed" and rows["malformed"].score is None
    assert not (graded["root"] / "gradebook.db").exists(), "something graded into SQLite instead"


def test_postgres_gradebook_holds_each_student_once(graded):
    with Gradebook(graded["url"], "convnets") as gradebook:
        found = Counter(s.student.id for s in gradebook.find_assignment(ASSIGNMENT).submissions)
        assert found["reference"] == found["mutant"] == 1 and max(found.values()) == 1
        reference = gradebook.find_submission(ASSIGNMENT, "reference")
        assert reference.score == graded["rows"]["reference"].score
    assert "OperationalError" not in graded["log"]
