"""`make bench`: the course's performance figures in one table, for the host that measured them.

Usage: python -m bench [--only GROUP,...] [--with-test] [--assignments A,...] [--quick]
                       [--record | --output PATH]
       python -m bench --report [--update MARKDOWN]   (the results file as a Markdown table,
                       printed or written into a page between REPORT_MARKS; measures nothing)

A run writes .cache/bench/results.json; `--record` (`make bench RECORD=1`) writes the tracked
bench/results.json instead (never with --quick: its smaller sizes are not the course's figures).
Every run starts with the host (CPU model, cores, torch's CPU capability, BLAS threads) and two
calibration rows (bench.calibrate: fixed single-thread workloads); each time is also given as a
multiple of the first, so that results from two hosts compare.

Groups (default: all): notebooks, test, autograde, parallel, resnet, yolo, augment, startup.
`make bench BENCH=resnet,yolo` runs a subset; rows of a subset replace the rows of the same id in
the existing results file, the others are kept (each row says when it was measured, at what load).
The `test` row reads the wall time that the last `make test` recorded (.cache/bench/make_test.json);
`--with-test` runs `make test` first. Ratios are the figures to compare across machines.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import torch

from bench import grading, micro, notebooks, startup
from bench.calibrate import bench_calibration, host, host_line, relative
from bench.measure import load_average, row
from tools.course import ROOT, assignments

RESULTS = Path(__file__).resolve().parent / "results.json"  # the recorded figures (tracked)
SCRATCH = ROOT / ".cache" / "bench" / "results.json"  # where a run writes unless --record
GROUPS = ("notebooks", "test", "autograde", "parallel", "resnet", "yolo", "augment", "startup")


def run_group(group, args):
    """Rows of one benchmark group."""
    quick = args.quick
    if group == "notebooks":
        return notebooks.bench_notebooks(args.assignments)
    if group == "test":
        if args.with_test:
            notebooks.run_make_test()
        return notebooks.bench_make_test()
    if group == "autograde":
        return grading.bench_autograde(args.assignments)
    if group == "parallel":
        return grading.bench_parallel(students=4 if quick else 20)
    if group == "resnet":
        return micro.bench_resnet(batch=16 if quick else 64, repeats=3 if quick else 15)
    if group == "yolo":
        return micro.bench_yolo(repeats=3 if quick else 7)
    if group == "augment":
        return micro.bench_augment(repeats=3 if quick else 7)
    if group == "startup":
        repeats = 2 if quick else 5
        return (startup.bench_imports(repeats=repeats) + startup.bench_kernel(repeats)
                + startup.bench_nbgrader(repeats))
    raise ValueError(group)


def fmt_value(value, unit):
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.3g} {unit}" if abs(value) < 10 else f"{value:.1f} {unit}"


def fmt_status(r):
    if r["target"] is None:
        return "info"
    if r["met"] is None:
        return "n/a"
    return "met" if r["met"] else f"MISSED: {r['miss']}"


def fmt_calibrated(r):
    """The row's time as a multiple of the calibration row's ('-' for ratios and the calibration)."""
    value = r.get("calibrated")
    if value is None:
        return "-"
    return f"{value:.3g}x" if value < 100 else f"{value:.0f}x"


def table(rows):
    """The rows as text: figure, value, value / calibration, target, status, note."""
    header = ("figure", "value", "/ calibration", "target", "status", "note")
    lines = [(r["name"], fmt_value(r["value"], r["unit"]), fmt_calibrated(r),
              "-" if r["target"] is None else f"{r['goal']} {fmt_value(r['target'], r['unit'])}",
              fmt_status(r), r["note"]) for r in rows]
    widths = [max(len(line[k]) for line in [header, *lines]) for k in range(5)]
    out = []
    for line in [header, *lines]:
        cells = [cell.ljust(w) for cell, w in zip(line[:5], widths, strict=True)]
        out.append("  ".join([*cells, line[5]]))
    return "\n".join(text.rstrip() for text in out)


def markdown(rows):
    """The rows as a Markdown table (for the README): figure, value, target, status, load, note."""
    lines = ["| figure | value | / calibration | target | status | load | note |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        target = "-" if r["target"] is None else f"{r['goal']} {fmt_value(r['target'], r['unit'])}"
        cells = [r["name"].strip(), fmt_value(r["value"], r["unit"]), fmt_calibrated(r), target,
                 fmt_status(r), str(r.get("load_before_group", "")), r["note"]]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


REPORT_MARKS = ("<!-- bench report: begin -->", "<!-- bench report: end -->")


def report(results):
    """The results file as Markdown: when and where its rows were measured, the host, the table."""
    times = sorted(r["measured"] for r in results["rows"] if r.get("measured"))
    span = f"{times[0]} to {times[-1]}" if times else "at unknown times"
    head = (f"Rows measured {span} (each row's time is in the results file; a subset run replaces "
            f"only its rows); last run at commit {results['commit']}, {results['machine']['platform']}, "
            f"torch {results['machine']['torch']}.")
    host_text = f"\n\n{host_line(results['host'])}." if "host" in results else ""
    return f"{head}{host_text}\n\n{markdown(results['rows'])}"


def with_report(document, text):
    """`document` with what stands between its REPORT_MARKS replaced by `text`."""
    begin, end = REPORT_MARKS
    if document.count(begin) != 1 or document.count(end) != 1 or document.index(begin) > document.index(end):
        raise SystemExit(f"the document must hold {begin} once, then {end} once")
    before, rest = document.split(begin)
    return f"{before}{begin}\n{text}\n{end}{rest.split(end)[1]}"


def machine():
    return {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "torch": torch.__version__, "torch_threads": torch.get_num_threads(),
            "cuda": torch.cuda.is_available()}


def commit():
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return result.stdout.strip() + ("+dirty" if dirty else "")


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def order(r):
    """Rows in group order (calibration rows first); calibration and notebooks rows by id in theirs."""
    group = GROUPS.index(r["group"]) if r.get("group") in GROUPS else len(GROUPS)
    group = -1 if r.get("group") == "calibration" else group
    return (group, r["id"] if r.get("group") in ("calibration", "notebooks") else "")


def save(path, previous, rows, started, groups):
    """Write `rows` to `path`, keeping the rows of `previous` that were not measured again."""
    measured = {r["id"] for r in rows}
    kept = [r for r in previous.get("rows", []) if r["id"] not in measured]
    result = {"started": started, "finished": now(), "commit": commit(), "machine": machine(), "host": host(),
              "load_average_end": os.getloadavg(), "groups": groups,
              "rows": sorted(kept + rows, key=order)}
    path.write_text(json.dumps(result, indent=1) + "\n")


def parse_list(text, allowed, what):
    chosen = [x.strip() for x in (text or "").split(",") if x.strip()]
    unknown = [x for x in chosen if x not in allowed]
    if unknown:
        raise SystemExit(f"unknown {what} {unknown}; choose from {', '.join(allowed)}")
    return chosen


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=os.environ.get("BENCH", ""), help=f"groups: {','.join(GROUPS)}")
    parser.add_argument("--with-test", action="store_true", help="run `make test` first (slow)")
    parser.add_argument("--assignments", default="", help="notebooks/autograde: only these assignments")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller sizes")
    parser.add_argument("--output", type=Path, default=None, help="default: .cache/bench/results.json")
    parser.add_argument("--record", action="store_true", help="write bench/results.json (tracked)")
    parser.add_argument("--report", action="store_true",
                        help="measure nothing: print the results file as a Markdown table")
    parser.add_argument("--update", type=Path, default=None, metavar="MARKDOWN",
                        help=f"with --report: write the table into this file, between {REPORT_MARKS}")
    args = parser.parse_args(argv)
    if args.update and not args.report:
        parser.error("--update writes the report into a page: use it with --report")
    if args.record and (args.quick or args.output):
        parser.error("--record writes the full figures to bench/results.json: not with --quick or --output")
    args.output = RESULTS if args.record or (args.report and not args.output) else args.output or SCRATCH
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.report:
        text = report(json.loads(args.output.read_text()))
        if args.update:
            args.update.write_text(with_report(args.update.read_text(), text))
        else:
            print(text)
        return 0
    groups = parse_list(args.only, GROUPS, "groups") or list(GROUPS)
    args.assignments = parse_list(args.assignments, assignments(ROOT), "assignments") or None

    started = now()
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    # The host and the calibration rows come first: every time below is also given relative to the first.
    print(host_line(host()), file=sys.stderr, flush=True)
    load = load_average()
    rows = bench_calibration(repeats=3 if args.quick else 5)
    calibration = rows[0]["value"]
    for r in rows:
        r.update(group="calibration", measured=now(), load_before_group=load)
    print(table(rows), file=sys.stderr, flush=True)
    # notebooks: one step per notebook, so that an interrupted run keeps what it measured
    steps = [(g, [a]) for g in groups for a in (args.assignments or assignments(ROOT))
             if g == "notebooks"] + [(g, args.assignments) for g in groups if g != "notebooks"]
    steps.sort(key=lambda step: groups.index(step[0]))
    for group, chosen in steps:
        load, start = load_average(), time.perf_counter()
        print(f"[bench] {group} {','.join(chosen or [])} (load {load}) ...", file=sys.stderr, flush=True)
        try:
            new = run_group(group, argparse.Namespace(**{**vars(args), "assignments": chosen}))
        except Exception as exc:  # noqa: BLE001 - one broken group must not hide the others
            new = [row(group, group, None, "", note=f"ERROR {type(exc).__name__}: {exc}"[:300])]
        for r in new:
            r.update(group=group, measured=now(), load_before_group=load,
                     group_seconds=round(time.perf_counter() - start, 1))
        rows += relative(new, calibration)
        print(table(new), file=sys.stderr, flush=True)
        save(args.output, previous, rows, started, groups)
    print(host_line(host()))
    print(table(rows))
    print(f"\n{sum(r['met'] is True for r in rows)} met, {sum(r['met'] is False for r in rows)} missed, "
          f"{sum(r['target'] is not None and r['met'] is None for r in rows)} not measured; "
          f"written to {args.output}")
    return 1 if any(r["note"].startswith("ERROR") for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
