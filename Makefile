# The two commands of the README: `make run` and `make test`. Both work on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

## Install, migrate the SQLite database under ./var/, load the demo data and serve on :8000.
run: $(VENV)/.installed
	$(BIN)/sipas db upgrade
	$(BIN)/sipas demo
	$(BIN)/sipas serve --host 127.0.0.1 --port 8000

## Install with dev extras and system packages, lint, and run the whole suite
## on SQLite and on a PostgreSQL server the tests start themselves.
test: $(VENV)/.installed-dev system-deps lint
	$(BIN)/pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

system-deps:
	./scripts/install-system-deps.sh

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache
