"""Execution control through the API (clauses 3.2, 3.8): a body's assignments with their
deadlines and state, the receipt of the protocol, the executor's reports and extension requests,
and the chair's decisions on them. Paths and field names are a contract with other agencies'
systems: add, never rename."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field, TypeAdapter

from alqa import permissions
from alqa.api import gates
from alqa.api.common import Gated, body_with_files, stored_file
from alqa.api.schemas import CaseGuardIn, Count, In, LocalDateTime, PathId
from alqa.domain import execution as domain
from alqa.domain.attachments import ALLOWED
from alqa.domain.execution import MAX_EXTENSION_DAYS
from alqa.enums import ExecutionDeadline, ExtensionStatus, ReportKind, ReportStatus
from alqa.models import (
    Assignment,
    AssignmentFile,
    AssignmentReminder,
    AssignmentReport,
    Body,
    ExecutorLink,
    ExtensionRequest,
)
from alqa.models.execution import REASON_LIMIT, REPORT_TEXT_LIMIT
from alqa.queries.execution import ControlFilters, body_assignments, reminders_shown

router = Router(tags=["execution"])

StatusName = Literal[
    "issued", "received", "info_given", "report_submitted", "returned", "done", "withdrawn", "overdue"
]


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class ReportOut(Schema):
    id: int
    assignment_id: int
    kind: ReportKind
    text: str
    status: ReportStatus
    submitted_at: LocalDateTime
    through_link: bool
    decided_at: LocalDateTime | None
    comment: str
    files: list[FileOut]

    @staticmethod
    def resolve_through_link(obj: AssignmentReport) -> bool:
        return obj.submitted_by_id is None

    @staticmethod
    def resolve_files(obj: AssignmentReport) -> list[Any]:
        return list(obj.files.all())


class ExtensionOut(Schema):
    id: int
    assignment_id: int
    reason: str
    working_days: int
    status: ExtensionStatus
    requested_at: LocalDateTime
    decided_at: LocalDateTime | None
    comment: str
    previous_due: date | None
    new_due: date | None


class ReminderOut(Schema):
    sent_at: LocalDateTime
    kind: ExecutionDeadline = Field(
        description="the deadline reminded of (`info`, `due`), or `chair`: the chair told"
    )
    due: date = Field(description="the deadline's date as it was when the reminder was sent")
    step: int = Field(
        description="working days from the deadline: negative before it, 0 on the day, after it"
    )
    to: str = Field(description="the addresses it was sent to (empty: no one to send it to)")


class AssignmentOut(Schema):
    id: int
    decision_id: int | None = Field(description="the decision it executes; null for a plan item's")
    plan_item_id: int | None = Field(description="the plan item it executes; null for a decision's")
    meeting_id: int | None = Field(description="the decision's meeting; null for a plan item's")
    body_id: int
    executor: str
    executor_member_id: int | None
    executor_unit_id: int | None
    status: StatusName = Field(description="`overdue`: open and past one of its open deadlines (computed)")
    stored_status: str = Field(description="the status as recorded, without the computed `overdue`")
    due_date: date
    due_explanation: str
    info_due: date | None
    info_due_explanation: str
    received_on: date | None
    received_at: LocalDateTime | None
    received_via: str
    extensions: int
    closed_at: LocalDateTime | None
    reports: list[ReportOut]
    extension_requests: list[ExtensionOut]
    reminders: list[ReminderOut] = Field(
        description="the deadline reminders sent, oldest first; the chair's only to the body's managers and the chair"
    )

    @staticmethod
    def resolve_executor(obj: Assignment) -> str:
        return obj.executor_label

    @staticmethod
    def resolve_meeting_id(obj: Assignment) -> int | None:
        return obj.decision.meeting_id if obj.decision is not None else None

    @staticmethod
    def resolve_status(obj: Assignment) -> str:
        return domain.shown_status(obj)

    @staticmethod
    def resolve_stored_status(obj: Assignment) -> str:
        return obj.status

    @staticmethod
    def resolve_reports(obj: Assignment) -> list[Any]:
        return _related(obj, "reports")

    @staticmethod
    def resolve_extension_requests(obj: Assignment) -> list[Any]:
        return _related(obj, "extension_requests")

    @staticmethod
    def resolve_reminders(obj: Assignment, context: dict[str, Any] | None) -> list[Any]:
        """As the assignment's page shows them: the reminders to the chair only to the body's
        managers and whoever decides on the assignment."""
        user = getattr(context.get("request") if context else None, "user", None)
        to_chair = user is not None and permissions.can_read_chair_reminders(user, obj)
        return reminders_shown(_related(obj, "reminders"), to_chair=to_chair)


# An assignment's reports (with their files), extension requests and reminders, oldest first: read
# for a whole page of assignments in one query each (the list), or for the one assignment.
_HISTORY = (
    Prefetch("reports", AssignmentReport.objects.prefetch_related("files").order_by("submitted_at", "pk")),
    Prefetch("extension_requests", ExtensionRequest.objects.order_by("requested_at", "pk")),
    Prefetch("reminders", AssignmentReminder.objects.order_by("sent_at", "pk")),
)


def _related(obj: Assignment, name: str) -> list[Any]:
    if name not in getattr(obj, "_prefetched_objects_cache", {}):
        prefetch_related_objects([obj], *_HISTORY)
    return list(getattr(obj, name).all())


class AssignmentPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[AssignmentOut]


class AssignmentQuery(In):
    status: StatusName | None = None
    executor: str | None = Field(default=None, max_length=100, description="a part of the executor's name")
    overdue: bool = False
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=50, ge=1, le=500)


class ReceiptIn(In):
    received_on: date | None = Field(
        default=None, description="the day a paper copy was received; without it, today"
    )


class ReportIn(CaseGuardIn):
    kind: ReportKind
    text: str = Field(min_length=1, max_length=REPORT_TEXT_LIMIT)


_REPORT = TypeAdapter(ReportIn)
_REPORT_SCHEMA = ReportIn.model_json_schema()
_REPORT_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _REPORT_SCHEMA},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": _REPORT_SCHEMA.get("required", []),
                "properties": _REPORT_SCHEMA["properties"]
                | {
                    "kind": {"type": "string", "enum": list(ReportKind.values)},
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                },
            }
        },
    },
}


class LinkOut(Schema):
    """The executor's personal link: where it was mailed; the link itself goes to the executor only."""

    assignment_id: int
    email: str
    language: str
    created_at: LocalDateTime
    revoked_at: LocalDateTime | None
    mail_id: int | None = Field(alias="outbox_id", description="the mail in the outbox")


