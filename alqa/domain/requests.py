"""Requests for documents and information (clause 2.2.8).

A request names its addressee (the agency, and where known the unit and the official), what is
requested and the legal basis. It is entered under the body's next outgoing number of the year —
numbers run without gaps, given under the body's lock. Once sent, its answer is due after the
time limit of its kind of addressee (`ANSWER_POLICY`, in working or calendar days); a due date in
working days is a stored deadline that calendar changes count again (alqa/domain/deadlines.py).
The answer is recorded with its files and assessed; a request sent and unanswered after its due
date is overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.attachments import check_files
from alqa.domain.audit import record_event
from alqa.domain.case_guard import audit_data, check_texts
from alqa.domain.errors import atomic_unique
from alqa.domain.file_guard import check_file_texts
from alqa.domain.outbox import queue_mail
from alqa.domain.visits import store_oversight_files
from alqa.domain.workdays import CalendarRangeError, add_calendar_days, add_working_days
from alqa.domain.workdays_calendar import calendar_for_deadlines, load_calendar
from alqa.enums import AddresseeKind, AnswerAssessment, RequestReminderKind, RequestStatus, Role
from alqa.models import Body, DocumentRequest, Member, RequestReminder, User


@dataclass(frozen=True)
class AnswerPolicy:
    days: int
    working: bool


# The time for an answer, per kind of addressee: state bodies and courts answer within fifteen
# working days (the general time limit for considering an application), a police unit within ten
# working days, another organisation within thirty calendar days.
ANSWER_POLICY: dict[str, AnswerPolicy] = {
    AddresseeKind.STATE_BODY: AnswerPolicy(15, True),
    AddresseeKind.POLICE_UNIT: AnswerPolicy(10, True),
    AddresseeKind.LAW_ENFORCEMENT: AnswerPolicy(15, True),
    AddresseeKind.ORGANISATION: AnswerPolicy(30, False),
}

TEXT_FIELDS = ("addressee", "addressee_unit", "addressee_official", "subject", "legal_basis")


def _lock_body(body: Body) -> None:
    """Serialises the numbering of one body's requests (a row lock on PostgreSQL; SQLite's
    IMMEDIATE transactions hold the write lock already)."""
    Body.objects.select_for_update(no_key=True).filter(pk=body.pk).values_list("pk", flat=True).first()


def create_request(
    *,
    body: Body,
    actor: User,
    addressee_kind: str,
    addressee: str,
    subject: str,
    legal_basis: str,
    addressee_unit: str = "",
    addressee_official: str = "",
    identifiers_confirmed: bool = False,
) -> DocumentRequest:
    """Effects: checks the addressee, the kind of addressee, what is requested and the legal basis,
    and the case guard over them; under the body's lock gives the next outgoing number of the year
    (no gaps); saves the request; records `request.created`."""
    texts = {
        "addressee": addressee.strip(),
        "addressee_unit": addressee_unit.strip(),
        "addressee_official": addressee_official.strip(),
        "subject": subject.strip(),
        "legal_basis": legal_basis.strip(),
    }
    errors: dict[str, str] = {}
    if addressee_kind not in AddresseeKind.values:
        errors["addressee_kind"] = _("Choose the kind of addressee.")
    if not texts["addressee"]:
        errors["addressee"] = _("Name the addressee: the agency the request goes to.")
    if not texts["subject"]:
        errors["subject"] = _("Say what documents or information are requested.")
    if not texts["legal_basis"]:
        errors["legal_basis"] = _("Give the legal basis of the request.")
    if errors:
        raise ValidationError(errors)
    confirmed = check_texts(texts, confirmed=identifiers_confirmed, body=body)
    year = timezone.localdate().year
    with atomic_unique(
        "addressee", _("Another request took this number at the same moment: send the form again.")
    ):
        _lock_body(body)
        last = DocumentRequest.objects.filter(body=body, year=year).aggregate(n=Max("number"))["n"] or 0
        request = DocumentRequest.objects.create(
            body=body, year=year, number=last + 1, addressee_kind=addressee_kind, created_by=actor, **texts
        )
        record_event(
            request,
            "request.created",
            actor=actor,
            body=body,
            data={"number": request.outgoing_number, "addressee_kind": addressee_kind, **texts}
            | audit_data(confirmed),
        )
    return request


def answer_due(kind: str, sent_on: date, *, stored: bool = False) -> tuple[date, int, bool]:
    """When the answer to a request sent on `sent_on` is due: (date, days, in working days).
    `stored`: the date will be stored, inside the writer's transaction (the calendar is read under
    the audit head's lock: alqa.domain.workdays_calendar.calendar_for_deadlines)."""
    policy = ANSWER_POLICY[kind]
    try:
        if policy.working:
            calendar = calendar_for_deadlines() if stored else load_calendar()
            return add_working_days(calendar, start=sent_on, days=policy.days).due, policy.days, True
        return add_calendar_days(start=sent_on, days=policy.days), policy.days, False
    except CalendarRangeError:
        raise ValidationError(
            {"sent_on": _("This date is beyond the calendar known to the system.")}
        ) from None


def _lock(request: DocumentRequest) -> None:
    DocumentRequest.objects.select_for_update(no_key=True).filter(pk=request.pk).values_list(
        "pk", flat=True
    ).first()
    request.refresh_from_db()


