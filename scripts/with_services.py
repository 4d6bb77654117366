"""`with_services.py COMMAND…`: runs COMMAND (the test suite, the benchmarks) with PostgreSQL
and Redis, and returns its exit code.

PostgreSQL: DATABASE_URL when set; under CI=true the machine's own server on 127.0.0.1:5432
when it answers, as on our CI machines; otherwise the checkout's embedded server under var/pg
(the one `make run` uses; the tests make databases of their own on it), stopped afterwards if
this started it. Redis: REDIS_URL when set, else the machine's on 127.0.0.1:6379 when it
answers, else a private redis-server on a free port, stopped afterwards."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from khuyencong.embedded import (  # noqa: E402
    EmbeddedError,
    EmbeddedPostgres,
    PrivateRedis,
    redis_answers,
)


def _answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def main(command):
    # Killed (SIGTERM), as by a CI timeout: the command is stopped, then the services.
    signal.signal(signal.SIGTERM, _interrupted)
    ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    env = dict(os.environ)
    postgres = redis = None
    started_postgres = False
    try:
        if not env.get("DATABASE_URL"):
            if ci and _answers(5432):
                env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/khuyencong"
            else:
                var = Path(env.get("VAR_DIR", ROOT / "var"))
                postgres = EmbeddedPostgres(var / "pg")
                started_postgres = postgres.start()
                env["DATABASE_URL"] = postgres.url()
        if not env.get("REDIS_URL"):
            if redis_answers(6379):
                env["REDIS_URL"] = "redis://127.0.0.1:6379/1"
            else:
                redis = PrivateRedis(db=1).start()
                env["REDIS_URL"] = redis.url
        print(f"Database: {env['DATABASE_URL']}  Redis: {env['REDIS_URL']}", flush=True)
        return subprocess.call(command, env=env)
    except EmbeddedError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if redis:
            redis.stop()
        if started_postgres:
            postgres.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
