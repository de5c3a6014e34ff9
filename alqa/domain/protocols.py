"""Protocols of meetings (clauses 2.2.6, 3.5, 3.6, 3.7).

A protocol is drafted by the secretary for a meeting that took place; its contents are pulled from
the meeting (place or online ground, presiding person, secretary, members present and absent by
side, invited participants, the quorum with its arithmetic, the agenda, the decisions with their
executors and deadlines); only the texts of each question (who was heard, the discussion) are
written, in Russian and Kazakh. The presiding person and the secretary sign (members present may
co-sign): the text is frozen as a signed revision with its SHA-256 and its PDF, rendered once. A
later change is an amendment: a new revision with a reason, signed again.

Every function validates before writing, writes in one transaction under the protocol's (or the
meeting's) row lock with the state read again inside it, and records its audit event in that
transaction.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.audit import record_event
from alqa.domain.errors import Conflict
from alqa.domain.execution import receipts_from_recipient
from alqa.domain.meetings import lock_meeting, meeting_day
from alqa.domain.outbox import attachment, queue_mail
from alqa.domain.quorum import quorum_of_roster
from alqa.domain.search import reindex_protocol
from alqa.domain.workdays import LAST_YEAR, CalendarRangeError, add_working_days
from alqa.domain.workdays_calendar import calendar_for_deadlines, load_calendar
from alqa.enums import (
    MeetingStatus,
    ProtocolStatus,
    ProtocolStep,
    ReminderKind,
    RenderingStatus,
    Role,
    Side,
    SignatureMethod,
    SignatureRole,
    UnitKind,
)
from alqa.models import (
    AgendaItem,
    Assignment,
    Attendance,
    AuditEvent,
    Body,
    Decision,
    Meeting,
    Member,
    Protocol,
    ProtocolAcknowledgement,
    ProtocolCounter,
    ProtocolRecipient,
    ProtocolReminder,
    ProtocolRendering,
    ProtocolRevision,
    ProtocolSignature,
    Unit,
    User,
)

TEXT_LIMIT = 20000
TEXT_FIELDS = ("heard_ru", "heard_kk", "discussion_ru", "discussion_kk")
REQUIRED_ROLES = frozenset({SignatureRole.PRESIDING, SignatureRole.SECRETARY})


# --- the canonical form and its hash --------------------------------------------------------


def canonical(content: dict[str, Any]) -> bytes:
    """The one byte form of a protocol's content that is hashed: JSON with sorted keys, no
    spaces, UTF-8 (letters as they are, not escaped)."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical form, in hexadecimal: what a signer confirms."""
    return hashlib.sha256(canonical(content)).hexdigest()


# --- pulling the contents from the meeting ----------------------------------------------------


@dataclass(frozen=True)
class QuestionText:
    """What is written for one question of the agenda: who was heard, the discussion."""

    heard_ru: str = ""
    heard_kk: str = ""
    discussion_ru: str = ""
    discussion_kk: str = ""


def _person(member: Member | None) -> dict[str, Any] | None:
    if member is None:
        return None
    return {
        "member_id": member.pk,
        "name": member.full_name,
        "position": member.position,
        "side": member.side,
    }


def meeting_took_place(meeting: Meeting, *, now: datetime | None = None) -> bool:
    """A meeting not cancelled whose start has passed and whose attendance is recorded."""
    now = now or timezone.now()
    return (
        meeting.status != MeetingStatus.CANCELLED
        and meeting.starts_at <= now
        and Attendance.objects.filter(meeting=meeting, member__isnull=False).exists()
    )


