"""Meetings through the API: scheduled, read, changed, cancelled, and as an .ics file.

Status codes, the same in every router of meetings and proposals (alqa.api.errors):

* 201 — something was created (a proposal, a meeting, an agenda item, a decision, an invitation);
* 200 — a read, or an action on an existing record (accept, return, approve, cancel, change,
  attendance);
* 404 — the body, meeting or proposal of the path does not exist or is not the caller's to see;
* 403 — the caller may see the record but not do this: not a manager of the body, not a member
  (for proposals), or not the presiding person (for approving the agenda); the answer says why
  when the refusal is about who the caller is in this meeting;
* 409 — a parallel request changed the same thing at the same moment: nothing was written;
* 422 — what was sent is refused: {"detail": [{"loc", "msg", "type"}]}. A record named in the
  request body (a member, a unit, a proposal, a participant, a decision) that is not in this
  body is a 422 on that field, not a 404. A decision refused for want of quorum says the
  arithmetic per side.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DomainError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Status
from pydantic import Field, StrictBool

from alqa.api import gates
from alqa.api.common import Gated, named
from alqa.api.outputs import MeetingOut, MeetingSummaryOut
from alqa.api.schemas import CaseGuardIn, Id, In, Moment, NotNull, PathId, limited, limits, unset
from alqa.documents.ics import meeting_ics
from alqa.domain import meetings as domain
from alqa.domain.workdays import FIRST_YEAR, LAST_YEAR
from alqa.enums import ExtraordinaryInitiator, MeetingFormat, MeetingKind, MeetingStatus, OnlineGround
from alqa.models import Body, Meeting, Member, Unit

router = Router(tags=["meetings"])


class MeetingIn(In):
    kind: MeetingKind = MeetingKind.REGULAR
    format: MeetingFormat = MeetingFormat.IN_PERSON
    starts_at: Moment = Field(description="ISO 8601 with its offset, e.g. 2026-03-09T10:00:00+05:00")
    duration_minutes: int = limited(Meeting, "duration_minutes", default=120)
    place: str = limited(Meeting, "place", default="")
    conference_url: str = limited(
        Meeting, "conference_url", default="", description="https:// (http:// if the policy allows)"
    )
    online_ground: OnlineGround | None = Field(default=None, description="required when format is online")
    online_ground_note: str = limited(Meeting, "online_ground_note", default="")
    presiding_member_id: Id
    delegation_basis: str = limited(Meeting, "delegation_basis", default="")
    retrospective: StrictBool = Field(default=False, description="true to enter a meeting already held")
    initiator_kind: ExtraordinaryInitiator | None = None
    initiator_name: str = limited(Meeting, "initiator_name", default="")
    initiator_unit_id: Id | None = None
    decided_by_member_id: Id | None = None
    chair_consent: StrictBool = False


class MeetingPatch(In):
    """Only the fields sent change. Text fields, the initiator and the decider may be cleared with
    null; the others cannot be emptied (null is refused: "This field cannot be empty.")."""

    kind: NotNull[MeetingKind] = unset()
    format: NotNull[MeetingFormat] = unset()
    starts_at: NotNull[Moment] = unset()
    duration_minutes: NotNull[int] = unset(**limits(Meeting, "duration_minutes"))
    place: str | None = limited(Meeting, "place", default=None)
    conference_url: str | None = limited(Meeting, "conference_url", default=None)
    online_ground: OnlineGround | None = None
    online_ground_note: str | None = limited(Meeting, "online_ground_note", default=None)
    presiding_member_id: NotNull[Id] = unset()
    delegation_basis: str | None = limited(Meeting, "delegation_basis", default=None)
    initiator_kind: ExtraordinaryInitiator | None = None
    initiator_name: str | None = limited(Meeting, "initiator_name", default=None)
    initiator_unit_id: Id | None = None
    decided_by_member_id: Id | None = None
    chair_consent: NotNull[StrictBool] = unset()


# Text fields take null as "".
_TEXT = (
    "place",
    "conference_url",
    "online_ground",
    "online_ground_note",
    "delegation_basis",
    "initiator_name",
    "initiator_kind",
)


def _meeting_fields(body: Body, data: dict[str, Any]) -> dict[str, Any]:
    """The API's names and values as the domain takes them; a named member or unit must be of the body."""
    for key in _TEXT:
        if key in data and data[key] is None:
            data[key] = ""
    starts_at = data.get("starts_at")
    if (
        starts_at is not None
        and timezone.is_aware(starts_at)
        and not FIRST_YEAR <= starts_at.year <= LAST_YEAR
    ):
        raise DomainError(
            {
                "starts_at": _("Enter a date between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )
    members = Member.objects.filter(body=body)
    if "presiding_member_id" in data:
        data["presiding"] = named(
            members,
            data.pop("presiding_member_id"),
            field="presiding_member_id",
            message=_("The presiding person must be a member of this body on the day of the meeting."),
        )
    if "decided_by_member_id" in data:
        data["decided_by"] = named(
            members,
            data.pop("decided_by_member_id"),
            field="decided_by_member_id",
            message=_("The chair, or a deputy chair with the chair's consent, decides (clause 3.3)."),
        )
    if "initiator_unit_id" in data:
        data["initiator_unit"] = named(
            Unit.objects.filter(body=body),
            data.pop("initiator_unit_id"),
            field="initiator_unit_id",
            message=_("There is no such unit in this body."),
        )
    return {k: (v.value if hasattr(v, "value") else v) for k, v in data.items()}


@router.post(
    "/bodies/{body_id}/meetings",
    response={201: MeetingOut},
    auth=gates.BODY_MANAGER,
    summary="Schedule a meeting",
)
def post_meeting(request: Gated[Body], body_id: PathId, payload: MeetingIn) -> Status[Meeting]:
    """The chair, a deputy chair or the secretary schedules a meeting (or, with `retrospective`,
    enters one already held). `starts_at` must carry its offset: a naive time is refused. A past
    time needs `retrospective: true`, and a retrospective meeting cannot be in the future; an
    online meeting needs `conference_url` (https://) and `online_ground` (a case that cannot wait,
    or quarantine measures: clauses 3.3, 3.4), an in-person one `place`; only the chair presides, or
    a deputy chair on the chair's instruction (`delegation_basis`); an extraordinary meeting
    records who proposed it and who decided it (clause 3.3). Invitations go out when the
    presiding person approves the agenda."""
    body = request.auth
    fields = _meeting_fields(body, payload.dict())
    return Status(201, domain.schedule_meeting(body=body, actor=request.user, **fields))


@router.get(
    "/bodies/{body_id}/meetings",
    response=list[MeetingSummaryOut],
    auth=gates.BODY_READER,
    summary="Meetings of a body",
)
def list_meetings(
    request: Gated[Body], body_id: PathId, status: MeetingStatus | None = None
) -> QuerySet[Meeting]:
    """The body's meetings, latest first; `status` filters. For members of the body (an invited
    participant reads only the meetings they are invited to, one by one)."""
    qs = Meeting.objects.filter(body=request.auth)
    if status is not None:
        qs = qs.filter(status=status)
    return qs


@router.get(
    "/meetings/{meeting_id}",
    response=MeetingOut,
    auth=gates.MEETING_READER,
    summary="A meeting with its quorum",
)
def get_meeting(request: Gated[Meeting], meeting_id: PathId) -> Meeting:
    """The meeting with its agenda, attendance, the quorum now (`quorum`: met, rule, and per side
    present / total / required), decisions with their executors, invitations with the replies,
    and `next_regular_due`, the date by which the body's next regular meeting must be held.

    Members of the body and the participants invited to this meeting may read it; each is shown
    what the meeting page shows them (alqa.permissions.meeting_reader). An invited participant
    gets the same fields with the parts hidden from them answered empty: `attendance` and
    `decisions` are [], `quorum` and `next_regular_due` are null, `invitations` holds only
    their own invitation, and `hidden` names these parts."""
    return request.auth


@router.patch(
    "/meetings/{meeting_id}", response=MeetingOut, auth=gates.MEETING_MANAGER, summary="Change a meeting"
)
def patch_meeting(request: Gated[Meeting], meeting_id: PathId, payload: MeetingPatch) -> Meeting:
    """Changes the fields sent, validated as when scheduling. When the time, place, link or format
    changes after invitations went out, everyone invited gets an updated .ics. A cancelled
    meeting cannot be changed; `retrospective` cannot be changed."""
    meeting = request.auth
    changes = _meeting_fields(meeting.body, payload.dict(exclude_unset=True))
    return domain.update_meeting(meeting, actor=request.user, changes=changes)


class CancelIn(CaseGuardIn):
    reason: str = Field(max_length=1000)


@router.post(
    "/meetings/{meeting_id}/cancel",
    response=MeetingOut,
    auth=gates.MEETING_MANAGER,
    summary="Cancel a meeting",
)
def cancel(request: Gated[Meeting], meeting_id: PathId, payload: CancelIn) -> Meeting:
    """Cancels the meeting with the reason; everyone invited gets a cancellation (METHOD:CANCEL)."""
    meeting = request.auth
    return domain.cancel_meeting(
        meeting, actor=request.user, reason=payload.reason, identifiers_confirmed=payload.confirm_identifiers
    )


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
    auth=gates.MEETING_READER,
    summary="The meeting as an .ics file",
)
def ical(request: Gated[Meeting], meeting_id: PathId) -> HttpResponse:
    """The meeting as iCalendar, for members of the body and the participants invited to it
    (anyone else: 404). A scheduled meeting answers METHOD:REQUEST; a cancelled one answers 200
    with METHOD:CANCEL and STATUS:CANCELLED under the same UID and a higher SEQUENCE — that is
    what makes a calendar that imported the meeting remove it, so it is not refused."""
    meeting = request.auth
    response = HttpResponse(
        meeting_ics(meeting, language=get_language() or "ru"), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
