# Two commands for a fresh machine: `make run` and `make test`.
# Without DATABASE_URL both use an embedded PostgreSQL in .pgdata/.
SHELL := /bin/bash
PY := .venv/bin/python
MANAGE := DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(PY) manage.py
# mypy's Django plugin imports the settings; it needs no database server.
NO_DB := DATABASE_URL=$${MYPY_DATABASE_URL:-postgres://nobody@127.0.0.1:1/none} DJANGO_DEBUG=true

.PHONY: setup run test lint typecheck pytest browser-test lock kern clean-db backup restore bench audit sbom

setup:
	@bash scripts/bootstrap.sh

run: setup
	@bash scripts/run.sh

test: setup lint typecheck pytest

lint:
	@echo "» ruff"
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

typecheck:
	@echo "» mypy"
	@$(NO_DB) .venv/bin/mypy apps weimar_sozialraum

# PYTEST_ARGS: a part of the suite, e.g. `make pytest PYTEST_ARGS=tests/audit`.
pytest:
	@bash scripts/pytest.sh $(PYTEST_ARGS)

lock:
	@$(PY) -m pip install --quiet uv
	@.venv/bin/uv pip compile pyproject.toml --python-version 3.12 --generate-hashes -q -o requirements/base.lock
	@.venv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 --generate-hashes -q -o requirements/dev.lock

# Supply chain (docs/operations.md): known vulnerabilities of the locked production
# dependencies (fails on one not accepted in security/audit-exceptions.toml; says so
# and passes when no advisory source is reachable), and a CycloneDX SBOM of the lock.
audit: setup
	@$(PY) scripts/audit.py

sbom: setup
	@mkdir -p build
	@.venv/bin/cyclonedx-py requirements requirements/base.lock --pyproject pyproject.toml \
		--of JSON --output-reproducible -o build/sbom.cdx.json 2>/dev/null
	@echo "» SBOM: build/sbom.cdx.json"

# Pages under load beside a raw twin and the Django admin (docs/operations.md, "Capacity").
# DATABASE_URL names a database filled by `manage.py generate_volume --size full`.
bench:
	@$(PY) bench/run.py

kern:
	@bash scripts/update-kern.sh

# One archive under backups/ (database + uploaded files); prints its path.
backup: setup
	@$(MANAGE) backup

# Into an empty database only; FORCE=1 replaces what is there.
restore: setup
	@test -n "$(BACKUP)" || { echo "Aufruf: make restore BACKUP=backups/sozialraum-….tar [FORCE=1]" >&2; exit 2; }
	@$(MANAGE) restore "$(BACKUP)" $(if $(FORCE),--force)

clean-db:
	rm -rf .pgdata
