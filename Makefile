# Pacer — the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean lock lock-check

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip

# Installs take exactly the locked versions, each checked against its hash; Pacer itself is
# installed on top (editable, no dependencies of its own choosing).
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install -q --require-hashes --no-deps -r requirements.lock
	@$(BIN)/python -m pip install -q --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install -q --require-hashes --no-deps -r requirements-dev.lock
	@$(BIN)/python -m pip install -q --no-deps -e .
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

## lock: pin every dependency of pyproject.toml, with hashes (requirements.lock for `make run`,
## requirements-dev.lock for `make test`); versions already pinned stay unless pyproject.toml
## needs others. `make lock UPGRADE=1` moves everything to the newest allowed versions.
LOCK_FLAGS = --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links $(if $(UPGRADE),--upgrade)
$(BIN)/pip-compile: | $(BIN)/python
	@$(BIN)/python -m pip install -q 'pip-tools>=7.4,<8'

lock: | $(BIN)/pip-compile
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile $(LOCK_FLAGS) --extra dev \
		-o requirements-dev.lock pyproject.toml
	@# The runtime lock starts from the dev lock's pins, so both name the same versions.
	@cp requirements-dev.lock requirements.lock
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile $(LOCK_FLAGS) \
		-o requirements.lock pyproject.toml

## lock-check: fail when the lock files are not what `make lock` would write (CI runs it)
lock-check: | $(BIN)/pip-compile
	@bash tools/lock-check

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache pacer-files
