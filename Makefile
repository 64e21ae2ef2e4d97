# cjlib: make help lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.DEFAULT_GOAL := help
.PHONY: help packs test lint format venv dev clean lab bench notebooks notebooks-sync docs system-deps

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "} {printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(STAMP) ## create .venv with cjlib installed

dev: $(DEVSTAMP) ## create .venv with the development extras

packs: $(STAMP) ## build the evidence packs for all 32 areas on the bundled data
	$(BIN)/cjlib run

system-deps: ## install Chromium, LibreOffice Writer and poppler with apt when root (else say what is missing)
	bash .ci/system-deps

test: $(DEVSTAMP) system-deps ## run the whole test suite (lint, unit, notebooks, browser)
	$(BIN)/ruff check cjlib tests bench notebooks
	$(BIN)/ruff format --check cjlib tests bench notebooks
	$(BIN)/python -m pytest
	CJLIB_STATIC=1 $(BIN)/python -m pytest --nbval-lax -p no:randomly notebooks

lint: $(DEVSTAMP) ## ruff lint and format check
	$(BIN)/ruff check cjlib tests bench notebooks
	$(BIN)/ruff format --check cjlib tests bench notebooks

format: $(DEVSTAMP) ## format the code with ruff
	$(BIN)/ruff format cjlib tests bench notebooks
	$(BIN)/ruff check --fix cjlib tests bench notebooks

lab: $(STAMP) ## open JupyterLab on copies of the notebooks in lab/ (git ignores it)
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	$(BIN)/python -m cjlib.lab

bench: $(DEVSTAMP) ## run the benchmarks and print their figures
	$(BIN)/python bench/load.py
	$(BIN)/python bench/indicators.py
	$(BIN)/python bench/batch.py

notebooks: $(DEVSTAMP) ## write notebooks 01-09 and every parameters cell from notebooks/templates/
	$(BIN)/python notebooks/templates/generate.py

notebooks-sync: $(DEVSTAMP) ## regenerate the .ipynb notebooks from their .py twins (no outputs)
	$(BIN)/jupytext --sync notebooks/*.py
	$(BIN)/python notebooks/templates/generate.py

docs: $(STAMP) ## regenerate the generated pages in docs/ from their single sources
	$(BIN)/python -c "from cjlib.assess.rules import rules_markdown; print(rules_markdown(), end='')" > docs/assessment-rules.md

clean: ## remove generated outputs (keeps .venv)
	find outputs -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +
