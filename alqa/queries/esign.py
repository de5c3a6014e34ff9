"""What the trusted roots page shows: every root installed for e-signatures, active ones first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alqa.models import TrustedRoot


@dataclass(frozen=True)
class TrustedRootRow:
    pk: int
    name: str
    subject: str
    fingerprint: str  # SHA-256, hex, in pairs separated by colons
    scope: str  # the body's name, or "" for the whole installation
    not_after: datetime
    added_by: str
    added_at: datetime
    active: bool


def trusted_root_rows() -> list[TrustedRootRow]:
    """Every installed root, active first then by name; one query."""
    roots = TrustedRoot.objects.select_related("body", "added_by").order_by("-active", "name", "pk")
    return [
        TrustedRootRow(
            pk=root.pk,
            name=root.name,
            subject=root.subject,
            fingerprint=":".join(
                root.fingerprint_sha256[i : i + 2] for i in range(0, len(root.fingerprint_sha256), 2)
            ).upper(),
            scope=root.body.name if root.body is not None else "",
            not_after=root.not_after,
            added_by=(root.added_by.full_name or root.added_by.email) if root.added_by is not None else "",
            added_at=root.added_at,
            active=root.active,
        )
        for root in roots
    ]
