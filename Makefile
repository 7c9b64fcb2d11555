# Kansenkaart – two commands: `make run` (app on demo data) and `make test`.
# The pins are in requirements*.txt; pyproject.toml repeats them for
# `pip install .[app]` and tests/test_packaging.py keeps the two equal.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test bench lint format browser demo-data clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-app: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.installed-app

$(VENV)/.installed-bench: requirements-bench.txt $(VENV)/.installed-dev
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

## Start the app on the demo data at http://localhost:$(PORT)
run: $(VENV)/.installed-app
	$(PY) -m streamlit run app.py --server.port $(PORT)

## ruff (format + lint) and the whole pytest suite, browser tests included
test: $(VENV)/.installed-dev browser
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

## Debian's chromium for the browser tests (installed when missing and root)
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium >/dev/null; \
	else echo "Let op: chromium ontbreekt (sudo apt-get install chromium);" \
		"de browsertests worden overgeslagen."; fi

## Benchmarks: ratios against a naive baseline, measured in the same run
bench: $(VENV)/.installed-bench browser
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Regenerate the committed demo terrains (deterministic)
demo-data: $(VENV)/.installed-app
	$(PY) -m kansenkaart demo --all -o data/demo

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/e2e/screenshots
