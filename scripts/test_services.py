"""Prints the environment `make test` runs with: PostgreSQL and Redis from DATABASE_URL /
REDIS_URL, else on 127.0.0.1 when they answer, else SQLite without Redis. Under CI=true both
services are required, and their absence fails the run."""

import os
import socket
import sys


def answers(host, port):
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


def main():
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    env = {}
    db = os.environ.get("DATABASE_URL")
    if not db and answers("127.0.0.1", 5432):
        db = "postgres://postgres@127.0.0.1:5432/khuyencong"
    if db:
        env["DATABASE_URL"] = db
    redis = os.environ.get("REDIS_URL")
    if not redis and answers("127.0.0.1", 6379):
        redis = "redis://127.0.0.1:6379/1"
    if redis:
        env["REDIS_URL"] = redis
    missing = [name for name, value in (("PostgreSQL", db), ("Redis", redis)) if not value]
    if ci and (missing or not db.startswith("postgres")):
        sys.stderr.write(f"CI needs PostgreSQL and Redis; not reachable: {', '.join(missing)}\n")
        sys.exit(1)
    for name in missing:
        sys.stderr.write(f"note: {name} not reachable; tests that need it are skipped\n")
    for key, value in env.items():
        print(f"export {key}='{value}'")


if __name__ == "__main__":
    main()
