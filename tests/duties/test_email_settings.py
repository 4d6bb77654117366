"""Which e-mail backend the settings pick from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x-test-0123456789-0123456789-0123456789-0123456789"


def backend(**env):
    """settings.EMAIL_BACKEND in a fresh process with only these e-mail variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    clean.update({"SECRET_KEY": SECRET, "DJANGO_SETTINGS_MODULE": "khuyencong.settings", **env})
    code = "from django.conf import settings; print(settings.EMAIL_BACKEND.rsplit('.', 2)[1])"
    argv = [sys.executable, "-c", code]
    result = subprocess.run(argv, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"DEBUG": "0"}, "console"),  # no EMAIL_HOST: nowhere to send
        ({"DEBUG": "1", "EMAIL_HOST": "smtp.hagiang.gov.vn"}, "console"),  # development
        ({"DEBUG": "0", "EMAIL_HOST": "smtp.hagiang.gov.vn"}, "smtp"),
        (
            {"DEBUG": "0", "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"},
            "filebased",
        ),
    ],
)
def test_the_backend_is_the_console_unless_a_mail_server_is_set(env, expected):
    assert backend(**env) == expected
