"""Personal API tokens: random, shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alqa.domain.audit import record_event
from alqa.models import ApiToken, User


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(*, user: User, name: str, actor: User | None) -> IssuedToken:
    """Effects: creates the token row (digest only); records `api_token.issued`. The secret is
    returned once and never stored."""
    secret = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:100], prefix=secret[:12], digest=_digest(secret)
        )
        record_event(
            token, "api_token.issued", actor=actor, body=None, data={"user": user.email, "name": token.name}
        )
    return IssuedToken(token=token, secret=secret)


def revoke_token(token: ApiToken, *, actor: User) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(token, "api_token.revoked", actor=actor, body=None, data={"name": token.name})


def user_for_secret(secret: str) -> User | None:
    """The active user behind a presented token, or None for an unknown, revoked or malformed one."""
    if not secret or not secret.startswith(settings.API_TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
