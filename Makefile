# Set-up and everyday commands. `make serve` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install index serve test test-fast lint format bench soak browsers clean

install: $(STAMP)

# torch first, pinned: that takes the local CPU wheel; unpinned, pip would pull CUDA packages.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

index: install
	$(BIN)/assistant index corpus

serve: index
	$(BIN)/assistant serve

# Debian's Chromium for the browser tests (never a browser download).
browsers:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install browsers
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not model and not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/run.py

soak: install
	$(BIN)/python bench/soak.py

clean:
	rm -rf index .pytest_cache .mypy_cache .ruff_cache
