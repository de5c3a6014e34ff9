"""Settings for the test suite, named in pyproject.toml ([tool.pytest.ini_options]).

Production settings (alqa/settings.py) never look at what is imported: everything that makes a
test run fast or self-contained is switched on here, and only here."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

# A fresh random key for each test process: the production settings refuse a missing or known
# one, and a key written in this file would be public.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALQA_AUDIT_KEY", secrets.token_urlsafe(32))

from alqa.settings import *  # noqa: E402, F403
from alqa.settings import ACCOUNT_RATE_LIMITS, CACHES, DATABASES, HUEY, STORAGES  # noqa: E402

# Fast password hashing: thousands of users are created; the hash's strength is not under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No sign-in or reset limits, except in the tests that set their own.
ACCOUNT_RATE_LIMITS = ACCOUNT_RATE_LIMITS | {"login": False, "reset_password": False}
# Jobs run at once, inside the request that queues them (the worker test runs its own process
# with the production settings and ALQA_HUEY_IMMEDIATE=false).
HUEY = HUEY | {"immediate": True}
# Mail stays in memory (django.core.mail.outbox).
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The live test server speaks plain HTTP, and static files come from the apps without collectstatic.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
STORAGES = STORAGES | {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
# The sessions' cache in memory: one test process is one "worker" (no files left behind).
CACHES = CACHES | {"sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": None}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Tests use a database file, as production does: an in-memory database shares one connection
    # between the live server's threads (or locks tables instead of waiting), so parallel requests
    # would not meet SQLite's real locking (tests/concurrency/). One file per test process, in the
    # temporary directory; Django removes it at the end.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"alqa-test-{os.getpid()}.sqlite3")
    }
