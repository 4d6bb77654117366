"""The path a new user takes: `make run` in a fresh copy of the checkout, with nothing set and
nothing running, serves the demo province; the manager logs in, sees the plan on the dashboard
and downloads the quarter's PDF made by the worker; Ctrl-C leaves no process of the copy behind,
and a second `make run` on the same var/ serves again within 30 s."""

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from khuyencong.embedded import free_port
from tests.conftest import pdf_text, wait_for
from tests.e2e.conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
FIRST_START_SECONDS = 300  # initdb, the migrations and the demo province
RESTART_SECONDS = 30  # the promise for a second start on the same var/


def copy_of_checkout():
    """The checkout's files as a clone would have them (tracked and new, never var/ or .env),
    beside the same virtual environment, in a folder the server's user may enter."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    copy = Path(tempfile.mkdtemp(prefix="khuyencong-copy-"))
    copy.chmod(0o755)
    for name in filter(None, (item.decode() for item in listed)):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    return copy


def new_user_env(port):
    """A shell's environment with none of the test run's settings (no DATABASE_URL, REDIS_URL,
    DEBUG, SECRET_KEY…)."""
    keep = ("PATH", "HOME", "LANG", "TERM", "TMPDIR")
    return {**{k: os.environ[k] for k in keep if k in os.environ}, "PORT": str(port)}


class MakeRun:
    def __init__(self, copy, port, log):
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            ["make", "run"],
            cwd=copy,
            env=new_user_env(port),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # as a terminal's job: Ctrl-C goes to its process group
        )
        self.log = log

    def serving(self):
        if self.process.poll() is not None:
            pytest.fail(f"make run exited ({self.process.returncode}): {self.log_tail()}")
        try:
            with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    def ctrl_c(self):
        """Ctrl-C, then wait for make (which waits for scripts/run.py to stop everything)."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"make run still running 60 s after Ctrl-C: {self.log_tail()}")

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self):
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-3000:]


def processes_of(copy):
    """Processes still working in the copy (their folder or their command line under it)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cwd = os.readlink(proc / "cwd")
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        if cwd.startswith(str(copy)) or str(copy) in command:
            found.append(f"{proc.name}: {command.strip()} (in {cwd})")
    return found


def nothing_left_of(copy):
    deadline = time.monotonic() + 10
    while (left := processes_of(copy)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, "left running after Ctrl-C:\n" + "\n".join(left)


def kill_leftovers(copy):
    for line in processes_of(copy):
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(line.split(":", 1)[0]), signal.SIGKILL)


@pytest.fixture
def copy():
    folder = copy_of_checkout()
    yield folder
    kill_leftovers(folder)
    shutil.rmtree(folder, ignore_errors=True)


def test_a_new_user_runs_the_portal_stops_it_and_runs_it_again(copy, page, shot, tmp_path):
    port = free_port()
    log = (tmp_path / "make-run.log").open("w+")
    run = MakeRun(copy, port, log)
    try:
        began = time.monotonic()
        wait_for(run.serving, timeout=FIRST_START_SECONDS, interval=0.5)
        first_start = time.monotonic() - began

        log_in(page, run.url, "manager")
        assert page.get_by_role("heading", name="Tổng quan khuyến công năm 2026").is_visible()
        shot("make-run-dashboard-manager")
        page.get_by_role("link", name="Báo cáo").click()
        page.get_by_label("Năm").fill("2022")
        page.get_by_label("Quý").select_option("4")
        page.get_by_role("button", name="Yêu cầu báo cáo").click()
        download = page.locator("tbody tr").first.get_by_role("link", name="Tải PDF")
        download.wait_for(timeout=120_000)  # made by make run's own worker
        with page.expect_download() as info:
            download.click()
        pdf = tmp_path / info.value.suggested_filename
        info.value.save_as(pdf)
        assert "1.200.000.000" in pdf_text(pdf)
        shutil.copy(pdf, SCREENSHOTS / "make-run-report.pdf")  # to look at after the run

        run.ctrl_c()
        nothing_left_of(copy)

        run = MakeRun(copy, port, log)
        began = time.monotonic()
        wait_for(run.serving, timeout=RESTART_SECONDS, interval=0.2)
        second_start = time.monotonic() - began
        run.ctrl_c()
        nothing_left_of(copy)
        print(f"\nmake run: first start {first_start:.1f} s, second {second_start:.1f} s")
    finally:
        run.kill()
        log.close()