def mark_sent(request: DocumentRequest, *, actor: User, sent_on: date) -> DocumentRequest:
    """Effects: records the day the request was sent (not in the future) and the answer's due date
    by the policy of its kind of addressee; records `request.sent`. Sent once: marking a sent
    request again is refused."""
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The day of sending cannot be in the future.")})
    answer_due(request.addressee_kind, sent_on)  # a date past the known calendar is refused here
    with transaction.atomic():
        _lock(request)
        if request.status != RequestStatus.DRAFT:
            raise ValidationError({"sent_on": _("This request has already been sent.")})
        # counted again under the audit head's lock, so a calendar change in flight is seen
        due, days, working = answer_due(request.addressee_kind, sent_on, stored=True)
        request.status = RequestStatus.SENT
        request.sent_on, request.due_on, request.due_days, request.due_working = sent_on, due, days, working
        request.save(update_fields=["status", "sent_on", "due_on", "due_days", "due_working"])
        record_event(
            request,
            "request.sent",
            actor=actor,
            body=request.body,
            data={"sent_on": sent_on, "due_on": due, "days": days, "working": working},
        )
    return request


def record_answer(
    request: DocumentRequest,
    *,
    actor: User,
    answered_on: date,
    answer_summary: str = "",
    assessment: str = "",
    files: Sequence[Any] = (),
    identifiers_confirmed: bool = False,
) -> DocumentRequest:
    """Effects: refuses an answer to a request not yet sent, one dated before the sending or in the
    future; checks the assessment, the files (type by content, size) and the case guard over the
    summary and the text of PDF and DOCX files; saves the answer and its files; records
    `request.answered`. A request answered already is refused."""
    answer_summary = answer_summary.strip()
    if request.status == RequestStatus.DRAFT or request.sent_on is None:
        raise ValidationError({"answered_on": _("An answer is recorded once the request has been sent.")})
    errors: dict[str, str] = {}
    if answered_on < request.sent_on:
        errors["answered_on"] = _("The answer cannot have come before the request was sent.")
    elif answered_on > timezone.localdate():
        errors["answered_on"] = _("The day of the answer cannot be in the future.")
    if assessment and assessment not in AnswerAssessment.values:
        errors["assessment"] = _("Choose one of the assessments.")
    if errors:
        raise ValidationError(errors)
    checked = check_files(list(files))
    confirmed = check_texts(
        {"answer_summary": answer_summary}, confirmed=identifiers_confirmed, body=request.body
    )
    confirmed += check_file_texts(checked, confirmed=identifiers_confirmed, body=request.body)
    with transaction.atomic():
        _lock(request)
        if request.status == RequestStatus.ANSWERED:
            raise ValidationError({"answered_on": _("The answer to this request has already been recorded.")})
        request.status = RequestStatus.ANSWERED
        request.answered_on, request.answer_summary, request.assessment = (
            answered_on,
            answer_summary,
            assessment,
        )
        request.save(update_fields=["status", "answered_on", "answer_summary", "assessment"])
        stored = store_oversight_files(checked, body=request.body, actor=actor, document_request=request)
        record_event(
            request,
            "request.answered",
            actor=actor,
            body=request.body,
            data={
                "answered_on": answered_on,
                "assessment": assessment,
                "answer_summary": answer_summary,
                "files": [f.name for f in stored],
            }
            | audit_data(confirmed),
        )
    return request


def is_overdue(request: DocumentRequest, *, today: date | None = None) -> bool:
    return (
        request.status == RequestStatus.SENT
        and request.due_on is not None
        and request.due_on < (today or timezone.localdate())
    )


def _reminder_kind(due: date, *, today: date, next_working: date) -> str | None:
    if due < today:
        return RequestReminderKind.OVERDUE
    if due == today:
        return RequestReminderKind.DUE
    if due <= next_working:
        return RequestReminderKind.BEFORE
    return None


def send_request_reminders(*, today: date | None = None) -> int:
    """Reminders of the answers due to the body's requests: before the due date (the working day
    before), on it, and once it is overdue, to the body's secretary and chair in office. Each
    (request, kind) is claimed by inserting its unique `RequestReminder` row, so it is sent once
    whatever the number of workers and days. Nothing is sent on a day off. Effects: the reminder
    rows, one outbox mail per addressee, `request.reminded`. Returns the number claimed."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    if not calendar.is_working(today):
        return 0
    try:
        next_working = add_working_days(calendar, start=today, days=1).due
    except CalendarRangeError:
        return 0
    claimed = 0
    waiting = DocumentRequest.objects.filter(
        status=RequestStatus.SENT, due_on__isnull=False, due_on__lte=next_working
    ).select_related("body")
    for request in waiting.order_by("due_on", "pk"):
        assert request.due_on is not None  # filtered above
        kind = _reminder_kind(request.due_on, today=today, next_working=next_working)
        if kind is None:
            continue
        try:
            with transaction.atomic():
                _row, created = RequestReminder.objects.get_or_create(
                    document_request=request, kind=kind, defaults={"due": request.due_on}
                )
                if not created:
                    continue
                people = (
                    Member.objects.on(today)
                    .filter(body=request.body, role__in=(Role.SECRETARY, Role.CHAIR))
                    .exclude(email="")
                )
                ids = []
                for member in people:
                    queue_mail(
                        to=member.email,
                        template="request_reminder",
                        context={"request": request, "kind": kind, "due": request.due_on},
                        language=member.language or "ru",
                        body=request.body,
                    )
                    ids.append(member.pk)
                record_event(
                    request,
                    "request.reminded",
                    actor=None,
                    body=request.body,
                    data={"kind": kind, "due": request.due_on, "to": ids},
                )
                claimed += 1
        except IntegrityError:  # a lost race for the row: another worker sent it
            continue
    return claimed
