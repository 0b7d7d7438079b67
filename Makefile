# Tremplin — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TREMPLIN := $(BIN)/tremplin
PORT ?= 8000

.PHONY: demo test test-sqlite test-postgres lint messages bench browser clean

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
test: $(VENV)/.installed-dev browser lint
	$(TREMPLIN) makemigrations --check --dry-run
	$(MAKE) messages
	$(MAKE) test-sqlite
	@if [ -n "$$TREMPLIN_TEST_DATABASE_URL" ]; then $(MAKE) test-postgres; \
	else echo "*** TREMPLIN_TEST_DATABASE_URL is not set: PostgreSQL run skipped ***"; fi

test-sqlite:
	DATABASE_URL= $(BIN)/pytest -p no:cacheprovider -q

test-postgres:
	DATABASE_URL=$$TREMPLIN_TEST_DATABASE_URL $(BIN)/pytest -p no:cacheprovider -q

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
