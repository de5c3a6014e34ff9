"""Proposals, meetings, agenda, invitations, attendance, quorum and decisions through the API.

Status codes, the same everywhere in this router:

* 201 — something was created (a proposal, a meeting, an agenda item, a decision, an invitation);
* 200 — a read, or an action on an existing record (accept, return, approve, cancel, change,
  attendance);
* 404 — the body, meeting or proposal of the path does not exist or is not the caller's to see;
* 403 — the caller may see the record but not do this: not a manager of the body, not a member
  (for proposals), or not the presiding person (for approving the agenda); the answer says why
  when the refusal is about who the caller is in this meeting;
* 422 — what was sent is refused: {"detail": [{"loc", "msg", "type"}]}. A record named in the
  request body (a member, a unit, a proposal, a participant, a decision) that is not in this
  body is a 422 on that field, not a 404. A decision refused for want of quorum says the
  arithmetic per side.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DomainError
from django.db.models import prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError
from pydantic import Field, TypeAdapter
from pydantic import ValidationError as PydanticError

from alqa import permissions
from alqa.api.schemas import In
from alqa.documents.ics import meeting_ics
from alqa.domain import meetings as domain
from alqa.domain.case_guard import CODE as CASE_GUARD_CODE
from alqa.domain.proposals import accept_proposal, return_proposal, submit_proposal
from alqa.domain.workdays import FIRST_YEAR, LAST_YEAR, MAX_DAYS
from alqa.enums import (
    AgendaItemKind,
    ExtraordinaryInitiator,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    OnlineGround,
    ProposalStatus,
)
from alqa.models import AgendaItem, Decision, Guest, Meeting, Member, Proposal, Unit

router = Router(tags=["meetings"])

FIRST_DAY = date(FIRST_YEAR, 1, 1)
LAST_DAY = date(LAST_YEAR, 12, 31)
MAX_EXECUTORS = 20
# A record's id as the databases store it (a larger number would reach the database and fail there).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]

# The domain names model fields; the API's callers send these names.
FIELD_NAMES = {
    "presiding": "presiding_member_id",
    "decided_by": "decided_by_member_id",
    "initiator_unit": "initiator_unit_id",
    "speaker": "speaker_member_id",
    "proposal": "proposal_id",
    "remark_on": "remark_on_decision_id",
    "guest": "guest_id",
    "meeting": "meeting_id",
    "agenda_item": "agenda_item_id",
}


# --- errors -------------------------------------------------------------------------------------


def _loc(field: str, whole: set[str]) -> list:
    """`executors.1` -> ["body", "executors", 1]; a field that is the whole body -> ["body"]."""
    if field == "__all__" or field in whole:
        return ["body"]
    parts: list[Any] = [int(p) if p.isdigit() else p for p in field.split(".")]
    parts[0] = FIELD_NAMES.get(parts[0], parts[0])
    return ["body", *parts]


def _message(error: DomainError) -> str:
    return next(iter(error))


@contextmanager
def refusals(*, whole: tuple[str, ...] = ()):
    """The domain's ValidationError as a 422 naming the API's fields."""
    try:
        yield
    except DomainError as exc:
        whole_fields = set(whole)
        if hasattr(exc, "error_dict"):
            detail = [
                {"loc": _loc(field, whole_fields), "msg": _message(e), "type": _type(e)}
                for field, errors in exc.error_dict.items()
                for e in errors
            ]
        else:
            detail = [{"loc": ["body"], "msg": _message(e), "type": "value_error"} for e in exc.error_list]
        raise SchemaError(detail) from None


def _type(error: DomainError) -> str:
    """ "case_identifiers" for the case guard's refusals (send confirm_identifiers to keep the
    text), "value_error" for every other."""
    return CASE_GUARD_CODE if error.code == CASE_GUARD_CODE else "value_error"


def _invalid(field: str, message: str) -> SchemaError:
    return SchemaError([{"loc": _loc(field, set()), "msg": message, "type": "value_error"}])


class Refusal(Schema):
    detail: str


# --- output -------------------------------------------------------------------------------------


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class ProposalAgendaItemOut(Schema):
    id: int
    meeting_id: int


class ProposalOut(Schema):
    id: int
    body_id: int
    author_member_id: int
    author_name: str
    title_ru: str
    title_kk: str
    memo_ru: str
    memo_kk: str
    status: ProposalStatus
    return_reason: str
    decided_by_member_id: int | None
    decided_at: datetime | None
    created_at: datetime
    files: list[FileOut]
    agenda_items: list[ProposalAgendaItemOut]


class SideOut(Schema):
    present: int
    total: int
    required: int
    met: bool


class QuorumSidesOut(Schema):
    police: SideOut
    bar: SideOut


class QuorumOut(Schema):
    met: bool
    rule: str
    sides: QuorumSidesOut
    overall: SideOut
    explanation: str


class AgendaItemOut(Schema):
    id: int
    meeting_id: int
    order: int
    kind: AgendaItemKind
    title_ru: str
    title_kk: str
    speaker_member_id: int | None
    proposal_id: int | None
    plan_item_ref: str
    remark_on_decision_id: int | None


class AttendanceOut(Schema):
    id: int
    member_id: int | None
    guest_id: int | None
    name: str
    side: str | None
    present: bool


class AssignmentOut(Schema):
    id: int
    executor_member_id: int | None
    executor_unit_id: int | None
    executor_name: str
    executor: str
    due_date: date
    due_working_days: int | None
    due_explanation: str


class DecisionOut(Schema):
    id: int
    meeting_id: int
    agenda_item_id: int
    number: int
    text_ru: str
    text_kk: str
    quorum: dict
    created_at: datetime
    assignments: list[AssignmentOut]


class InvitationOut(Schema):
    id: int
    meeting_id: int
    member_id: int | None
    guest_id: int | None
    name: str
    reply: str
    replied_at: datetime | None


class MeetingSummaryOut(Schema):
    id: int
    body_id: int
    kind: MeetingKind
    format: MeetingFormat
    status: MeetingStatus
    starts_at: datetime
    duration_minutes: int
    place: str
    conference_url: str
    online_ground: OnlineGround | None
    online_ground_note: str
    presiding_member_id: int
    retrospective: bool
    agenda_approved_at: datetime | None
    agenda_version: int


class MeetingOut(MeetingSummaryOut):
    presiding_name: str
    delegation_basis: str
    delegated_by_member_id: int | None
    initiator_kind: str
    initiator_name: str
    initiator_unit_id: int | None
    decided_by_member_id: int | None
    chair_consent: bool
    agenda_approved_by_member_id: int | None
    ical_sequence: int
    quorum: QuorumOut
    next_regular_due: date | None
    agenda_items: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    decisions: list[DecisionOut]
    invitations: list[InvitationOut]


class AttendanceAnswer(Schema):
    id: int
    quorum: QuorumOut
    attendance: list[AttendanceOut]


def _local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value is not None else None


def _proposal_out(p: Proposal) -> dict:
    return {
        "id": p.pk,
        "body_id": p.body_id,
        "author_member_id": p.author_id,
        "author_name": p.author.full_name,
        "title_ru": p.title_ru,
        "title_kk": p.title_kk,
        "memo_ru": p.memo_ru,
        "memo_kk": p.memo_kk,
        "status": p.status,
        "return_reason": p.return_reason,
        "decided_by_member_id": p.decided_by_id,
        "decided_at": _local(p.decided_at),
        "created_at": _local(p.created_at),
        "files": list(p.attachments.all()),
        "agenda_items": [{"id": i.pk, "meeting_id": i.meeting_id} for i in p.items.all()],
    }


def _proposals():
    return Proposal.objects.select_related("author").prefetch_related("attachments", "items")


def _fresh(proposal: Proposal) -> dict:
    """A proposal just written, as the answer shows it (its files and agenda items read again)."""
    for cache in ("attachments", "items"):
        getattr(proposal, "_prefetched_objects_cache", {}).pop(cache, None)
    prefetch_related_objects([proposal], "attachments", "items")
    return _proposal_out(proposal)


def _quorum_out(quorum) -> dict:
    return quorum.as_dict() | {"explanation": domain.describe_quorum(quorum)}


def _summary(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "body_id": m.body_id,
        "kind": m.kind,
        "format": m.format,
        "status": m.status,
        "starts_at": _local(m.starts_at),
        "duration_minutes": m.duration_minutes,
        "place": m.place,
        "conference_url": m.conference_url,
        "online_ground": m.online_ground or None,
        "online_ground_note": m.online_ground_note,
        "presiding_member_id": m.presiding_id,
        "retrospective": m.retrospective,
        "agenda_approved_at": _local(m.agenda_approved_at),
        "agenda_version": m.agenda_version,
    }


def _item_out(i: AgendaItem) -> dict:
    return {
        "id": i.pk,
        "meeting_id": i.meeting_id,
        "order": i.order,
        "kind": i.kind,
        "title_ru": i.title_ru,
        "title_kk": i.title_kk,
        "speaker_member_id": i.speaker_id,
        "proposal_id": i.proposal_id,
        "plan_item_ref": i.plan_item_ref,
        "remark_on_decision_id": i.remark_on_id,
    }


def _attendance_out(meeting: Meeting) -> list[dict]:
    rows = meeting.attendance.select_related("member", "guest").order_by("member__side", "id")
    return [
        {
            "id": a.pk,
            "member_id": a.member_id,
            "guest_id": a.guest_id,
            "name": (a.member or a.guest).full_name,
            "side": a.member.side if a.member else None,
            "present": a.present,
        }
        for a in rows
    ]


def _decision_out(d: Decision) -> dict:
    return {
        "id": d.pk,
        "meeting_id": d.meeting_id,
        "agenda_item_id": d.agenda_item_id,
        "number": d.number,
        "text_ru": d.text_ru,
        "text_kk": d.text_kk,
        "quorum": d.quorum,
        "created_at": _local(d.created_at),
        "assignments": [
            {
                "id": a.pk,
                "executor_member_id": a.executor_member_id,
                "executor_unit_id": a.executor_unit_id,
                "executor_name": a.executor_name,
                "executor": a.executor_label,
                "due_date": a.due_date,
                "due_working_days": a.due_working_days,
                "due_explanation": a.due_explanation,
            }
            for a in d.assignments.all()
        ],
    }


def _invitation_out(i) -> dict:
    return {
        "id": i.pk,
        "meeting_id": i.meeting_id,
        "member_id": i.member_id,
        "guest_id": i.guest_id,
        "name": i.person.full_name,
        "reply": i.reply,
        "replied_at": _local(i.replied_at),
    }


def _meeting_out(meeting: Meeting) -> dict:
    decisions = meeting.decisions.all().prefetch_related(  # through the meeting, so each decision knows it without a query
        "assignments__executor_member", "assignments__executor_unit"
    )
    invitations = meeting.invitations.select_related("member", "guest").order_by("id")
    return _summary(meeting) | {
        "presiding_name": meeting.presiding.full_name,
        "delegation_basis": meeting.delegation_basis,
        "delegated_by_member_id": meeting.delegated_by_id,
        "initiator_kind": meeting.initiator_kind,
        "initiator_name": meeting.initiator_name,
        "initiator_unit_id": meeting.initiator_unit_id,
        "decided_by_member_id": meeting.decided_by_id,
        "chair_consent": meeting.chair_consent,
        "agenda_approved_by_member_id": meeting.agenda_approved_by_id,
        "ical_sequence": meeting.ical_sequence,
        "quorum": _quorum_out(domain.quorum_for(meeting)),
        "next_regular_due": domain.body_cadence(meeting.body).next_due,
        "agenda_items": [_item_out(i) for i in meeting.items.all()],
        "attendance": _attendance_out(meeting),
        "decisions": [_decision_out(d) for d in decisions],
        "invitations": [_invitation_out(i) for i in invitations],
    }


# --- proposals ----------------------------------------------------------------------------------


class CaseGuardIn(In):
    """Input holding free text under the case guard (clause 1.2)."""

    confirm_identifiers: bool = Field(
        default=False,
        description="the case guard (clause 1.2): a text holding what looks like a criminal case's ЕРДР "
        "number or an ИИН is refused (422, type case_identifiers) unless this is true",
    )


class ProposalIn(CaseGuardIn):
    title_ru: str = Field(default="", max_length=500)
    title_kk: str = Field(default="", max_length=500)
    memo_ru: str = Field(default="", max_length=50000)
    memo_kk: str = Field(default="", max_length=50000)


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


class Unreadable(Exception):
    def __init__(self, status: int):
        self.status = status


def _proposal_input(request) -> tuple[ProposalIn, list]:
    """The proposal's fields from JSON, or from multipart/form-data with its `files`."""
    files: list = []
    if request.content_type == "multipart/form-data":
        try:
            raw = {name: request.POST.get(name) for name in ProposalIn.model_fields if name in request.POST}
            files = request.FILES.getlist("files")
        except RequestDataTooBig:
            raise Unreadable(413) from None
        except (MultiPartParserError, SuspiciousOperation):
            raise Unreadable(400) from None
    else:
        raw = _json(request)
        if not isinstance(raw, dict):
            raise SchemaError([{"loc": ["body"], "msg": "", "type": "json_invalid"}])
    try:
        return ProposalIn.model_validate(raw), files
    except PydanticError as exc:
        raise _schema_errors(exc) from None