def build_content(
    meeting: Meeting, *, number: int, year: int, texts: dict[int, QuestionText] | None = None
) -> dict[str, Any]:
    """The protocol's contents as data: everything pulled from the meeting, plus the texts written
    per question (`texts`, by agenda item id). Labels are not stored, only codes: a document shows
    them in its own language."""
    texts = texts or {}
    day = meeting_day(meeting)
    local = timezone.localtime(meeting.starts_at)
    members = list(Member.objects.filter(body=meeting.body).on(day).order_by("side", "full_name", "pk"))
    attendance = dict(
        Attendance.objects.filter(meeting=meeting, member__isnull=False).values_list("member_id", "present")
    )
    guests = list(
        Attendance.objects.filter(meeting=meeting, guest__isnull=False)
        .select_related("guest")
        .order_by("guest__full_name", "pk")
    )
    secretary = next((m for m in members if m.role == Role.SECRETARY), None)
    quorum = quorum_of_roster(
        rule=meeting.body.policy.quorum_rule,
        roster=[(m.side, bool(attendance.get(m.pk))) for m in members],
    )
    decisions: dict[int, list[Decision]] = {}
    for decision in (
        Decision.objects.filter(meeting=meeting)
        .prefetch_related("assignments__executor_member", "assignments__executor_unit")
        .order_by("agenda_item_id", "number", "pk")
    ):
        decisions.setdefault(decision.agenda_item_id, []).append(decision)
    questions = []
    for order, item in enumerate(AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk"), start=1):
        text = texts.get(item.pk, QuestionText())
        questions.append(
            {
                "item_id": item.pk,
                "order": order,
                "title_ru": item.title_ru,
                "title_kk": item.title_kk,
                "speaker": item.speaker.full_name if item.speaker_id and item.speaker else "",
                "heard_ru": text.heard_ru,
                "heard_kk": text.heard_kk,
                "discussion_ru": text.discussion_ru,
                "discussion_kk": text.discussion_kk,
                "decisions": [
                    {
                        "decision_id": d.pk,
                        "number": d.number,
                        "text_ru": d.text_ru,
                        "text_kk": d.text_kk,
                        "executors": [
                            {
                                "name": a.executor_label,
                                "unit_id": a.executor_unit_id,
                                "due": a.due_date.isoformat(),
                                "working_days": a.due_working_days,
                            }
                            for a in d.assignments.all()
                        ],
                    }
                    for d in decisions.get(item.pk, [])
                ],
            }
        )
    return {
        "body": {"name_ru": meeting.body.name_ru, "name_kk": meeting.body.name_kk, "city": meeting.body.city},
        "number": number,
        "year": year,
        "meeting_id": meeting.pk,
        "date": day.isoformat(),
        "time": local.strftime("%H:%M"),
        "kind": meeting.kind,
        "format": meeting.format,
        "place": meeting.place,
        "online_ground": meeting.online_ground,
        "online_ground_note": meeting.online_ground_note,
        "presiding": _person(meeting.presiding),
        "secretary": _person(secretary),
        "members": [
            {
                "member_id": m.pk,
                "name": m.full_name,
                "side": m.side,
                "role": m.role,
                "position": m.position,
                "present": bool(attendance.get(m.pk)),
            }
            for m in members
        ],
        "invited": [
            {
                "name": a.guest.full_name,
                "kind": a.guest.kind,
                "organisation": a.guest.organisation,
                "present": a.present,
            }
            for a in guests
            if a.guest is not None
        ],
        "quorum": quorum.as_dict(),
        "questions": questions,
    }


def texts_of(content: dict[str, Any]) -> dict[int, QuestionText]:
    """The texts written per question in a content, by agenda item id."""
    return {
        q["item_id"]: QuestionText(**{f: q.get(f, "") for f in TEXT_FIELDS})
        for q in content.get("questions", [])
    }


# --- reading ------------------------------------------------------------------------------------


def current_revision(protocol: Protocol) -> ProtocolRevision:
    """The newest revision: the draft being edited, or the signed text in force."""
    revision = protocol.revisions.order_by("-number").first()
    assert revision is not None  # a protocol is created with its first revision
    return revision


def revision_in_force(protocol: Protocol) -> ProtocolRevision | None:
    """The newest signed revision (None while the first is not signed)."""
    return protocol.revisions.filter(signed_at__isnull=False).order_by("-number").first()


def lock_protocol(protocol: Protocol) -> None:
    """Row lock on the protocol until the end of the transaction, then its state as committed."""
    Protocol.objects.select_for_update(no_key=True).filter(pk=protocol.pk).values_list(
        "pk", flat=True
    ).first()
    protocol.refresh_from_db()


def _count(start: date, days: int) -> date:
    try:
        return add_working_days(calendar_for_deadlines(), start=start, days=days).due
    except CalendarRangeError:
        raise ValidationError(
            _("The deadline would fall after %(last)s, beyond the calendar known to the system.")
            % {"last": LAST_YEAR}
        ) from None


# --- drafting -----------------------------------------------------------------------------------


def create_protocol(meeting: Meeting, *, actor: User, now: datetime | None = None) -> Protocol:
    """Effects: refuses a meeting that did not take place (cancelled, not yet begun, or without
    attendance recorded); otherwise takes the next number of the body and year from the locked
    counter (no gaps), counts the signing deadline (meeting day + the policy's working days),
    creates the protocol with its first revision pulled from the meeting, and records
    `protocol.created`. Idempotent: a meeting that has its protocol returns it."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_meeting(meeting)
        existing = Protocol.objects.filter(meeting=meeting).first()
        if existing is not None:
            return existing
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("The meeting was cancelled: it has no protocol."))
        if not meeting_took_place(meeting, now=now):
            raise ValidationError(
                _("A protocol is drafted for a meeting that took place: record its attendance first.")
            )
        day = meeting_day(meeting)
        policy = meeting.body.policy
        sign_due = _count(day, policy.protocol_signing_days)
        counter, _created = ProtocolCounter.objects.get_or_create(body=meeting.body, year=day.year)
        counter = ProtocolCounter.objects.select_for_update().get(pk=counter.pk)
        counter.last += 1
        counter.save(update_fields=["last"])
        protocol = Protocol.objects.create(
            body=meeting.body,
            meeting=meeting,
            year=day.year,
            number=counter.last,
            sign_due=sign_due,
            sign_days=policy.protocol_signing_days,
            created_by=actor,
            created_at=now,
        )
        content = build_content(meeting, number=protocol.number, year=protocol.year)
        ProtocolRevision.objects.create(
            protocol=protocol, number=1, content=content, content_hash=content_hash(content), created_by=actor
        )
        reindex_protocol(protocol, content)
        record_event(
            protocol,
            "protocol.created",
            actor=actor,
            body=meeting.body,
            data={
                "meeting": meeting.pk,
                "number": protocol.number,
                "year": protocol.year,
                "sign_due": sign_due,
            },
        )
    return protocol


def _clean_texts(texts: dict[int, QuestionText], item_ids: set[int]) -> dict[int, QuestionText]:
    errors: dict[str, str] = {}
    clean: dict[int, QuestionText] = {}
    for item_id, text in texts.items():
        if item_id not in item_ids:
            errors["questions"] = _("This question is not on this meeting's agenda.")
            continue
        values = {f: (getattr(text, f) or "").strip().replace("\r\n", "\n") for f in TEXT_FIELDS}
        for f, value in values.items():
            if len(value) > TEXT_LIMIT:
                errors[f"questions.{item_id}.{f}"] = _("Enter at most %(limit)s characters.") % {
                    "limit": TEXT_LIMIT
                }
            if "\x00" in value:
                errors[f"questions.{item_id}.{f}"] = _("Null characters are not allowed.")
        clean[item_id] = QuestionText(**values)
    if errors:
        raise ValidationError(errors)
    return clean


def update_draft(
    protocol: Protocol, *, actor: User, version: int, texts: dict[int, QuestionText]
) -> Protocol:
    """Effects: refuses a protocol whose newest revision is signed (a change is an amendment) and
    an edit made on an older `version` than the stored one (Conflict, nothing written: the writer
    is shown both versions); otherwise stores the texts given (other questions keep theirs) with
    the contents pulled again from the meeting, moves `version`, invalidates the signatures made
    on a text that changed, and records `protocol.edited` with the changed fields."""
    with transaction.atomic():
        lock_protocol(protocol)
        if protocol.status == ProtocolStatus.DESTROYED:
            raise ValidationError(_("The protocol was destroyed."))
        revision = current_revision(protocol)
        if revision.signed:
            raise Conflict(
                _("The protocol is signed: a change is made as an amendment, with its reason."),
                code="signed",
            )
        if version != protocol.version:
            raise Conflict(
                _(
                    "Someone else saved this protocol while you were editing it (your version %(yours)s, "
                    "now %(now)s). Compare both versions and save again."
                )
                % {"yours": version, "now": protocol.version},
                code="stale",
            )
        old = texts_of(revision.content)
        item_ids = set(AgendaItem.objects.filter(meeting_id=protocol.meeting_id).values_list("pk", flat=True))
        merged = old | _clean_texts(texts, item_ids)
        content = build_content(protocol.meeting, number=protocol.number, year=protocol.year, texts=merged)
        changes = {
            str(item_id): {
                f: [getattr(old.get(item_id, QuestionText()), f), getattr(t, f)]
                for f in TEXT_FIELDS
                if getattr(old.get(item_id, QuestionText()), f) != getattr(t, f)
            }
            for item_id, t in merged.items()
        }
        changes = {k: v for k, v in changes.items() if v}
        new_hash = content_hash(content)
        invalidated = 0
        if new_hash != revision.content_hash:
            invalidated = ProtocolSignature.objects.filter(
                revision=revision, invalidated_at__isnull=True
            ).update(invalidated_at=timezone.now())
        revision.content = content
        revision.content_hash = new_hash
        fields = ["content", "content_hash"]
        if revision.text_pdf_hash and revision.text_pdf_hash != new_hash:
            revision.text_pdf, revision.text_pdf_sha256, revision.text_pdf_hash = None, "", ""
            fields += ["text_pdf", "text_pdf_sha256", "text_pdf_hash"]
        revision.save(update_fields=fields)
        protocol.version += 1
        protocol.save(update_fields=["version"])
        reindex_protocol(protocol, content)
        record_event(
            protocol,
            "protocol.edited",
            actor=actor,
            body=protocol.body,
            data={
                "revision": revision.number,
                "version": protocol.version,
                "content_hash": new_hash,
                "texts": changes,
                "signatures_invalidated": invalidated,
            },
        )
    return protocol


def amend_protocol(protocol: Protocol, *, actor: User, reason: str) -> ProtocolRevision:
    """Effects: refuses an unsigned or destroyed protocol, a missing reason, and a second open
    amendment; otherwise starts a new revision with the texts of the one in force and the
    contents pulled again from the meeting, and records `protocol.amendment_started`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the amendment.")})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Enter at most %(limit)s characters.") % {"limit": 2000}})
    with transaction.atomic():
        lock_protocol(protocol)
        if protocol.status == ProtocolStatus.DESTROYED:
            raise ValidationError(_("The protocol was destroyed."))
        revision = current_revision(protocol)
        if not revision.signed:
            if revision.number == 1:
                raise Conflict(_("The protocol is not signed yet: edit the draft instead."), code="unsigned")
            raise Conflict(_("An amendment is already being prepared: edit it."), code="open_amendment")
        content = build_content(
            protocol.meeting, number=protocol.number, year=protocol.year, texts=texts_of(revision.content)
        )
        new = ProtocolRevision.objects.create(
            protocol=protocol,
            number=revision.number + 1,
            content=content,
            content_hash=content_hash(content),
            reason=reason,
            created_by=actor,
        )
        protocol.version += 1
        protocol.save(update_fields=["version"])
        reindex_protocol(protocol, content)
        record_event(
            protocol,
            "protocol.amendment_started",
            actor=actor,
            body=protocol.body,
            data={"revision": new.number, "reason": reason, "content_hash": new.content_hash},
        )
    return new


