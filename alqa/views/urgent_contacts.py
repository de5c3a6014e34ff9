"""Urgent contacts (clause 2.2.5): the directory of unit heads and the Presidium with the log of
contacts, a new contact by any member, and the secretary putting the contacts waiting on a
meeting's agenda as one question."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.urgent_contacts import log_contact, put_on_agenda
from alqa.forms.common import apply_errors
from alqa.forms.oversight import UrgentContactForm
from alqa.queries.oversight import urgent_contacts_page
from alqa.views.requests import _page_number


@login_required
def urgent_contact_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    page_number = _page_number(request)
    return render(
        request,
        "alqa/urgent_contacts/list.html",
        {
            "body": body,
            "page": urgent_contacts_page(body, page=page_number),
            "page_number": page_number,
            "can_manage": permissions.can_manage_body(request.user, body),
            "can_log": permissions.roles_in_body(request.user, body) != set(),
        },
    )


@login_required
def urgent_contact_new(request, body_id):
    member = permissions.get_contact_member_for_user(request.user, body_id)
    body = member.body
    posted = request.method == "POST"
    form = UrgentContactForm(request.POST if posted else None, body=body)
    if posted and form.is_valid():
        try:
            log_contact(body=body, actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The urgent contact has been logged; it waits for the next meeting."))
            return redirect("urgent_contacts", body_id=body.pk)
    return render(
        request,
        "alqa/urgent_contacts/form.html",
        {"body": body, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def meeting_urgent_contacts(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    try:
        put_on_agenda(
            meeting, actor=request.user, withdraw_approval=request.POST.get("withdraw_approval") == "on"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The urgent contacts are on the agenda as one question."))
    return redirect("meeting", meeting_id=meeting.pk)
