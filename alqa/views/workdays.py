"""The working-day calculator and the calendar of exceptions."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alqa import permissions
from alqa.domain.calendar import add_calendar_exception, load_calendar
from alqa.domain.workdays import add_working_days, days_off
from alqa.forms.registry import CalendarExceptionForm, DeadlineForm
from alqa.models import CalendarException
from alqa.views.common import apply_errors


def calculator(request):
    form = DeadlineForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        result = add_working_days(load_calendar(), start=form.cleaned_data["start"], days=form.cleaned_data["days"])
    template = "alqa/partials/deadline_result.html" if request.htmx else "alqa/workdays.html"
    return render(request, template, {"form": form, "result": result, "language": get_language()})


def calendar_year(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    cal = load_calendar()
    exceptions = CalendarException.objects.filter(date__year=year)
    form = CalendarExceptionForm() if permissions.can_edit_calendar(request.user) else None
    return render(
        request,
        "alqa/calendar.html",
        {
            "year": year,
            "days": days_off(cal, year=year),
            "working_weekends": sorted(d for d, e in cal.exceptions.items() if e.working and d.year == year),
            "exceptions": exceptions,
            "form": form,
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
        if CalendarException.objects.filter(date=data["date"]).exists():
            form.add_error("date", _("This date already has an exception; remove it first."))
        else:
            try:
                add_calendar_exception(
                    day=data["date"],
                    kind=data["kind"],
                    name_ru=data["name_ru"],
                    name_kk=data["name_kk"],
                    legal_act=data["legal_act"],
                    actor=request.user,
                )
            except (ValidationError, IntegrityError) as exc:
                apply_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            else:
                messages.success(request, _("The calendar exception has been added."))
                return redirect(f"/workdays/calendar/?year={data['date'].year}")
    return render(request, "alqa/calendar_exception_form.html", {"form": form})


