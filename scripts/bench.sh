#!/usr/bin/env bash
# `make bench`: every tests/bench/bench_*.py, on PostgreSQL when it answers, printing its table.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(.venv/bin/python scripts/test_services.py)"
export DEBUG=0
export HTTPS=0  # benchmarks talk plain HTTP to their own servers
export SECRET_KEY="bench-only-secret-key-not-for-production-0123456789"
for bench in tests/bench/bench_*.py; do
  echo "== $bench"
  .venv/bin/python "$bench" "$@"
done
