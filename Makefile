# Asih — `make run` and `make test` are all a newcomer needs; `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
export DJANGO_ALLOW_ASYNC_UNSAFE := true

.PHONY: help install run seed browser test lint format messages compile-messages admin check clean bench-search

help: ## List the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | sort

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies

compile-messages: install ## Compile the committed translation catalogues (.po → .mo)
	$(PY) manage.py compile_catalogues

messages: install ## Update locale/*.po from the code and templates (needs GNU gettext)
	$(PY) manage.py makemessages -l id -l en --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	$(MAKE) compile-messages

seed: compile-messages ## Migrate the database and load the guides in content/ (idempotent)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_guides

run: seed ## Install, migrate, load the guides and serve on http://127.0.0.1:$(PORT)/
	@echo "Asih: http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/, create a user with 'make admin')"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

admin: install ## Create the first admin user (asks for a name, email and password)
	$(PY) manage.py createsuperuser

browser: ## Install Debian's Chromium for the browser tests (apt-get; needs root or sudo)
	@if [ ! -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

test: compile-messages browser ## Install and run every test, browser tests included
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install ## ruff and djhtml in check mode
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $$(git ls-files '*.html')

format: install ## Format Python and templates
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djhtml $$(git ls-files '*.html')

check: install ## Django system checks and a missing-migrations check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench-search: compile-messages ## Search benchmark: 10,000 generated guides on SQLite and PostgreSQL (asih_bench) → bench/results/search.md
	$(PY) bench/search_bench.py

clean: ## Remove the virtualenv and var/ (database, media)
	rm -rf $(VENV) var
