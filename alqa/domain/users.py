"""A user's own settings."""

import secrets
from typing import Any

from django.db import transaction

from alqa.domain.audit import diff, record_event
from alqa.enums import Language
from alqa.models import User

PROFILE_FIELDS = ("full_name", "language")


def update_profile(user: User, *, actor: User, changes: dict[str, Any]) -> User:
    """Effects: saves the name and language; records `user.profile_changed`."""
    changes = {k: v for k, v in changes.items() if k in PROFILE_FIELDS}
    if "language" in changes and changes["language"] not in Language.values:
        changes.pop("language")
    before = {f: getattr(user, f) for f in PROFILE_FIELDS}
    for field, value in changes.items():
        setattr(user, field, value)
    changed = diff(before, {f: getattr(user, f) for f in PROFILE_FIELDS})
    if changed:
        with transaction.atomic():
            user.save(update_fields=list(changed))
            record_event(user, "user.profile_changed", actor=actor, body=None, data=changed)
    return user


def reset_calendar_token(user: User, *, actor: User) -> str:
    """Effects: gives the user a new random feed token, so the old address of their calendar feed
    stops working; records `user.calendar_token_reset` (without the token itself)."""
    with transaction.atomic():
        user.calendar_token = secrets.token_urlsafe(24)
        user.save(update_fields=["calendar_token"])
        record_event(user, "user.calendar_token_reset", actor=actor, body=None, data={})
    return user.calendar_token
