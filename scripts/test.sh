#!/usr/bin/env bash
# `make test`: lint, migrations check, then the whole pytest suite (browser tests included) with
# PostgreSQL and Redis as scripts/with_services.py provides them: nothing needs to be running.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=0
export HTTPS=0  # the test client, live server and test gunicorn speak plain HTTP
export SECRET_KEY="test-only-secret-key-not-for-production-0123456789"
export CELERY_QUEUE="tests-$$"
export MEDIA_ROOT="${MEDIA_ROOT:-$(mktemp -d)}"
export DJANGO_ALLOW_ASYNC_UNSAFE=1  # Playwright's sync API runs an event loop in the test thread

.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
.venv/bin/python -W ignore::RuntimeWarning manage.py makemigrations --check --dry-run >/dev/null
exec .venv/bin/python scripts/with_services.py .venv/bin/pytest "$@"
