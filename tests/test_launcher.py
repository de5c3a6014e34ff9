"""`./alqa.sh`: `manage` runs a management command with the demo's settings (no variables to
set by hand), and the port chosen for `start` is the address that links in mails point to."""

import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _launcher(*args: str, env: dict[str, str], timeout: int = 180) -> subprocess.CompletedProcess:
    """Runs ./alqa.sh as a user would: none of Django's or Alqa's variables set beforehand."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ALQA_", "PYTEST", "DATABASE_"))
    }
    return subprocess.run(
        ["./alqa.sh", *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture
def database(tmp_path):
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'alqa.sqlite3'}",
        "ALQA_HUEY_FILE": str(tmp_path / "huey.db"),
    }


def test_manage_runs_a_command_with_the_demos_settings_on_the_chosen_port(database):
    """Two commands as a user types them, with nothing set but the port and a database of its own."""
    prepare = (
        "from django.core.management import call_command; from django.conf import settings; "
        "from alqa.models import User; call_command('migrate', verbosity=0); "
        "User.objects.create_superuser(email='root@alqa.test', password='correct-horse-battery-9'); "
        "print(settings.SITE_URL, settings.DEBUG)"
    )
    done = _launcher("manage", "shell", "-c", prepare, env=database | {"ALQA_PORT": "8201"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1].split() == ["http://127.0.0.1:8201", "True"]

    done = _launcher("manage", "create_api_token", "root@alqa.test", env=database)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("alqa_"), done.stdout


def test_start_refuses_a_port_that_is_not_a_number(database):
    done = _launcher("start", "80a", env=database, timeout=30)
    assert done.returncode == 2 and "port must be a number" in done.stderr
