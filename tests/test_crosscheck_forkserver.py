"""tools/crosscheck_forkserver.py's bookkeeping, outside any sandbox: what a job leaves in the
writable folders is removed, the skeleton bwrap made stays, and a changed skeleton ends the warm
process (tests/test_crosscheck_warm.py runs the warm process itself)."""

import os

import pytest

from tools import crosscheck_forkserver as forkserver


def skeleton_tree(tmp_path):
    """A writable root holding what bwrap would make there: a folder leading to a mount, a link."""
    root = tmp_path / "tmp"
    (root / "course" / "work").mkdir(parents=True)
    (root / "link").symlink_to("/usr")
    root.chmod(0o1777)
    return root


def test_restore_removes_what_a_job_left_and_keeps_the_skeleton(tmp_path):
    root = skeleton_tree(tmp_path)
    skeleton = forkserver.snapshot([str(root)])
    locked = root / "course" / "locked"
    (locked / "deeper").mkdir(parents=True)
    (locked / "deeper" / "file").write_text("x")
    (locked / "deeper").chmod(0)
    locked.chmod(0)
    (root / "outside").symlink_to(tmp_path)  # followed, it would remove the test's own folder
    (root / "file").write_text("x")
    (root / "course").chmod(0)
    root.chmod(0o700)
    forkserver.restore(str(root), skeleton)
    left = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    assert left == ["course", "course/work", "link"]
    assert (root.stat().st_mode & 0o7777, (root / "course").stat().st_mode & 0o777) == (0o1777, 0o755)
    assert (tmp_path / "tmp").exists()


def test_restore_puts_back_the_times_and_removes_extended_attributes(tmp_path):
    root = skeleton_tree(tmp_path)
    skeleton = forkserver.snapshot([str(root)])
    os.utime(root / "course", ns=(12345, 67890))  # 2 x 64 bits a job could leave for the next
    try:
        os.setxattr(root / "course", "user.note", b"for the next job")
    except OSError:  # a file system without user attributes here: the times are still checked
        pass
    forkserver.restore(str(root), skeleton)
    info = (root / "course").stat()
    assert (info.st_atime_ns, info.st_mtime_ns) == skeleton[str(root / "course")][4]
    assert forkserver.listxattr(str(root / "course")) == []


@pytest.mark.parametrize("change", ["replace", "remove"])
def test_a_changed_skeleton_ends_the_warm_process(tmp_path, change):
    root = skeleton_tree(tmp_path)
    skeleton = forkserver.snapshot([str(root)])
    os.rmdir(root / "course" / "work")
    if change == "replace":
        (root / "course" / "work").write_text("not the folder")
    with pytest.raises(ValueError, match="work was (replaced|removed)"):
        forkserver.restore(str(root), skeleton)


def test_snapshot_does_not_enter_other_file_systems(tmp_path):
    root = skeleton_tree(tmp_path)
    skeleton = forkserver.snapshot([str(root), "/dev/shm"])
    assert skeleton[str(root)][3] and str(root / "link") in skeleton  # recorded, not followed
    assert all(path.startswith((str(root), "/dev/shm")) for path in skeleton)


def test_caught_signals_reads_the_handlers_of_this_process():
    assert 2 in forkserver.caught_signals()  # Python's KeyboardInterrupt handler
