# Rota: `make run` serves the demo on 127.0.0.1:8000; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint types format migrations-check worker beat bench bench-load clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	@echo "Installing Rota into $(VENV) (once)…"
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	@# pip and the build backend talk a lot: keep it in a log, show it only when install fails.
	@{ $(BIN)/pip install --quiet --upgrade pip && \
	   $(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'; } \
	   > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

run: $(STAMP) ## Migrate a local SQLite file, load the demo and serve on 127.0.0.1:8000
	@mkdir -p var
	@DEBUG=1 $(BIN)/python manage.py migrate --noinput -v 0
	@DEBUG=1 $(BIN)/python manage.py seed_demo -v 0
	@echo
	@echo "Rota runs at http://127.0.0.1:8000/ ; emails it sends: http://127.0.0.1:8000/dev/mail/"
	@DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000 --skip-checks

# Two test processes per core (pytest-xdist): much of a test's time is spent waiting for a
# browser, a worker or a server. At most 7: each takes two of Redis's 16 databases.
# TEST_JOBS=0 runs everything in this process.
TEST_JOBS ?= $(shell $(PYTHON) -c 'import os; print(min(7, 2 * (os.cpu_count() or 1)))')

test: $(STAMP) ## Run the whole test suite (CI=true makes every real service required)
	$(BIN)/pytest -n $(TEST_JOBS) $(PYTEST_ARGS)

lint: $(STAMP) ## Check style (ruff), the import layers (import-linter) and the types (mypy)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/mypy

types: $(STAMP) ## Check the types alone (mypy with django-stubs; also part of lint)
	DEBUG=1 $(BIN)/mypy

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(STAMP) ## Fail when a model change lacks its migration
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

worker: $(STAMP) ## Run a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A rota worker --loglevel INFO

beat: $(STAMP) ## Run Celery beat (needs REDIS_URL)
	$(BIN)/celery -A rota beat --loglevel INFO

bench: $(STAMP) ## Run the engine and feed benchmarks (bench/engine.py, bench/feeds.py)
	$(BIN)/python -m bench.engine
	$(BIN)/python bench/feeds.py

bench-load: $(STAMP) ## Load-test gunicorn with 200 people in 10 teams (needs PostgreSQL)
	$(BIN)/python -m bench.load --clients 20 --seconds 20

clean: ## Remove the virtualenv, local database and test output
	rm -rf $(VENV) var test-results
