"""The course's command line: `python -m tools <verb> [options]`, what the Makefile's targets run.

Each verb hands its options to the `main(argv)` of one module of tools/ (`python -m tools <verb>
--help` shows them):

    release       generate release/ from source/, validate both, print the table  (tools.release)
    grade         autograde submitted/ and write grades.csv, or only the feedback   (tools.grade)
    student-copy  the zip a student installs from                                   (tools.student_copy)
    pretrain      reproduce the shipped pretrained checkpoint                        (tools.pretrain)
    sandbox       can a grading sandbox start here? (--check, --require)             (tools.sandbox_kernel)
    crosscheck    one notebook's crosscheck verdicts, for debugging                  (tools.crosscheck)
"""

import argparse
import importlib
import sys

VERBS = {
    "release": "tools.release",
    "grade": "tools.grade",
    "student-copy": "tools.student_copy",
    "pretrain": "tools.pretrain",
    "sandbox": "tools.sandbox_kernel",
    "crosscheck": "tools.crosscheck",
}


def main(argv=None):
    """Run the verb's module with the remaining arguments; return its exit status."""
    parser = argparse.ArgumentParser(prog="python -m tools", description=__doc__.splitlines()[0],
                                     epilog=__doc__.split("\n", 1)[1], add_help=True,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("verb", choices=VERBS)
    parser.add_argument("options", nargs=argparse.REMAINDER, help="passed to the verb's module")
    args = parser.parse_args(argv)
    return importlib.import_module(VERBS[args.verb]).main(args.options) or 0


if __name__ == "__main__":
    sys.exit(main())
