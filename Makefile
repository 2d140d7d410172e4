# Quick start: `make demo` (set up + run the pipeline on the bundled demo site)
#              `make test` (set up + run the test suite)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test bench clean

$(BIN)/coopwatch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: $(BIN)/coopwatch
	scripts/setup-system.sh

demo: setup
	$(BIN)/coopwatch demo

test: setup
	scripts/test-setup.sh
	$(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/bench_e2e.py

clean:
	rm -rf $(VENV) .pytest_cache
