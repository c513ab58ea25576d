# `make run` and `make test` are all the set-up a fresh machine needs (python3 and make).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-postgres lint check bench screenshots clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]' -c constraints.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m ia_licensing --demo

test: $(STAMP) lint
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/python -m pytest -m "not gui and not slow" -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Not part of `make test`: needs PostgreSQL's server binaries (or a server URL).
test-postgres: $(STAMP)
	tools/postgres_tests.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/scale.py --gui

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
