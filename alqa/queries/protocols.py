"""What the protocol pages show: plain frozen rows from a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from alqa.documents.protocol import Block, columns
from alqa.domain import protocols as domain
from alqa.enums import ProtocolStep, SignatureMethod, SignatureRole
from alqa.models import Protocol, ProtocolAcknowledgement, ProtocolRecipient, ProtocolSignature


@dataclass(frozen=True)
class SignatureRow:
    name: str
    role: str
    method: str
    signed_at: datetime
    signed_on: date
    content_hash: str
    valid: bool
    revision: int


@dataclass(frozen=True)
class RecipientRow:
    id: int
    name: str
    email: str
    included: bool
    queued_at: datetime | None
    delivered_at: datetime | None
    handed_on: date | None
    acknowledged_at: datetime | None
    sent_revision: int | None  # the number of the revision last sent
    # Acknowledgements of earlier revisions (an amendment is acknowledged again): (number, when)
    earlier: tuple[tuple[int, datetime], ...] = ()


@dataclass(frozen=True)
class RevisionRow:
    number: int
    content_hash: str
    reason: str
    signed_at: datetime | None
    created_at: datetime
    has_pdf: bool


@dataclass(frozen=True)
class Deadline:
    step: str
    label: str
    due: date
    explanation: str
    state: str  # "due", "today", "overdue", "done"


@dataclass(frozen=True)
class ProtocolPage:
    protocol: Protocol
    revision_number: int
    revision_signed: bool
    content_hash: str
    content: dict[str, Any]
    rows: list[dict[str, Block]]
    signatures: list[SignatureRow]
    recipients: list[RecipientRow]
    revisions: list[RevisionRow]
    deadlines: list[Deadline]
    can_sign: bool
    signed_by_me: bool


def _state(due: date, done: bool, today: date) -> str:
    if done:
        return "done"
    if due < today:
        return "overdue"
    return "today" if due == today else "due"


def deadlines(protocol: Protocol) -> list[Deadline]:
    today = timezone.localdate()
    out = [
        Deadline(
            ProtocolStep.SIGN,
            str(ProtocolStep.SIGN.label),
            protocol.sign_due,
            domain.explain_protocol_due(ProtocolStep.SIGN, protocol),
            _state(protocol.sign_due, protocol.signed_on is not None, today),
        )
    ]
    if protocol.distribute_due:
        out.append(
            Deadline(
                ProtocolStep.DISTRIBUTE,
                str(ProtocolStep.DISTRIBUTE.label),
                protocol.distribute_due,
                domain.explain_protocol_due(ProtocolStep.DISTRIBUTE, protocol),
                _state(protocol.distribute_due, protocol.distributed_at is not None, today),
            )
        )
    return out


def protocol_page(protocol: Protocol, user: Any) -> ProtocolPage:
    """Everything the protocol page shows, in six queries whatever the number of questions,
    signatures and recipients."""
    revisions = list(protocol.revisions.defer("pdf").order_by("number"))  # 1
    current = revisions[-1]
    signatures = list(
        ProtocolSignature.objects.filter(protocol=protocol)
        .select_related("member", "revision")
        .order_by("signed_at", "pk")
    )  # 2
    recipients = list(
        ProtocolRecipient.objects.filter(protocol=protocol).select_related("outbox").order_by("pk")
    )  # 3
    numbers = {r.pk: r.number for r in revisions}
    earlier: dict[int, list[tuple[int, datetime]]] = {}
    for ack in ProtocolAcknowledgement.objects.filter(recipient__protocol=protocol).order_by(
        "acknowledged_at", "pk"
    ):  # 4
        earlier.setdefault(ack.recipient_id, []).append(
            (numbers.get(ack.revision_id, 0), ack.acknowledged_at)
        )
    valid_current = [s for s in signatures if s.revision_id == current.pk and s.invalidated_at is None]
    rows = columns(
        current.content,
        "both",
        [
            {"role": s.role, "name": s.member.full_name, "method": s.method, "signed_on": s.signed_on}
            for s in valid_current
        ],
    )
    mine = {s.member_id for s in valid_current if s.member.user_id == user.pk}
    may_sign = not current.signed_at and any(
        m == user.pk for m in _signer_users(current.content, signatures, protocol)
    )
    return ProtocolPage(
        protocol=protocol,
        revision_number=current.number,
        revision_signed=current.signed_at is not None,
        content_hash=current.content_hash,
        content=current.content,
        rows=rows,
        signatures=[
            SignatureRow(
                s.member.full_name,
                str(dict(SignatureRole.choices).get(s.role, s.role)),
                str(dict(SignatureMethod.choices).get(s.method, s.method)),
                s.signed_at,
                s.signed_on,
                s.content_hash,
                s.invalidated_at is None,
                s.revision.number,
            )
            for s in signatures
        ],
        recipients=[
            RecipientRow(
                r.pk,
                r.name,
                r.email,
                r.included,
                r.queued_at,
                r.outbox.sent_at if r.outbox else None,
                r.handed_on,
                r.acknowledged_at,
                numbers.get(r.sent_revision_id) if r.sent_revision_id else None,
                tuple(
                    (n, at)
                    for n, at in earlier.get(r.pk, [])
                    if n != numbers.get(r.sent_revision_id or 0) or r.acknowledged_at is None
                ),
            )
            for r in recipients
        ],
        revisions=[
            RevisionRow(r.number, r.content_hash, r.reason, r.signed_at, r.created_at, bool(r.pdf_sha256))
            for r in revisions
        ],
        deadlines=deadlines(protocol),
        can_sign=may_sign and not mine,
        signed_by_me=bool(mine),
    )


def _signer_users(
    content: dict[str, Any], signatures: list[ProtocolSignature], protocol: Protocol
) -> list[int]:
    """The users of everybody who may sign the content: one query."""
    from alqa.models import Member

    return [
        u
        for u in Member.objects.filter(pk__in=domain.signers(content)).values_list("user_id", flat=True)
        if u
    ]


@dataclass(frozen=True)
class DueRow:
    protocol_id: int
    label: str
    step: str
    due: date
    state: str


def due_list(body_id: int) -> list[DueRow]:
    """Protocols' open steps of a body for its home page (one query)."""
    today = timezone.localdate()
    return [
        DueRow(
            s.protocol.pk,
            s.protocol.label,
            str(dict(ProtocolStep.choices)[s.step]),
            s.due,
            _state(s.due, False, today),
        )
        for s in domain.open_steps([body_id])
    ]


