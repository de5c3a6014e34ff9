"""The generalisation note of complaints practice (обобщение, issue #13.4): the group's text in
Russian and Kazakh beside the figures of a period; approved by the chair; then sent by e-mail to
the investigation and inquiry units of the police side, each copy with a receipt link."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.audit import diff, record_event
from alqa.domain.case_guard import check_texts
from alqa.domain.outbox import queue_mail
from alqa.enums import NoteStatus, Side
from alqa.models import AgendaItem, Body, ComplaintNote, Meeting, NoteReceipt, Unit, User

NOTE_FIELDS = (
    "title_ru",
    "title_kk",
    "period_from",
    "period_to",
    "causes_ru",
    "causes_kk",
    "conclusions_ru",
    "conclusions_kk",
    "recommendations_ru",
    "recommendations_kk",
)
TEXT_FIELDS = tuple(f for f in NOTE_FIELDS if not f.startswith("period"))


def _validate(note: ComplaintNote) -> None:
    errors: dict[str, Any] = {}
    if note.period_from and note.period_to and note.period_to < note.period_from:
        errors["period_to"] = _("The end of the period is before its start.")
    if note.period_from and note.period_from > timezone.localdate():
        errors["period_from"] = _("The date cannot be in the future.")
    try:
        check_texts({f: getattr(note, f) for f in TEXT_FIELDS}, confirmed=False, body=None)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    try:
        note.full_clean(exclude=["body", "approved_by", *errors])
    except ValidationError as exc:
        errors |= {f: m[0] for f, m in exc.message_dict.items() if f not in errors}
    if errors:
        raise ValidationError(errors)


def _lock(note: ComplaintNote) -> ComplaintNote:
    return ComplaintNote.objects.select_for_update(no_key=True).select_related("body").get(pk=note.pk)


def create_note(*, body: Body, actor: User, **fields: Any) -> ComplaintNote:
    """Effects: validates (period order, no case or personal numbers in the text); saves a draft;
    records `complaint_note.created`."""
    note = ComplaintNote(body=body, **{k: v for k, v in fields.items() if k in NOTE_FIELDS})
    _validate(note)
    with transaction.atomic():
        note.save()
        record_event(note, "complaint_note.created", actor=actor, body=body, data={"title_ru": note.title_ru})
    return note


def update_note(note: ComplaintNote, *, actor: User, changes: dict[str, Any]) -> ComplaintNote:
    """Effects: changes a draft's text or period; records `complaint_note.changed` with old and new
    values. An approved note is not changed (its approval would no longer hold)."""
    with transaction.atomic():
        current = _lock(note)
        if current.status != NoteStatus.DRAFT:
            raise ValidationError(_("An approved note cannot be changed."))
        before = {f: getattr(current, f) for f in NOTE_FIELDS}
        for field, value in changes.items():
            if field in NOTE_FIELDS:
                setattr(current, field, value)
        _validate(current)
        changed = diff(before, {f: getattr(current, f) for f in NOTE_FIELDS})
        if changed:
            current.save()
            record_event(current, "complaint_note.changed", actor=actor, body=current.body, data=changed)
    return current


def approve_note(note: ComplaintNote, *, actor: User) -> ComplaintNote:
    """Effects: the chair's approval of a draft (who may is decided in permissions); records
    `complaint_note.approved`. A note approved already is refused, nothing changed."""
    with transaction.atomic():
        current = _lock(note)
        if current.status != NoteStatus.DRAFT:
            raise ValidationError(_("The note has been approved already."))
        current.status = NoteStatus.APPROVED
        current.approved_by = actor
        current.approved_at = timezone.now()
        current.save(update_fields=["status", "approved_by", "approved_at"])
        record_event(current, "complaint_note.approved", actor=actor, body=current.body)
    return current


def recipients(body: Body) -> list[Unit]:
    """The units a note goes to: the police side's active units with an e-mail."""
    return list(
        Unit.objects.filter(body=body, side=Side.POLICE, is_active=True).exclude(email="").order_by("name_ru")
    )


def send_note(note: ComplaintNote, *, actor: User) -> list[NoteReceipt]:
    """Effects: for an approved note, one receipt (with its own token) per unit of `recipients`,
    and one e-mail to each through the outbox with the receipt link; marks the note sent; records
    `complaint_note.sent` naming the units. A note not approved, or sent already, is refused."""
    with transaction.atomic():
        current = _lock(note)
        if current.status == NoteStatus.DRAFT:
            raise ValidationError(_("The chair has not approved the note yet."))
        if current.status == NoteStatus.SENT:
            raise ValidationError(_("The note has been sent already."))
        units = recipients(current.body)
        if not units:
            raise ValidationError(
                _("No police unit of this body has an e-mail address; add them in the units' register.")
            )
        receipts = [
            NoteReceipt(note=current, unit=u, email=u.email, token=secrets.token_urlsafe(24)) for u in units
        ]
        NoteReceipt.objects.bulk_create(receipts)
        for receipt in receipts:
            queue_mail(
                to=receipt.email,
                template="complaint_note",
                context={
                    "note": current,
                    "body": current.body,
                    "unit": receipt.unit,
                    "link": reverse("note_receipt", args=[receipt.token]),
                },
                language="ru",
                body=current.body,
            )
        current.status = NoteStatus.SENT
        current.sent_at = timezone.now()
        current.save(update_fields=["status", "sent_at"])
        record_event(
            current,
            "complaint_note.sent",
            actor=actor,
            body=current.body,
            data={"units": [u.pk for u in units]},
        )
    return receipts


def confirm_receipt(*, token: str) -> tuple[NoteReceipt | None, bool]:
    """Effects: the first use of a receipt link marks the copy received and records
    `complaint_note.received`. Returns the receipt (None for an unknown token) and whether this
    use was the first."""
    if not token or len(token) > 64:
        return None, False
    with transaction.atomic():
        receipt = NoteReceipt.objects.select_related("note", "note__body", "unit").filter(token=token).first()
        if receipt is None:
            return None, False
        first = NoteReceipt.objects.filter(pk=receipt.pk, received_at__isnull=True).update(
            received_at=timezone.now()
        )
        if first:
            receipt.refresh_from_db(fields=["received_at"])
            record_event(
                receipt.note,
                "complaint_note.received",
                actor=None,
                body=receipt.note.body,
                data={"unit": receipt.unit_id},
            )
    return receipt, bool(first)


def put_note_on_agenda(
    note: ComplaintNote, *, meeting: Meeting, actor: User, withdraw_approval: bool = False
) -> AgendaItem:
    """Effects: the note becomes a question of the meeting's agenda, titled as the note, through
    the agenda's own rule (alqa.domain.meetings.add_agenda_item: the meeting locked, a note once
    per meeting; on an approved agenda only with `withdraw_approval`, which withdraws the
    approval; `agenda.item_added` recorded with the note)."""
    from alqa.domain.meetings import add_agenda_item

    return add_agenda_item(meeting, actor=actor, complaint_note=note, withdraw_approval=withdraw_approval)
