# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install migrate seed serve prod-local bench-load browser-deps icaljs axe backup restore audit clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py demo_devices
	$(PY) manage.py setup_workflows
	$(PY) manage.py setup_records
	$(PY) manage.py setup_insights
	$(PY) manage.py setup_ops

# Serves the site and runs the django-q2 cluster beside it; Ctrl+C stops both.
serve:
	@echo "Site: http://$(HOST):$(PORT)/   Admin: http://$(HOST):$(PORT)/admin/"
	trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py qcluster & \
	$(PY) manage.py runserver $(HOST):$(PORT)

run: seed serve

# The production stack on this machine (README "Production"): gunicorn with two workers,
# WhiteNoise, two django-q2 clusters, local PostgreSQL and Redis. Ctrl+C stops it all.
# PROD_DATABASE_URL / PROD_REDIS_URL override the defaults (database supervision_prod, Redis db 5).
prod-local: install
	$(PY) bin/prod_local.py

# Load benchmark against that stack (benchmarks/load.py); short, bounded runs.
bench-load: install
	$(PY) benchmarks/load.py

# Chromium for the browser journeys comes from the system's packages (never a downloaded build).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Install Chromium first (Debian/Ubuntu: sudo apt-get install chromium)"; exit 1; \
	  fi; }

# axe-core for the accessibility checks in the browser tests (tests/browser/axe.py), pinned,
# into the git-ignored node_modules/. Needs Node.js and npm (Debian: apt-get install npm).
AXE_CORE_VERSION := 4.14.1
# ical.js (the parser in Thunderbird and Nextcloud) reads every calendar in tests/calendar_feed.
ICALJS_VERSION := 2.2.1
# One npm command for all packages: `npm install --no-save X` removes packages it was not
# given, so separate installs would undo each other.
NODE_STAMP := node_modules/.npm-axe-core-$(AXE_CORE_VERSION)-ical.js-$(ICALJS_VERSION)
AXE_STAMP := $(NODE_STAMP)

$(NODE_STAMP):
	npm install --no-save --no-audit --no-fund --loglevel=error --prefix . \
	  axe-core@$(AXE_CORE_VERSION) ical.js@$(ICALJS_VERSION)
	touch $(NODE_STAMP)

axe: $(NODE_STAMP)

icaljs: $(NODE_STAMP)

# Every core runs tests (pytest-xdist); the 15 slowest are listed at the end.
# A subset: make test PYTEST_ARGS="tests/cms -k filter"; one process: PYTEST_ARGS="-n 0 ...".
test: install browser-deps axe icaljs
	$(PY) -m pytest -n auto --durations=15 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Security checks (SECURITY.md): known-vulnerable dependencies, then bandit's medium/high findings.
audit: install
	$(PY) bin/audit_dependencies.py
	$(VENV)/bin/bandit -q -r accounts audit cms config workflows records calendar_feed exports insights -ll

# Database + media into backups/<timestamp>/ (pg_dump or SQLite online copy; see README).
backup: install
	$(PY) manage.py backup

# Replaces the database with a backup: `make restore` (newest) or `make restore BACKUP=backups/...`.
restore: install
	$(PY) manage.py restore $(BACKUP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
