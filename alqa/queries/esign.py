"""What the trusted roots page shows: every root installed for e-signatures, active ones first, and
the uploaded revocation lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from alqa.models import RevocationList, TrustedRoot


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


@dataclass(frozen=True)
class RevocationListRow:
    issuer: str
    this_update: datetime
    next_update: datetime | None
    out_of_date: bool  # its next list was due before now
    revoked_count: int
    added_by: str
    added_at: datetime


def revocation_list_rows() -> list[RevocationListRow]:
    """Every uploaded list, by issuer, newest first; one query (the lists themselves not read)."""
    now = timezone.now()
    lists = (
        RevocationList.objects.select_related("added_by")
        .defer("der")
        .order_by("issuer", "-this_update", "-pk")
    )
    return [
        RevocationListRow(
            issuer=crl.issuer,
            this_update=crl.this_update,
            next_update=crl.next_update,
            out_of_date=crl.next_update is not None and crl.next_update < now,
            revoked_count=crl.revoked_count,
            added_by=(crl.added_by.full_name or crl.added_by.email) if crl.added_by is not None else "",
            added_at=crl.added_at,
        )
        for crl in lists
    ]
