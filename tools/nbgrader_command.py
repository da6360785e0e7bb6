"""`python -m tools.nbgrader_command ARGS` runs `nbgrader ARGS`, started through tools/ so that its
start-up setting (tools/__init__.py) holds in nbgrader's process too (tools.course.nbgrader)."""

from nbgrader.apps.nbgraderapp import main

if __name__ == "__main__":
    main()
