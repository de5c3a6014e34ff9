"""Typed readers of environment variables that fail loudly, naming the variable."""

from __future__ import annotations

import hashlib
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"Environment variable {name}={value} is below the minimum {minimum}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"Environment variable {name}={value} is above the maximum {maximum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# A key Django or this project ever printed, or a placeholder from a template: public, so never secret.
_DEVELOPMENT_KEY = "dev-insecure-key-only-for-debug"  # the key of a DEBUG run that sets none
_KNOWN_WEAK_PARTS = ("insecure", "changeme", "change-me", "change_me", "replace-me", "replaceme")
_KNOWN_WEAK_KEYS = {"secret", "secret-key", "secret_key", "secretkey", "your-secret-key", "password", "test"}
SECRET_KEY_MIN_LENGTH = 50


def secret_key_weakness(value: str, minimum: int = SECRET_KEY_MIN_LENGTH) -> str | None:
    """Why `value` cannot be a production secret key (of at least `minimum` characters), or None
    when it can."""
    key = value.strip()
    if not key:
        return "it is blank"
    lowered = key.lower()
    if lowered in _KNOWN_WEAK_KEYS or any(part in lowered for part in _KNOWN_WEAK_PARTS):
        return "it is a known development or placeholder value"
    if len(key) < minimum:
        return f"it has {len(key)} characters, fewer than {minimum}"
    if len(set(key)) < 5 or key in (key + key)[1:-1]:  # Django's own check; or one piece repeated
        return "it repeats a few characters"
    return None


def env_secret_key(name: str, *, debug: bool) -> str:
    """The secret key from `name`. Under DEBUG any key (or none: a development key) is accepted;
    otherwise a blank, short or known development value stops start-up, naming the variable."""
    raw = os.environ.get(name)
    if debug:
        return raw if raw and raw.strip() else _DEVELOPMENT_KEY
    if raw is None:
        raise ImproperlyConfigured(
            f"Environment variable {name} is required when DJANGO_DEBUG is off: "
            f'generate one with: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    weakness = secret_key_weakness(raw)
    if weakness:
        raise ImproperlyConfigured(
            f"Environment variable {name} is not a usable secret key: {weakness}. Use at least "
            f"{SECRET_KEY_MIN_LENGTH} random characters: "
            f'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    return raw


AUDIT_KEY_MIN_LENGTH = 32
_AUDIT_KEY_HINT = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'


def env_audit_key(name: str, *, debug: bool, secret_key: str) -> str:
    """The key that seals the audit chain (HMAC-SHA256), from `name`. It is kept outside the
    database, so that whoever can write the database cannot re-seal an edited chain. Without
    DEBUG a missing, short or known value stops start-up, naming the variable, and so does the
    secret key itself (the two are changed for different reasons). Under DEBUG (the demo) any
    key is accepted, and none means a development key derived from the secret key."""
    raw = os.environ.get(name)
    if debug:
        if raw and raw.strip():
            return raw.strip()
        return "audit-development-" + hashlib.sha256(f"alqa audit chain:{secret_key}".encode()).hexdigest()
    if raw is None:
        raise ImproperlyConfigured(
            f"Environment variable {name} is required when DJANGO_DEBUG is off: it seals the audit "
            f"trail. Generate one with: {_AUDIT_KEY_HINT}, and keep a copy outside the server."
        )
    weakness = secret_key_weakness(raw, AUDIT_KEY_MIN_LENGTH)
    if weakness is None and raw.strip() == secret_key.strip():
        weakness = "it is the same as DJANGO_SECRET_KEY"
    if weakness:
        raise ImproperlyConfigured(
            f"Environment variable {name} is not a usable audit key: {weakness}. Use at least "
            f"{AUDIT_KEY_MIN_LENGTH} random characters: {_AUDIT_KEY_HINT}"
        )
    return raw.strip()


def env_audit_old_keys(name: str) -> list[str]:
    """Former audit keys (comma-separated), still accepted when verifying rows sealed with them.
    Each must be a key that `env_audit_key` would accept; a bad one stops start-up, naming the
    variable and its position."""
    keys = env_list(name, [])
    for position, key in enumerate(keys, start=1):
        weakness = secret_key_weakness(key, AUDIT_KEY_MIN_LENGTH)
        if weakness:
            raise ImproperlyConfigured(
                f"Environment variable {name}: key number {position} is not usable: {weakness}."
            )
    return keys
