"""The agenda through the API: questions added, changed, moved and removed, the agenda approved by
the presiding person. A change to an approved agenda withdraws the approval; the caller says so
with `withdraw_approval: true`, else the answer is 409 and nothing changes."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError as DomainError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool

from alqa.api import gates
from alqa.api.common import Gated, named
from alqa.api.outputs import AgendaItemOut, MeetingOut
from alqa.api.schemas import CaseGuardIn, Id, In, PathId, limited
from alqa.domain import meetings as domain
from alqa.enums import AgendaItemKind, ProposalStatus
from alqa.models import AgendaItem, Decision, Meeting, Member, PlanItem, Proposal

router = Router(tags=["meetings"])


class AgendaItemIn(CaseGuardIn):
    title_ru: str = limited(AgendaItem, "title_ru", default="")
    title_kk: str = limited(AgendaItem, "title_kk", default="")
    kind: AgendaItemKind = AgendaItemKind.OTHER
    speaker_member_id: Id | None = None
    proposal_id: Id | None = Field(default=None, description="an accepted proposal of this body")
    plan_item_ref: str = limited(AgendaItem, "plan_item_ref", default="")
    remark_on_decision_id: Id | None = None
    plan_item_id: Id | None = Field(
        default=None,
        description="the item of this body's plan reported on; the decision on it records its result",
    )
    order: int | None = Field(
        default=None,
        ge=1,
        le=999,
        description="the position; the questions from it on move down. Empty: last",
    )
    withdraw_approval: StrictBool = Field(
        default=False, description="true to add to an approved agenda, withdrawing its approval"
    )


WITHDRAW = "true to change an approved agenda, withdrawing its approval (else 409)"


class AgendaItemChangeIn(CaseGuardIn):
    title_ru: str = limited(AgendaItem, "title_ru", default="")
    title_kk: str = limited(AgendaItem, "title_kk", default="")
    speaker_member_id: Id | None = None
    plan_item_ref: str = limited(AgendaItem, "plan_item_ref", default="")
    withdraw_approval: StrictBool = Field(default=False, description=WITHDRAW)


class WithdrawQuery(Schema):
    withdraw_approval: bool = Field(default=False, description=WITHDRAW)


class AgendaItemMoveIn(In):
    direction: Literal["up", "down"]
    withdraw_approval: StrictBool = Field(default=False, description=WITHDRAW)


@router.post(
    "/meetings/{meeting_id}/agenda-items",
    response={201: AgendaItemOut},
    auth=gates.MEETING_MANAGER,
    summary="Add a question",
)
def post_agenda_item(
    request: Gated[Meeting], meeting_id: PathId, payload: AgendaItemIn
) -> Status[AgendaItem]:
    """Adds a question to the agenda. A member's proposal comes onto an agenda when it is accepted
    (POST /proposals/{id}/accept); `proposal_id` here puts an already accepted proposal on another
    meeting. A change after approval withdraws the approval: the presiding person approves again."""
    meeting = request.auth
    body = meeting.body
    not_accepted = _("Members' proposals come onto the agenda when the proposal is accepted.")
    speaker = named(
        Member.objects.filter(body=body),
        payload.speaker_member_id,
        field="speaker_member_id",
        message=_("The speaker must be a member of this body on the day of the meeting."),
    )
    proposal = named(
        Proposal.objects.filter(body=body),
        payload.proposal_id,
        field="proposal_id",
        message=_("There is no such proposal in this body."),
    )
    if proposal is not None and proposal.status != ProposalStatus.ACCEPTED:
        raise DomainError({"proposal_id": not_accepted})
    if proposal is None and payload.kind == AgendaItemKind.PROPOSAL:
        raise DomainError({"kind": not_accepted})
    remark_on = named(
        Decision.objects.filter(meeting__body=body),
        payload.remark_on_decision_id,
        field="remark_on_decision_id",
        message=_("There is no such decision in this body."),
    )
    plan_item = named(
        PlanItem.objects.filter(plan__body=body).select_related("plan"),
        payload.plan_item_id,
        field="plan_item_id",
        message=_("There is no such plan item in this body."),
    )
    item = domain.add_agenda_item(
        meeting,
        actor=request.user,
        title_ru=payload.title_ru,
        title_kk=payload.title_kk,
        kind=payload.kind.value,
        speaker=speaker,
        proposal=proposal,
        plan_item_ref=payload.plan_item_ref,
        remark_on=remark_on,
        plan_item=plan_item,
        order=payload.order,
        identifiers_confirmed=payload.confirm_identifiers,
        withdraw_approval=payload.withdraw_approval,
    )
    return Status(201, item)


# before the routes of one question: /agenda/approve is not a question's address
@router.post(
    "/meetings/{meeting_id}/agenda/approve",
    response=MeetingOut,
    auth=gates.PRESIDING,
    summary="Approve the agenda",
)
def approve(request: Gated[Meeting], meeting_id: PathId) -> Meeting:
    """Only the presiding person approves the agenda (clause 3.2). Anyone else who manages the body
    — the secretary, the chair when a deputy presides — gets 403 with the message "Only the
    presiding person approves the agenda."; those who do not manage it get 403 too. Other
    refusals (empty agenda, already approved, cancelled meeting) are 422. On approval every member
    of the body on the day and every invited participant is sent the invitation with an .ics file
    (nothing is sent for a meeting entered after the fact)."""
    return domain.approve_agenda(request.auth, actor=request.user)


@router.patch(
    "/meetings/{meeting_id}/agenda/{item_id}",
    response=AgendaItemOut,
    auth=gates.AGENDA_ITEM_MANAGER,
    summary="Change a question",
)
def patch_agenda_item(
    request: Gated[AgendaItem], meeting_id: PathId, item_id: PathId, payload: AgendaItemChangeIn
) -> AgendaItem:
    """Changes the question's titles, speaker and plan item (all of them: what is not sent is
    emptied). Refused (422) once a decision is recorded or the meeting is cancelled; on an
    approved agenda 409 unless `withdraw_approval` is true."""
    item = request.auth
    speaker = named(
        Member.objects.filter(body=item.meeting.body),
        payload.speaker_member_id,
        field="speaker_member_id",
        message=_("The speaker must be a member of this body on the day of the meeting."),
    )
    return domain.change_agenda_item(
        item,
        actor=request.user,
        title_ru=payload.title_ru,
        title_kk=payload.title_kk,
        plan_item_ref=payload.plan_item_ref,
        speaker=speaker,
        withdraw_approval=payload.withdraw_approval,
        identifiers_confirmed=payload.confirm_identifiers,
    )


@router.post(
    "/meetings/{meeting_id}/agenda/{item_id}/move",
    response=list[AgendaItemOut],
    auth=gates.AGENDA_ITEM_MANAGER,
    summary="Move a question up or down",
)
def move_item(
    request: Gated[AgendaItem], meeting_id: PathId, item_id: PathId, payload: AgendaItemMoveIn
) -> list[AgendaItem]:
    """Swaps the question with the one above or below; the answer is the agenda in its new order.
    The first question moved up, or the last down, stays. On an approved agenda 409 unless
    `withdraw_approval` is true."""
    item = request.auth
    domain.move_agenda_item(
        item, actor=request.user, direction=payload.direction, withdraw_approval=payload.withdraw_approval
    )
    return list(AgendaItem.objects.filter(meeting_id=item.meeting_id))


@router.delete(
    "/meetings/{meeting_id}/agenda/{item_id}",
    response={204: None},
    auth=gates.AGENDA_ITEM_MANAGER,
    summary="Remove a question",
)
def delete_agenda_item(
    request: Gated[AgendaItem],
    meeting_id: PathId,
    item_id: PathId,
    confirm: Query[WithdrawQuery],
) -> Status[None]:
    """Removes the question and its files; the questions after it move up. On an approved agenda
    409 unless `withdraw_approval=true` is sent (in the query)."""
    domain.remove_agenda_item(request.auth, actor=request.user, withdraw_approval=confirm.withdraw_approval)
    return Status(204, None)
