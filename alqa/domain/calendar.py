"""The working-day calendar as stored: holidays.KZ plus administrators' exceptions."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from alqa.domain.audit import record_event
from alqa.domain.workdays import DayName, Exception_, WorkCalendar, calendar_with
from alqa.enums import CalendarExceptionKind
from alqa.models import CalendarException, User

_WORKING_KINDS = {CalendarExceptionKind.WORKING_DAY, CalendarExceptionKind.HOLIDAY_REMOVED}


def load_calendar() -> WorkCalendar:
    """The calendar in force: one query for the exceptions, the library's years cached in process."""
    rows = CalendarException.objects.only("date", "kind", "name_ru", "name_kk", "legal_act")
    return calendar_with(
        Exception_(
            day=row.date,
            working=row.kind in _WORKING_KINDS,
            name=DayName(ru=row.name_ru, kk=row.name_kk or row.name_ru, en=row.name_ru),
        )
        for row in rows
    )


def add_calendar_exception(
    *, day: date, kind: str, name_ru: str, name_kk: str, legal_act: str, actor: User
) -> CalendarException:
    """Effects: stores the exception; records `calendar.exception_added`. Open deadlines are
    recomputed by the capabilities that own them when they read the calendar again."""
    with transaction.atomic():
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
