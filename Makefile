# Two commands from a fresh clone: `make run` serves the dashboard, `make test` runs the suite;
# after either, `. .venv/bin/activate` and the README's `python manage.py …` commands work.
# Both install what they need first and are quick the second time.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.requirements-installed
# The suite runs a second time on PostgreSQL, the production database.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/beichen
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: run serve test setup install system-deps lint bench clean backup restore

run: setup
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production-style serving (gunicorn, collected static files, DEBUG off): set SECRET_KEY,
# ALLOWED_HOSTS and DATABASE_URL first; HTTPS is expected in front (SECURE_SSL_REDIRECT).
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_documents
	$(PY) manage.py setup_roles
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/gunicorn beichen.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --access-logfile -

setup: install .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_documents
	$(PY) manage.py setup_roles
	$(PY) manage.py ensure_admin

# The development settings (git-ignored), written once: a random SECRET_KEY and DEBUG=true,
# so `python manage.py …` works as the README prints it. Production sets its own environment.
.env:
	$(PYTHON) -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50)); print('DEBUG=true')" > .env

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Debian packages the browser tests need (Chromium) and a running PostgreSQL.
system-deps:
	bash .ci/system-deps.sh

# pytest-xdist spreads the tests over the machine's cores (TEST_WORKERS=0 runs them in one
# process); each worker has its own SQLite file, PostgreSQL test database and Redis keys.
TEST_WORKERS ?= auto
test: setup system-deps lint
	$(PY) -m pytest -n $(TEST_WORKERS)
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest -n $(TEST_WORKERS) -m "not browser"

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# Backups of the whole database (README, "Backups"): PostgreSQL through pg_dump/pg_restore,
# SQLite through dumpdata/loaddata. `make restore BACKUP=backups/…` replaces every row.
BACKUP_EXT := $(if $(findstring postgres,$(DATABASE_URL)),dump,json)
backup: install
	mkdir -p backups
	$(PY) manage.py backup --output $(or $(BACKUP),backups/beichen-$(shell date +%Y%m%d-%H%M%S).$(BACKUP_EXT))

restore: install
	@test -n "$(BACKUP)" || (echo "Usage: make restore BACKUP=backups/beichen-….$(BACKUP_EXT)"; exit 2)
	$(PY) manage.py restore "$(BACKUP)" --replace

# Speed benchmark, not part of the suite (loopback only, bounded: about 10-20 minutes on the
# 2-core machine). First in-process on SQLite (benchmarks/run.py), then served the production
# way — gunicorn, DEBUG off, PostgreSQL, Redis, collected static files — and driven by wrk at
# 1x and 100x data (benchmarks/served.py; databases beichen_speed_bench_<factor>, Redis db 12).
bench: setup
	command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }
	DEBUG=true timeout 900 $(PY) -m benchmarks.run
	timeout 3000 $(PY) -m benchmarks.served

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
