# Two commands do all the set-up on a fresh machine:
#   make run    - the desk on its embedded default (SQLite in the user data dir, demo data)
#   make test   - ruff, mypy and the whole test suite (offscreen Qt)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench screenshots emulator clean

$(STAMP): pyproject.toml
	bash packaging/system-deps.sh
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/custody-desk

emulator: $(STAMP)
	$(VENV)/bin/custody-desk emulator

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m mypy

test: lint
	bash packaging/system-deps.sh --test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/benchmarks/run.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) tests/screenshots.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
