"""Decisions through the API: recorded on a question of the agenda with their executors and
deadlines (clauses 3.4, 3.8)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import Field

from alqa.api import gates
from alqa.api.common import Gated, named
from alqa.api.outputs import DecisionOut
from alqa.api.schemas import CaseGuardIn, Email, Id, In, PathId, limited, optional_day_between
from alqa.domain import meetings as domain
from alqa.domain.workdays import FIRST_YEAR, LAST_YEAR, MAX_DAYS
from alqa.models import AgendaItem, Assignment, Decision, Meeting

router = Router(tags=["meetings"])

FIRST_DAY = date(FIRST_YEAR, 1, 1)
LAST_DAY = date(LAST_YEAR, 12, 31)
MAX_EXECUTORS = 20


if TYPE_CHECKING:
    DueDay = date | None
else:  # a day within the calendar's years, or none
    DueDay = optional_day_between(FIRST_DAY, LAST_DAY)


class ExecutorIn(In):
    member_id: Id | None = None
    unit_id: Id | None = None
    name: str = limited(Assignment, "executor_name", default="")
    due_date: DueDay = None
    due_working_days: int | None = Field(
        default=None,
        ge=1,
        le=MAX_DAYS,
        description="counted from the meeting day under Kazakhstan's calendar",
    )
    email: Email | None = Field(
        default=None, description="an executor who is not a member: where their personal link is sent"
    )
    language: Literal["ru", "kk", "en"] = "ru"


class DecisionIn(CaseGuardIn):
    agenda_item_id: Id
    text_ru: str = Field(default="", max_length=10000)
    text_kk: str = Field(default="", max_length=10000)
    executors: Annotated[list[ExecutorIn], Field(max_length=MAX_EXECUTORS)] = []


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: DecisionOut},
    auth=gates.MEETING_MANAGER,
    summary="Record a decision",
)
def post_decision(request: Gated[Meeting], meeting_id: PathId, payload: DecisionIn) -> Status[Decision]:
    """Records a decision on a question of the agenda, at or after the meeting's start. Refused
    (422) while the agenda is not approved by the presiding person (clause 3.2), and (422, "There
    is no quorum: …" with the arithmetic per side) while the quorum is not met (clause 3.4). Each executor is a member, a unit or a named official, with a deadline given either as
    a date or as a number of working days after the meeting day (days off passed over)."""
    meeting = request.auth
    item = named(
        AgendaItem.objects.filter(meeting=meeting),
        payload.agenda_item_id,
        field="agenda_item_id",
        message=_("This question is not on this meeting's agenda."),
    )
    decision = domain.record_decision(
        meeting,
        actor=request.user,
        agenda_item=item,
        text_ru=payload.text_ru,
        text_kk=payload.text_kk,
        executors=[domain.ExecutorInput(**(e.dict() | {"email": e.email or ""})) for e in payload.executors],
        identifiers_confirmed=payload.confirm_identifiers,
    )
    return Status(201, decision)
