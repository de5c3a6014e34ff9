"""The working-day calculator and the calendar of exceptions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alqa import permissions
from alqa.domain.workdays import (
    FIRST_YEAR,
    LAST_YEAR,
    CalendarRangeError,
    add_working_days,
    days_off,
    working_weekends,
)
from alqa.domain.workdays_calendar import add_calendar_exception, load_calendar
from alqa.forms.common import apply_errors
from alqa.forms.registry import CalendarExceptionForm, DeadlineForm
from alqa.models import CalendarException


def calculator(request):
    asked = "start" in request.GET or "days" in request.GET
    form = DeadlineForm(request.GET if asked else None)
    result = start_reason = None
    if asked and form.is_valid():
        cal = load_calendar()
        try:
            result = add_working_days(cal, start=form.cleaned_data["start"], days=form.cleaned_data["days"])
            start_reason = cal.off_reason(result.start)
        except CalendarRangeError:
            form.add_error(
                "days",
                _("The due date would fall after %(last)s, beyond the calendar known to the system.")
                % {"last": LAST_YEAR},
            )
    template = "alqa/partials/deadline_result.html" if request.htmx else "alqa/workdays/calculator.html"
    return render(
        request,
        template,
        {"form": form, "result": result, "start_reason": start_reason, "language": get_language()},
    )


def calendar_year(request):
    this_year = timezone.localdate().year
    year_error = None
    raw = request.GET.get("year", "").strip()
    try:
        year = int(raw) if raw else this_year
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        year_error = _("The year must be a number from %(first)s to %(last)s; showing %(year)s instead.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
            "year": this_year,
        }
        year = this_year
    cal = load_calendar()
    return render(
        request,
        "alqa/workdays/calendar.html",
        {
            "year": year,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
            "year_error": year_error,
            "days": days_off(cal, year=year),
            "working_weekends": working_weekends(cal, year=year),
            "exceptions": CalendarException.objects.filter(date__year=year),
            "can_edit": permissions.can_edit_calendar(request.user),
            "language": get_language(),
        },
    )


@login_required
def calendar_exception_new(request):
    if not permissions.can_edit_calendar(request.user):
        raise PermissionDenied
    form = CalendarExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_calendar_exception(
                day=data["date"],
                kind=data["kind"],
                name_ru=data["name_ru"],
                name_kk=data["name_kk"],
                legal_act=data["legal_act"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except IntegrityError:  # another administrator saved the same date a moment earlier
            form.add_error("date", _("This date already has an exception; remove it first."))
        else:
            messages.success(request, _("The calendar exception has been added."))
            return redirect(f"{reverse('calendar')}?year={data['date'].year}")
    return render(request, "alqa/workdays/exception_form.html", {"form": form})
