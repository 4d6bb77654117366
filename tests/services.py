"""Services of a test's own for the fault tests: a Redis, a PostgreSQL and the portal itself
(gunicorn), so that a test may stop and start them without ever touching the servers the rest
of the suite uses."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from khuyencong.embedded import EmbeddedPostgres, free_port
from tests.conftest import wait_for

BASE_DIR = Path(__file__).resolve().parent.parent

# A worker's environment in which its beat sweeps every second and takes a report as lost
# after two.
FAST_SWEEP = {"REPORT_SWEEP_SECONDS": "1", "REPORT_STALE_SECONDS": "2"}


@contextmanager
def broker_at(url):
    """Meanwhile, this process sends its tasks to the broker at `url`."""
    from khuyencong.celery import app

    saved = app.conf.broker_url
    _forget_broker_connections(app)
    app.conf.broker_url = url
    try:
        yield
    finally:
        _forget_broker_connections(app)
        app.conf.broker_url = saved


def _forget_broker_connections(app):
    """Let the next task take its connection from the pool of the current broker URL (kombu
    keeps one pool per URL; the other URL's pool stays open for later)."""
    app._pool = None
    app.amqp._producer_pool = None


class PrivatePostgres(EmbeddedPostgres):
    """A cluster of the test's own, the same PostgreSQL as `make run`'s, in a temporary folder,
    with fsync off for speed; `destroy()` stops it and removes the folder."""

    def __init__(self):
        folder = Path(tempfile.mkdtemp(prefix="khuyencong-pg-"))
        super().__init__(folder, settings={"fsync": "off", "full_page_writes": "off"})

    def destroy(self):
        try:
            if self.running():
                self._run("pg_ctl", "-D", self.data, "-w", "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def portal_env(**overrides):
    """The environment of a portal process started by a test: the test run's own, in
    production mode on plain HTTP."""
    return {**os.environ, "DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1", **overrides}


def manage(*args, env, timeout=120):
    """Run a manage.py command in a process of its own; its output on failure."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


class Portal:
    """The portal served by gunicorn (as in production) from a process of its own."""

    def __init__(self, env, workers=2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix="khuyencong-gunicorn-", suffix=".log")[1])
        gunicorn = Path(sys.executable).with_name("gunicorn")
        options = ["--workers", str(workers), "--timeout", "30", "--graceful-timeout", "5"]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "khuyencong.wsgi", "--bind", f"127.0.0.1:{self.port}", *options],
                cwd=BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for(self._listening, timeout=30, interval=0.1)
            wait_for(lambda: len(self.worker_pids()) == workers, timeout=30, interval=0.1)
        except BaseException:  # pytest.fail is not an Exception
            self.stop()
            raise

    def _listening(self):
        if self.process.poll() is not None:
            pytest.fail(f"gunicorn exited: {self.log_tail()}")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def worker_pids(self):
        """The worker processes of the master: a new pid means a worker was restarted."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return set(children.read_text().split()) if children.exists() else set()

    def log_tail(self, chars=4000):
        return self.log.read_text(errors="replace")[-chars:]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        self.log.unlink(missing_ok=True)
