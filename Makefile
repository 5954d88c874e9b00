# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make run   - create .venv, install termbrief (what reading needs, nothing more), open the sample library
#   make test  - create .venv, install with test dependencies, run ruff, mypy, the import contracts and pytest
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# One stamp per set of extras, renewed whenever pyproject.toml changes.
HASH := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
RUN_STAMP := $(VENV)/.installed-run-$(HASH)
TEST_STAMP := $(VENV)/.installed-test-$(HASH)
BENCH_STAMP := $(VENV)/.installed-bench-$(HASH)

.PHONY: run test lint bench screenshots check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,team]'
	touch $(RUN_STAMP) $@

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,team,bench]'
	touch $(RUN_STAMP) $(TEST_STAMP) $@

run: $(RUN_STAMP)
	$(BIN)/termbrief

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

check: $(RUN_STAMP)
	$(BIN)/termbrief check briefs/

test: $(TEST_STAMP) lint check
	$(BIN)/python -m pytest -q

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py

screenshots: $(TEST_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[screenshots]'
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
