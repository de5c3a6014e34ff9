"""Attendance through the API: who was present, and the quorum it makes (clause 3.4)."""

from __future__ import annotations

from typing import Any

from ninja import Router
from ninja.errors import ValidationError as SchemaError
from pydantic import ConfigDict, Field, StrictBool, TypeAdapter

from alqa.api import gates
from alqa.api.common import Gated, json_body, validate_body
from alqa.api.outputs import AttendanceAnswer
from alqa.api.schemas import Id, In, PathId
from alqa.domain import meetings as domain
from alqa.models import Meeting

router = Router(tags=["meetings"])


def _one_person(schema: dict[str, Any]) -> None:
    """A row names a member or an invited participant: exactly one of the two ids."""
    schema["oneOf"] = [
        {"required": [named], "properties": {named: {"type": "integer"}, other: {"type": "null"}}}
        for named, other in (("member_id", "guest_id"), ("guest_id", "member_id"))
    ]


class AttendanceIn(In):
    model_config = ConfigDict(json_schema_extra=_one_person)

    member_id: Id | None = None
    guest_id: Id | None = Field(default=None, description="an invited participant instead of a member")
    present: StrictBool


_ATTENDANCE = TypeAdapter(list[AttendanceIn])
_ATTENDANCE_BODY = {
    "required": True,
    "content": {"application/json": {"schema": {"type": "array", "items": AttendanceIn.model_json_schema()}}},
}


@router.put(
    "/meetings/{meeting_id}/attendance",
    response=AttendanceAnswer,
    openapi_extra={"requestBody": _ATTENDANCE_BODY},
    auth=gates.MEETING_MANAGER,
    summary="Record attendance",
)
def put_attendance(request: Gated[Meeting], meeting_id: PathId) -> Meeting:
    """The request body is a JSON list of rows {"member_id", "present"} (a row may name an invited
    participant with "guest_id" instead). Rows are stored or updated; members not listed keep
    their rows. A member listed twice, or anyone not a member of this body on the day of the
    meeting, refuses the whole list (422, nothing stored). The answer is the quorum now."""
    meeting = request.auth
    data = json_body(request)
    if not isinstance(data, list):
        raise SchemaError([{"loc": ["body"], "msg": "", "type": "json_invalid"}])
    rows = validate_body(_ATTENDANCE, data)
    neither_or_both = [i for i, row in enumerate(rows) if (row.member_id is None) == (row.guest_id is None)]
    if neither_or_both:
        # the row's schema says so too (oneOf): "member_id" is what is missing
        raise SchemaError(
            [{"loc": ["body", i, "member_id"], "msg": "", "type": "missing"} for i in neither_or_both]
        )
    domain.record_attendance(
        meeting,
        actor=request.user,
        members=[
            domain.AttendanceRow(row.member_id, row.present) for row in rows if row.member_id is not None
        ],
        guests=[(row.guest_id, row.present) for row in rows if row.guest_id is not None],
    )
    return meeting