@router.post(
    "/bodies/{body_id}/proposals",
    response={201: ProposalOut, 403: Refusal},
    openapi_extra={"requestBody": _PROPOSAL_BODY},
    summary="Submit a proposal",
)
def post_proposal(request, body_id: int):
    """A member of the body submits a proposal with its justification memo (clause 2.2.1): JSON
    {title_ru, title_kk, memo_ru, memo_kk}, or multipart/form-data with the same fields and up to
    ten `files` (PDF, DOCX, PNG, JPEG up to 10 MB each; the type is checked by content). The author is the caller's
    current membership; anyone else who can see the body gets 403."""
    body = permissions.get_body_for_user(request.user, body_id)
    author = domain.member_of(request.user, body)
    if author is None:
        return Status(403, {"detail": _("Only a member of this body may submit a proposal.")})
    try:
        payload, files = _proposal_input(request)
    except Unreadable as exc:
        return JsonResponse({"detail": _("The request could not be processed.")}, status=exc.status)
    with refusals():
        fields = payload.dict()
        proposal = submit_proposal(
            body=body,
            author=author,
            actor=request.user,
            files=files,
            identifiers_confirmed=fields.pop("confirm_identifiers"),
            **fields,
        )
    return Status(201, _fresh(proposal))


@router.get("/bodies/{body_id}/proposals", response=list[ProposalOut], summary="Proposals of a body")
def list_proposals(request, body_id: int, status: ProposalStatus | None = None):
    """Every proposal of the body with its status (newest first); `status` filters."""
    body = permissions.get_body_for_user(request.user, body_id)
    qs = _proposals().filter(body=body)
    if status is not None:
        qs = qs.filter(status=status)
    return [_proposal_out(p) for p in qs]


