"""The working-day calendar as stored: holidays.KZ plus administrators' exceptions."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from alqa.domain.audit import record_event
from alqa.domain.errors import atomic_unique
from alqa.domain.workdays import FIRST_YEAR, LAST_YEAR, DayName, Exception_, WorkCalendar, calendar_with
from alqa.enums import CalendarExceptionKind
from alqa.models import CalendarException, User

_cached: tuple[tuple, WorkCalendar] | None = None


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
        calendar = calendar_with(
            Exception_(
                day=day if isinstance(day, date) else date.fromisoformat(str(day)),
                kind=CalendarExceptionKind(kind).value,
                # There is no English name in the table: English readers see the Russian one.
                name=DayName(ru=name_ru, kk=name_kk or name_ru, en=name_ru),
            )
            for day, kind, name_ru, name_kk in rows
        )
        cached = _cached = (rows, calendar)
    return cached[1]


def add_calendar_exception(
    *, day: date, kind: str, name_ru: str, name_kk: str, legal_act: str, actor: User
) -> CalendarException:
    """Effects: stores the exception; records `calendar.exception_added`. Open deadlines are
    recomputed by the capabilities that own them when they read the calendar again.

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
    return exc


def remove_calendar_exception(exc: CalendarException, *, actor: User) -> None:
    with transaction.atomic():
        record_event(
            exc,
            "calendar.exception_removed",
            actor=actor,
            body=None,
            data={"date": exc.date, "kind": exc.kind, "legal_act": exc.legal_act},
        )
        exc.delete()
