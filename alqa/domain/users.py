"""A user's own settings."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alqa.domain.audit import diff, record_event
from alqa.domain.case_guard import is_iin
from alqa.domain.errors import atomic_unique
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


def masked_iin(iin: str) -> str:
    """An ИИН as the pages show it: the first four and the last two digits."""
    return iin[:4] + "•" * 6 + iin[-2:] if iin else ""


def set_iin(user: User, *, actor: User, iin: str) -> User:
    """Sets the user's ИИН (12 digits passing the ИИН check of alqa.domain.case_guard), or clears it
    with an empty `iin`. The ИИН is what a qualified e-signature's certificate is matched against.

    Effects: saves `iin`; records `user.iin_changed` with the old and new values masked (the number
    itself never goes into the trail). Refuses on `iin` a number that is not an ИИН or that another
    user has; the same value again changes nothing and records nothing."""
    iin = "".join((iin or "").split())
    if iin and not is_iin(iin):
        raise ValidationError(
            {
                "iin": _(
                    "This is not a valid IIN: 12 digits, beginning with the date of birth, with a check digit."
                )
            }
        )
    taken = _("This IIN is on another user's profile. If it is yours, ask an administrator.")
    with atomic_unique("iin", taken):
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.iin == iin:
            user.iin = iin
            return user
        if iin and User.objects.filter(iin=iin).exclude(pk=user.pk).exists():
            raise ValidationError({"iin": taken})
        before = locked.iin
        locked.iin = iin
        locked.save(update_fields=["iin"])
        record_event(
            locked,
            "user.iin_changed",
            actor=actor,
            body=None,
            data={"iin": [masked_iin(before), masked_iin(iin)]},
        )
    user.iin = iin
    return user