# --- signing ----------------------------------------------------------------------------------


def signer_role(content: dict[str, Any], member: Member) -> str | None:
    """The role in which `member` signs the protocol with `content`: the presiding person, the
    secretary, or a member present at the meeting (clause 2.2.6); None for anybody else."""
    if content.get("presiding") and content["presiding"]["member_id"] == member.pk:
        return SignatureRole.PRESIDING
    if content.get("secretary") and content["secretary"]["member_id"] == member.pk:
        return SignatureRole.SECRETARY
    if any(m["member_id"] == member.pk and m["present"] for m in content.get("members", [])):
        return SignatureRole.MEMBER
    return None


def signers(content: dict[str, Any]) -> list[int]:
    """Member ids of everybody who may sign a content."""
    ids = [content[k]["member_id"] for k in ("presiding", "secretary") if content.get(k)]
    ids += [m["member_id"] for m in content.get("members", []) if m["present"] and m["member_id"] not in ids]
    return ids


def _own_member(protocol: Protocol, actor: User, content: dict[str, Any]) -> Member:
    member = Member.objects.filter(pk__in=signers(content), user=actor).order_by("-active_from").first()
    if member is None:
        raise PermissionDenied(
            _(
                "Only the presiding person, the secretary and the members present at the meeting sign its protocol."
            )
        )
    return member


def _check_signature(
    protocol: Protocol,
    *,
    actor: User,
    signed_hash: str,
    method: str,
    member: Member | None,
    signed_on: date | None,
    scan: UploadedFile[Any] | None,
    today: date,
) -> tuple[ProtocolRevision, Member, str, date]:
    """Who signs, in which role, on which day, the current revision: every refusal of
    `sign_protocol`, nothing written."""
    if protocol.status == ProtocolStatus.DESTROYED:
        raise ValidationError(_("The protocol was destroyed."))
    revision = current_revision(protocol)
    if revision.signed:
        raise Conflict(_("This text is already signed."), code="signed")
    if (signed_hash or "").strip().lower() != revision.content_hash:
        raise Conflict(
            _("The text has changed since you read it: read the current text and its hash, then sign again."),
            code="stale",
        )
    content = revision.content
    if member is not None and member.user_id != actor.pk:
        if method != SignatureMethod.PAPER:
            raise PermissionDenied(_("Only a paper signature may be recorded on another person's behalf."))
        secretary = content.get("secretary")
        if not secretary or not Member.objects.filter(pk=secretary["member_id"], user=actor).exists():
            raise PermissionDenied(
                _("Only the secretary records a paper signature on another person's behalf.")
            )
        if member.pk not in signers(content):
            raise ValidationError(
                {
                    "member": _(
                        "This person may not sign: only the presiding person, the secretary and members present."
                    )
                }
            )
        signer = member
    else:
        signer = member or _own_member(protocol, actor, content)
    role = signer_role(content, signer)
    if role is None:
        raise PermissionDenied(
            _(
                "Only the presiding person, the secretary and the members present at the meeting sign its protocol."
            )
        )
    day = meeting_day(protocol.meeting)
    if method == SignatureMethod.PAPER:
        if signed_on is None:
            raise ValidationError({"signed_on": _("Give the date written on the paper signature.")})
        if signed_on < day:
            raise ValidationError({"signed_on": _("A protocol cannot be signed before its meeting.")})
        if signed_on > today:
            raise ValidationError({"signed_on": _("The date of signing cannot be in the future.")})
    else:
        if signed_on is not None and signed_on != today:
            raise ValidationError({"signed_on": _("A date of signing is given only for a paper signature.")})
        signed_on = today
        if scan is not None:
            raise ValidationError({"scan": _("A scan is attached only to a paper signature.")})
    return revision, signer, role, signed_on


