# Asih — `make run` and `make test` are all a newcomer needs; `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Every absolute URL (pages, shares, emails, the admin's links) starts with this address; the
# seeding keeps Wagtail's Site record at it. Set your own to serve under another name.
export ASIH_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements-dev.lock requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
# A second `make run` with nothing changed goes straight to serving: each step below is a file
# target that is rebuilt only when its inputs are newer (a fresh clone has no outputs: all run).
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
# The database is seeded for one DATABASE_URL and public address (the seeding keeps Wagtail's
# Site at it); another of either, or a deleted SQLite file, seeds again.
SEED_STAMP := var/.seeded-$(shell printf '%s %s' "$$DATABASE_URL" "$(ASIH_PUBLIC_URL)" | cksum | cut -d' ' -f1)
SEED_INPUTS := $(shell find asih -name '*.py' -not -path '*/__pycache__/*'; find content -type f)
STATIC_MANIFEST := var/static/staticfiles.json
STATIC_INPUTS := $(shell find asih -path '*/static/*' -type f)

.PHONY: FORCE help install install-dev java bench bench-search bench-tools cluster-check load-check lighthouse run dev serve static seed browser test lint format messages compile-messages admin check clean
WORKERS ?= 2
# `make run` serves exactly as production does (production settings, DEBUG off, WhiteNoise,
# page cache), only over plain http on 127.0.0.1 with a secret key kept in var/.
# Emails (sign-up confirmations, replies) are printed in the terminal unless EMAIL_BACKEND is set.
PROD_ENV := DJANGO_SETTINGS_MODULE=asih.settings.production ASIH_HTTPS=false SECRET_KEY="$$(cat var/secret_key)" EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}"

help: ## List the make targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | sort

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-[!d]*
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked runtime dependencies (what `make run` needs)

# Test and lint tools (pytest, Playwright, Hypothesis, aiosmtpd, ruff …): only for test/lint/format.
$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	rm -f $(VENV)/.installed-dev-*
	touch $(DEV_STAMP)

install-dev: $(DEV_STAMP) ## Install the test and lint tools on top of the runtime set

compile-messages: install $(MO_FILES) ## Compile the translation catalogues (.po → .mo) when a .po changed

$(MO_FILES) &: $(PO_FILES) $(STAMP)
	$(PY) manage.py compile_catalogues
	touch $(MO_FILES)

messages: install ## Update locale/*.po from the code and templates (needs GNU gettext)
	$(PY) manage.py makemessages -l id -l en --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	$(MAKE) compile-messages

seed: compile-messages $(SEED_STAMP) ## Migrate the database and load the guides in content/ when code or content changed (`make -B seed` forces it)

$(SEED_STAMP): $(STAMP) $(SEED_INPUTS) $(if $(DATABASE_URL)$(wildcard var/asih.sqlite3),,FORCE)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_guides
	rm -f var/.seeded-*
	touch $@

var/secret_key:
	mkdir -p var
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

static: install $(STATIC_MANIFEST) ## Collect static files (hashed names, precompressed: brotli, gzip) when a source changed