class RevokedOut(Schema):
    revoked: int = Field(description="links that stopped answering: 1, or 0 when none was live")


class ExtensionIn(In):
    working_days: Count = Field(ge=1, le=MAX_EXTENSION_DAYS)
    reason: str = Field(min_length=1, max_length=REASON_LIMIT)


class ReportDecisionIn(In):
    decision: Literal["accept", "return"]
    comment: str = Field(default="", max_length=REASON_LIMIT, description="required to return")


class ExtensionDecisionIn(In):
    decision: Literal["grant", "refuse"]
    comment: str = Field(default="", max_length=REASON_LIMIT, description="required to refuse")
    working_days: Count | None = Field(
        default=None,
        ge=1,
        le=MAX_EXTENSION_DAYS,
        description="granted, counted from the current deadline (from today once it has passed); default as asked",
    )


class CloseIn(In):
    withdraw: bool = Field(default=False, description="withdrawn rather than closed as executed")
    comment: str = Field(default="", max_length=REASON_LIMIT, description="required to withdraw")


def _fresh(pk: int) -> Assignment:
    return Assignment.objects.select_related(
        "body", "decision__meeting", "plan_item__plan", "executor_member", "executor_unit"
    ).get(pk=pk)


@router.get(
    "/bodies/{body_id}/assignments",
    response=AssignmentPageOut,
    auth=gates.BODY_READER,
    summary="A body's assignments under control",
)
def list_assignments(
    request: Gated[Body], body_id: PathId, query: Query[AssignmentQuery]
) -> dict[str, object]:
    """The body's assignments, earliest deadline first, one page at a time; `status` (or
    `overdue=true`) and a part of the executor's name filter them as the control page does."""
    filters = ControlFilters(
        status=query.status or "", overdue=query.overdue, executor=(query.executor or "").strip()
    )
    qs = filters.apply(body_assignments(request.auth), timezone.localdate()).order_by("due_date", "pk")
    paginator = Paginator(qs.prefetch_related(*_HISTORY), query.per_page)
    number = min(query.page, max(paginator.num_pages, 1))
    return {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "results": list(paginator.page(number).object_list),
    }


