"""Stored deadlines counted in working days, kept in step with the working-day calendar.

A deadline given as "N working days after an event" is stored as a date, so that lists sort and
filter by it and a reader sees it without counting, and with its N, so that it can be counted
again. When an administrator adds or removes a calendar exception, `follow_calendar_change`
counts again, in the transaction of the change, every deadline that

* is still open (each kind says what open means: see `KINDS`), and
* passes over the changed day: the event before it, the due date on or after it. A deadline
  that ends before the day, or whose count starts on or after it, cannot move.

Only a change of the day's status moves anything: a day off made a day off again under another
name (a holiday added on a Saturday) leaves every date as it is, without a query. Each moved
deadline gets its new date, a note of the move for its explanation, and an audit event
`deadline.recounted` (old and new date, start, N, and the exception behind the move).

Every kind of stored working-day deadline has one entry in `KINDS`: its model, the fields that
hold the date and the note, and a function giving the open rows a change of one day may move,
with the date each is counted from and its N. The protocol's signing and distribution deadlines
and the executors' information deadline plug in the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, DateField, JSONField, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa.domain.audit import NewEvent, record_events
from alqa.domain.workdays import LAST_YEAR, CalendarRangeError, WorkCalendar, add_working_days
from alqa.enums import DUE_OPEN, INFO_OPEN, ProtocolStatus
from alqa.models import Assignment, DocumentRequest, Protocol, User

# Deadlines moved per UPDATE statement: each takes three query parameters, and SQLite allows
# 32,766 in a statement.
BATCH = 5000


@dataclass(frozen=True)
class CountedRow:
    """One stored deadline: counted `days` working days after `start`, now due on `due`."""

    pk: int
    start: date
    days: int
    due: date
    body_id: int | None
    label: str


@dataclass(frozen=True)
class WorkingDayDeadline:
    """One kind of stored deadline counted in working days.

    `open_rows(day, today)` gives the rows of this kind that are open on `today` and whose count
    passes over `day` (start before it, due on or after it); the new date goes to `due_field` and
    the note of the move (see `follow_calendar_change`) to the JSON field `note_field`."""

    name: str
    model: type[models.Model]
    due_field: str
    note_field: str
    open_rows: Callable[[date, date], Iterable[CountedRow]]


def _start_of(day: date) -> datetime:
    """The first moment of `day` where the installation is: a meeting before it is on an earlier day."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _open_assignments(day: date, today: date) -> Iterable[CountedRow]:
    """Executors' deadlines given in working days after the meeting (clause 3.8), or after the day
    an extension was granted (`due_start`): open while the execution deadline runs (see
    alqa/domain/execution.py) and has not passed — a due date before today is kept as it was."""
    rows = (
        Assignment.objects.filter(
            due_working_days__isnull=False,
            due_date__gte=max(day, today),
            status__in=DUE_OPEN,
        )
        .filter(
            Q(due_start__isnull=True, decision__meeting__starts_at__lt=_start_of(day)) | Q(due_start__lt=day)
        )
        .annotate(
            start=Coalesce("due_start", TruncDate("decision__meeting__starts_at"), output_field=DateField())
        )
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list(
            "pk",
            "start",
            "due_working_days",
            "due_date",
            "body_id",
            "executor_member__full_name",
            "executor_unit__name_ru",
            "executor_name",
        )
    )
    for pk, start, days, due, body_id, member, unit, name in rows:
        assert days is not None  # due_working_days__isnull=False above
        yield CountedRow(pk, start, days, due, body_id, member or unit or name)


def _open_information(day: date, today: date) -> Iterable[CountedRow]:
    """Executors' information deadlines, counted from the receipt of the protocol: open until
    the information is given (alqa/domain/execution.py), and not passed."""
    rows = (
        Assignment.objects.filter(
            info_due__isnull=False,
            info_days__isnull=False,
            info_due__gte=max(day, today),
            received_on__lt=day,
            status__in=INFO_OPEN,
        )
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list(
            "pk",
            "received_on",
            "info_days",
            "info_due",
            "body_id",
            "executor_member__full_name",
            "executor_unit__name_ru",
            "executor_name",
        )
    )
    for pk, start, days, due, body_id, member, unit, name in rows:
        assert start is not None and days is not None and due is not None  # filtered above
        yield CountedRow(pk, start, days, due, body_id, member or unit or name)


def _open_protocol_signing(day: date, today: date) -> Iterable[CountedRow]:
    """Protocols not yet signed by both the presiding person and the secretary (clause 3.5):
    counted from the meeting day."""
    rows = (
        Protocol.objects.filter(
            signed_on__isnull=True, sign_due__gte=day, meeting__starts_at__lt=_start_of(day)
        )
        .exclude(status=ProtocolStatus.DESTROYED)
        .annotate(start=TruncDate("meeting__starts_at"))
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", "start", "sign_days", "sign_due", "body_id", "number", "year")
    )
    for pk, start, days, due, body_id, number, year in rows:
        yield CountedRow(pk, start, days, due, body_id, f"№ {number}/{year}")