@router.get("/proposals/{proposal_id}", response=ProposalOut)
def get_proposal(request, proposal_id: int):
    proposal = permissions.get_proposal_for_user(request.user, proposal_id)
    return _fresh(proposal)


class AcceptIn(In):
    meeting_id: Id


class ReturnIn(CaseGuardIn):
    reason: str = Field(max_length=2000)


@router.post(
    "/proposals/{proposal_id}/accept", response=ProposalOut, summary="Accept a proposal onto an agenda"
)
def accept(request, proposal_id: int, payload: AcceptIn):
    """The chair, a deputy chair or the secretary puts the proposal on a meeting's agenda (its
    author speaks); the answer is the proposal, now `accepted`, with its agenda item. The author
    is told by e-mail."""
    proposal = permissions.get_proposal_for_user(request.user, proposal_id, write=True)
    meeting = Meeting.objects.filter(pk=payload.meeting_id, body_id=proposal.body_id).first()
    if meeting is None:
        raise _invalid("meeting_id", _("There is no such meeting in this body."))
    with refusals():
        accept_proposal(
            proposal,
            meeting=meeting,
            actor=request.user,
            decider=domain.member_of(request.user, proposal.body),
        )
    return _fresh(proposal)


@router.post(
    "/proposals/{proposal_id}/return", response=ProposalOut, summary="Return a proposal to its author"
)
def return_(request, proposal_id: int, payload: ReturnIn):
    """The chair, a deputy chair or the secretary returns the proposal with the reason; the author
    is told by e-mail."""
    proposal = permissions.get_proposal_for_user(request.user, proposal_id, write=True)
    with refusals():
        return_proposal(
            proposal,
            reason=payload.reason,
            actor=request.user,
            decider=domain.member_of(request.user, proposal.body),
            identifiers_confirmed=payload.confirm_identifiers,
        )
    return _fresh(proposal)


