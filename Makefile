# Revive: `make demo` serves the national demo; `make test` runs the suite. Nothing else is needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REVIVE_PORT ?= 8000
export REVIVE_PORT

.PHONY: demo test install install-dev frontend bench load lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend: node_modules/.package-lock.json

install: $(VENV)/.installed frontend
install-dev: $(VENV)/.installed-dev frontend

# Development settings `revive` reads when the environment sets no REVIVE_SECRET_KEY (src/config/env.py):
# after `make demo`, `.venv/bin/revive create-token admin` works as it is in the same shell.
var/local.env:
	@mkdir -p var
	@umask 077 && printf '# Written by make demo for development; a server sets its environment instead.\nREVIVE_DEBUG=1\nREVIVE_SECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Wrote $@ (REVIVE_DEBUG=1 and a generated REVIVE_SECRET_KEY for the revive command)"

demo: install var/local.env
	@mkdir -p var
	REVIVE_DEBUG=1 $(BIN)/revive migrate --noinput
	REVIVE_DEBUG=1 $(BIN)/revive demo-data --seed 1 --if-empty
	REVIVE_DEBUG=1 $(BIN)/revive demo
	REVIVE_DEBUG=1 $(BIN)/revive demo-notices
	@echo "Revive is at http://127.0.0.1:$(REVIVE_PORT)/  (Ctrl-C stops it and its worker)"
	@# The worker runs the background jobs beside the server; it stops with the server (the trap), and
	@# on its own if this shell is killed outright (--stop-with).
	REVIVE_DEBUG=1 $(BIN)/revive worker --stop-with $$$$ & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	REVIVE_DEBUG=1 $(BIN)/revive runserver --noreload 127.0.0.1:$(REVIVE_PORT)

test: install-dev
	bash scripts/test.sh

bench: install-dev
	$(BIN)/python bench/bench_demo.py
	$(BIN)/python bench/bench_overview.py
	$(BIN)/python bench/bench_planning.py --quick
	$(BIN)/python bench/bench_insight.py
	$(BIN)/python bench/bench_schedule.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_filings.py
	@# every page on both databases when a local PostgreSQL answers (the issue's goal is on both)
	$(BIN)/python bench/bench_pages.py $$(pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo --postgres)

# 50 users against gunicorn (2 workers) on PostgreSQL for 2 minutes, loopback only; prints what it measured.
# make load LOAD_ARGS="--seconds 30"   or   LOAD_ARGS="--restart-postgres" (restarts the local PostgreSQL)
load: install-dev
	$(BIN)/python bench/load.py $(LOAD_ARGS)

lint: install-dev
	$(BIN)/ruff check src bench
	REVIVE_DEBUG=1 $(BIN)/revive makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules var/static
