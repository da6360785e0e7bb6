"""tools/crosscheck_compare.py: comparing the runner's arrays with the reference's, and reading its
untrusted results file (pure functions: no sandbox, no notebook)."""

import io
import zipfile

import numpy as np
import pytest

from tools import crosscheck, crosscheck_compare

# The probes' own module, loaded as the crosscheck loads it.
Probe = crosscheck.load_module("probe_common", crosscheck.PROBES / "probe_common.py").Probe


# --- compare ------------------------------------------------------------------------------------

def test_compare_accepts_equal_and_close_values():
    a = np.array([[1.0, 2.0], [3.0, -4.0]], dtype=np.float32)
    assert crosscheck_compare.compare(a, a.copy()) is None
    assert crosscheck_compare.compare(a, a + np.float32(1e-6)) is None
    assert crosscheck_compare.compare(np.array(True), np.array(True)) is None
    assert crosscheck_compare.compare(np.arange(3), np.arange(3)) is None
    assert crosscheck_compare.compare(np.zeros((0, 4), np.float32), np.zeros((0, 4), np.float32)) is None


def test_compare_refuses_other_shapes_dtypes_and_values():
    a = np.ones((2, 3), dtype=np.float32)
    assert "shape" in crosscheck_compare.compare(a, np.ones((3, 2), dtype=np.float32))
    assert "shape" in crosscheck_compare.compare(a, np.ones((6,), dtype=np.float32))
    assert "dtype" in crosscheck_compare.compare(a, np.ones((2, 3), dtype=np.float64))
    assert "dtype" in crosscheck_compare.compare(a, np.ones((2, 3), dtype=np.int64))
    assert "dtype" in crosscheck_compare.compare(np.array(True), np.array(1))
    assert "max abs error" in crosscheck_compare.compare(a, a + 0.01)
    assert "differ" in crosscheck_compare.compare(np.arange(3), np.array([0, 1, 3]))
    assert crosscheck_compare.compare(np.array(True), np.array(False))
    assert crosscheck_compare.compare(np.array("ValueError: x"), np.array(1.0))
    assert crosscheck_compare.compare(a, [[1.0] * 3] * 2) == "not an array"


def test_compare_nan_and_infinities():
    ref = np.array([1.0, np.nan, np.inf], dtype=np.float32)
    assert crosscheck_compare.compare(ref, ref.copy()) is None  # NaN where the reference has NaN
    assert crosscheck_compare.compare(ref, np.array([np.nan, np.nan, np.inf], np.float32))  # NaN for a number
    assert crosscheck_compare.compare(ref, np.array([1.0, 0.0, np.inf], np.float32))  # a number for NaN
    assert crosscheck_compare.compare(ref, np.array([1.0, np.nan, -np.inf], np.float32))
    assert crosscheck_compare.compare(ref, np.array([1.0, np.nan, 3e38], np.float32))


def test_compare_uses_the_probe_tolerances():
    a = np.array([1.0, 2.0])
    assert crosscheck_compare.compare(a, a + 5e-4) is not None
    assert crosscheck_compare.compare(a, a + 5e-4, atol=1e-3) is None


# --- the results file ---------------------------------------------------------------------------

def npz_bytes(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_results_file_numeric_arrays_load(tmp_path):
    path = tmp_path / "r.npz"
    path.write_bytes(npz_bytes(**{"f/p/a": np.arange(3), "f/p/b": np.array("message")}))
    arrays, problem = crosscheck_compare.load_results(path)
    assert problem is None and set(arrays) == {"f/p/a", "f/p/b"}


@pytest.mark.parametrize("payload", ["pickle", "garbage", "empty", "zip_without_arrays", "npy", "bad_key",
                                     "long_text", "too_many"])
def test_results_file_anything_else_is_refused(tmp_path, payload):
    path = tmp_path / "r.npz"
    if payload == "pickle":
        buffer = io.BytesIO()
        np.savez(buffer, a=np.array([{"evil": object()}, 1], dtype=object))
        path.write_bytes(buffer.getvalue())
    elif payload == "garbage":
        path.write_bytes(b"\x80\x04not a zip at all")
    elif payload == "empty":
        path.write_bytes(b"")
    elif payload == "npy":  # a plain array, not an archive: np.load returns an ndarray
        buffer = io.BytesIO()
        np.save(buffer, np.arange(10))
        path.write_bytes(buffer.getvalue())
    elif payload == "bad_key":
        path.write_bytes(npz_bytes(nokey=np.arange(3)))
    elif payload == "long_text":
        path.write_bytes(npz_bytes(**{"f/p/x": np.array(["a" * 10] * 3)}))
    elif payload == "too_many":
        too_many = range(crosscheck_compare.MAX_KEYS + 1)
        path.write_bytes(npz_bytes(**{f"f/p/{k}": np.array(k) for k in too_many}))
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("a.npy", b"this is not an array")
    arrays, problem = crosscheck_compare.load_results(path)
    assert arrays == {} and problem, problem


# --- disagreements ------------------------------------------------------------------------------

def probe_a(ns, g):
    return {}


def probe_b(ns, g):
    return {}


PROBES = [Probe("f", probe_a, {}), Probe("g", probe_b, {"atol": 1.0})]


def test_disagreements_missing_keys_errors_and_tolerances():
    reference = {"f/probe_a/x": np.ones(3), "f/probe_a/y": np.array(2), "g/probe_b/z": np.zeros(2)}
    assert crosscheck_compare.disagreements(PROBES, reference, dict(reference)) == {}
    missing = {k: v for k, v in reference.items() if k != "f/probe_a/y"}
    assert "no result 'y'" in crosscheck_compare.disagreements(PROBES, reference, missing)[("f", "probe_a")]
    errored = {"f/probe_a/__error__": np.array("NotImplementedError: "), "g/probe_b/z": np.zeros(2) + 0.5}
    found = crosscheck_compare.disagreements(PROBES, reference, errored)
    assert set(found) == {("f", "probe_a")} and "NotImplementedError" in found[("f", "probe_a")]
    assert crosscheck_compare.disagreements(PROBES, reference, {})  # nothing at all: every probe fails


def test_a_probe_failing_on_the_reference_decides_nothing():
    reference = {"f/probe_a/__error__": np.array("RuntimeError: x"), "g/probe_b/z": np.zeros(2)}
    assert crosscheck_compare.disagreements(PROBES, reference, {"g/probe_b/z": np.zeros(2)}) == {}
