# Kammerwerk – the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export KAMMERWERK_VAR_DIR ?= $(CURDIR)/var
# Two test processes: the machines have two cores.
PYTEST_ARGS ?= -n 2

.PHONY: run test install assets messages bytecode migrate demo lint format lock chromium smoke clean

## run: install everything, migrate, load the demo, serve with the worker (Ctrl-C stops all)
run: install migrate demo
	@DEBUG=1 $(PY) manage.py demo_logins
	@DEBUG=1 bin/run-dev

## test: the whole suite (unit, integration, browser); DATABASE_URL selects PostgreSQL
test: install chromium
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "make test: no tests were collected"; exit 1; fi; exit $$status

## smoke: the quick subset (CI runs it on SQLite as well)
smoke: install
	@$(PY) -m pytest -m smoke; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "make smoke: no tests were collected"; exit 1; fi; exit $$status

install: $(VENV)/.installed node_modules/.installed assets messages bytecode

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	mkdir -p core/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js core/static/vendor/htmx.min.js
	cp node_modules/squire-rte/dist/squire.js node_modules/squire-rte/dist/squire.js.map core/static/vendor/
	cp node_modules/dompurify/dist/purify.min.js node_modules/dompurify/dist/purify.min.js.map core/static/vendor/

messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q gettext >/dev/null; } || { echo "gettext (msgfmt) is needed: apt-get install gettext"; exit 1; }
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

# Every process (a web worker, the task worker, a test run) would otherwise compile the project's
# modules from source on start where bytecode is not written (PYTHONDONTWRITEBYTECODE, a read-only tree).
bytecode: $(VENV)/.installed
	$(PY) -m compileall -q -j 0 -x '/(\.venv|node_modules|var|\.git)/' .

chromium:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) >/dev/null; } || echo "Chromium missing: browser tests will be skipped (apt-get install chromium)"

migrate: install
	mkdir -p $(KAMMERWERK_VAR_DIR)
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0

demo: migrate
	DEBUG=1 $(PY) manage.py seed_demo

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## lock: re-resolve requirements.in into requirements.txt
lock:
	rm -rf /tmp/kammerwerk-lock && $(PYTHON) -m venv /tmp/kammerwerk-lock
	/tmp/kammerwerk-lock/bin/pip install --quiet -r requirements.in
	/tmp/kammerwerk-lock/bin/pip freeze --exclude pip > requirements.txt

clean:
	rm -rf $(VENV) node_modules core/static/vendor staticfiles
