"""Pages of a meeting's agenda: add a question (with its files), approve the agenda."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.attachments import add_agenda_item_with_files
from alqa.domain.meetings import approve_agenda
from alqa.forms.common import apply_errors
from alqa.forms.meetings import AgendaItemForm
from alqa.views.common import meeting_url


@login_required
def agenda_item_new(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    form = AgendaItemForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            add_agenda_item_with_files(meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The question has been added to the agenda."))
            return redirect(meeting_url(meeting, "agenda"))
    return render(
        request, "alqa/meetings/item_form.html", {"form": form, "meeting": meeting, "body": meeting.body}
    )


@login_required
@require_POST
def agenda_approve(request, meeting_id):
    # read afresh (not from the page cache); only the presiding person gets as far as the domain
    meeting = permissions.get_meeting_to_approve(request.user, meeting_id)
    try:
        approve_agenda(meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The agenda has been approved (version %(version)s).") % {"version": meeting.agenda_version},
        )
    return redirect(meeting_url(meeting, "agenda"))
