"""Recording a decision on a question of the agenda, with its executors and their deadlines."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from alqa import permissions
from alqa.domain.meetings import record_decision
from alqa.forms.common import apply_errors
from alqa.forms.meetings import DecisionForm
from alqa.models import AgendaItem
from alqa.queries.meetings import quorum_summary
from alqa.views.common import meeting_url


@login_required
def decision_new(request, meeting_id, item_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    item = get_object_or_404(AgendaItem.objects.filter(meeting=meeting), pk=item_id)
    form = DecisionForm(request.POST if request.method == "POST" else None, body=meeting.body)
    if form.is_bound and form.is_valid():
        try:
            record_decision(meeting, actor=request.user, agenda_item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect(meeting_url(meeting, "decisions"))
    return render(
        request,
        "alqa/meetings/decision_form.html",
        {
            "form": form,
            "meeting": meeting,
            "item": item,
            "body": meeting.body,
            "quorum": quorum_summary(meeting),
        },
    )
