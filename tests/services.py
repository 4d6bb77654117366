"""Services of a test's own for the fault tests: a Redis, a PostgreSQL and the portal itself
(gunicorn) on free ports of 127.0.0.1, so that a test may stop and start them without ever
touching the machine's shared PostgreSQL (5432) and Redis (6379)."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import wait_for

BASE_DIR = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")

# A worker's environment in which its beat sweeps every second and takes a report as lost
# after two.
FAST_SWEEP = {"REPORT_SWEEP_SECONDS": "1", "REPORT_STALE_SECONDS": "2"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    """A redis-server without persistence on a free port; `stop()` and `start()` again keep the
    port, as a Redis restarted by its supervisor does (its data is gone, as after a crash)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        self.process = subprocess.Popen(
            ["redis-server", *options, "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for(lambda: redis_answers(self.port), timeout=10, interval=0.05)
        except BaseException:  # pytest.fail is not an Exception
            self.stop()
            raise
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


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


class PrivatePostgres:
    """A PostgreSQL 15 cluster in a temporary folder owned by the `postgres` OS user (initdb
    refuses root), listening on a free port of 127.0.0.1 only, with fsync off for speed."""

    def __init__(self):
        for tool in ("initdb", "pg_ctl"):
            if not (PG_BIN / tool).exists():
                pytest.skip(f"needs the PostgreSQL 15 server binaries ({PG_BIN / tool})")
        if os.geteuid() != 0 or not shutil.which("runuser"):
            pytest.skip("starting a private PostgreSQL needs root (runuser -u postgres)")
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="khuyencong-pg-"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"

    def _as_postgres(self, tool, *args, timeout=60):
        command = ["runuser", "-u", "postgres", "--", str(PG_BIN / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
        assert done.returncode == 0, f"{tool}: {done.stdout}{done.stderr}\n{log}"

    def start(self):
        self._as_postgres("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\nfsync = off\nfull_page_writes = off\n"
                "synchronous_commit = off\n"
            )
        self._pg_ctl("start")
        return self

    def _pg_ctl(self, *args):
        self._as_postgres("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", *args)

    def restart(self):
        """Stop fast (every session cut off, as in a crash or an upgrade) and start again;
        returns once the server accepts connections."""
        self._pg_ctl("restart", "-m", "fast")

    def url(self, name="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self):
        try:
            if (self.data / "postmaster.pid").exists():
                self._pg_ctl("stop", "-m", "immediate")
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
