"""`make run`: the checkout's own PostgreSQL (unless DATABASE_URL is set), migrations, the demo
province, then Django's development server on http://127.0.0.1:$PORT beside a real Celery
worker with the beat schedule inside it. Without REDIS_URL the two share kombu's filesystem
broker under var/broker. Ctrl-C (or SIGTERM) stops the server and the worker, then PostgreSQL.

Each child runs in a session of its own, so that stopping it takes its whole process group
(the worker's pool, the development server's reloader), and dies with this process should
this one be killed outright."""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from khuyencong.embedded import EmbeddedError, EmbeddedPostgres  # noqa: E402

PYTHON = str(Path(sys.executable))
CELERY = str(Path(sys.executable).with_name("celery"))
STOP_SECONDS = 15  # a child still running after this is killed
_PR_SET_PDEATHSIG = 1


class Stop(Exception):
    """Ctrl-C or SIGTERM: everything started is stopped."""


def _raise_stop(signum, frame):
    raise Stop(signum)


def _die_with_parent():
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Children:
    def __init__(self, env):
        self.env = env
        self.started = []

    def start(self, *argv, stop=lambda child: child.send_signal(signal.SIGTERM)):
        """Start argv; `stop(child)` asks it to end (by default SIGTERM to its main process,
        which stops its own workers)."""
        child = subprocess.Popen(
            argv, cwd=ROOT, env=self.env, start_new_session=True, preexec_fn=_die_with_parent
        )
        self.started.append((child, stop))
        return child

    def run(self, *argv):
        child = self.start(*argv)
        if child.wait() != 0:
            raise SystemExit(f"{' '.join(argv[1:3])} failed (exit {child.returncode})")

    def stop(self):
        for child, stop in self.started:
            if child.poll() is None:
                stop(child)
        for child, _ in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=STOP_SECONDS)
            _signal_group(child, signal.SIGKILL)  # what the group left behind, if anything
            child.wait()


def _signal_group(child, signum):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signum)


def main():
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    port = env.get("PORT", "8000")
    var = Path(env.get("VAR_DIR", ROOT / "var"))
    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGTERM, _raise_stop)
    postgres = None if env.get("DATABASE_URL") else EmbeddedPostgres(var / "pg")
    children = Children(env)
    try:
        if postgres:
            print(
                f"PostgreSQL riêng của bản mã nguồn: {postgres.folder} (socket {postgres.sockets})"
            )
            postgres.start()
            postgres.create_database()
        children.run(PYTHON, "manage.py", "migrate", "--noinput")
        children.run(PYTHON, "manage.py", "seed_demo")
        (var / "broker").mkdir(parents=True, exist_ok=True)
        children.start(
            CELERY, "-A", "khuyencong", "worker", "-B",
            "--schedule", str(var / "celerybeat-schedule"), "--loglevel=INFO",
            "--concurrency=2", "--without-gossip", "--without-mingle",
        )  # fmt: skip
        # Ctrl-C for the development server and its reloader, as in a terminal.
        web = children.start(
            PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}",
            stop=lambda child: _signal_group(child, signal.SIGINT),
        )  # fmt: skip
        print(f"\nCổng khuyến công: http://127.0.0.1:{port}/  (Ctrl-C để dừng)\n", flush=True)
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOWAIT)  # until one of them ends by itself
        ended = "web server" if web.poll() is not None else "worker"
        print(f"The {ended} stopped; stopping the rest.", file=sys.stderr)
        return 1
    except Stop:
        return 0
    except EmbeddedError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("Đang dừng… / Stopping…", flush=True)
        children.stop()
        if postgres:
            postgres.stop()


if __name__ == "__main__":
    sys.exit(main())
