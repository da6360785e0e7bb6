"""The crosscheck's comparison (tools/crosscheck.py): pure functions on the runner's results.

`load_results` reads and validates a results file written by the sandboxed runner
(tools/crosscheck_runner.py, untrusted); `compare` and `disagreements` compare a candidate's
arrays with the reference's, probe by probe (tools/probes/probe_common.Probe).
"""

import os
import zipfile

import numpy as np

MAX_KEYS = 20000  # entries a results file may hold
MAX_BYTES = 64 * 2**20  # largest result file accepted
RTOL, ATOL = 1e-4, 1e-5  # default tolerances (those of utils.checks.check_close)
ERROR = "__error__"  # key suffix of a probe's error message


def load_results(path):
    """Validated {key: ndarray} of a results file, and None; or ({}, why it was refused).

    The file is the runner's, hence untrusted: it must be a zip archive (numpy.savez) of at most
    MAX_KEYS members of at most MAX_BYTES uncompressed in all, each a .npy array (no pickles) of
    a numeric, boolean or short text dtype under a key "<exercise>/<probe>/<name>" (or
    "__cells__/<name>").
    Anything else refuses the whole file.
    """
    size = os.path.getsize(path)
    if size == 0:
        return {}, "the probe process wrote no results"
    if size > MAX_BYTES:
        return {}, f"the results are too large ({size} bytes)"
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
        if len(members) > MAX_KEYS or sum(m.file_size for m in members) > MAX_BYTES:
            return {}, "the results hold too many or too large entries"
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            return {}, "the results are not an archive of arrays"
        with archive:
            arrays = {key: archive[key] for key in archive.files}
    except Exception as error:  # noqa: BLE001 - anything unreadable is refused, never raised
        return {}, f"the results could not be read safely ({type(error).__name__})"
    for key, value in arrays.items():
        if "/" not in key or not isinstance(value, np.ndarray) or value.dtype.kind not in "biufcU":
            return {}, f"the results hold an entry of an unexpected form {key[:60]!r}"
        if value.dtype.kind == "U" and (value.ndim != 0 or value.dtype.itemsize > 4 * 4096):
            return {}, f"the results hold a text entry of an unexpected form {key[:60]!r}"
    return arrays, None


def compare(expected, actual, rtol=RTOL, atol=ATOL):
    """None if `actual` matches `expected` (numpy arrays), else a short reason."""
    if not isinstance(actual, np.ndarray):
        return "not an array"
    if expected.dtype.kind == "U" or actual.dtype.kind == "U":
        return None if (actual.dtype.kind == expected.dtype.kind == "U"
                        and str(actual) == str(expected)) else "a different message or type"
    if actual.shape != expected.shape:
        return f"shape {actual.shape} instead of {expected.shape}"
    kinds = {"b": "bool", "i": "integer", "u": "integer", "f": "float", "c": "complex"}
    if kinds.get(actual.dtype.kind) != kinds.get(expected.dtype.kind) or (
            expected.dtype.kind in "fc" and actual.dtype.itemsize != expected.dtype.itemsize):
        return f"dtype {actual.dtype} instead of {expected.dtype}"
    if actual.size == 0:
        return None
    if expected.dtype.kind in "biu":
        wrong = int(np.count_nonzero(actual != expected))
        return None if wrong == 0 else f"{wrong} of {actual.size} values differ"
    got, want = actual.astype(np.complex128 if expected.dtype.kind == "c" else np.float64), \
        expected.astype(np.complex128 if expected.dtype.kind == "c" else np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.abs(got - want)
        finite = np.isfinite(want)
        tolerance = atol + rtol * np.where(finite, np.abs(want), 0.0)
        same = (got == want) | (np.isnan(got) & np.isnan(want)) | (error <= tolerance)
    if bool(same.all()):
        return None
    worst = float(np.nanmax(np.where(same, 0.0, np.nan_to_num(error, nan=np.inf))))
    return f"max abs error {worst:.3g}, {int((~same).sum())} of {actual.size} values off"


def disagreements(probes, reference, candidate):
    """{(exercise, probe name): reason} where `candidate` disagrees with `reference`."""
    found = {}
    for exercise, probe, options in probes:  # probe_common.Probe(exercise, function, options)
        prefix = f"{exercise}/{probe.__name__}/"
        wanted = {k: v for k, v in reference.items() if k.startswith(prefix)}
        if prefix + ERROR in wanted:
            continue  # the probe fails on the reference itself: it decides nothing (see tests)
        if prefix + ERROR in candidate:
            found[(exercise, probe.__name__)] = f"raised {str(candidate[prefix + ERROR])[:120]}"
            continue
        if "verify" in options:  # random results: properties checked here, on the plain arrays
            theirs = {k[len(prefix):]: v for k, v in candidate.items() if k.startswith(prefix)}
            ours = {k[len(prefix):]: v for k, v in wanted.items()}
            try:
                reason = options["verify"](theirs, ours)
            except Exception as error:  # noqa: BLE001 - malformed arrays fail the probe
                reason = f"unusable results ({type(error).__name__}: {str(error)[:80]})"
            if reason:
                found[(exercise, probe.__name__)] = reason
            continue
        for key, value in sorted(wanted.items()):
            if key not in candidate:
                found[(exercise, probe.__name__)] = f"no result {key[len(prefix):]!r}"
                break
            reason = compare(value, candidate[key], options.get("rtol", RTOL), options.get("atol", ATOL))
            if reason:
                found[(exercise, probe.__name__)] = f"{key[len(prefix):]}: {reason}"
                break
    return found
