#!/usr/bin/env bash
# `make bench`: every tests/bench/bench_*.py with PostgreSQL and Redis as scripts/with_services.py
# provides them, each printing its table.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=0
export HTTPS=0  # benchmarks talk plain HTTP to their own servers
export SECRET_KEY="bench-only-secret-key-not-for-production-0123456789"
for bench in tests/bench/bench_*.py; do
  echo "== $bench"
  .venv/bin/python scripts/with_services.py .venv/bin/python "$bench" "$@"
done
