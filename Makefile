# The front door: each target sets up .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test test-fast bench demo dist lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# `make run` needs only what the app needs; the tests and tools come with `make test`.
$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(APP_STAMP)

# Byte-compile first: this machine may set PYTHONDONTWRITEBYTECODE, and start-up counts.
run: $(APP_STAMP)
	$(BIN)/python -m compileall -q triage_tui
	$(BIN)/triage

# The end-to-end tests build the wheel, install it into a fresh venv under build/e2e and
# drive that installed `triage` in a real pseudo-terminal.
test: $(DEV_STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(DEV_STAMP)
	$(BIN)/python -m pytest -q -m 'not slow'

bench: $(DEV_STAMP)
	$(BIN)/python -m compileall -q triage_tui benchmarks
	$(BIN)/python benchmarks/bench.py

demo: $(APP_STAMP)
	$(BIN)/python -m compileall -q triage_tui benchmarks
	$(BIN)/python benchmarks/demo.py

dist: $(DEV_STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist

lint: $(DEV_STAMP)
	$(BIN)/ruff check triage_tui tests benchmarks
	$(BIN)/ruff format --check triage_tui tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache build dist
