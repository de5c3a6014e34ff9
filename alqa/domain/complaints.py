"""The complaints register (clause 2.1.4): complaints under Art. 105 and 106 of the Criminal
Procedure Code, kept without personal data, and the body's classifier of their subjects.

No names, ИИН or case numbers: the few free-text fields (measures taken, source) go through the
case guard, which refuses ЕРДР-like and ИИН-like numbers outright (there is nothing to confirm: a
complaint record never needs one)."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain import complaint_summary
from alqa.domain.audit import diff, record_event
from alqa.domain.case_guard import check_texts
from alqa.domain.errors import atomic_unique
from alqa.enums import ComplaintOutcome, Side
from alqa.models import Body, Complaint, ComplaintSubject, Unit, User
from alqa.models.complaints import DEFAULT_SUBJECTS

COMPLAINT_FIELDS = (
    "article",
    "filed_on",
    "decided_on",
    "unit",
    "official",
    "subject",
    "outcome",
    "violation_found",
    "measures",
    "source",
)
FREE_TEXT_FIELDS = ("measures", "source")
# What create_complaint and update_complaint take: the fields, the unit and subject also by id.
ACCEPTED_FIELDS = frozenset({*COMPLAINT_FIELDS, "unit_id", "subject_id"})


def seed_subjects(*, body: Body, actor: User | None) -> list[ComplaintSubject]:
    """Effects: adds the default subjects the body's classifier lacks (by code); records
    `complaint_subjects.seeded` naming them when any was added. Repeating it adds nothing."""
    with transaction.atomic():
        have = set(ComplaintSubject.objects.filter(body=body).values_list("code", flat=True))
        added = [
            ComplaintSubject(body=body, code=code, name_ru=ru, name_kk=kk, position=i)
            for i, (code, ru, kk) in enumerate(DEFAULT_SUBJECTS)
            if code not in have
        ]
        if added:
            ComplaintSubject.objects.bulk_create(added)
            record_event(
                None,
                "complaint_subjects.seeded",
                actor=actor,
                body=body,
                object_type="complaintsubject",
                object_id=str(body.pk),
                data={"codes": [s.code for s in added]},
            )
    return added


def validate_complaint_values(
    *, body_id: int, filed_on: date | None, decided_on: date | None, outcome: str, today: date
) -> dict[str, str]:
    """The rules of one complaint's dates and outcome, shared by the register and the import:
    field → message (empty when valid)."""
    errors: dict[str, str] = {}
    if filed_on is not None and filed_on > today:
        errors["filed_on"] = _("The date cannot be in the future.")
    if decided_on is not None and decided_on > today:
        errors["decided_on"] = _("The date cannot be in the future.")
    elif decided_on is not None and filed_on is not None and decided_on < filed_on:
        errors["decided_on"] = _("A complaint cannot be decided before it was filed.")
    if outcome == ComplaintOutcome.PENDING and decided_on is not None:
        errors["outcome"] = _("A decided complaint needs its outcome.")
    elif outcome and outcome != ComplaintOutcome.PENDING and decided_on is None:
        errors["decided_on"] = _("Enter the date of the decision, or choose “Not yet decided”.")
    return errors


def _validate(complaint: Complaint, *, kept_subject_id: int | None = None) -> None:
    """All the rules of one complaint; a subject switched off in the classifier is refused unless
    the complaint already had it (`kept_subject_id`): what was filed under it keeps it."""
    errors: dict[str, Any] = validate_complaint_values(
        body_id=complaint.body_id,
        filed_on=complaint.filed_on,
        decided_on=complaint.decided_on,
        outcome=complaint.outcome,
        today=timezone.localdate(),
    )
    unit = Unit.objects.filter(pk=complaint.unit_id).first() if complaint.unit_id else None
    if complaint.unit_id and (unit is None or unit.body_id != complaint.body_id or unit.side != Side.POLICE):
        errors["unit"] = _("Choose a police unit of this body.")
    subject = (
        ComplaintSubject.objects.filter(pk=complaint.subject_id).first() if complaint.subject_id else None
    )
    if complaint.subject_id and (subject is None or subject.body_id != complaint.body_id):
        errors["subject"] = _("Choose a subject of this body's classifier.")
    elif subject is not None and not subject.is_active and subject.pk != kept_subject_id:
        errors["subject"] = _subject_off_message()
    try:
        check_texts({f: getattr(complaint, f) for f in FREE_TEXT_FIELDS}, confirmed=False, body=None)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    try:
        complaint.full_clean(exclude=["body", "imported", "unit", "subject", *errors])
    except ValidationError as exc:
        errors |= {f: m[0] for f, m in exc.message_dict.items() if f not in errors}
    if not complaint.unit_id:
        errors.setdefault("unit", _("This field is required."))
    if not complaint.subject_id:
        errors.setdefault("subject", _("This field is required."))
    if errors:
        raise ValidationError(errors)


def _subject_off_message() -> str:
    return _("This subject is switched off in the classifier: choose another one.")


def _subject_still_on(complaint: Complaint, kept_subject_id: int | None) -> None:
    """Inside the saving transaction: the subject's row locked, a subject switched off since the
    check (by `switch_subject`, which locks the same row) is refused."""
    if complaint.subject_id == kept_subject_id:
        return
    active = (
        ComplaintSubject.objects.select_for_update(no_key=True)
        .filter(pk=complaint.subject_id)
        .values_list("is_active", flat=True)
        .first()
    )
    if not active:
        raise ValidationError({"subject": _subject_off_message()})


def _snapshot(complaint: Complaint) -> dict[str, Any]:
    values = {f: getattr(complaint, f) for f in COMPLAINT_FIELDS}
    values["unit"] = complaint.unit_id
    values["subject"] = complaint.subject_id
    return values


def create_complaint(*, body: Body, actor: User, **fields: Any) -> Complaint:
    """Effects: validates (dates not in the future, decided on or after filed, a police unit and a
    subject of the body, no case or personal numbers); saves; counts it in the summaries
    (alqa.domain.complaint_summary); records `complaint.created`."""
    complaint = Complaint(body=body, **{k: v for k, v in fields.items() if k in ACCEPTED_FIELDS})
    complaint.measures = (complaint.measures or "").strip()
    complaint.source = (complaint.source or "").strip()
    _validate(complaint)
    with transaction.atomic():
        _subject_still_on(complaint, None)
        complaint.save()
        complaint_summary.move(None, complaint_summary.stored(complaint.pk))
        record_event(complaint, "complaint.created", actor=actor, body=body, data=_snapshot(complaint))
    return complaint


def update_complaint(complaint: Complaint, *, actor: User, changes: dict[str, Any]) -> Complaint:
    """Effects: validates as `create_complaint`; saves, the summaries moved from the old values
    to the new; records `complaint.changed` with old and new values. Nothing is saved when any value is invalid."""
    unknown = set(changes) - ACCEPTED_FIELDS
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    before = _snapshot(complaint)
    for field, value in changes.items():
        setattr(complaint, field, value.strip() if field in FREE_TEXT_FIELDS and value else value)
    try:
        _validate(complaint, kept_subject_id=before["subject"])
        changed = diff(before, _snapshot(complaint))
        if changed:
            with transaction.atomic():
                _subject_still_on(complaint, before["subject"])
                stored = complaint_summary.stored(complaint.pk)  # as stored, the row locked
                complaint.save()
                complaint_summary.move(stored, complaint_summary.stored(complaint.pk))
                record_event(complaint, "complaint.changed", actor=actor, body=complaint.body, data=changed)
    except ValidationError:
        complaint.refresh_from_db()
        raise
    return complaint


def delete_complaint(complaint: Complaint, *, actor: User) -> None:
    """Effects: deletes the complaint (taken away from the summaries); records `complaint.deleted`
    with what it held."""
    with transaction.atomic():
        data = _snapshot(complaint)
        record_event(complaint, "complaint.deleted", actor=actor, body=complaint.body, data=data)
        complaint_summary.move(complaint_summary.stored(complaint.pk), None)
        Complaint.objects.filter(pk=complaint.pk).delete()


# --- the body's classifier of subjects ----------------------------------------------------------

SUBJECT_FIELDS = ("name_ru", "name_kk", "position")


def _check_subject(subject: ComplaintSubject) -> None:
    subject.name_ru = (subject.name_ru or "").strip()
    subject.name_kk = (subject.name_kk or "").strip()
    errors: dict[str, str] = {}
    if not subject.name_ru:
        errors["name_ru"] = _("This field is required.")
    try:
        check_texts({"name_ru": subject.name_ru, "name_kk": subject.name_kk}, confirmed=False, body=None)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    try:
        subject.full_clean(
            exclude=["body", "code", *errors], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        errors |= {f: m[0] for f, m in exc.message_dict.items() if f not in errors}
    if errors:
        raise ValidationError(errors)
    # compared in lower case here (SQLite's own case folding knows only Latin letters); the same
    # name written twice at once is held by the unique constraint on (body, name_ru)
    others = ComplaintSubject.objects.filter(body_id=subject.body_id).exclude(pk=subject.pk)
    if subject.name_ru.casefold() in {n.casefold() for n in others.values_list("name_ru", flat=True)}:
        raise ValidationError({"name_ru": _("The classifier already has this subject.")})


def add_subject(
    *, body: Body, actor: User, name_ru: str, name_kk: str = "", position: int | None = None
) -> ComplaintSubject:
    """Effects: adds a subject to the body's classifier (its own code; at the end unless a position
    is given), the names checked by the case guard and unique in the body (a unique constraint
    holds it under parallel requests); records `complaint_subject.added`."""
    subject = ComplaintSubject(
        body=body, code=f"own-{secrets.token_hex(4)}", name_ru=name_ru, name_kk=name_kk
    )
    _check_subject(subject)
    with atomic_unique("name_ru", _("The classifier already has this subject.")):
        if position is None:
            last = ComplaintSubject.objects.filter(body=body).order_by("-position").first()
            position = (last.position + 1) if last else 0
        subject.position = position
        subject.save()
        record_event(
            subject,
            "complaint_subject.added",
            actor=actor,
            body=body,
            data={"name_ru": subject.name_ru, "name_kk": subject.name_kk, "position": position},
        )
    return subject


def update_subject(subject: ComplaintSubject, *, actor: User, changes: dict[str, Any]) -> ComplaintSubject:
    """Effects: renames a subject of the classifier or moves it in the list; the complaints filed
    under it stay under it (they point at the subject, not its name); records
    `complaint_subject.changed` with the old and new values when anything changed."""
    with atomic_unique("name_ru", _("The classifier already has this subject.")):
        current = ComplaintSubject.objects.select_for_update().get(pk=subject.pk)
        before = {f: getattr(current, f) for f in SUBJECT_FIELDS}
        for field in SUBJECT_FIELDS:
            if field in changes and changes[field] is not None:
                setattr(current, field, changes[field])
        _check_subject(current)
        changed = diff(before, {f: getattr(current, f) for f in SUBJECT_FIELDS})
        if changed:
            current.save(update_fields=list(changed))
            record_event(current, "complaint_subject.changed", actor=actor, body=current.body, data=changed)
    return current


def switch_subject(subject: ComplaintSubject, *, actor: User, active: bool) -> ComplaintSubject:
    """Effects: switches a subject of the classifier off, or on again. Switched off, it is no
    longer offered for new complaints and a file naming it is refused by row and column; the
    complaints filed under it keep it, and the register and the analytics still show it. Records
    `complaint_subject.switched_off` or `complaint_subject.switched_on`; asking for the state the
    subject is already in changes and records nothing. The subject's row is locked, as a complaint
    saved under it locks it, and the body's row as an import's writing locks it: a complaint or an
    import checked before the switch and saved after it is refused."""
    with transaction.atomic():
        Body.objects.select_for_update(no_key=True).filter(pk=subject.body_id).values_list(
            "pk", flat=True
        ).first()
        current = ComplaintSubject.objects.select_for_update().select_related("body").get(pk=subject.pk)
        if current.is_active != active:
            current.is_active = active
            current.save(update_fields=["is_active"])
            record_event(
                current,
                "complaint_subject.switched_on" if active else "complaint_subject.switched_off",
                actor=actor,
                body=current.body,
                data={"name_ru": current.name_ru, "name_kk": current.name_kk},
            )
    return current