# --- meetings -----------------------------------------------------------------------------------


class MeetingIn(In):
    kind: MeetingKind = MeetingKind.REGULAR
    format: MeetingFormat = MeetingFormat.IN_PERSON
    starts_at: datetime = Field(description="ISO 8601 with its offset, e.g. 2026-03-09T10:00:00+05:00")
    duration_minutes: int = Field(default=120, ge=15, le=600)
    place: str = Field(default="", max_length=300)
    conference_url: str = Field(
        default="", max_length=500, description="https:// (http:// if the policy allows)"
    )
    online_ground: OnlineGround | None = Field(default=None, description="required when format is online")
    online_ground_note: str = Field(default="", max_length=500)
    presiding_member_id: Id
    delegation_basis: str = Field(default="", max_length=300)
    retrospective: bool = Field(default=False, description="true to enter a meeting already held")
    initiator_kind: ExtraordinaryInitiator | None = None
    initiator_name: str = Field(default="", max_length=300)
    initiator_unit_id: Id | None = None
    decided_by_member_id: Id | None = None
    chair_consent: bool = False


class MeetingPatch(In):
    kind: MeetingKind | None = None
    format: MeetingFormat | None = None
    starts_at: datetime | None = None
    duration_minutes: int | None = Field(default=None, ge=15, le=600)
    place: str | None = Field(default=None, max_length=300)
    conference_url: str | None = Field(default=None, max_length=500)
    online_ground: OnlineGround | None = None
    online_ground_note: str | None = Field(default=None, max_length=500)
    presiding_member_id: Id | None = None
    delegation_basis: str | None = Field(default=None, max_length=300)
    initiator_kind: ExtraordinaryInitiator | None = None
    initiator_name: str | None = Field(default=None, max_length=300)
    initiator_unit_id: Id | None = None
    decided_by_member_id: Id | None = None
    chair_consent: bool | None = None


