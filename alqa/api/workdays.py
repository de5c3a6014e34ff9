import re
from datetime import date
from typing import Annotated

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError as SchemaError
from ninja.params.functions import Query as query_param
from pydantic import Field

from alqa.api import gates
from alqa.api.common import Gated
from alqa.api.schemas import Day, In, limited
from alqa.dates import human_date, inflected_date
from alqa.domain.workdays import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_DAYS,
    CalendarRangeError,
    Deadline,
    SkippedDay,
    add_working_days,
)
from alqa.domain.workdays_calendar import add_calendar_exception, load_calendar
from alqa.enums import CalendarExceptionKind
from alqa.models import CalendarException, User

router = Router(tags=["working days"])


# The years the working-day calendar knows; outside them there is nothing to count with.
FIRST_START = date(FIRST_YEAR, 1, 1)
LAST_START = date(LAST_YEAR, 12, 31)


class DeadlineQuery(Schema):
    start: Day = Field(ge=FIRST_START, le=LAST_START)
    days: int = Field(ge=1, le=MAX_DAYS)


def _language() -> str:
    return get_language() or "ru"


class SkippedOut(Schema):
    date: Annotated[date, Field(alias="day")]
    reason: str

    @staticmethod
    def resolve_reason(skipped: SkippedDay) -> str:
        return skipped.reason.get(_language())


class DeadlineOut(Schema):
    """Read from the domain's count (alqa.domain.workdays.add_working_days)."""

    start: date
    days: int
    due: date
    skipped: list[SkippedOut]
    explanation: str

    @staticmethod
    def resolve_explanation(result: Deadline) -> str:
        return explain(result, _language())


_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def explain(result: Deadline, language: str) -> str:
    """How the deadline was counted, in `language`, with dates as that language writes them."""
    with translation.override(language):
        if result.skipped:
            skipped = "; ".join(f"{human_date(s.day)} — {s.reason.get(language)}" for s in result.skipped)
        else:
            skipped = _("none")
        text = _(
            "Counting starts the day after %(start)s; working day %(days)s is %(due)s. "
            "Days off passed over: %(skipped)s."
        ) % {
            "start": inflected_date(result.start, "ablative_bare"),
            "days": result.days,
            "due": human_date(result.due),
            "skipped": skipped,
        }
    # A date ending in an abbreviation («2026 г.») absorbs the full stop of its sentence.
    return _DOUBLE_STOP.sub(".", text)


@router.get("/workdays/deadline", response=DeadlineOut, auth=None, summary="Add working days of Kazakhstan")
def deadline(request: HttpRequest, q: Query[DeadlineQuery]) -> Deadline:
    """The `days`-th working day after `start` under Kazakhstan's calendar, with the days off
    passed over and an explanation in the language of `Accept-Language`. No login needed."""
    try:
        return add_working_days(load_calendar(), start=q.start, days=q.days)
    except CalendarRangeError:
        message = _("The due date would fall after %(last)s, beyond the calendar known to the system.")
        # `days` is a query parameter: say so in `loc` (a domain ValidationError would say "body").
        error = {"loc": ["query", "days"], "msg": message % {"last": LAST_YEAR}, "type": "value_error"}
        raise SchemaError([error]) from None


class CalendarExceptionIn(In):
    date: Annotated[Day, Field(ge=FIRST_START, le=LAST_START)]
    kind: CalendarExceptionKind
    name_ru: str = limited(CalendarException, "name_ru", min_length=1)
    name_kk: str = limited(CalendarException, "name_kk", default="")
    legal_act: str = limited(CalendarException, "legal_act", min_length=1)


class CalendarExceptionOut(Schema):
    id: int
    date: date
    kind: str
    name_ru: str
    name_kk: str
    legal_act: str


@router.get("/calendar/exceptions", response=list[CalendarExceptionOut], auth=None)
def list_exceptions(
    request: HttpRequest, year: int | None = query_param(None, ge=FIRST_START.year, le=LAST_START.year)
) -> list[CalendarException]:
    qs = CalendarException.objects.all()
    if year is not None:
        qs = qs.filter(date__year=year)
    return list(qs)


@router.post("/calendar/exceptions", response={201: CalendarExceptionOut}, auth=gates.CALENDAR_EDITOR)
def create_exception(request: Gated[User], payload: CalendarExceptionIn) -> Status[CalendarException]:
    exc = add_calendar_exception(
        day=payload.date,
        kind=payload.kind.value,
        name_ru=payload.name_ru,
        name_kk=payload.name_kk,
        legal_act=payload.legal_act,
        actor=request.user,
    )
    return Status(201, exc)
