# Tremplin — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TREMPLIN := $(BIN)/tremplin
PORT ?= 8000

.PHONY: demo test test-sqlite test-postgres migrations-check lint messages bench browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

## Set up everything and serve the demo on http://127.0.0.1:$(PORT) (SQLite under var/).
demo: $(VENV)/.installed
	@bash scripts/ensure-system-deps.sh
	PORT=$(PORT) $(TREMPLIN) demo

## Set up everything and run the whole suite (SQLite, then PostgreSQL if TREMPLIN_TEST_DATABASE_URL).
## Each stage is timed; the 25 slowest tests of each database are listed (docs/testing.md).
test: $(VENV)/.installed-dev browser
	@bash scripts/test-stages.sh

# pytest-xdist: one worker per core, each with its own test database; a module that loads the
# demo stays on one worker (--dist loadgroup, see tremplin/testing/demo.py).
PYTEST_WORKERS ?= 2
PYTEST = $(BIN)/pytest -p no:cacheprovider -q -n $(PYTEST_WORKERS) --dist loadgroup --durations=25

test-sqlite: $(VENV)/.installed-dev
	DATABASE_URL= $(PYTEST) $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev
	DATABASE_URL=$$TREMPLIN_TEST_DATABASE_URL $(PYTEST) $(PYTEST_ARGS)

migrations-check: $(VENV)/.installed-dev
	$(TREMPLIN) makemigrations --check --dry-run

## Debian's Chromium for the browser tests (installed when missing and apt-get is usable).
browser:
	@bash scripts/ensure-system-deps.sh
	@bash scripts/ensure-chromium.sh

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src

## Compile the translation catalogues and check that none is incomplete.
messages: $(VENV)/.installed-dev
	cd src/tremplin && ../../$(TREMPLIN) compilemessages --ignore '.venv' -v 0
	$(BIN)/python scripts/check_catalogues.py

bench: $(VENV)/.installed
	$(TREMPLIN) bench directory

clean:
	rm -rf $(VENV) var
