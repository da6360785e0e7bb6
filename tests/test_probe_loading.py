"""Probe modules load consistently when grading threads (tools.grade --jobs N) load them at once."""

from concurrent.futures import ThreadPoolExecutor

from tools import crosscheck


def test_concurrent_loads_each_get_probes_of_their_own_probe_common():
    assignments = sorted(p.stem for p in crosscheck.PROBES.glob("[0-9]*.py"))
    with ThreadPoolExecutor(max_workers=8) as pool:
        loaded = list(pool.map(crosscheck.load_probes, assignments * 10))
    assert all(loaded)  # a ValueError (the Probe type of another thread's probe_common) would raise here
