# The front door: each target sets up .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast bench demo lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Byte-compile first: this machine may set PYTHONDONTWRITEBYTECODE, and start-up counts.
run: $(STAMP)
	$(BIN)/python -m compileall -q triage_tui
	$(BIN)/triage

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m 'not slow'

bench: $(STAMP)
	$(BIN)/python -m compileall -q triage_tui benchmarks
	$(BIN)/python benchmarks/bench.py

demo: $(STAMP)
	$(BIN)/python -m compileall -q triage_tui benchmarks
	$(BIN)/python benchmarks/demo.py

lint: $(STAMP)
	$(BIN)/ruff check triage_tui tests benchmarks
	$(BIN)/ruff format --check triage_tui tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache
