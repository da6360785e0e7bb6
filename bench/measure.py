"""Timing and result rows shared by every benchmark.

A row is a dict: id, name, value, unit, target (or None), goal (">=" or "<="), met (True, False,
or None when there is no target or no measurement), miss (how far from the target, in words),
note, and details (the raw measurements behind the value).
"""

import contextlib
import os
import statistics
import time

import torch


def interleaved(functions, repeats=5, warmup=1):
    """Time each callable of `functions` ({name: f}) `repeats` times, interleaved; return {name: [s]}.

    Every round runs each function once, alternating the order from round to round, so a change in
    the machine's load hits both sides alike. `warmup` untimed rounds come first.
    """
    names = list(functions)
    for _ in range(warmup):
        for name in names:
            functions[name]()
    seconds = {name: [] for name in names}
    for round_ in range(repeats):
        for name in (names if round_ % 2 == 0 else names[::-1]):
            start = time.perf_counter()
            functions[name]()
            seconds[name].append(time.perf_counter() - start)
    return seconds


def median(values):
    return statistics.median(values)


def paired_ratio(seconds, slow, fast):
    """Median over rounds of seconds[slow][k] / seconds[fast][k] (> 1: `fast` is faster).

    Both sides of a round ran back to back, so a change of load between rounds cancels out.
    """
    return median([a / b for a, b in zip(seconds[slow], seconds[fast], strict=True)])


def load_average():
    """The 1-minute load average (None where the system has none)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def row(id_, name, value, unit, target=None, goal=">=", note="", details=None):
    """A result row; `met` and `miss` are derived from `value`, `target` and `goal`."""
    met, miss = None, ""
    if value is not None and target is not None:
        met = value >= target if goal == ">=" else value <= target
        if not met:
            if goal == ">=":
                miss = f"{target / value:.2f}x short" if value > 0 else "no speed-up at all"
            else:
                miss = f"{value - target:+.0f} {unit} over ({value / target:.2f}x the budget)"
    return {"id": id_, "name": name, "value": value, "unit": unit, "target": target, "goal": goal,
            "met": met, "miss": miss, "note": note, "details": details or {}}


def unavailable(id_, name, unit, target=None, goal=">=", note="not available"):
    """A row for a figure that could not be measured here; it is neither met nor missed."""
    return row(id_, name, None, unit, target, goal, note=note)


@contextlib.contextmanager
def torch_threads(count):
    """Run the block with `count` intra-op threads (None: leave as is), then restore the setting."""
    before = torch.get_num_threads()
    if count:
        torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)
