# Pacer — the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

## run: create .venv, install, migrate the database and start Pacer (console chat without tokens)
run: $(VENV)/.installed
	@$(BIN)/pacer db upgrade >/dev/null
	@$(BIN)/pacer run $(ARGS)

## test: install with dev extras and run the whole suite (PostgreSQL too when
## PACER_TEST_DATABASE_URL is set)
test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

## bench: speed and memory figures, each against a baseline measured in the same run
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache pacer-files
