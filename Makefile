# The two commands of the README: `make run` and `make test`. Both set everything up
# on a fresh machine: the virtualenv, the packages and (without DATABASE_URL) an
# embedded PostgreSQL whose data lives in .pgdata/.

VENV ?= .venv
PYTHON := $(VENV)/bin/python
PORT ?= 8000
DEMO_USER ?= demo
DEMO_PASSWORD ?= demo-secretariat-2026
DEMO_OFFICE_USER ?= demo-almaty
DEMO_OFFICE_PASSWORD ?= demo-office-2026

.PHONY: run test install lint messages migrate demo stop-db clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# axe-core for the browser tests' accessibility check, from the npm registry.
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

# compilemessages reads the settings without using them: the development ones will do, whichever
# target asked (make bench has no SECRET_KEY).
messages: install
	cd $(CURDIR) && DEBUG=true $(PYTHON) manage.py compilemessages --ignore=.venv --verbosity=0

run: export DEBUG ?= true
run: install messages
	$(PYTHON) manage.py migrate --noinput
	$(PYTHON) manage.py demo_data --if-empty
	$(PYTHON) manage.py ensure_demo_staff --username "$(DEMO_USER)" --password "$(DEMO_PASSWORD)"
	$(PYTHON) manage.py ensure_demo_office --username "$(DEMO_OFFICE_USER)" --password "$(DEMO_OFFICE_PASSWORD)" --region 75
	$(PYTHON) manage.py export_open_data --base-url "http://127.0.0.1:$(PORT)"
	@echo ""
	@echo "  The site:        http://127.0.0.1:$(PORT)/"
	@echo "  The staff admin: http://127.0.0.1:$(PORT)/kk/admin/   (also /ru/admin/ and /en/admin/)"
	@echo "  Demo staff login: $(DEMO_USER) / $(DEMO_PASSWORD)"
	@echo "  The regional office portal: http://127.0.0.1:$(PORT)/kk/portal/"
	@echo "  Demo regional office login (Almaty): $(DEMO_OFFICE_USER) / $(DEMO_OFFICE_PASSWORD)"
	@echo ""
	$(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: export SECRET_KEY ?= test-only-secret-key
test: install node_modules/.installed messages lint
	$(PYTHON) manage.py check --settings=assembly.test_settings
	$(PYTHON) manage.py makemigrations --check --dry-run --settings=assembly.test_settings
	$(VENV)/bin/pytest

# Benchmarks (bench/README.md), not tests: the production server (gunicorn) on loopback against
# a PostgreSQL of their own in bench/out/. E.g. `make soak SOAK_ARGS="--minutes 10"`.
# `make bench`: the national-scale benchmark (bench/national.py; needs apt-get install -y wrk redis-server),
# then the import benchmark; both write bench/RESULTS.md. E.g. `make bench BENCH_ARGS="--rebuild"`.
.PHONY: soak dbkill bench
bench: install messages
	$(PYTHON) bench/import_bench.py
	$(PYTHON) bench/national.py $(BENCH_ARGS)

soak: install messages
	$(PYTHON) bench/soak.py $(SOAK_ARGS)

dbkill: install messages
	$(PYTHON) bench/dbkill.py $(DBKILL_ARGS)

stop-db: install
	$(PYTHON) -m assembly.devdb stop

clean: stop-db
	rm -rf .pgdata .test-media .test-private-media .test-open-data .test-artifacts staticfiles bench/out
