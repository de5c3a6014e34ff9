"""Invitations through the API: an invited participant (an expert, a specialist, a public
representative) asked to a meeting. Members are invited when the agenda is approved."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Status

from alqa.api import gates
from alqa.api.common import Gated, named
from alqa.api.outputs import InvitationOut
from alqa.api.schemas import Id, In, PathId
from alqa.domain import meetings as domain
from alqa.models import Guest, Invitation, Meeting

router = Router(tags=["meetings"])


class GuestInviteIn(In):
    guest_id: Id


@router.post(
    "/meetings/{meeting_id}/guests",
    response={201: InvitationOut},
    auth=gates.MEETING_MANAGER,
    summary="Invite a participant",
)
def post_guest(request: Gated[Meeting], meeting_id: PathId, payload: GuestInviteIn) -> Status[Invitation]:
    """Invites an invited participant of the body (an expert, a specialist, a public
    representative; clause 2.2.9). When the agenda is already approved the invitation is sent at
    once; otherwise it goes out with the approval."""
    meeting = request.auth
    guest = named(
        Guest.objects.filter(body=meeting.body),
        payload.guest_id,
        field="guest_id",
        message=_("There is no such participant in this body."),
    )
    return Status(201, domain.invite_guest(meeting, guest=guest, actor=request.user))
