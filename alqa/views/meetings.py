"""Pages of meetings: the list, schedule, change, cancel, and the meeting page itself.

Each view reaches the meeting through permissions.get_meeting_for_user, reads what a page shows
through one read function (alqa.queries.meetings) or calls one domain function; the domain's
ValidationError goes back onto the form. Agenda, invitations, attendance, decisions and files
have their own modules beside this one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from alqa import permissions
from alqa.domain.meetings import (
    CANCEL,
    CHANGE,
    cancel_meeting,
    current_chair,
    schedule_meeting,
    update_meeting,
)
from alqa.enums import MeetingStatus
from alqa.forms.common import apply_errors
from alqa.forms.meetings import CancelMeetingForm, InviteGuestForm, MeetingForm
from alqa.fragments import cached_fragment, remember_until_change
from alqa.queries.meetings import meeting_list as read_meeting_list
from alqa.queries.meetings import meeting_page, my_invitation
from alqa.views.agenda import refused


@login_required
def meeting_list(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id)
    return render(
        request,
        "alqa/meetings/list.html",
        {
            "body": body,
            "page": read_meeting_list(body),
            "can_manage": permissions.can_manage_body(request.user, body),
        },
    )


@login_required
def meeting_new(request, body_id):
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    chair = current_chair(body, on=timezone.localdate())
    form = MeetingForm(request.POST or None, body=body, initial={"presiding": chair})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = schedule_meeting(body=body, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if meeting.retrospective:
                messages.success(request, _("The meeting has been entered after the fact."))
            else:
                messages.success(
                    request,
                    _(
                        "The meeting has been scheduled. Add the agenda; invitations go out "
                        "when the presiding person approves it."
                    ),
                )
            return redirect("meeting", meeting_id=meeting.pk)
    return render(request, "alqa/meetings/form.html", {"form": form, "body": body, "meeting": None})


@login_required
def meeting_edit(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    if meeting.status == MeetingStatus.CANCELLED:
        messages.error(request, _("A cancelled meeting cannot be changed."))
        return redirect("meeting", meeting_id=meeting.pk)
    if (refusal := refused(request, meeting, CHANGE)) is not None:
        return refusal
    form = MeetingForm(
        request.POST or None, body=meeting.body, editing=True, initial=MeetingForm.initial_from(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_meeting(meeting, actor=request.user, changes=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("meeting", meeting_id=meeting.pk)
    return render(
        request, "alqa/meetings/form.html", {"form": form, "body": meeting.body, "meeting": meeting}
    )


@login_required
def meeting_cancel(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    if (
        meeting.status != MeetingStatus.CANCELLED
        and (refusal := refused(request, meeting, CANCEL)) is not None
    ):
        return refusal
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_meeting(meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been cancelled; everyone invited has been told."))
            return redirect("meeting", meeting_id=meeting.pk)
    return render(
        request, "alqa/meetings/cancel.html", {"form": form, "meeting": meeting, "body": meeting.body}
    )


@login_required
def meeting_detail(request, meeting_id):
    """The meeting page. Its content is kept in the cache per meeting and kind of reader until
    the next audited change (alqa.fragments); what each kind of reader sees is
    permissions.meeting_reader's to decide."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    reader = permissions.meeting_reader(request.user, meeting)

    def context() -> dict:
        page = meeting_page(meeting, reader)
        return {
            "page": page,
            "guest_form": InviteGuestForm(meeting=meeting) if page.guests_to_invite else None,
        }

    # what the page offers changes when the meeting begins, without any change being recorded
    begun = meeting.starts_at <= timezone.now()
    content = cached_fragment(
        request,
        "alqa/meetings/_detail.html",
        context,
        parts=("meeting", meeting.pk, begun, *reader.cache_parts),
    )
    return render(
        request,
        "alqa/meetings/detail.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "content": content,
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
            # the member's own invitation is theirs alone: read afresh, outside the cached content
            # (kept per reader until the next change, as the meeting itself is)
            "mine": remember_until_change(
                ("my-invitation", meeting.pk, request.user.pk),
                lambda: my_invitation(meeting, request.user.pk),
            )
            if reader.member
            else None,
        },
    )
