from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from alqa import permissions
from alqa.domain.calendar import add_calendar_exception, load_calendar
from alqa.domain.workdays import MAX_DAYS, add_working_days
from alqa.enums import CalendarExceptionKind
from alqa.models import CalendarException

router = Router(tags=["working days"])


class DeadlineQuery(Schema):
    start: date
    days: int = Field(ge=1, le=MAX_DAYS)


class SkippedOut(Schema):
    date: date
    reason: str


class DeadlineOut(Schema):
    start: date
    days: int
    due: date
    skipped: list[SkippedOut]
    explanation: str


def explain(result, language: str) -> str:
    if result.skipped:
        skipped = "; ".join(f"{s.day.strftime('%d.%m.%Y')} — {s.reason.get(language)}" for s in result.skipped)
    else:
        skipped = _("none")
    return _(
        "Counting starts the day after %(start)s; working day %(days)s is %(due)s. "
        "Days off passed over: %(skipped)s."
    ) % {
        "start": result.start.strftime("%d.%m.%Y"),
        "days": result.days,
        "due": result.due.strftime("%d.%m.%Y"),
        "skipped": skipped,
    }


@router.get("/workdays/deadline", response=DeadlineOut, auth=None, summary="Add working days of Kazakhstan")
def deadline(request, q: Query[DeadlineQuery]):
    """The `days`-th working day after `start` under Kazakhstan's calendar, with the days off
    passed over and an explanation in the language of `Accept-Language`. No login needed."""
    language = get_language() or "ru"
    result = add_working_days(load_calendar(), start=q.start, days=q.days)
    return {
        "start": result.start,
        "days": result.days,
        "due": result.due,
        "skipped": [{"date": s.day, "reason": s.reason.get(language)} for s in result.skipped],
        "explanation": explain(result, language),
    }


class CalendarExceptionIn(Schema):
    date: date
    kind: CalendarExceptionKind
    name_ru: str = Field(min_length=1, max_length=200)
    name_kk: str = Field(default="", max_length=200)
    legal_act: str = Field(min_length=1, max_length=400)


class CalendarExceptionOut(Schema):
    id: int
    date: date
    kind: str
    name_ru: str
    name_kk: str
    legal_act: str


@router.get("/calendar/exceptions", response=list[CalendarExceptionOut], auth=None)
def list_exceptions(request, year: int | None = None):
    qs = CalendarException.objects.all()
    if year is not None:
        qs = qs.filter(date__year=year)
    return list(qs)


@router.post("/calendar/exceptions", response={201: CalendarExceptionOut})
def create_exception(request, payload: CalendarExceptionIn):
    from django.core.exceptions import PermissionDenied, ValidationError

    if not permissions.can_edit_calendar(request.user):
        raise PermissionDenied
    if CalendarException.objects.filter(date=payload.date).exists():
        raise ValidationError({"date": _("This date already has an exception; remove it first.")})
    exc = add_calendar_exception(
        day=payload.date,
        kind=payload.kind.value,
        name_ru=payload.name_ru,
        name_kk=payload.name_kk,
        legal_act=payload.legal_act,
        actor=request.user,
    )
    return 201, exc