@router.get(
    "/assignments/{assignment_id}",
    response=AssignmentOut,
    auth=gates.ASSIGNMENT_READER,
    summary="An assignment",
)
def get_assignment(request: Gated[Assignment], assignment_id: PathId) -> Assignment:
    """The assignment with both deadlines and how each was counted, its receipt, reports and
    extension requests."""
    return request.auth


@router.post(
    "/assignments/{assignment_id}/receipt",
    response=AssignmentOut,
    auth=gates.ASSIGNMENT_KEEPER,
    summary="Record the receipt of the protocol",
)
def post_receipt(request: Gated[Assignment], assignment_id: PathId, payload: ReceiptIn) -> Assignment:
    """The secretary records the executor's receipt of the protocol (a paper copy: `received_on`,
    not before signing, not in the future); the information deadline counts from it. Repeated for
    the same day, nothing changes; another day after one recorded: 409."""
    domain.record_receipt(request.auth, actor=request.user, on=payload.received_on, via="paper")
    return _fresh(request.auth.pk)


@router.post(
    "/assignments/{assignment_id}/reports",
    response={200: ReportOut, 201: ReportOut},
    openapi_extra={"requestBody": _REPORT_BODY},
    auth=gates.ASSIGNMENT_REPORTER,
    summary="Give information or a report on execution",
)
def post_report(request: Gated[Assignment], assignment_id: PathId) -> Status[AssignmentReport]:
    """The executor (a member) or the secretary on their behalf gives the information (`info`)
    or the report on execution (`final`): JSON {kind, text}, or multipart/form-data with the same
    fields and up to ten `files` (PDF, DOCX, PNG, JPEG up to 10 MB each; the type is checked by
    content). The text and the text inside PDF and DOCX files pass the case guard as on the page
    (422 `case_identifiers` on `text` or `files`; send `confirm_identifiers`). The same text again
    while it awaits a decision: 200 with the stored report; another while one awaits: 409; on a
    closed assignment: 422."""
    payload, files = body_with_files(request, _REPORT, ReportIn)
    report, new = domain.submit_report(
        request.auth,
        kind=payload.kind,
        text=payload.text,
        files=files,
        actor=request.user,
        identifiers_confirmed=payload.confirm_identifiers,
    )
    return Status(201 if new else 200, AssignmentReport.objects.prefetch_related("files").get(pk=report.pk))


@router.get(
    "/assignment-reports/{report_id}/files",
    response=list[FileOut],
    auth=gates.REPORT_READER,
    summary="The files of a report",
)
def list_report_files(request: Gated[AssignmentReport], report_id: PathId) -> list[AssignmentFile]:
    """The files given with a report, in the order given; members of the body read them."""
    return list(request.auth.files.order_by("pk"))


