# The course's commands. `make release` and `make test` work on a fresh clone: they create .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make grade JOBS=4`: how many submissions are graded at a time.
JOBS ?= 1
LOCK_FLAGS := --universal --python-version 3.11 --custom-compile-command "make lock" --quiet

# Keep Jupyter, IPython and matplotlib state inside the repository's ignored .cache folder,
# and put the venv first on PATH (nbgrader calls `alembic` from there).
export IPYTHONDIR := $(CURDIR)/.cache/ipython
export JUPYTER_RUNTIME_DIR := $(CURDIR)/.cache/jupyter-runtime
export MPLCONFIGDIR := $(CURDIR)/.cache/matplotlib
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup release validate grade feedback lab formgrader student-copy lock check test lint pretrain bench clean

setup: $(STAMP)
	@$(BIN)/python -m tools sandbox --check >/dev/null 2>$(VENV)/.sandbox-check || { \
	  echo "NOTE: make grade and make test run students' code in a bubblewrap sandbox and refuse to"; \
	  echo "grade without one (students need none of this). No sandbox can start here:"; \
	  cat $(VENV)/.sandbox-check; }

# requirements-dev.txt: the exact lock of pyproject.toml's dependencies and its `dev` extra (`make lock`).
$(STAMP): requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## release: generate release/ from source/ with nbgrader, validate both, print the table
release: setup
	$(BIN)/python -m tools release

## validate: the release checks without regenerating (source passes all tests, release none)
validate: setup
	$(BIN)/python -m tools release --validate-only

## grade: autograde submitted/<student>/<assignment>/ (JOBS at a time) and write grades.csv
grade: setup
	@$(BIN)/python -m tools sandbox --require
	$(BIN)/python -m tools grade --jobs $(JOBS)

## feedback: HTML feedback in feedback/ (scores and visible tests, no hidden-test source)
feedback: setup
	$(BIN)/python -m tools grade --feedback-only

## lab: JupyterLab on release/, with the nbgrader extension
lab: setup
	$(BIN)/jupyter lab --notebook-dir=release

## formgrader: JupyterLab on the course folder, for nbgrader's Formgrader (Nbgrader > Formgrader):
## grade written answers by hand under Manual Grading after `make grade`
formgrader: setup
	$(BIN)/jupyter lab --notebook-dir=.

## student-copy: dist/<course>-student.zip, what students get (release/, utils/, student/README.md, ...)
student-copy: setup
	$(BIN)/python -m tools student-copy

## lock: regenerate requirements.txt (students) and requirements-dev.txt (instructors, CI) from
## pyproject.toml, for Linux, macOS and Windows at once (platform markers); needs the registry
lock: setup
	UV_CACHE_DIR=$(CURDIR)/.cache/uv $(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) -o requirements.txt
	UV_CACHE_DIR=$(CURDIR)/.cache/uv $(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_FLAGS) \
	  -c requirements.txt -o requirements-dev.txt

## check: the fast tier for your own loop (a few minutes): lint, then every test not marked
## grading, notebooks, install or ui (tests/conftest.py). CI runs `make test`.
check: setup lint
	$(BIN)/python -m pytest -q -m "not (grading or notebooks or install or ui)" tests

## test: lint, then the whole test suite (utils, course integrity, notebooks, grading, mutants)
# (the suite's wall time is recorded in .cache/bench/make_test.json for `make bench`; the 30 slowest
# tests are listed at the end, to see where the time goes)
test: setup lint
	@start=$$(date +%s.%N); status=0; \
	$(BIN)/python -m pytest --durations=30 --nbval-lax --nbval-current-env tests source || status=$$?; \
	$(BIN)/python -m bench.record $$start $$status; exit $$status

## bench: the host, a calibration row and the performance figures against their targets, one table
## (in .cache/bench/results.json; RECORD=1 writes the tracked bench/results.json). BENCH=resnet,yolo
## runs a subset (groups: notebooks, test, autograde, parallel, resnet, yolo, augment, startup);
## BENCH_ARGS="--with-test" runs `make test` first, "--quick" fewer repeats (never recorded).
bench: setup
	$(BIN)/python -m bench $(if $(BENCH),--only $(BENCH)) $(if $(RECORD),--record) $(BENCH_ARGS)

## pretrain: reproduce the shipped transfer-learning checkpoint (fixed seed; several minutes on CPU)
## in .cache/pretrain and compare; RECORD=1 replaces the shipped files in utils/checkpoints
pretrain: setup
	$(BIN)/python -m tools pretrain $(if $(RECORD),--record)

lint: setup
	$(BIN)/ruff check utils tools tests bench nbgrader_config.py

clean:
	rm -rf .cache feedback gradebook.db grades.csv logs .pytest_cache
	find autograded -mindepth 1 ! -name README.md -exec rm -rf {} +
