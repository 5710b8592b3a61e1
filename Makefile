# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install lint check fixtures serve browser-deps backup restore bench load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 CHROMEDRIVER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --silent
	touch $@

# Debian packages the tests use: Chromium for the browser tests, wrk for the
# benchmark's smoke run.
browser-deps: node_modules/.installed
	@(command -v chromium && command -v wrk) >/dev/null || \
		(apt-get install -y chromium chromium-driver wrk >/dev/null || \
		(apt-get update >/dev/null && apt-get install -y chromium chromium-driver wrk >/dev/null))

# DEBUG stays off (the portal's own 404 and 500 pages); set DEBUG=true for Django's
# debug pages. WhiteNoise serves static/ directly, so CSS edits show on reload.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_portal_data
	WHITENOISE_USE_FINDERS=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# One test process per core (pytest-xdist): each loads the shipped data once.
test: install browser-deps
	$(BIN)/python -m pytest --numprocesses=auto

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

fixtures: install
	$(BIN)/python scripts/build_fixtures.py

# Production-style server: gunicorn behind a proxy, static files collected and
# served compressed and hashed by WhiteNoise. Set PRODUCTION=true, SECRET_KEY,
# ALLOWED_HOSTS, DATABASE_URL (and CACHE_URL for several servers) first.
WORKERS ?= 2
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput
	-$(BIN)/python manage.py clear_portal_cache  # a cache that is down must not stop the start
	$(BIN)/gunicorn ascn_portal.wsgi:application --bind 0.0.0.0:$(PORT) \
		--workers $(WORKERS) --access-logfile - --forwarded-allow-ips '*'

# Content backup: every content record by natural key (no users or history).
BACKUP ?= backups/ascn-$(shell date +%Y%m%d-%H%M%S).json
backup: install
	@mkdir -p $(dir $(BACKUP))
	$(BIN)/python manage.py backup_content --output $(BACKUP)
	@echo "Wrote $(BACKUP)"

# Replace the database's content with a backup's (one transaction; history kept,
# with a "Restored from" entry per record).
restore: install
	@test -n "$(FILE)" || (echo "usage: make restore FILE=backups/....json" && exit 2)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py restore_content $(FILE)

# Benchmarks (loopback only, bounded): see bench/README.md.
bench: install
	bench/run.sh $(BENCH_ARGS)

load: install
	$(BIN)/python bench/load.py $(LOAD_ARGS)