# Fields that cannot be cleared; text fields take null as "".
_REQUIRED = ("kind", "format", "starts_at", "duration_minutes", "presiding_member_id", "chair_consent")
_TEXT = (
    "place",
    "conference_url",
    "online_ground",
    "online_ground_note",
    "delegation_basis",
    "initiator_name",
    "initiator_kind",
)


def _meeting_fields(body, data: dict) -> dict:
    """The API's names and values as the domain takes them; a named member or unit must be of the body."""
    empty = [k for k in _REQUIRED if k in data and data[k] is None]
    if empty:
        raise SchemaError(
            [
                {"loc": ["body", k], "msg": _("This field cannot be empty."), "type": "value_error"}
                for k in empty
            ]
        )
    for key in _TEXT:
        if key in data and data[key] is None:
            data[key] = ""
    starts_at = data.get("starts_at")
    if (
        starts_at is not None
        and timezone.is_aware(starts_at)
        and not FIRST_YEAR <= starts_at.year <= LAST_YEAR
    ):
        raise _invalid(
            "starts_at",
            _("Enter a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    if "presiding_member_id" in data:
        data["presiding"] = Member.objects.filter(pk=data.pop("presiding_member_id"), body=body).first()
        if data["presiding"] is None:
            raise _invalid(
                "presiding_member_id",
                _("The presiding person must be a member of this body on the day of the meeting."),
            )
    if "decided_by_member_id" in data:
        member_id = data.pop("decided_by_member_id")
        data["decided_by"] = (
            None if member_id is None else Member.objects.filter(pk=member_id, body=body).first()
        )
        if member_id is not None and data["decided_by"] is None:
            raise _invalid(
                "decided_by_member_id",
                _("The chair, or a deputy chair with the chair's consent, decides (clause 3.3)."),
            )
    if "initiator_unit_id" in data:
        unit_id = data.pop("initiator_unit_id")
        data["initiator_unit"] = (
            None if unit_id is None else Unit.objects.filter(pk=unit_id, body=body).first()
        )
        if unit_id is not None and data["initiator_unit"] is None:
            raise _invalid("initiator_unit_id", _("There is no such unit in this body."))
    return {k: (v.value if hasattr(v, "value") else v) for k, v in data.items()}


@router.post("/bodies/{body_id}/meetings", response={201: MeetingOut}, summary="Schedule a meeting")
def post_meeting(request, body_id: int, payload: MeetingIn):
    """The chair, a deputy chair or the secretary schedules a meeting (or, with `retrospective`,
    enters one already held). `starts_at` must carry its offset: a naive time is refused. A past
    time needs `retrospective: true`, and a retrospective meeting cannot be in the future; an
    online meeting needs `conference_url` (https://) and `online_ground` (a case that cannot wait,
    or quarantine measures: clauses 3.3, 3.4), an in-person one `place`; only the chair presides, or
    a deputy chair on the chair's instruction (`delegation_basis`); an extraordinary meeting
    records who proposed it and who decided it (clause 3.3). Invitations go out when the
    presiding person approves the agenda."""
    body = permissions.get_body_for_user(request.user, body_id, write=True)
    fields = _meeting_fields(body, payload.dict())
    with refusals():
        meeting = domain.schedule_meeting(body=body, actor=request.user, **fields)
    return Status(201, _meeting_out(meeting))


@router.get("/bodies/{body_id}/meetings", response=list[MeetingSummaryOut], summary="Meetings of a body")
def list_meetings(request, body_id: int, status: MeetingStatus | None = None):
    """The body's meetings, latest first; `status` filters."""
    body = permissions.get_body_for_user(request.user, body_id)
    qs = Meeting.objects.filter(body=body)
    if status is not None:
        qs = qs.filter(status=status)
    return [_summary(m) for m in qs]


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="A meeting with its quorum")
def get_meeting(request, meeting_id: int):
    """The meeting with its agenda, attendance, the quorum now (`quorum`: met, rule, and per side
    present / total / required), decisions with their executors, invitations with the replies,
    and `next_regular_due`, the date by which the body's next regular meeting must be held.
    Members of the body and the participants invited to this meeting may read it."""
    return _meeting_out(permissions.get_meeting_for_user(request.user, meeting_id))


@router.patch("/meetings/{meeting_id}", response=MeetingOut, summary="Change a meeting")
def patch_meeting(request, meeting_id: int, payload: MeetingPatch):
    """Changes the fields sent, validated as when scheduling. When the time, place, link or format
    changes after invitations went out, everyone invited gets an updated .ics. A cancelled
    meeting cannot be changed; `retrospective` cannot be changed."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    changes = _meeting_fields(meeting.body, payload.dict(exclude_unset=True))
    with refusals():
        domain.update_meeting(meeting, actor=request.user, changes=changes)
    return _meeting_out(meeting)


class CancelIn(CaseGuardIn):
    reason: str = Field(max_length=1000)


@router.post("/meetings/{meeting_id}/cancel", response=MeetingOut, summary="Cancel a meeting")
def cancel(request, meeting_id: int, payload: CancelIn):
    """Cancels the meeting with the reason; everyone invited gets a cancellation (METHOD:CANCEL)."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    with refusals():
        domain.cancel_meeting(
            meeting,
            actor=request.user,
            reason=payload.reason,
            identifiers_confirmed=payload.confirm_identifiers,
        )
    return _meeting_out(meeting)


@router.get(
    "/meetings/{meeting_id}/ical",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "iCalendar (RFC 5545)",
                "content": {"text/calendar": {"schema": {"type": "string"}}},
            }
        }
    },
    summary="The meeting as an .ics file",
)
def ical(request, meeting_id: int):
    """The meeting as iCalendar, for members of the body and the participants invited to it
    (anyone else: 404). A scheduled meeting answers METHOD:REQUEST; a cancelled one answers 200
    with METHOD:CANCEL and STATUS:CANCELLED under the same UID and a higher SEQUENCE — that is
    what makes a calendar that imported the meeting remove it, so it is not refused."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id)
    response = HttpResponse(
        meeting_ics(meeting, language=get_language() or "ru"), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- attendance ---------------------------------------------------------------------------------


class AttendanceIn(In):
    member_id: Id | None = None
    guest_id: Id | None = Field(default=None, description="an invited participant instead of a member")
    present: bool


_ATTENDANCE = TypeAdapter(list[AttendanceIn])
_ATTENDANCE_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {"type": "array", "items": AttendanceIn.model_json_schema()}}},
}


def _json(request) -> Any:
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise HttpError(400, "not JSON") from None


def _schema_errors(exc: PydanticError) -> SchemaError:
    return SchemaError(
        [
            {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"], "ctx": e.get("ctx")}
            for e in exc.errors()
        ]
    )


@router.put(
    "/meetings/{meeting_id}/attendance",
    response=AttendanceAnswer,
    openapi_extra={"requestBody": _ATTENDANCE_BODY},
    summary="Record attendance",
)
def put_attendance(request, meeting_id: int):
    """The request body is a JSON list of rows {"member_id", "present"} (a row may name an invited
    participant with "guest_id" instead). Rows are stored or updated; members not listed keep
    their rows. A member listed twice, or anyone not a member of this body on the day of the
    meeting, refuses the whole list (422, nothing stored). The answer is the quorum now."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    data = _json(request)
    if not isinstance(data, list):
        raise SchemaError([{"loc": ["body"], "msg": "", "type": "json_invalid"}])
    try:
        rows = _ATTENDANCE.validate_python(data)
    except PydanticError as exc:
        raise _schema_errors(exc) from None
    bad = [i for i, row in enumerate(rows) if (row.member_id is None) == (row.guest_id is None)]
    if bad:
        raise SchemaError([{"loc": ["body", i, "member_id"], "msg": "", "type": "missing"} for i in bad])
    members = [domain.AttendanceRow(row.member_id, row.present) for row in rows if row.member_id is not None]
    guests = [(row.guest_id, row.present) for row in rows if row.guest_id is not None]
    with refusals(whole=("attendance", "guests")):
        quorum = domain.record_attendance(meeting, actor=request.user, members=members, guests=guests)
    return {"id": meeting.pk, "quorum": _quorum_out(quorum), "attendance": _attendance_out(meeting)}


