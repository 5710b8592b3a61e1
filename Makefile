# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install lint check fixtures serve browser-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 CHROMEDRIVER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --silent
	touch $@

browser-deps: node_modules/.installed
	@command -v chromium >/dev/null || (apt-get install -y chromium chromium-driver >/dev/null || \
		(apt-get update >/dev/null && apt-get install -y chromium chromium-driver >/dev/null))

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_portal_data
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install browser-deps
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

fixtures: install
	$(BIN)/python scripts/build_fixtures.py
