"""The fresh database a benchmark script measures on, shared by the scripts in this folder.

`production_like(path)`: a new SQLite file with the production settings (DEBUG off, a random
secret key and audit key, mail to the console), migrated. `test_settings(name, database_url)`: the
test settings on a new SQLite file under var/ or on an emptied PostgreSQL database, migrated.
Neither ever touches var/alqa.sqlite3, the demo's database.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _remove_sqlite(path: Path) -> None:
    if path.name == "alqa.sqlite3":
        sys.exit("Refusing to measure on the demo's database var/alqa.sqlite3.")
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
    path.parent.mkdir(parents=True, exist_ok=True)


def production_like(path: Path) -> None:
    _remove_sqlite(path)
    os.environ.pop("ALQA_DEMO_WAIVE_MFA", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="alqa.settings",
        DATABASE_URL=f"sqlite:///{path}",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALQA_AUDIT_KEY=secrets.token_urlsafe(32),
        ALQA_EMAIL="console",
    )
    _migrate()


def test_settings(name: str, database_url: str | None) -> None:
    if database_url is None:
        path = BASE_DIR / "var" / f"{name}.sqlite3"
        _remove_sqlite(path)
        database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_SETTINGS_MODULE"] = "alqa.settings_test"
    _migrate(empty_postgresql=True)


def _migrate(*, empty_postgresql: bool = False) -> None:
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if empty_postgresql and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
