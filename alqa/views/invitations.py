"""Pages of invitations: invite a participant to a meeting; the private link to reply; a signed-in
member's or participant's reply in the app, and the materials they send."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alqa import permissions
from alqa.domain.attachments import attach_files
from alqa.domain.meetings import invite_guest, reply_to_invitation
from alqa.enums import REPLY_IN_FIRST_PERSON, InvitationReply, MeetingStatus
from alqa.forms.common import apply_errors
from alqa.forms.meetings import InviteGuestForm, MaterialsForm
from alqa.models import Invitation
from alqa.views.common import meeting_url


@login_required
@require_POST
def meeting_invite_guest(request, meeting_id):
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    form = InviteGuestForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            invite_guest(meeting, guest=form.cleaned_data["guest"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(name)s has been invited.") % {"name": form.cleaned_data["guest"].full_name}
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(meeting_url(meeting, "invitations"))


def invitation_reply(request, token):
    """The private link of an invitation: no sign-in; the token is the key."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("meeting__body", "member", "guest"), token=str(token)[:64]
    )
    meeting = invitation.meeting
    if request.method == "POST":
        try:
            reply_to_invitation(invitation, reply=request.POST.get("reply", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your reply has been recorded."))
        return redirect("invitation_reply", token=invitation.token)
    return render(
        request,
        "alqa/meetings/reply.html",
        {
            "invitation": invitation,
            "meeting": meeting,
            "items": list(meeting.items.all()),
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
            "replies": [(v, label) for v, label in InvitationReply.choices if v != InvitationReply.PENDING],
        },
    )


@login_required
def meeting_reply(request, meeting_id):
    """The signed-in reader's reply to their own invitation, in the first person. "I will send
    materials" leads on to the page that takes them."""
    invitation = permissions.get_own_invitation(request.user, meeting_id)
    meeting = invitation.meeting
    if request.method == "POST":
        reply = request.POST.get("reply", "")
        try:
            reply_to_invitation(invitation, reply=reply)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("meeting_reply", meeting_id=meeting.pk)
        messages.success(request, _("Thank you: your reply has been recorded."))
        if reply == InvitationReply.MATERIALS:
            return redirect("meeting_materials", meeting_id=meeting.pk)
        return redirect(meeting_url(meeting, "my-invitation"))
    return render(
        request,
        "alqa/meetings/my_reply.html",
        {
            "invitation": invitation,
            "meeting": meeting,
            "body": meeting.body,
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
            "replies": list(REPLY_IN_FIRST_PERSON.items()),
        },
    )


@login_required
def meeting_materials(request, meeting_id):
    """The invited reader sends materials to a question of the agenda (the files are checked as
    every file of Alqa: alqa.domain.attachments)."""
    invitation = permissions.get_own_invitation(request.user, meeting_id)
    meeting = invitation.meeting
    form = MaterialsForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            attach_files(form.cleaned_data["item"], files=form.cleaned_data["files"], actor=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your materials have been added to the question."))
            return redirect(meeting_url(meeting, f"item-{form.cleaned_data['item'].pk}"))
    return render(
        request,
        "alqa/meetings/materials.html",
        {"form": form, "meeting": meeting, "body": meeting.body, "invitation": invitation},
    )