@router.get(
    "/assignment-files/{assignment_file_id}",
    response={200: None},
    auth=gates.ASSIGNMENT_FILE_READER,
    summary="A file of a report",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file as given, with its content type",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in sorted(set(ALLOWED.values()))
                },
            }
        }
    },
)
def get_report_file(request: Gated[AssignmentFile], assignment_file_id: PathId) -> FileResponse:
    """The file's bytes, as the page serves them to members of the body (anybody else: 404)."""
    return stored_file(request.auth)


@router.post(
    "/assignments/{assignment_id}/link",
    response=LinkOut,
    auth=gates.ASSIGNMENT_KEEPER,
    summary="Mail the executor their personal link",
)
def post_link(request: Gated[Assignment], assignment_id: PathId) -> ExecutorLink:
    """The chair, a deputy chair or the secretary mails an executor who is not a member their
    personal link (no account needed), in their language, through the outbox; the live link is
    mailed again rather than a second one made. 422 when the executor is a member or has no
    e-mail, or the assignment is closed."""
    return domain.send_link(request.auth, actor=request.user)


@router.post(
    "/assignments/{assignment_id}/link/revoke",
    response=RevokedOut,
    auth=gates.ASSIGNMENT_KEEPER,
    summary="Revoke the executor's personal link",
)
def post_link_revoke(request: Gated[Assignment], assignment_id: PathId) -> dict[str, int]:
    """The executor's live link stops answering. Repeated, nothing changes (`revoked`: 0)."""
    return {"revoked": domain.revoke_link(request.auth, actor=request.user)}


@router.post(
    "/assignments/{assignment_id}/extension-requests",
    response={200: ExtensionOut, 201: ExtensionOut},
    auth=gates.ASSIGNMENT_REPORTER,
    summary="Ask for an extension",
)
def post_extension(
    request: Gated[Assignment], assignment_id: PathId, payload: ExtensionIn
) -> Status[ExtensionRequest]:
    """Asks for more working days with a reason; 422 past the body's limit of extensions. The same
    request again while it awaits: 200 with the stored one; another: 409."""
    ext, new = domain.request_extension(
        request.auth, reason=payload.reason, working_days=payload.working_days, actor=request.user
    )
    return Status(201 if new else 200, ext)


@router.post(
    "/assignment-reports/{report_id}/decision",
    response=ReportOut,
    auth=gates.REPORT_DECIDER,
    summary="Accept or return a report",
)
def post_report_decision(
    request: Gated[AssignmentReport], report_id: PathId, payload: ReportDecisionIn
) -> AssignmentReport:
    """The chair (or the deputy chair) accepts the report — a report on execution closes the
    assignment as done — or returns it with a comment. The same decision again changes nothing;
    the contrary one after it: 409."""
    return domain.decide_report(
        request.auth, actor=request.user, accept=payload.decision == "accept", comment=payload.comment
    )


@router.post(
    "/extension-requests/{extension_id}/decision",
    response=ExtensionOut,
    auth=gates.EXTENSION_DECIDER,
    summary="Grant or refuse an extension",
)
def post_extension_decision(
    request: Gated[ExtensionRequest], extension_id: PathId, payload: ExtensionDecisionIn
) -> ExtensionRequest:
    """Grants the extension — the execution deadline counted again from the current one, or from
    today once it has passed — or refuses it with
    a comment. The same decision again changes nothing; the contrary one after it: 409."""
    return domain.decide_extension(
        request.auth,
        actor=request.user,
        grant=payload.decision == "grant",
        comment=payload.comment,
        working_days=payload.working_days,
    )


@router.post(
    "/assignments/{assignment_id}/close",
    response=AssignmentOut,
    auth=gates.ASSIGNMENT_DECIDER,
    summary="Close or withdraw an assignment",
)
def post_close(request: Gated[Assignment], assignment_id: PathId, payload: CloseIn) -> Assignment:
    """The chair closes the assignment as executed, or withdraws it with a reason; its executor's
    link stops answering."""
    domain.close_assignment(
        request.auth, actor=request.user, withdraw=payload.withdraw, comment=payload.comment
    )
    return _fresh(request.auth.pk)
