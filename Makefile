# Two commands for a new user: `make run` and `make test`.
# Each bootstraps .venv from pyproject.toml when it is missing or older than pyproject.toml.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= data/raw
OUT    ?= out

.PHONY: run test lint lab clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/xref build $(CORPUS) -o $(OUT)

test: $(STAMP)
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts notebooks benchmarks
	$(BIN)/ruff format --check src tests scripts notebooks benchmarks

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
