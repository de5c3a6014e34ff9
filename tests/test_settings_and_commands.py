"""Start-up refuses bad settings; commands for automated installs work."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from alqa.models import User

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _start(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALQA_", "PYTEST"))}
    return subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='alqa.settings'; django.setup()"],
        cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize(
    "env, variable",
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "true", "ALQA_SESSION_IDLE_MINUTES": "abc"}, "ALQA_SESSION_IDLE_MINUTES"),
        ({"DJANGO_DEBUG": "true", "EMAIL_PORT": "0"}, "EMAIL_PORT"),
        ({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "s3cret-" * 8, "ALQA_DEMO_WAIVE_MFA": "true"},
         "ALQA_DEMO_WAIVE_MFA"),
        ({"DJANGO_DEBUG": "true", "ALQA_EMAIL": "pigeon"}, "ALQA_EMAIL"),
    ],
)
def test_bad_settings_stop_start_up_naming_the_variable(env, variable):
    result = _start(env)
    assert result.returncode != 0
    assert variable in result.stderr


def test_good_production_settings_start():
    result = _start({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "s3cret-" * 8})
    assert result.returncode == 0, result.stderr


def test_createsuperuser_noinput_from_environment(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ops@alqa.test")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "an-ops-password-2026")
    call_command("createsuperuser", "--noinput", stdout=StringIO())
    user = User.objects.get(email="ops@alqa.test")
    assert user.is_superuser and user.check_password("an-ops-password-2026")


def test_demo_loads_once_and_prints_logins(db):
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "Demo data loaded." in text and "already loaded" in text
    assert "secretary@demo.alqa.kz" in text
    assert User.objects.filter(email="chair@demo.alqa.kz").count() == 1
    call_command("verify_audit", stdout=out)
