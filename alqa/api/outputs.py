"""What the API answers about proposals and meetings: schemas that read the model objects.

A handler returns the model object (a `Proposal`, a `Meeting`, a `Decision` …); the schema reads
its fields, follows `Field(alias=…)` to a related object's field, and computes the rest in a
`resolve_…` method. Nothing builds an answer by hand.

What a reader is shown of a meeting is decided by `alqa.permissions.meeting_reader`, the one
place the meeting page decides it too: parts the reader may not see are answered empty (lists)
or null, never left out, so the answer has one shape for every reader; `hidden` names them.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Schema
from pydantic import Field

from alqa import permissions
from alqa.api.schemas import LocalDateTime
from alqa.domain import meetings as domain
from alqa.domain.quorum import Quorum
from alqa.enums import AgendaItemKind, MeetingFormat, MeetingKind, MeetingStatus, OnlineGround, ProposalStatus
from alqa.models import Attendance, Meeting

# --- proposals ------------------------------------------------------------------------------------


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
    author_member_id: int = Field(alias="author_id")
    author_name: str = Field(alias="author.full_name")
    title_ru: str
    title_kk: str
    memo_ru: str
    memo_kk: str
    status: ProposalStatus
    return_reason: str
    decided_by_member_id: int | None = Field(alias="decided_by_id")
    decided_at: LocalDateTime | None
    created_at: LocalDateTime
    files: list[FileOut] = Field(alias="attachments")
    agenda_items: list[ProposalAgendaItemOut] = Field(alias="items")


# --- quorum ---------------------------------------------------------------------------------------


class SideOut(Schema):
    present: int
    total: int
    required: int
    met: bool


class QuorumSidesOut(Schema):
    police: SideOut
    bar: SideOut


class QuorumOut(Schema):
    """The quorum now: met, the body's rule, and per side present / total / required."""

    met: bool
    rule: str
    sides: QuorumSidesOut
    overall: SideOut
    explanation: str

    @staticmethod
    def resolve_explanation(quorum: Quorum) -> str:
        return domain.describe_quorum(quorum)


# --- the parts of a meeting -----------------------------------------------------------------------


class AgendaItemOut(Schema):
    id: int
    meeting_id: int
    order: int
    kind: AgendaItemKind
    title_ru: str
    title_kk: str
    speaker_member_id: int | None = Field(alias="speaker_id")
    proposal_id: int | None
    plan_item_ref: str
    remark_on_decision_id: int | None = Field(alias="remark_on_id")
    plan_item_id: int | None


class AttendanceOut(Schema):
    id: int
    member_id: int | None
    guest_id: int | None
    name: str
    side: str | None
    present: bool

    @staticmethod
    def resolve_name(row: Attendance) -> str:
        person = row.member or row.guest
        assert person is not None  # a row names a member or a guest (check constraint)
        return person.full_name

    @staticmethod
    def resolve_side(row: Attendance) -> str | None:
        return row.member.side if row.member else None


class AssignmentOut(Schema):
    id: int
    executor_member_id: int | None
    executor_unit_id: int | None
    executor_name: str
    executor: str = Field(alias="executor_label")
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
    quorum: dict[str, Any]
    created_at: LocalDateTime
    assignments: list[AssignmentOut]


class InvitationOut(Schema):
    id: int
    meeting_id: int
    member_id: int | None
    guest_id: int | None
    name: str = Field(alias="person.full_name")
    reply: str
    replied_at: LocalDateTime | None


# --- meetings -------------------------------------------------------------------------------------


class MeetingSummaryOut(Schema):
    id: int
    body_id: int
    kind: MeetingKind
    format: MeetingFormat
    status: MeetingStatus
    starts_at: LocalDateTime
    duration_minutes: int
    place: str
    conference_url: str
    online_ground: OnlineGround | None
    online_ground_note: str
    presiding_member_id: int = Field(alias="presiding_id")
    retrospective: bool
    agenda_approved_at: LocalDateTime | None
    agenda_version: int

    @staticmethod
    def resolve_online_ground(meeting: Meeting) -> str | None:
        return meeting.online_ground or None


def _request(context: dict[str, Any] | None) -> HttpRequest:
    if not context or context.get("request") is None:
        raise RuntimeError("a meeting is answered only within a request: its reader decides what it shows")
    request: HttpRequest = context["request"]
    return request


def reader_of(meeting: Meeting, context: dict[str, Any] | None) -> permissions.MeetingReader:
    """The reader of this answer (read once per request and meeting)."""
    request = _request(context)
    readers: dict[int, permissions.MeetingReader] = request.__dict__.setdefault("_alqa_meeting_readers", {})
    if meeting.pk not in readers:
        readers[meeting.pk] = permissions.meeting_reader(request.user, meeting)
    return readers[meeting.pk]


def attendance_of(meeting: Meeting) -> Any:
    return meeting.attendance.select_related("member", "guest").order_by("member__side", "id")


Hidden = Literal["attendance", "quorum", "invitations", "decisions", "next_regular_due"]


