# Two commands on a fresh machine: `make run` (the demo report) and `make test` (the suite).
# Both create .venv when it is missing and install netgraph with its dev extras.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test bench browser java lint notebooks clean help

help:
	@echo "make run    - set up, load the bundled sample, write reports/demo.html"
	@echo "make test   - set up (chromium, Java and the spark extra included) and run the whole test suite"
	@echo "make bench  - benchmarks: import, projection, baselines (prints a table)"
	@echo "make lint   - ruff"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/netgraph demo

browser:
	@sh scripts/ensure-chromium.sh

java:
	@sh scripts/ensure-java.sh

SPARK_STAMP := $(VENV)/.spark-stamp

$(SPARK_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $(SPARK_STAMP)

test: $(SPARK_STAMP) browser java
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check netgraph tests bench

notebooks: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,notebooks]'
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) reports/*.html reports/*.duckdb .pytest_cache
