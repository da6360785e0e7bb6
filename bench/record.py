"""Record the wall time of a `make test` run: python -m bench.record START_EPOCH EXIT_STATUS.

Called by the Makefile's `test` recipe after pytest; writes .cache/bench/make_test.json, which
`make bench` reports (bench.notebooks.bench_make_test).
"""

import datetime
import json
import os
import subprocess
import sys
import time

from bench.measure import load_average
from bench.notebooks import MAKE_TEST_RECORD
from tools.course import ROOT


def main(argv=None):
    start, status = (argv or sys.argv[1:])[:2]
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    record = {"seconds": round(time.time() - float(start), 1), "status": int(status),
              "finished": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "load_after": load_average(), "cpus": os.cpu_count(), "commit": commit,
              "assignments": os.environ.get("COURSE_TEST_ASSIGNMENTS", "")}
    MAKE_TEST_RECORD.parent.mkdir(parents=True, exist_ok=True)
    MAKE_TEST_RECORD.write_text(json.dumps(record, indent=1) + "\n")
    print(f"make test: {record['seconds']:.0f} s (recorded in {MAKE_TEST_RECORD})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
