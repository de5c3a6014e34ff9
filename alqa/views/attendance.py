"""The attendance sheet of a meeting, and the quorum it makes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.meetings import record_attendance
from alqa.forms.meetings import AttendanceForm
from alqa.queries.meetings import quorum_summary
from alqa.views.common import meeting_url


@login_required
@require_POST
def meeting_attendance(request, meeting_id):
    """Saves the sheet; from the page's script (htmx) it answers with the quorum box alone."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    form = AttendanceForm(request.POST)
    error = None
    if form.is_valid():
        try:
            record_attendance(meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = " ".join(form.non_field_errors())
    if request.htmx:
        return render(
            request,
            "alqa/meetings/_quorum.html",
            {
                "quorum": quorum_summary(meeting),
                "attendance_error": error,
                "attendance_saved": error is None,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The attendance has been saved."))
    return redirect(meeting_url(meeting, "attendance"))
