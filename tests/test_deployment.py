"""docker-compose.yml is valid and every service runs something that exists in the project.
(No Docker engine runs here: the commands are checked against the project instead.)"""

import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
PORTAL_SERVICES = ["web", "worker", "beat"]


def command_of(service):
    command = COMPOSE["services"][service]["command"]
    if command[:2] == ["sh", "-c"]:
        return [part.split() for part in re.split(r"&&", command[2])]
    return [command]


def test_the_compose_file_has_the_services_and_volumes_of_a_deployment():
    assert {"db", "redis", "web", "worker", "beat"} <= set(COMPOSE["services"])
    assert {"pgdata", "media"} <= set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in COMPOSE["services"]["db"]["volumes"]
    for service in ("web", "worker"):
        assert "media:/app/var/media" in COMPOSE["services"][service]["volumes"]


def test_the_portal_services_get_their_configuration():
    for service in PORTAL_SERVICES:
        env = COMPOSE["services"][service]["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= set(env)
        assert env["DEBUG"] == "0"


def test_the_image_is_built_from_files_that_exist():
    for service in PORTAL_SERVICES:
        assert COMPOSE["services"][service]["build"] == "."
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile and (ROOT / "requirements.lock").exists()
    assert "khuyencong.wsgi:application" in dockerfile


def check(argv):
    """Run a service's command with --help (or its import) the way the container would."""
    program, *args = argv
    if program == "exec":
        program, *args = args
    if program == "python":
        assert args[0] == "manage.py" and (ROOT / "manage.py").exists()
        result = subprocess.run(
            [sys.executable, "manage.py", args[1], "--help"], cwd=ROOT, capture_output=True
        )
    elif program == "gunicorn":
        module, attribute = args[0].split(":")
        assert callable(getattr(importlib.import_module(module), attribute))
        result = subprocess.run([BIN / "gunicorn", "--version"], capture_output=True)
    elif program == "celery":
        assert args[:2] == ["-A", "khuyencong"]
        assert importlib.import_module("khuyencong").celery_app.main == "khuyencong"
        result = subprocess.run(
            [BIN / "celery", "-A", "khuyencong", args[2], "--help"], cwd=ROOT, capture_output=True
        )
    else:
        pytest.fail(f"unknown program in docker-compose.yml: {program}")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("service", PORTAL_SERVICES)
def test_every_service_command_exists_in_the_project(service):
    for argv in command_of(service):
        check(argv)