def _open_protocol_distribution(day: date, today: date) -> Iterable[CountedRow]:
    """Signed protocols not yet distributed: counted from the day of the last required signature."""
    rows = (
        Protocol.objects.filter(
            distributed_at__isnull=True,
            distribute_due__isnull=False,
            distribute_due__gte=day,
            signed_on__lt=day,
        )
        .exclude(status=ProtocolStatus.DESTROYED)
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", "signed_on", "distribute_days", "distribute_due", "body_id", "number", "year")
    )
    for pk, start, days, due, body_id, number, year in rows:
        assert start is not None and days is not None and due is not None  # filtered above
        yield CountedRow(pk, start, days, due, body_id, f"№ {number}/{year}")


def _open_requests(day: date, today: date) -> Iterable[CountedRow]:
    """Answers to requests for documents due in working days after the request was sent
    (clause 2.2.8): open while the request is sent and unanswered, and its due date not passed."""
    rows = (
        DocumentRequest.objects.filter(
            status="sent",
            due_working=True,
            due_days__isnull=False,
            due_on__gte=max(day, today),
            sent_on__lt=day,
        )
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", "sent_on", "due_days", "due_on", "body_id", "addressee")
    )
    for pk, start, days, due, body_id, addressee in rows:
        assert start is not None and days is not None and due is not None  # a sent request has them
        yield CountedRow(pk, start, days, due, body_id, addressee)


KINDS: tuple[WorkingDayDeadline, ...] = (
    WorkingDayDeadline(
        name="assignment.due_date",
        model=Assignment,
        due_field="due_date",
        note_field="due_recounted",
        open_rows=_open_assignments,
    ),
    WorkingDayDeadline(
        name="assignment.info_due",
        model=Assignment,
        due_field="info_due",
        note_field="info_due_recounted",
        open_rows=_open_information,
    ),
    WorkingDayDeadline(
        name="protocol.sign_due",
        model=Protocol,
        due_field="sign_due",
        note_field="sign_due_recounted",
        open_rows=_open_protocol_signing,
    ),
    WorkingDayDeadline(
        name="protocol.distribute_due",
        model=Protocol,
        due_field="distribute_due",
        note_field="distribute_due_recounted",
        open_rows=_open_protocol_distribution,
    ),
    WorkingDayDeadline(
        name="request.due_on",
        model=DocumentRequest,
        due_field="due_on",
        note_field="due_recounted",
        open_rows=_open_requests,
    ),
)


def follow_calendar_change(
    *,
    day: date,
    before: WorkCalendar,
    after: WorkCalendar,
    cause: dict[str, Any],
    actor: User | None,
    today: date | None = None,
) -> int:
    """Count again every open deadline of `KINDS` that passes over `day`, whose status differs
    between the calendars `before` and `after` the change. Call it inside the change's transaction,
    after the change is written and its own audit event recorded (which serialises calendar
    changes: see `alqa/domain/workdays_calendar.py`).

    Effects: stores each moved deadline's new date and the note `{"previous", "day", "working"}`
    its explanation reads; records `deadline.recounted` per moved deadline, with `cause` (the
    exception added or removed). Returns the number of deadlines moved. Raises ValidationError on
    `date` when a deadline would move beyond the years the calendar knows (nothing is changed)."""
    working = after.is_working(day)
    if before.is_working(day) == working:
        return 0
    today = today or timezone.localdate()
    counted: dict[tuple[date, int], date] = {}
    moved = 0
    for kind in KINDS:
        moves: list[tuple[int, date, date]] = []
        events: list[NewEvent] = []
        for row in kind.open_rows(day, today):
            key = (row.start, row.days)
            if key not in counted:
                try:
                    counted[key] = add_working_days(after, start=row.start, days=row.days).due
                except CalendarRangeError:
                    raise ValidationError(
                        {
                            "date": _(
                                "A deadline counted in working days would fall after %(last)s, "
                                "beyond the calendar known to the system."
                            )
                            % {"last": LAST_YEAR}
                        }
                    ) from None
            due = counted[key]
            if due == row.due:
                continue
            moves.append((row.pk, row.due, due))
            events.append(
                NewEvent(
                    action="deadline.recounted",
                    object_type=kind.model._meta.model_name or "",
                    object_id=str(row.pk),
                    object_label=row.label,
                    body_id=row.body_id,
                    data={
                        "deadline": kind.name,
                        "from": row.due,
                        "to": due,
                        "start": row.start,
                        "working_days": row.days,
                        "cause": cause,
                    },
                )
            )
        _store(kind, moves, day=day, working=working)
        record_events(events, actor=actor)
        moved += len(moves)
    return moved


def _store(
    kind: WorkingDayDeadline, moves: list[tuple[int, date, date]], *, day: date, working: bool
) -> None:
    """Writes the new dates and notes with one UPDATE per `BATCH` rows, the rows grouped by their
    old and new date (`CASE WHEN id IN (…) THEN …`): a few groups, whatever the number of rows."""
    for first in range(0, len(moves), BATCH):
        batch = moves[first : first + BATCH]
        groups: dict[tuple[date, date], list[int]] = defaultdict(list)
        for pk, old, new in batch:
            groups[(old, new)].append(pk)
        dates, notes = [], []
        for (old, new), pks in groups.items():
            note = {"previous": old.isoformat(), "day": day.isoformat(), "working": working}
            dates.append(When(pk__in=pks, then=Value(new)))
            notes.append(When(pk__in=pks, then=Value(note, JSONField())))
        kind.model._default_manager.filter(pk__in=[pk for pk, _old, _new in batch]).update(
            **{
                kind.due_field: Case(*dates, output_field=DateField()),
                kind.note_field: Case(*notes, output_field=JSONField()),
            }
        )