# --- agenda -------------------------------------------------------------------------------------


class AgendaItemIn(CaseGuardIn):
    title_ru: str = Field(default="", max_length=500)
    title_kk: str = Field(default="", max_length=500)
    kind: AgendaItemKind = AgendaItemKind.OTHER
    speaker_member_id: Id | None = None
    proposal_id: Id | None = Field(default=None, description="an accepted proposal of this body")
    plan_item_ref: str = Field(default="", max_length=200)
    remark_on_decision_id: Id | None = None
    order: int | None = Field(default=None, ge=1, le=999, description="empty: the question goes last")


@router.post("/meetings/{meeting_id}/agenda-items", response={201: AgendaItemOut}, summary="Add a question")
def post_agenda_item(request, meeting_id: int, payload: AgendaItemIn):
    """Adds a question to the agenda. A member's proposal comes onto an agenda when it is accepted
    (POST /proposals/{id}/accept); `proposal_id` here puts an already accepted proposal on another
    meeting. A change after approval withdraws the approval: the presiding person approves again."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    body = meeting.body
    speaker = proposal = remark_on = None
    if payload.speaker_member_id is not None:
        speaker = Member.objects.filter(pk=payload.speaker_member_id, body=body).first()
        if speaker is None:
            raise _invalid(
                "speaker_member_id", _("The speaker must be a member of this body on the day of the meeting.")
            )
    if payload.proposal_id is not None:
        proposal = Proposal.objects.filter(pk=payload.proposal_id, body=body).first()
        if proposal is None:
            raise _invalid("proposal_id", _("There is no such proposal in this body."))
        if proposal.status != ProposalStatus.ACCEPTED:
            raise _invalid(
                "proposal_id", _("Members' proposals come onto the agenda when the proposal is accepted.")
            )
    elif payload.kind == AgendaItemKind.PROPOSAL:
        raise _invalid("kind", _("Members' proposals come onto the agenda when the proposal is accepted."))
    if payload.remark_on_decision_id is not None:
        remark_on = Decision.objects.filter(pk=payload.remark_on_decision_id, meeting__body=body).first()
        if remark_on is None:
            raise _invalid("remark_on_decision_id", _("There is no such decision in this body."))
    with refusals():
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
            order=payload.order,
            identifiers_confirmed=payload.confirm_identifiers,
        )
    return Status(201, _item_out(item))


@router.post(
    "/meetings/{meeting_id}/agenda/approve",
    response={200: MeetingOut, 403: Refusal},
    summary="Approve the agenda",
)
def approve(request, meeting_id: int):
    """Only the presiding person approves the agenda (clause 3.2). Anyone else who manages the body
    — the secretary, the chair when a deputy presides — gets 403 with the message "Only the
    presiding person approves the agenda."; those who do not manage it get 403 too. Other
    refusals (empty agenda, already approved, cancelled meeting) are 422. On approval every member
    of the body on the day and every invited participant is sent the invitation with an .ics file
    (nothing is sent for a meeting entered after the fact)."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    if meeting.presiding.user_id is None or meeting.presiding.user_id != request.user.pk:
        return Status(403, {"detail": _("Only the presiding person approves the agenda.")})
    with refusals():
        domain.approve_agenda(meeting, actor=request.user)
    return _meeting_out(meeting)


