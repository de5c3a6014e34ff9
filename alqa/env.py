"""Typed readers of environment variables that fail loudly, naming the variable."""

from __future__ import annotations

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


def secret_key_weakness(value: str) -> str | None:
    """Why `value` cannot be a production secret key, or None when it can."""
    key = value.strip()
    if not key:
        return "it is blank"
    lowered = key.lower()
    if lowered in _KNOWN_WEAK_KEYS or any(part in lowered for part in _KNOWN_WEAK_PARTS):
        return "it is a known development or placeholder value"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {SECRET_KEY_MIN_LENGTH}"
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