class MeetingOut(MeetingSummaryOut):
    presiding_name: str = Field(alias="presiding.full_name")
    delegation_basis: str
    delegated_by_member_id: int | None = Field(alias="delegated_by_id")
    initiator_kind: str
    initiator_name: str
    initiator_unit_id: int | None
    decided_by_member_id: int | None = Field(alias="decided_by_id")
    chair_consent: bool
    agenda_approved_by_member_id: int | None = Field(alias="agenda_approved_by_id")
    ical_sequence: int
    quorum: QuorumOut | None = Field(description="null when the reader is not shown the attendance")
    next_regular_due: date | None = Field(
        description="the date by which the body's next regular meeting must be held; "
        "null for an invited participant"
    )
    agenda_items: list[AgendaItemOut] = Field(alias="items")
    attendance: list[AttendanceOut]
    decisions: list[DecisionOut]
    invitations: list[InvitationOut] = Field(
        description="every invitation with its reply; an invited participant sees only their own"
    )
    hidden: list[Hidden] = Field(
        description="the parts this reader is not shown (an invited participant: attendance, quorum, "
        "other people's invitations, decisions, next_regular_due): lists answered empty, values null"
    )

    @staticmethod
    def resolve_hidden(meeting: Meeting, context: dict[str, Any] | None) -> list[str]:
        reader = reader_of(meeting, context)
        hidden = []
        if not reader.sees_attendance:
            hidden += ["attendance", "quorum"]
        if not reader.sees_invitations:
            hidden.append("invitations")
        if not reader.sees_decisions:
            hidden.append("decisions")
        if not reader.sees_cadence:
            hidden.append("next_regular_due")
        return hidden

    @staticmethod
    def resolve_quorum(meeting: Meeting, context: dict[str, Any] | None) -> Quorum | None:
        return domain.quorum_for(meeting) if reader_of(meeting, context).sees_attendance else None

    @staticmethod
    def resolve_next_regular_due(meeting: Meeting, context: dict[str, Any] | None) -> date | None:
        if not reader_of(meeting, context).sees_cadence:
            return None
        return domain.body_cadence(meeting.body).next_due

    @staticmethod
    def resolve_attendance(meeting: Meeting, context: dict[str, Any] | None) -> Any:
        return attendance_of(meeting) if reader_of(meeting, context).sees_attendance else []

    @staticmethod
    def resolve_decisions(meeting: Meeting, context: dict[str, Any] | None) -> Any:
        if not reader_of(meeting, context).sees_decisions:
            return []
        # through the meeting, so each decision (and its due explanation) knows it without a query
        return meeting.decisions.all().prefetch_related(
            "assignments__executor_member", "assignments__executor_unit"
        )

    @staticmethod
    def resolve_invitations(meeting: Meeting, context: dict[str, Any] | None) -> Any:
        invitations = meeting.invitations.select_related("member", "guest").order_by("id")
        if reader_of(meeting, context).sees_invitations:
            return invitations
        user = _request(context).user
        if not user.is_authenticated:
            return invitations.none()
        return invitations.filter(guest__user=user)


class AttendanceAnswer(Schema):
    """The answer to recording attendance: the quorum now and every row."""

    id: int
    quorum: QuorumOut
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_quorum(meeting: Meeting) -> Quorum:
        return domain.quorum_for(meeting)

    @staticmethod
    def resolve_attendance(meeting: Meeting) -> Any:
        return attendance_of(meeting)


# --- compliance remarks and work plans (alqa/api/plans.py) ------------------------------------------


class RemarkAgendaItemOut(Schema):
    id: int
    meeting_id: int


class RemarkOut(Schema):
    id: int
    body_id: int
    author_member_id: int = Field(alias="author_id")
    author_name: str = Field(alias="author.full_name")
    decision_id: int | None
    plan_item_id: int | None
    facts_ru: str
    facts_kk: str
    status: str
    proposal_id: int | None
    agenda_items: list[RemarkAgendaItemOut]
    outcome_ru: str
    outcome_kk: str
    outcome_decision_id: int | None
    closed_at: LocalDateTime | None
    created_at: LocalDateTime
    files: list[FileOut] = Field(description="filed with the remark; kept on its proposal")

    @staticmethod
    def resolve_agenda_items(remark: Any) -> list[Any]:
        return list(remark.proposal.items.all()) if remark.proposal_id else []

    @staticmethod
    def resolve_files(remark: Any) -> list[Any]:
        return list(remark.proposal.attachments.all()) if remark.proposal_id else []


class PlanAssignmentOut(Schema):
    id: int
    executor_member_id: int | None
    executor_unit_id: int | None
    executor_name: str
    executor: str = Field(alias="executor_label")
    due_date: date


class PlanItemOut(Schema):
    id: int
    plan_id: int
    number: int
    activity_ru: str
    activity_kk: str
    expected_ru: str
    expected_kk: str
    due_date: date
    status: str
    done_on: date | None
    result_ru: str
    result_kk: str
    result_decision_id: int | None
    carried_from_id: int | None
    assignments: list[PlanAssignmentOut]


class PlanTallyOut(Schema):
    total: int
    on_time: int
    late: int
    not_done: int
    open: int


class PlanAmendmentOut(Schema):
    id: int
    item_id: int | None
    reason: str
    changes: dict[str, Any]
    made_at: LocalDateTime


class PlanOut(Schema):
    id: int
    body_id: int
    period: str
    year: int
    quarter: int | None
    label: str
    status: str
    approved_by_member_id: int | None = Field(alias="approved_by_id")
    approved_at: LocalDateTime | None
    copied_from_id: int | None
    created_at: LocalDateTime

    @staticmethod
    def resolve_quarter(plan: Any) -> int | None:
        return plan.quarter or None


class PlanDetailOut(PlanOut):
    """A plan read with alqa.queries.plans.plan_page: the handler puts the page's parts on it."""

    items: list[PlanItemOut] = Field(alias="page_items")
    amendments: list[PlanAmendmentOut] = Field(alias="page_amendments")
    statistics: PlanTallyOut = Field(alias="page_statistics")
    statistics_by_side: dict[str, PlanTallyOut] = Field(alias="page_statistics_by_side")