def sign_protocol(
    protocol: Protocol,
    *,
    actor: User,
    signed_hash: str,
    method: str = SignatureMethod.HASH,
    member: Member | None = None,
    signed_on: date | None = None,
    scan: UploadedFile[Any] | None = None,
    cms: bytes | None = None,
    evidence: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> ProtocolSignature:
    """Sign the current revision. The signer is the actor's membership among those who may sign
    (the presiding person, the secretary, members present); the secretary may record a paper
    signature on another signer's behalf (`member`). A paper signature carries the date written on
    it (`signed_on`: not before the meeting, not after today) and optionally its scan. `method` is
    an open list (`SignatureMethod`). A qualified e-signature (`cms`) is the signer's detached CMS
    over the revision's stored text PDF (`text_pdf`, what `signing_pdf` gives the signer): it is
    verified once, before the lock, by `alqa.domain.esign.verify_detached_cms` (the PDF's bytes,
    a trusted root, valid on the signing day, the subject's ИИН the signer's `User.iin`); a
    refusal is recorded as `protocol.signature_refused` and raised on `cms`, nothing else stored.

    Effects: refuses a hash that is not the current text's (Conflict: the text changed), a signed
    revision (nothing to sign), anybody not entitled (PermissionDenied); a second signature of the
    same person on the same text returns the first. Every check is made once, before the protocol
    is locked; under the lock only what may have changed since is looked at again (the revision,
    its hash and text PDF, the status). Stores the signature and records
    `protocol.signature_added`. With the presiding person's and the secretary's signatures on the
    text, the revision is frozen: its PDF rendered once and stored with its SHA-256, the protocol
    becomes signed (amended, for a later revision), the distribution deadline is counted from the
    day of the last required signature, the retention term from it too, the recipients are
    prefilled (an amendment: every recipient must acknowledge the new text); `protocol.revision_signed`
    is recorded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    revision, signer, role, signed_on = _check_signature(
        protocol,
        actor=actor,
        signed_hash=signed_hash,
        method=method,
        member=member,
        signed_on=signed_on,
        scan=scan,
        today=today,
    )
    evidence = dict(evidence or {})
    if method == SignatureMethod.CMS:
        evidence |= _verify_cms(protocol, revision, signer, cms=cms, actor=actor, today=today)
    elif cms:
        raise ValidationError({"cms": _("An electronic signature file is given only with the method “cms”.")})
    prepared = _prerender_if_last(revision, signer=signer, role=role, method=method, signed_on=signed_on)
    with transaction.atomic():
        lock_protocol(protocol)
        _still_current(protocol, revision, evidence.get("document_sha256"))
        existing = ProtocolSignature.objects.filter(
            revision=revision, member=signer, invalidated_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        signature = ProtocolSignature.objects.create(
            protocol=protocol,
            revision=revision,
            member=signer,
            role=role,
            method=method,
            content_hash=revision.content_hash,
            signed_at=now,
            signed_on=signed_on,
            recorded_by=actor,
            evidence=evidence,
        )
        if scan is not None:
            signature.scan.save(f"protocol-{protocol.pk}-{signer.pk}.pdf", scan, save=True)
        data: dict[str, Any] = {
            "protocol": protocol.pk,
            "revision": revision.number,
            "member": signer.pk,
            "role": role,
            "method": method,
            "content_hash": revision.content_hash,
            "signed_on": signed_on,
            "on_behalf": signer.user_id != actor.pk,
            "scan": bool(scan),
        }
        if method == SignatureMethod.CMS:
            data |= {k: evidence[k] for k in ("document_sha256", "certificate_serial", "issuer")}
        record_event(signature, "protocol.signature_added", actor=actor, body=protocol.body, data=data)
        valid = list(revision.signatures.filter(invalidated_at__isnull=True).select_related("member"))
        if REQUIRED_ROLES <= {s.role for s in valid}:
            _freeze(protocol, revision, valid, actor=actor, now=now, prepared=prepared)
    return signature


def _still_current(protocol: Protocol, revision: ProtocolRevision, document_sha256: str | None) -> None:
    """Under the lock (the protocol read again): the revision checked before the lock is still
    the current, unsigned one with the same text (and, for an e-signature, the same text PDF)."""
    if protocol.status == ProtocolStatus.DESTROYED:
        raise ValidationError(_("The protocol was destroyed."))
    current = (
        ProtocolRevision.objects.filter(protocol=protocol)
        .order_by("-number")
        .only("pk", "content_hash", "signed_at", "text_pdf_sha256")
        .first()
    )
    if current is None or current.pk != revision.pk or current.content_hash != revision.content_hash:
        raise Conflict(
            _("The text has changed since you read it: read the current text and its hash, then sign again."),
            code="stale",
        )
    if current.signed_at is not None:
        raise Conflict(_("This text is already signed."), code="signed")
    if document_sha256 is not None and current.text_pdf_sha256 != document_sha256:
        raise Conflict(
            _("The PDF for signing has changed since you downloaded it: download it again and sign it."),
            code="stale",
        )


def _verify_cms(
    protocol: Protocol,
    revision: ProtocolRevision,
    signer: Member,
    *,
    cms: bytes | None,
    actor: User,
    today: date,
) -> dict[str, Any]:
    """The evidence of a verified qualified e-signature over the revision's text PDF; a refusal
    is recorded (`protocol.signature_refused`, in its own transaction) and raised on `cms`."""
    from alqa.domain.esign import SignatureRefused, verify_detached_cms

    if not cms or not cms.strip():
        raise ValidationError(
            {"cms": _("Attach the signature file made over the protocol's PDF, or paste its text.")}
        )
    pdf = bytes(revision.text_pdf or b"")
    if not pdf or revision.text_pdf_hash != revision.content_hash:
        raise ValidationError(
            {"cms": _("Download the protocol's PDF for signing first, sign it, then upload the signature.")}
        )
    try:
        verified = verify_detached_cms(
            document=pdf, signature=cms, signer_iin=actor.iin, on=today, body=protocol.body
        )
    except SignatureRefused as exc:
        with transaction.atomic():
            record_event(
                protocol,
                "protocol.signature_refused",
                actor=actor,
                body=protocol.body,
                data={
                    "revision": revision.number,
                    "member": signer.pk,
                    "method": SignatureMethod.CMS,
                    "code": exc.code,
                    "content_hash": revision.content_hash,
                },
            )
        raise ValidationError({"cms": ValidationError(exc.messages[0], code=exc.code)}) from exc
    return {
        "cms": base64.b64encode(_cms_der(cms)).decode("ascii"),
        "document_sha256": verified.document_sha256,
        "certificate_serial": verified.serial,
        "issuer": verified.issuer,
        "subject": verified.subject,
        "signing_time": verified.signing_time.isoformat() if verified.signing_time else None,
    }


def _cms_der(cms: bytes) -> bytes:
    from alqa.domain.esign import cms_der

    return cms_der(cms)


def signing_pdf(protocol: Protocol, *, actor: User) -> tuple[ProtocolRevision, bytes]:
    """The current revision's text PDF, what a qualified e-signature signs: both languages side by
    side, PDF/A-2b, the text's SHA-256 printed, no signatures. Rendered once per text (before the
    lock) and stored on the revision, so every signer signs the same bytes; a changed draft
    renders its own. Effects: the first time for a text, stores it with its SHA-256 and records
    `protocol.signing_pdf_stored`. Pages and the API have the worker call it
    (`request_signing_pdf`, `run_rendering`): rendering takes a second or more."""
    from alqa.documents.protocol import render_text_pdf

    revision, stored = stored_signing_pdf(protocol)
    if stored is not None:
        return revision, stored
    pdf = render_text_pdf(revision)
    with transaction.atomic():
        lock_protocol(protocol)
        current = current_revision(protocol)
        if current.text_pdf and current.text_pdf_hash == current.content_hash:
            return current, bytes(current.text_pdf)  # another request stored it first
        if current.pk != revision.pk or current.content_hash != revision.content_hash:
            raise Conflict(_("The text changed while its PDF was being prepared: try again."), code="stale")
        current.text_pdf = pdf
        current.text_pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        current.text_pdf_hash = current.content_hash
        current.save(update_fields=["text_pdf", "text_pdf_sha256", "text_pdf_hash"])
        record_event(
            protocol,
            "protocol.signing_pdf_stored",
            actor=actor,
            body=protocol.body,
            data={
                "revision": current.number,
                "content_hash": current.content_hash,
                "pdf_sha256": current.text_pdf_sha256,
            },
        )
    return current, pdf


def stored_signing_pdf(protocol: Protocol) -> tuple[ProtocolRevision, bytes | None]:
    """The current revision and its text PDF (`signing_pdf`) when it is stored for the current
    text, else None: never renders. Raises ValidationError for a destroyed protocol."""
    if protocol.status == ProtocolStatus.DESTROYED:
        raise ValidationError(_("The protocol was destroyed."))
    revision = current_revision(protocol)
    if revision.text_pdf and revision.text_pdf_hash == revision.content_hash:
        return revision, bytes(revision.text_pdf)
    return revision, None


def request_signing_pdf(
    protocol: Protocol, *, actor: User
) -> tuple[ProtocolRevision, bytes | None, ProtocolRendering | None, bool]:
    """The current revision's text PDF when stored (revision, PDF, None, False); else the worker
    is to prepare it: (revision, None, the rendering, whether to queue it now), as
    `request_rendering` does for the other documents (format `TEXT_PDF`). Effects: those of
    `request_rendering` when the PDF is not stored yet."""
    revision, pdf = stored_signing_pdf(protocol)
    if pdf is not None:
        return revision, pdf, None, False
    rendering, queue = request_rendering(protocol, revision, actor=actor, fmt=TEXT_PDF, language="both")
    return revision, None, rendering, queue


def _key(content_hash: str, signatures: list[ProtocolSignature]) -> tuple[Any, ...]:
    """What a signed PDF depends on: the text and who signed it how and when."""
    return (content_hash, tuple(sorted((s.member_id, s.role, s.method, s.signed_on) for s in signatures)))


def _prerender_if_last(
    revision: ProtocolRevision, *, signer: Member, role: str, method: str, signed_on: date
) -> tuple[tuple[Any, ...], bytes] | None:
    """When this signature (checked already) would complete the required ones, the signed PDF
    rendered before the protocol is locked (rendering takes a second or more, and the lock is held
    by every write of the protocol): `_freeze` uses it if the text and the signatures are still
    what it was rendered from, and renders again otherwise. None when it would not complete them."""
    from alqa.documents.protocol import render_signed_pdf

    valid = list(revision.signatures.filter(invalidated_at__isnull=True).select_related("member"))
    if any(s.member_id == signer.pk for s in valid):
        return None
    valid.append(ProtocolSignature(member=signer, role=role, method=method, signed_on=signed_on))
    if not REQUIRED_ROLES <= {s.role for s in valid}:
        return None
    return _key(revision.content_hash, valid), render_signed_pdf(revision, signatures=valid)


def _freeze(
    protocol: Protocol,
    revision: ProtocolRevision,
    valid: list[ProtocolSignature],
    *,
    actor: User,
    now: datetime,
    prepared: tuple[tuple[Any, ...], bytes] | None = None,
) -> None:
    from alqa.documents.protocol import render_signed_pdf  # documents share the domain's layer

    last_required = max(s.signed_on for s in valid if s.role in REQUIRED_ROLES)
    if prepared is not None and prepared[0] == _key(revision.content_hash, valid):
        pdf = prepared[1]
    else:
        pdf = render_signed_pdf(revision, signatures=valid)
    revision.signed_at = now
    revision.pdf = pdf
    revision.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    revision.save(update_fields=["signed_at", "pdf", "pdf_sha256"])
    policy = protocol.body.policy
    first = protocol.signed_on is None
    if first:
        protocol.signed_on = last_required
        protocol.signed_at = now
        protocol.distribute_days = policy.distribution_days
        protocol.distribute_due = _count(last_required, policy.distribution_days)
        try:
            protocol.retain_until = last_required.replace(
                year=last_required.year + policy.protocol_retention_years
            )
        except ValueError:  # 29 February
            protocol.retain_until = last_required.replace(
                year=last_required.year + policy.protocol_retention_years, day=28
            )
    protocol.status = ProtocolStatus.SIGNED if revision.number == 1 else ProtocolStatus.AMENDED
    protocol.save()
    if first:
        _prefill_recipients(protocol)
    else:
        _reset_acknowledgements(protocol, revision, actor=actor, now=now)
    record_event(
        protocol,
        "protocol.revision_signed",
        actor=actor,
        body=protocol.body,
        data={
            "revision": revision.number,
            "content_hash": revision.content_hash,
            "pdf_sha256": revision.pdf_sha256,
            "signed_on": last_required,
            "signatures": sorted(s.pk for s in valid),
            "distribute_due": protocol.distribute_due,
            "retain_until": protocol.retain_until,
        },
    )


# --- distribution -------------------------------------------------------------------------------


def _prefill_recipients(protocol: Protocol) -> None:
    """All members in office on the meeting day, the police units named as executors in the
    decisions, the Bar's Presidium."""
    day = meeting_day(protocol.meeting)
    rows = [
        ProtocolRecipient(
            protocol=protocol, member=m, name=m.full_name, email=m.email, language=m.language or "ru"
        )
        for m in Member.objects.filter(body=protocol.body).on(day).order_by("side", "full_name")
    ]
    unit_ids = set(
        Assignment.objects.filter(
            decision__meeting=protocol.meeting, executor_unit__side=Side.POLICE
        ).values_list("executor_unit_id", flat=True)
    )
    units = Unit.objects.filter(
        Q(pk__in=unit_ids) | Q(body=protocol.body, kind=UnitKind.PRESIDIUM, is_active=True)
    )
    rows += [
        ProtocolRecipient(protocol=protocol, unit=u, name=u.name_ru, email=u.email)
        for u in units.order_by("side", "name_ru")
    ]
    ProtocolRecipient.objects.bulk_create(rows, ignore_conflicts=True)


