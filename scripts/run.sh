#!/usr/bin/env bash
# `make run`: migrate, load the demo province, then serve on http://127.0.0.1:8000 with a real
# Celery worker beside the web server. Without REDIS_URL the worker and the web server share
# kombu's filesystem broker under var/broker; with REDIS_URL they use Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-1}"
PY=.venv/bin/python
PORT="${PORT:-8000}"

$PY manage.py migrate --noinput
$PY manage.py seed_demo

# -B: the beat schedule (report sweep, quarter-end report) runs inside this one dev worker.
mkdir -p var
.venv/bin/celery -A khuyencong worker -B --schedule var/celerybeat-schedule --loglevel=INFO --concurrency=2 --without-gossip --without-mingle &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM

echo
echo "Cổng khuyến công: http://127.0.0.1:${PORT}/  (Ctrl-C để dừng)"
$PY manage.py runserver "127.0.0.1:${PORT}"