$(STATIC_MANIFEST): $(STAMP) var/secret_key $(STATIC_INPUTS) $(wildcard asih/settings/*.py)
	$(PROD_ENV) $(PY) manage.py collectstatic --noinput -v 0
	touch $@

FORCE:

run: seed static ## Install, migrate, load the guides and serve on http://127.0.0.1:$(PORT)/ (granian, production settings)
	@echo "Asih: http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/, create a user with 'make admin')"
	$(MAKE) --no-print-directory serve

# Threads per worker, as in deploy/systemd/asih-app@.service: granian's default (256 with 2 workers)
# gives each thread its own database connection and exhausts PostgreSQL's 100 under load.
BLOCKING_THREADS ?= 4
# With no nginx in front, granian serves asih.asgi: request bodies are received in full by the
# event loop before one of the threads runs the (WSGI) app, so slow uploads cannot hold them
# (asih/core/buffered.py); a body has ASIH_BODY_TIMEOUT seconds to arrive.
serve: var/secret_key ## Serve what is already installed and seeded (granian, $(WORKERS) workers, production settings)
	$(PROD_ENV) $(PY) manage.py clear_page_cache
	$(PROD_ENV) ASIH_APP_THREADS=$(BLOCKING_THREADS) $(VENV)/bin/granian --interface asgi \
		--host 127.0.0.1 --port $(PORT) --workers $(WORKERS) --no-ws asih.asgi:application

dev: seed ## Development server with autoreload and DEBUG on (no page cache)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

bench-tools: ## Install wrk and nginx for the benchmarks (apt-get; needs root or sudo)
	@if ! command -v wrk >/dev/null || [ ! -x /usr/sbin/nginx ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk nginx-light >/dev/null; \
	fi

bench: compile-messages bench-tools ## Guide page side by side: nginx static, app cached, nginx+app, app uncached (BENCH_ARGS=...)
	$(PY) bench/pages.py $(BENCH_ARGS)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

lighthouse: compile-messages browser node_modules/.package-lock.json ## Lighthouse (mobile) on the home, a stage and the oxytocin guide → bench/results/lighthouse-*.md (LIGHTHOUSE_ARGS=...)
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)

cluster-check: compile-messages bench-tools ## Two app servers behind nginx, one PostgreSQL and one Redis: changes and rate limits shared
	$(PY) deploy/cluster_check.py

LOAD_SECONDS ?= 60
LOAD_DATABASE_URL ?=
load-check: compile-messages bench-tools ## wrk on the guide pages while posting, then SIGKILL mid-burst: no acknowledged post lost (LOAD_SECONDS, LOAD_DATABASE_URL)
	$(PY) deploy/load_check.py --seconds $(LOAD_SECONDS) $(if $(LOAD_DATABASE_URL),--database-url $(LOAD_DATABASE_URL)) $(LOAD_ARGS)

admin: install ## Create the first admin user (asks for a name, email and password)
	$(PY) manage.py createsuperuser

# The browser tests measure widths with the fonts Android phones use (Noto Sans, Roboto):
# with DejaVu alone text lays out narrower and an overflow real phones show would pass.
PHONE_FONTS := /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf /usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf
browser: ## Install Debian's Chromium and the phone fonts (Noto, Roboto) for the browser tests (apt-get; needs root or sudo)
	@if [ ! -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ] || ! ls $(PHONE_FONTS) >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-noto-core fonts-roboto >/dev/null; \
	fi

# The W3C Nu HTML checker (npm vnu-jar, tests/seo/test_html_validity.py) runs on Java.
java: ## Install Debian's Java runtime for the HTML checker (apt-get; needs root or sudo)
	@if ! command -v java >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; \
	fi

# Parallel workers (pytest-xdist), one per core by default; TEST_WORKERS=0 runs in one process.
# --dist load hands tests out in collection order, where pytest-django puts the transactional
# tests (they empty the database when they end) after all the others: with worksteal a worker
# could run one and then take tests that need the guides loaded into the test database.
TEST_WORKERS ?= auto
test: compile-messages install-dev browser java bench-tools node_modules/.package-lock.json ## Install and run every test in parallel, browser tests and the Nu HTML checker included (TEST_WORKERS, PYTEST_ARGS, HYPOTHESIS_PROFILE=ci)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

lint: install-dev ## ruff and djhtml in check mode
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $$(git ls-files '*.html')

format: install-dev ## Format Python and templates
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/djhtml $$(git ls-files '*.html')

check: install ## Django system checks and a missing-migrations check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench-search: compile-messages ## Search benchmark: 10,000 generated guides on SQLite and PostgreSQL (asih_bench) → bench/results/search.md
	$(PY) bench/search_bench.py

clean: ## Remove the virtualenv and var/ (database, media, secret key, page cache)
	rm -rf $(VENV) var