# --- invitations --------------------------------------------------------------------------------


class GuestInviteIn(In):
    guest_id: Id


@router.post("/meetings/{meeting_id}/guests", response={201: InvitationOut}, summary="Invite a participant")
def post_guest(request, meeting_id: int, payload: GuestInviteIn):
    """Invites an invited participant of the body (an expert, a specialist, a public
    representative; clause 2.2.9). When the agenda is already approved the invitation is sent at
    once; otherwise it goes out with the approval."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    guest = Guest.objects.filter(pk=payload.guest_id, body=meeting.body).first()
    if guest is None:
        raise _invalid("guest_id", _("There is no such participant in this body."))
    with refusals():
        invitation = domain.invite_guest(meeting, guest=guest, actor=request.user)
    return Status(201, _invitation_out(invitation))


# --- decisions ----------------------------------------------------------------------------------


class ExecutorIn(In):
    member_id: Id | None = None
    unit_id: Id | None = None
    name: str = Field(default="", max_length=300)
    due_date: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    due_working_days: int | None = Field(
        default=None,
        ge=1,
        le=MAX_DAYS,
        description="counted from the meeting day under Kazakhstan's calendar",
    )


class DecisionIn(CaseGuardIn):
    agenda_item_id: Id
    text_ru: str = Field(default="", max_length=10000)
    text_kk: str = Field(default="", max_length=10000)
    executors: Annotated[list[ExecutorIn], Field(max_length=MAX_EXECUTORS)] = []


@router.post("/meetings/{meeting_id}/decisions", response={201: DecisionOut}, summary="Record a decision")
def post_decision(request, meeting_id: int, payload: DecisionIn):
    """Records a decision on a question of the agenda, at or after the meeting's start. Refused
    (422) while the agenda is not approved by the presiding person (clause 3.2), and (422, "There
    is no quorum: …" with the arithmetic per side) while the quorum is not met (clause 3.4). Each
    executor is a member, a unit or a named official, with a deadline given either as a date or
    as a number of working days after the meeting day (days off passed over)."""
    meeting = permissions.get_meeting_for_user(request.user, meeting_id, write=True)
    item = AgendaItem.objects.filter(pk=payload.agenda_item_id, meeting=meeting).first()
    if item is None:
        raise _invalid("agenda_item_id", _("This question is not on this meeting's agenda."))
    executors = [domain.ExecutorInput(**e.dict()) for e in payload.executors]
    with refusals():
        decision = domain.record_decision(
            meeting,
            actor=request.user,
            agenda_item=item,
            text_ru=payload.text_ru,
            text_kk=payload.text_kk,
            executors=executors,
            identifiers_confirmed=payload.confirm_identifiers,
        )
    prefetch_related_objects([decision], "assignments")
    return Status(201, _decision_out(decision))
