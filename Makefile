# Observatory developer and user entry points. Two commands matter:
#   make demo   create .venv, install, run the main job on the bundled sample
#   make test   create .venv, install with the dev extra, run ruff and the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test lint docs bench translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/observatory demo -o observatory-demo --overwrite

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check observatory tests benchmarks sample_data training
	$(BIN)/ruff format --check observatory tests benchmarks sample_data training

test: lint
	$(BIN)/python -m pytest

docs: $(VENV)/.installed-dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict -d site

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks.bench_zonal
	$(BIN)/python -m benchmarks.bench_degurba
	$(BIN)/python -m benchmarks.bench_network
	$(BIN)/python -m benchmarks.bench_compute

# Extract the published texts into the template and merge them into every catalog
# (observatory/locale/<lang>/LC_MESSAGES/observatory.po); then translate the new entries.
translations: $(VENV)/.installed-dev
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --project=Observatory --copyright-holder="Observatory contributors" -o observatory/locale/observatory.pot .
	$(BIN)/pybabel update -i observatory/locale/observatory.pot -d observatory/locale -D observatory --no-fuzzy-matching

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache observatory-demo site
