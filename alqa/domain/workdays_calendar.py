"""The working-day calendar in force: holidays.KZ plus the administrators' calendar exceptions,
and the functions that add and remove those. The counting itself is pure and lives in
`alqa/domain/workdays.py`; each change moves the open deadlines counted in working days with it
(`alqa/domain/deadlines.py`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from alqa.domain.audit import hold_head, record_event
from alqa.domain.deadlines import follow_calendar_change
from alqa.domain.errors import atomic_unique
from alqa.domain.workdays import FIRST_YEAR, LAST_YEAR, DayException, DayName, WorkCalendar, calendar_with
from alqa.enums import CalendarExceptionKind
from alqa.models import CalendarException, User

_cached: tuple[tuple[tuple[Any, ...], ...], WorkCalendar] | None = None


def load_calendar() -> WorkCalendar:
    """The calendar in force. Every call reads the exceptions (one plain query, so a change made in
    another worker is seen at once); the calendar object is rebuilt only when they changed, and the
    library's years are cached in process. Callers share the object and must not change it."""
    global _cached
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT date, kind, name_ru, name_kk FROM {CalendarException._meta.db_table} ORDER BY date"
        )
        rows = tuple(cursor.fetchall())
    cached = _cached
    if cached is None or cached[0] != rows:
        calendar = calendar_with(_day_exception(*row) for row in rows)
        cached = _cached = (rows, calendar)
    return cached[1]


def calendar_for_deadlines() -> WorkCalendar:
    """The calendar to count a deadline that will be stored, read inside the writer's transaction.

    A calendar change moves the stored deadlines it finds (`_follow`) while holding the audit head's
    lock until it commits. A deadline counted on a calendar read before that commit, but stored
    after the change looked, would keep the old count for good. So the head's lock is taken first:
    a change in flight finishes before this read (which then sees it), and a change that starts
    later finds this deadline stored. (On SQLite, IMMEDIATE transactions already run one at a time.)"""
    hold_head()
    return load_calendar()


def _day_exception(day: date, kind: str, name_ru: str, name_kk: str) -> DayException:
    return DayException(
        day=day if isinstance(day, date) else date.fromisoformat(str(day)),
        kind=CalendarExceptionKind(kind).value,
        # There is no English name in the table: English readers see the Russian one.
        name=DayName(ru=name_ru, kk=name_kk or name_ru, en=name_ru),
    )


def _follow(exc: CalendarException, *, pk: int, added: bool, actor: User) -> None:
    """Moves the open deadlines the change of `exc.date` moves (alqa/domain/deadlines.py).

    Runs after the change's own audit event, which holds the audit chain's head lock until the
    transaction ends: calendar changes are therefore serialised, and the calendar read here
    includes every change committed before this one."""
    after = load_calendar()
    without = {d: e for d, e in after.exceptions.items() if d != exc.date}
    with_it = without | {exc.date: _day_exception(exc.date, exc.kind, exc.name_ru, exc.name_kk)}
    follow_calendar_change(
        day=exc.date,
        before=WorkCalendar(without if added else with_it),
        after=WorkCalendar(with_it if added else without),
        cause={
            "exception": pk,
            "change": "added" if added else "removed",
            "date": exc.date,
            "kind": exc.kind,
            "legal_act": exc.legal_act,
        },
        actor=actor,
    )


def add_calendar_exception(
    *, day: date, kind: str, name_ru: str, name_kk: str, legal_act: str, actor: User
) -> CalendarException:
    """Effects: stores the exception; records `calendar.exception_added`; moves every open
    deadline counted in working days that the change moves, each with its own audit event
    (`alqa.domain.deadlines.follow_calendar_change`).

    Raises ValidationError (naming the field) for an unknown kind, a date outside the years the
    calendar knows, a date that already has an exception, or an empty name or legal act."""
    errors = {}
    if kind not in CalendarExceptionKind.values:
        errors["kind"] = _("Choose one of the kinds of exception.")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors["date"] = _("Enter a date between %(first)s and %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    elif CalendarException.objects.filter(date=day).exists():
        errors["date"] = _("This date already has an exception; remove it first.")
    if not name_ru.strip():
        errors["name_ru"] = _("This field is required.")
    if not legal_act.strip():
        errors["legal_act"] = _("Cite the legal act that makes this change.")
    if errors:
        raise ValidationError(errors)
    # a parallel request for the same date passed the check above too: the unique date refuses it
    with atomic_unique("date", _("This date already has an exception; remove it first.")):
        exc = CalendarException.objects.create(
            date=day, kind=kind, name_ru=name_ru, name_kk=name_kk, legal_act=legal_act, created_by=actor
        )
        record_event(
            exc,
            "calendar.exception_added",
            actor=actor,
            body=None,
            data={"date": day, "kind": kind, "name_ru": name_ru, "name_kk": name_kk, "legal_act": legal_act},
        )
        _follow(exc, pk=exc.pk, added=True, actor=actor)
    return exc


def remove_calendar_exception(exc: CalendarException, *, actor: User) -> None:
    """Effects: records `calendar.exception_removed`; deletes the exception; moves every open
    deadline counted in working days that the change moves, as `add_calendar_exception` does."""
    with transaction.atomic():
        record_event(
            exc,
            "calendar.exception_removed",
            actor=actor,
            body=None,
            data={"date": exc.date, "kind": exc.kind, "legal_act": exc.legal_act},
        )
        pk = exc.pk
        exc.delete()
        _follow(exc, pk=pk, added=False, actor=actor)