def add_recipient(
    protocol: Protocol, *, actor: User, name: str, email: str, language: str = "ru"
) -> ProtocolRecipient:
    """Effects: adds a recipient by name and address; records `protocol.recipient_added`."""
    from django.core.validators import validate_email

    name, email = (name or "").strip(), (email or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the recipient's name.")
    elif len(name) > 300:
        errors["name"] = _("Enter at most %(limit)s characters.") % {"limit": 300}
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if language not in ("ru", "kk", "en"):
        errors["language"] = _("Choose Russian, Kazakh or English.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lock_protocol(protocol)
        recipient = ProtocolRecipient.objects.create(
            protocol=protocol, name=name, email=email, language=language
        )
        record_event(
            recipient,
            "protocol.recipient_added",
            actor=actor,
            body=protocol.body,
            data={"protocol": protocol.pk, "name": name, "email": email},
        )
    return recipient


def set_recipient_included(recipient: ProtocolRecipient, *, actor: User, included: bool) -> ProtocolRecipient:
    """Effects: includes or leaves out a recipient of the list; records `protocol.recipient_changed`."""
    with transaction.atomic():
        lock_protocol(recipient.protocol)
        recipient.refresh_from_db()
        if recipient.included != included:
            recipient.included = included
            recipient.save(update_fields=["included"])
            record_event(
                recipient,
                "protocol.recipient_changed",
                actor=actor,
                body=recipient.protocol.body,
                data={"protocol": recipient.protocol_id, "included": included},
            )
    return recipient


def _require_signed(protocol: Protocol) -> ProtocolRevision:
    if protocol.status == ProtocolStatus.DESTROYED:
        raise ValidationError(_("The protocol was destroyed."))
    revision = revision_in_force(protocol)
    if revision is None:
        raise ValidationError(_("The protocol is not signed yet: only a signed protocol is distributed."))
    return revision


def _send_copies(
    protocol: Protocol, revision: ProtocolRevision, recipients: list[ProtocolRecipient], *, now: datetime
) -> None:
    """Queues the signed PDF of `revision` to each of `recipients` (in their language, with their
    acknowledgement link) and marks it sent to them; inside the caller's transaction."""
    pdf = bytes(revision.pdf or b"")
    filename = f"protocol-{protocol.number}-{protocol.year}.pdf"
    for recipient in recipients:
        message = queue_mail(
            to=recipient.email,
            template="protocol_copy",
            context={
                "protocol": protocol,
                "recipient": recipient,
                "body_name": protocol.body.name_kk
                if recipient.language == "kk" and protocol.body.name_kk
                else protocol.body.name_ru,
                "meeting_day": meeting_day(protocol.meeting),
                "revision": revision,
            },
            language=recipient.language,
            body=protocol.body,
            attachments=[attachment(filename, pdf, "application/pdf")],
        )
        recipient.outbox = message
        recipient.queued_at = now
        recipient.sent_revision = revision
    ProtocolRecipient.objects.bulk_update(recipients, ["outbox", "queued_at", "sent_revision"])


def _reset_acknowledgements(
    protocol: Protocol, revision: ProtocolRevision, *, actor: User, now: datetime
) -> None:
    """An amendment signed: every recipient acknowledges the new text again. Each earlier
    acknowledgement stays recorded against the revision it was made on (`ProtocolAcknowledgement`);
    the recipient's `acknowledged_at` is cleared and their personal link renewed (the link of the
    earlier copy no longer acknowledges). When the protocol had been distributed, the new text is
    sent at once to everyone the earlier one was sent to. Records `protocol.acknowledgements_reset`."""
    recipients = list(protocol.recipients.select_for_update().order_by("pk"))
    acknowledged = [r for r in recipients if r.acknowledged_at is not None]
    ProtocolAcknowledgement.objects.bulk_create(
        [
            ProtocolAcknowledgement(
                recipient=r, revision_id=r.sent_revision_id, acknowledged_at=r.acknowledged_at
            )
            for r in acknowledged
            if r.sent_revision_id is not None and r.acknowledged_at is not None
        ],
        ignore_conflicts=True,
    )
    for r in recipients:
        r.acknowledged_at = None
        r.token = secrets.token_urlsafe()
    ProtocolRecipient.objects.bulk_update(recipients, ["acknowledged_at", "token"])
    resend = [r for r in recipients if r.sent_revision_id is not None and r.included and r.email]
    if protocol.distributed_at is not None:
        _send_copies(protocol, revision, resend, now=now)
    record_event(
        protocol,
        "protocol.acknowledgements_reset",
        actor=actor,
        body=protocol.body,
        data={
            "revision": revision.number,
            "acknowledged_before": [r.pk for r in acknowledged],
            "sent_again": [r.pk for r in resend] if protocol.distributed_at is not None else [],
        },
    )


def distribute_protocol(protocol: Protocol, *, actor: User, now: datetime | None = None) -> int:
    """Effects: refuses an unsigned protocol; queues one outbox mail per included recipient with an
    address who has not yet been sent the revision in force — in the recipient's language, the
    signed PDF attached, with a personal acknowledgement link; marks the protocol distributed (the
    first time); records `protocol.distributed` with the recipients. Repeated, it sends nothing
    twice. Returns the number of mails queued."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_protocol(protocol)
        revision = _require_signed(protocol)
        pending = list(
            protocol.recipients.filter(included=True)
            .exclude(email="")
            .filter(Q(sent_revision__isnull=True) | ~Q(sent_revision=revision))
            .order_by("pk")
        )
        _send_copies(protocol, revision, pending, now=now)
        if pending or protocol.distributed_at is None:
            if protocol.distributed_at is None:
                protocol.distributed_at = now
                protocol.save(update_fields=["distributed_at"])
            record_event(
                protocol,
                "protocol.distributed",
                actor=actor,
                body=protocol.body,
                data={"revision": revision.number, "recipients": [r.pk for r in pending]},
            )
    return len(pending)


def record_handover(recipient: ProtocolRecipient, *, actor: User, on: date) -> ProtocolRecipient:
    """Effects: records that a paper copy was handed over on `on` (not before signing, not in the
    future); records `protocol.handed_over`."""
    protocol = recipient.protocol
    with transaction.atomic():
        lock_protocol(protocol)
        _require_signed(protocol)
        assert protocol.signed_on is not None
        if on < protocol.signed_on:
            raise ValidationError(
                {"handed_on": _("A copy cannot be handed over before the protocol was signed.")}
            )
        if on > timezone.localdate():
            raise ValidationError({"handed_on": _("The date cannot be in the future.")})
        recipient.refresh_from_db()
        recipient.handed_on = on
        recipient.save(update_fields=["handed_on"])
        receipts_from_recipient(recipient, on=on, via="paper")
        if protocol.distributed_at is None:
            protocol.distributed_at = timezone.now()
            protocol.save(update_fields=["distributed_at"])
        record_event(
            recipient,
            "protocol.handed_over",
            actor=actor,
            body=protocol.body,
            data={"protocol": protocol.pk, "on": on},
        )
    return recipient


def acknowledge(token: str, *, now: datetime | None = None) -> tuple[ProtocolRecipient, bool]:
    """The recipient's acknowledgement through their personal link. Returns the recipient and
    whether this was the acknowledgement (False: acknowledged before; nothing changes). Raises
    ProtocolRecipient.DoesNotExist for an unknown token. Effects: stores the time, records
    `protocol.acknowledged`."""
    now = now or timezone.now()
    if not token or len(token) > 64:
        raise ProtocolRecipient.DoesNotExist
    recipient = ProtocolRecipient.objects.select_related("protocol", "protocol__body").get(
        token=token, outbox__isnull=False
    )
    with transaction.atomic():
        claimed = ProtocolRecipient.objects.filter(pk=recipient.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=now
        )
        if not claimed:
            recipient.refresh_from_db()
            return recipient, False
        recipient.acknowledged_at = now
        recipient.refresh_from_db(fields=["sent_revision"])
        if recipient.sent_revision_id is not None:
            ProtocolAcknowledgement.objects.get_or_create(
                recipient=recipient, revision_id=recipient.sent_revision_id, defaults={"acknowledged_at": now}
            )
        receipts_from_recipient(recipient, on=timezone.localdate(now), via="acknowledgement", now=now)
        record_event(
            recipient,
            "protocol.acknowledged",
            actor=None,
            body=recipient.protocol.body,
            data={"protocol": recipient.protocol_id, "revision_id": recipient.sent_revision_id},
        )
    return recipient, True


# --- retention ----------------------------------------------------------------------------------


def delete_protocol(protocol: Protocol, *, actor: User, today: date | None = None) -> None:
    """A protocol is never deleted: a draft keeps its number (numbers run without gaps), a signed
    one is kept for the retention term and then destroyed only by `destroy_protocol` with a
    recorded act. Always raises ValidationError."""
    today = today or timezone.localdate()
    if protocol.retain_until and today < protocol.retain_until:
        raise ValidationError(
            _("A signed protocol is kept until %(until)s (the body's retention term) and cannot be deleted.")
            % {"until": protocol.retain_until.strftime("%d.%m.%Y")}
        )
    raise ValidationError(
        _("A protocol is not deleted: after its retention term it is destroyed with a recorded act.")
    )


def due_for_archive(*, today: date | None = None) -> Any:
    """Signed protocols whose retention term has passed and that are not destroyed."""
    today = today or timezone.localdate()
    return Protocol.objects.filter(retain_until__lt=today).exclude(status=ProtocolStatus.DESTROYED)


def keep_longer(protocol: Protocol, *, actor: User, until: date) -> Protocol:
    """Effects: an archive decision to keep a protocol until a later date; records
    `protocol.retention_extended`."""
    with transaction.atomic():
        lock_protocol(protocol)
        if protocol.retain_until is None or protocol.status == ProtocolStatus.DESTROYED:
            raise ValidationError(_("Only a signed protocol has a retention term."))
        if until <= protocol.retain_until:
            raise ValidationError({"until": _("Give a date after the current term.")})
        old = protocol.retain_until
        protocol.retain_until = until
        protocol.save(update_fields=["retain_until"])
        record_event(
            protocol,
            "protocol.retention_extended",
            actor=actor,
            body=protocol.body,
            data={"from": old, "to": until},
        )
    return protocol


def destroy_protocol(protocol: Protocol, *, actor: User, act: str, today: date | None = None) -> Protocol:
    """Effects: refuses before the end of the retention term; otherwise removes the texts and PDFs
    of every revision (their hashes stay), keeps number, dates and the act, sets the status
    destroyed and records `protocol.destroyed` with the act and the hashes."""
    today = today or timezone.localdate()
    act = (act or "").strip()
    if not act:
        raise ValidationError({"act": _("Give the act of destruction: its number, date and the commission.")})
    with transaction.atomic():
        lock_protocol(protocol)
        if protocol.status == ProtocolStatus.DESTROYED:
            raise ValidationError(_("The protocol was destroyed."))
        if protocol.retain_until is None or today <= protocol.retain_until:
            delete_protocol(protocol, actor=actor, today=today)
        hashes = list(protocol.revisions.values_list("number", "content_hash"))
        protocol.revisions.update(content={}, pdf=None, text_pdf=None)
        protocol.status = ProtocolStatus.DESTROYED
        protocol.destruction_act = act
        protocol.destroyed_at = timezone.now()
        protocol.save(update_fields=["status", "destruction_act", "destroyed_at"])
        reindex_protocol(protocol, {})
        record_event(
            protocol,
            "protocol.destroyed",
            actor=actor,
            body=protocol.body,
            data={"act": act, "hashes": hashes, "number": protocol.number, "year": protocol.year},
        )
    return protocol


# --- deadlines and reminders --------------------------------------------------------------------


def explain_protocol_due(step: str, protocol: Protocol) -> str:
    """How a protocol's deadline was counted, in the reader's language."""
    from alqa.dates import date_of, human_date, inflected_date

    if step == ProtocolStep.SIGN:
        text = _("%(days)s working days after the meeting of %(day)s (the body's policy)") % {
            "days": protocol.sign_days,
            "day": date_of(meeting_day(protocol.meeting)),
        }
        recounted = protocol.sign_due_recounted
    else:
        if protocol.signed_on is None:
            return ""
        text = _("%(days)s working days after the last required signature of %(day)s (the body's policy)") % {
            "days": protocol.distribute_days,
            "day": date_of(protocol.signed_on),
        }
        recounted = protocol.distribute_due_recounted
    if recounted:
        moved = {
            "previous": inflected_date(date.fromisoformat(recounted["previous"]), "ablative_bare"),
            "day": human_date(date.fromisoformat(recounted["day"])),
        }
        if recounted["working"]:
            text += "; " + _("moved from %(previous)s when %(day)s became a working day") % moved
        else:
            text += "; " + _("moved from %(previous)s when %(day)s became a day off") % moved
    return text


@dataclass(frozen=True)
class OpenStep:
    protocol: Protocol
    step: str
    due: date


def open_steps(body_ids: list[int] | None = None) -> list[OpenStep]:
    """The protocols' open steps: signing (until the last required signature) and distribution
    (until distributed), with their due dates; one query."""
    qs = (
        Protocol.objects.exclude(status=ProtocolStatus.DESTROYED)
        .filter(Q(signed_on__isnull=True) | Q(distributed_at__isnull=True))
        .select_related("meeting", "body")
    )
    if body_ids is not None:
        qs = qs.filter(body_id__in=body_ids)
    steps = []
    for p in qs.order_by("sign_due", "pk"):
        if p.signed_on is None:
            steps.append(OpenStep(p, ProtocolStep.SIGN, p.sign_due))
        elif p.distributed_at is None and p.distribute_due is not None:
            steps.append(OpenStep(p, ProtocolStep.DISTRIBUTE, p.distribute_due))
    return sorted(steps, key=lambda s: (s.due, s.protocol.pk))


def send_reminders(*, today: date | None = None) -> int:
    """Reminders of the protocols' deadlines: the working day before the due date and on it, to
    the presiding person and the secretary (signing) or the secretary (distribution). Each
    (protocol, step, kind) is claimed by inserting its row, so it is sent once whatever the number
    of workers. Effects: the reminder rows, one outbox mail per addressee, `protocol.reminded`.
    Returns the number of reminders claimed."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    if not calendar.is_working(today):
        return 0
    try:
        next_working = add_working_days(calendar, start=today, days=1).due
    except CalendarRangeError:
        return 0
    claimed = 0
    for step in open_steps():
        if step.due == today:
            kind = ReminderKind.DUE
        elif step.due == next_working:
            kind = ReminderKind.BEFORE
        else:
            continue
        try:
            with transaction.atomic():
                _reminder, created = ProtocolReminder.objects.get_or_create(
                    protocol=step.protocol, step=step.step, kind=kind, defaults={"due": step.due}
                )
                if not created:
                    continue
                content = current_revision(step.protocol).content
                people = [content.get("secretary")]
                if step.step == ProtocolStep.SIGN:
                    people.append(content.get("presiding"))
                ids = [p["member_id"] for p in people if p]
                for member in Member.objects.filter(pk__in=ids).exclude(email=""):
                    queue_mail(
                        to=member.email,
                        template="protocol_reminder",
                        context={"protocol": step.protocol, "step": step.step, "kind": kind, "due": step.due},
                        language=member.language or "ru",
                        body=step.protocol.body,
                    )
                record_event(
                    step.protocol,
                    "protocol.reminded",
                    actor=None,
                    body=step.protocol.body,
                    data={"step": step.step, "kind": kind, "due": step.due, "to": ids},
                )
                claimed += 1
        except Exception as exc:  # noqa: BLE001 - a lost race for the row: another worker sent it
            from django.db import IntegrityError

            if not isinstance(exc, IntegrityError):
                raise
    return claimed


# --- verification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    protocol_id: int
    label: str
    message: str


def verify_protocols() -> tuple[int, list[Problem]]:
    """Check every signed revision: its content against its stored hash, its PDF against the
    PDF's hash, each of its signatures against the hash, the required signatures present, and the
    audit events of its signatures and of its signing present with the same hash. Returns the
    number of revisions checked and the problems found."""
    problems: list[Problem] = []
    checked = 0
    events = {
        (e.object_type, e.object_id): e.data
        for e in AuditEvent.objects.filter(
            action__in=["protocol.signature_added", "protocol.revision_signed"]
        ).only("object_type", "object_id", "data", "action")
        if e.action == "protocol.signature_added"
    }
    signed_events: dict[tuple[str, int], str] = {}
    for e in AuditEvent.objects.filter(action="protocol.revision_signed").only("object_id", "data"):
        signed_events[(e.object_id, int(e.data.get("revision", 0)))] = str(e.data.get("content_hash", ""))
    revisions = (
        ProtocolRevision.objects.filter(signed_at__isnull=False)
        .exclude(protocol__status=ProtocolStatus.DESTROYED)
        .select_related("protocol")
        .prefetch_related("signatures")
        .order_by("protocol_id", "number")
    )
    for revision in revisions:
        checked += 1
        p = revision.protocol
        label = f"{p.label} ({_('revision')} {revision.number})"

        def report(message: str, p: Protocol = p, label: str = label) -> None:
            problems.append(Problem(p.pk, label, message))

        if content_hash(revision.content) != revision.content_hash:
            report(_("the text does not match its stored hash: it was changed after signing"))
        pdf = bytes(revision.pdf or b"")
        if not pdf or hashlib.sha256(pdf).hexdigest() != revision.pdf_sha256:
            report(_("the stored PDF does not match its hash"))
        valid = [s for s in revision.signatures.all() if s.invalidated_at is None]
        if not REQUIRED_ROLES <= {s.role for s in valid}:
            report(_("the signatures of the presiding person and the secretary are not both there"))
        for s in valid:
            if s.content_hash != revision.content_hash:
                report(_("a signature was made on another text"))
            if s.method == SignatureMethod.CMS and (
                s.evidence.get("document_sha256") != revision.text_pdf_sha256
                or hashlib.sha256(bytes(revision.text_pdf or b"")).hexdigest() != revision.text_pdf_sha256
            ):
                report(_("an electronic signature does not match the stored PDF it was made over"))
            data = events.get(("protocolsignature", str(s.pk)))
            if (
                data is None
                or data.get("content_hash") != s.content_hash
                or data.get("member") != s.member_id
            ):
                report(_("a signature has no matching audit event"))
        if signed_events.get((str(p.pk), revision.number)) != revision.content_hash:
            report(_("the signing of the revision has no matching audit event"))
    return checked, problems


def protocol_deadline_days(protocol: Protocol) -> dict[str, timedelta]:
    """Days left to each open deadline (negative: overdue), for pages."""
    today = timezone.localdate()
    out: dict[str, timedelta] = {}
    if protocol.signed_on is None:
        out[ProtocolStep.SIGN] = protocol.sign_due - today
    elif protocol.distributed_at is None and protocol.distribute_due:
        out[ProtocolStep.DISTRIBUTE] = protocol.distribute_due - today
    return out


# --- the Word template --------------------------------------------------------------------------

DOCX_TEMPLATE_LIMIT = 5 * 1024 * 1024


def replace_docx_template(body: Body, *, actor: User, data: bytes) -> str:
    """An administrator's own Word template of the body's protocols. Effects: refuses a file that
    is not a Word document or that does not render a sample protocol (its tags are checked by
    rendering); stores it as the body's template (`alqa.documents.protocol.docx_template_path`);
    records `protocol.template_replaced` with its SHA-256. Returns the SHA-256."""
    import io
    import zipfile
    from pathlib import Path

    from django.conf import settings

    from alqa.documents.protocol import render_docx_from

    if len(data) > DOCX_TEMPLATE_LIMIT:
        raise ValidationError({"template": _("The file is too large.")})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        raise ValidationError({"template": _("This is not a Word document (.docx).")}) from None
    try:
        render_docx_from(data)
    except Exception as exc:  # noqa: BLE001 - any template error is the file's fault, said to the user
        raise ValidationError(
            {"template": _("The template does not render: %(error)s") % {"error": str(exc)[:200]}}
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    path = Path(settings.MEDIA_ROOT) / "protocol-templates" / f"body-{body.pk}.docx"
    with transaction.atomic():
        record_event(body, "protocol.template_replaced", actor=actor, body=body, data={"sha256": digest})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return digest


# --- documents rendered by the worker -------------------------------------------------------------

DOCUMENT_FORMATS = ("pdf", "docx")
# The rendering that stores a revision's text PDF for signing (`signing_pdf`): the bytes are kept on
# the revision (`text_pdf`), not on the rendering.
TEXT_PDF = "text"


def stored_document(revision: ProtocolRevision, *, fmt: str, language: str) -> bytes | None:
    """The signed revision's PDF in both languages, stored when it was signed: served as it is,
    never rendered again. None for any other document."""
    if revision.signed_at is not None and fmt == "pdf" and language == "both" and revision.pdf:
        return bytes(revision.pdf)
    return None


def rendering_key(revision: ProtocolRevision) -> str:
    """What a revision's documents depend on: its text and the valid signatures they print."""
    valid = list(revision.signatures.filter(invalidated_at__isnull=True))
    return hashlib.sha256(repr(_key(revision.content_hash, valid)).encode()).hexdigest()


def request_rendering(
    protocol: Protocol, revision: ProtocolRevision, *, actor: User, fmt: str, language: str
) -> tuple[ProtocolRendering, bool]:
    """A document of `revision` for the worker to prepare: the one asked for already (queued,
    running or ready) when the text and signatures are the same, else a new one. Returns it and
    whether the worker is to be asked now (a new one, or one that failed and is tried again).
    Effects: the rendering row; earlier renderings of the revision made for another text are
    removed; records `protocol.rendering_requested`."""
    from alqa.documents.protocol import LANGUAGES

    if not (fmt in DOCUMENT_FORMATS and language in LANGUAGES or fmt == TEXT_PDF and language == "both"):
        raise ValidationError(_("No such document."))
    if protocol.status == ProtocolStatus.DESTROYED:
        raise ValidationError(_("The protocol was destroyed."))
    key = rendering_key(revision)
    with transaction.atomic():
        rendering, created = ProtocolRendering.objects.get_or_create(
            revision=revision,
            key=key,
            fmt=fmt,
            language=language,
            defaults={"protocol": protocol, "requested_by": actor},
        )
        if not created and rendering.status == RenderingStatus.FAILED:
            claimed = ProtocolRendering.objects.filter(pk=rendering.pk, status=RenderingStatus.FAILED).update(
                status=RenderingStatus.QUEUED, progress=0, error=""
            )
            rendering.refresh_from_db()
            created = bool(claimed)
        if created:
            ProtocolRendering.objects.filter(revision=revision).exclude(key=key).delete()
            record_event(
                protocol,
                "protocol.rendering_requested",
                actor=actor,
                body=protocol.body,
                data={"revision": revision.number, "format": fmt, "language": language},
            )
    return rendering, created


def run_rendering(rendering_id: int) -> ProtocolRendering | None:
    """The worker's part: claims a queued rendering, renders it (progress: 10 % claimed, 40 % the
    text laid out in blocks, 100 % ready) and stores the document; a failure is stored with its
    error (the page offers to try again). Writes only the rendering's own state, except the text
    PDF for signing (`TEXT_PDF`), stored on the revision by `signing_pdf` with its effects."""
    from alqa.documents.protocol import columns, document

    claimed = ProtocolRendering.objects.filter(pk=rendering_id, status=RenderingStatus.QUEUED).update(
        status=RenderingStatus.RUNNING, progress=10
    )
    if not claimed:
        return None
    rendering = ProtocolRendering.objects.select_related("revision", "protocol").get(pk=rendering_id)
    try:
        revision = rendering.revision
        columns(revision.content, rendering.language, [])  # the text in blocks: fails early on bad data
        ProtocolRendering.objects.filter(pk=rendering_id).update(progress=40)
        if rendering.fmt == TEXT_PDF:
            signing_pdf(rendering.protocol, actor=rendering.requested_by)
            data = None  # kept on the revision
        else:
            data, _type, _name = document(
                revision, fmt=rendering.fmt, language=rendering.language, body_id=rendering.protocol.body_id
            )
    except Exception as exc:  # noqa: BLE001 - any failure is stored and shown; the worker lives on
        ProtocolRendering.objects.filter(pk=rendering_id).update(
            status=RenderingStatus.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
    else:
        ProtocolRendering.objects.filter(pk=rendering_id).update(
            status=RenderingStatus.DONE, progress=100, data=data, finished_at=timezone.now()
        )
    rendering.refresh_from_db()
    return rendering