# --- full-text search ---------------------------------------------------------------------------

SEARCH_LIMIT = 100
SNIPPET = 300


@dataclass(frozen=True)
class SearchHit:
    protocol_id: int
    label: str  # «№ 3/2026»
    meeting_day: date
    status: str  # ProtocolStatus
    kind: str  # "question" | "decision"
    order: int  # the question's place on the agenda, or the decision's number
    text: str  # the entry's text in the reader's language (the other one when it has none)


def _match_sql(vendor: str, terms: list[set[str]]) -> tuple[str, list[str]]:
    """The entries' ids whose stems hold every term (any of its stems, as a prefix)."""
    if vendor == "postgresql":
        query = " & ".join("(" + " | ".join(f"{s}:*" for s in sorted(stems)) + ")" for stems in terms)
        return (
            "SELECT id FROM alqa_protocolsearchentry "
            "WHERE to_tsvector('simple'::regconfig, stems) @@ to_tsquery('simple'::regconfig, %s)",
            [query],
        )
    query = " AND ".join("(" + " OR ".join(f'"{s}"*' for s in sorted(stems)) + ")" for stems in terms)
    return "SELECT rowid FROM alqa_protocolsearch_fts WHERE alqa_protocolsearch_fts MATCH %s", [query]


def search_protocols(body_id: int, q: str, *, language: str, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
    """The questions and decisions of a body's protocols (their current texts; destroyed ones have
    none) that hold every word of `q` in any of its Russian or Kazakh forms: newest protocols
    first, one query. The caller decides that the reader may read the body's protocols
    (`permissions.get_body_for_user`)."""
    from django.db import connection
    from django.db.models.expressions import RawSQL

    from alqa.models import ProtocolSearchEntry
    from alqa.stems import query_terms

    terms = query_terms(q)
    if not terms:
        return []
    sql, params = _match_sql(connection.vendor, terms)
    entries = (
        ProtocolSearchEntry.objects.filter(body_id=body_id, pk__in=RawSQL(sql, params))
        .select_related("protocol", "protocol__meeting")
        .only(
            "kind",
            "order",
            "text_ru",
            "text_kk",
            "protocol__number",
            "protocol__year",
            "protocol__status",
            "protocol__meeting__starts_at",
        )
        .order_by("-protocol__year", "-protocol__number", "kind", "order", "pk")[:limit]
    )
    hits = []
    for e in entries:
        text = (e.text_kk or e.text_ru) if language == "kk" else (e.text_ru or e.text_kk)
        hits.append(
            SearchHit(
                protocol_id=e.protocol_id,
                label=e.protocol.label,
                meeting_day=timezone.localtime(e.protocol.meeting.starts_at).date(),
                status=e.protocol.status,
                kind=e.kind,
                order=e.order,
                text=text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…",
            )
        )
    return hits
