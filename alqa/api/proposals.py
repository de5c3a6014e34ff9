"""Members' proposals through the API: submitted by a member, accepted onto an agenda or returned.

Refusals (alqa.api.errors): 404 — the body or proposal is not the caller's to see; 403 — the
caller may see it but not do this (says why when it is about who the caller is); 422 — what
was sent is refused, a meeting of another body named included.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import Field, StrictBool, TypeAdapter

from alqa.api import gates
from alqa.api.common import Gated, body_with_files, named
from alqa.api.outputs import ProposalOut
from alqa.api.schemas import CaseGuardIn, Id, In, PathId, limited
from alqa.domain.meetings import member_of
from alqa.domain.proposals import accept_proposal, return_proposal, submit_proposal
from alqa.enums import ProposalStatus
from alqa.models import Body, Meeting, Member, Proposal

router = Router(tags=["meetings"])


class ProposalIn(CaseGuardIn):
    title_ru: str = limited(Proposal, "title_ru", default="")
    title_kk: str = limited(Proposal, "title_kk", default="")
    memo_ru: str = Field(default="", max_length=50000)
    memo_kk: str = Field(default="", max_length=50000)


_PROPOSAL = TypeAdapter(ProposalIn)
_PROPOSAL_SCHEMA = ProposalIn.model_json_schema()
_PROPOSAL_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _PROPOSAL_SCHEMA},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": _PROPOSAL_SCHEMA["properties"]
                | {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
            }
        },
    },
}


def _proposals() -> QuerySet[Proposal]:
    return Proposal.objects.select_related("author").prefetch_related("attachments", "items")


@router.post(
    "/bodies/{body_id}/proposals",
    response={201: ProposalOut},
    openapi_extra={"requestBody": _PROPOSAL_BODY},
    auth=gates.BODY_AUTHOR,
    summary="Submit a proposal",
)
def post_proposal(request: Gated[Member], body_id: PathId) -> Status[Proposal]:
    """A member of the body submits a proposal with its justification memo (clause 2.2.1): JSON
    {title_ru, title_kk, memo_ru, memo_kk}, or multipart/form-data with the same fields and up to
    ten `files` (PDF, DOCX, PNG, JPEG up to 10 MB each; the type is checked by content). The author is the caller's
    current membership; anyone else who can see the body gets 403."""
    author = request.auth
    payload, files = body_with_files(request, _PROPOSAL, ProposalIn)
    fields = payload.dict()
    proposal = submit_proposal(
        body=author.body,
        author=author,
        actor=request.user,
        files=files,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )
    return Status(201, proposal)


@router.get(
    "/bodies/{body_id}/proposals",
    response=list[ProposalOut],
    auth=gates.BODY_READER,
    summary="Proposals of a body",
)
def list_proposals(
    request: Gated[Body], body_id: PathId, status: ProposalStatus | None = None
) -> QuerySet[Proposal]:
    """Every proposal of the body with its status (newest first); `status` filters."""
    qs = _proposals().filter(body=request.auth)
    if status is not None:
        qs = qs.filter(status=status)
    return qs


@router.get("/proposals/{proposal_id}", response=ProposalOut, auth=gates.PROPOSAL_READER)
def get_proposal(request: Gated[Proposal], proposal_id: PathId) -> Proposal:
    return request.auth


class AcceptIn(In):
    meeting_id: Id
    withdraw_approval: StrictBool = Field(
        default=False,
        description="true to put the proposal on an approved agenda, withdrawing its approval (else 409)",
    )


class ReturnIn(CaseGuardIn):
    reason: str = Field(max_length=2000)


@router.post(
    "/proposals/{proposal_id}/accept",
    response=ProposalOut,
    auth=gates.PROPOSAL_MANAGER,
    summary="Accept a proposal onto an agenda",
)
def accept(request: Gated[Proposal], proposal_id: PathId, payload: AcceptIn) -> Proposal:
    """The chair, a deputy chair or the secretary puts the proposal on a meeting's agenda (its
    author speaks); the answer is the proposal, now `accepted`, with its agenda item. The author
    is told by e-mail. Onto an approved agenda only with `withdraw_approval: true` (else 409)."""
    proposal = request.auth
    meeting = named(
        Meeting.objects.filter(body_id=proposal.body_id),
        payload.meeting_id,
        field="meeting_id",
        message=_("There is no such meeting in this body."),
    )
    accept_proposal(
        proposal,
        meeting=meeting,
        actor=request.user,
        decider=member_of(request.user, proposal.body),
        withdraw_approval=payload.withdraw_approval,
    )
    return proposal


@router.post(
    "/proposals/{proposal_id}/return",
    response=ProposalOut,
    auth=gates.PROPOSAL_MANAGER,
    summary="Return a proposal to its author",
)
def return_(request: Gated[Proposal], proposal_id: PathId, payload: ReturnIn) -> Proposal:
    """The chair, a deputy chair or the secretary returns the proposal with the reason; the author
    is told by e-mail."""
    proposal = request.auth
    return return_proposal(
        proposal,
        reason=payload.reason,
        actor=request.user,
        decider=member_of(request.user, proposal.body),
        identifiers_confirmed=payload.confirm_identifiers,
    )
