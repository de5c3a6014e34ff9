"""Compliance remarks (clause 2.2.3) and work plans (clauses 2.1.1, 2.1.2, 2.2.10) through the API.

Refusals (alqa.api.errors): 404 — the body, plan or remark is not the caller's to see; 403 — the
caller may see it but not do this (a remark is filed by a member of the body; plans are drafted
by the chair, a deputy chair or the secretary and approved by the chair); 422 — what was sent is
refused, a decision or plan item of another body named included.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError as DomainError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field, TypeAdapter

from alqa.api import gates
from alqa.api.common import Gated, body_with_files, named, stored_file
from alqa.api.outputs import PlanDetailOut, PlanItemOut, PlanOut, PlanTallyOut, RemarkOut
from alqa.api.schemas import CaseGuardIn, Id, In, PathId, limited
from alqa.domain.attachments import ALLOWED
from alqa.domain.plans import (
    PlanExecutor,
    add_plan_item,
    approve_plan,
    change_plan_item,
    copy_forward,
    create_plan,
    record_plan_result,
)
from alqa.domain.remarks import close_remark, file_remark
from alqa.enums import PlanPeriod, RemarkStatus
from alqa.models import (
    AgendaItem,
    Assignment,
    Attachment,
    Body,
    ComplianceRemark,
    Decision,
    Member,
    PlanItem,
    WorkPlan,
)
from alqa.queries.plans import PlanStats, plan_page, statistics_of

router = Router(tags=["plans"])


# --- compliance remarks -------------------------------------------------------------------------


class RemarkIn(CaseGuardIn):
    decision_id: Id | None = Field(default=None, description="the decision not being complied with")
    plan_item_id: Id | None = Field(default=None, description="or the plan item")
    facts_ru: str = Field(default="", max_length=20000)
    facts_kk: str = Field(default="", max_length=20000)
    client_token: str = Field(
        default="",
        max_length=64,
        description="any string unique to this remark: sending it again files nothing more and answers the first",
    )


_REMARK = TypeAdapter(RemarkIn)
_REMARK_SCHEMA = RemarkIn.model_json_schema()
_REMARK_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _REMARK_SCHEMA},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": _REMARK_SCHEMA["properties"]
                | {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
            }
        },
    },
}


def _remarks() -> QuerySet[ComplianceRemark]:
    return ComplianceRemark.objects.select_related("author", "proposal").prefetch_related(
        Prefetch("proposal__items", queryset=AgendaItem.objects.order_by("id")),
        Prefetch("proposal__attachments", queryset=Attachment.objects.order_by("id")),
    )


@router.get(
    "/bodies/{body_id}/remarks",
    response=list[RemarkOut],
    auth=gates.BODY_READER,
    summary="Compliance remarks of a body",
)
def list_remarks(
    request: Gated[Body], body_id: PathId, status: RemarkStatus | None = None
) -> QuerySet[ComplianceRemark]:
    """Every remark of the body (newest first) with its state; `status` filters."""
    qs = _remarks().filter(body=request.auth).order_by("-created_at", "-id")
    if status is not None:
        qs = qs.filter(status=status)
    return qs


@router.post(
    "/bodies/{body_id}/remarks",
    response={201: RemarkOut},
    openapi_extra={"requestBody": _REMARK_BODY},
    auth=gates.REMARK_AUTHOR,
    summary="File a compliance remark",
)
def post_remark(request: Gated[Member], body_id: PathId) -> Status[ComplianceRemark]:
    """Any member of the body files a remark that a decision or a plan item (exactly one) is not
    being complied with, with the facts (clause 2.2.3): JSON, or multipart/form-data with the
    same fields and up to ten `files` (PDF, DOCX, PNG, JPEG up to 10 MB each; the type is checked
    by content, the text inside PDF and DOCX files passes the case guard as on the page). It is
    proposed for the next meeting's agenda (its `proposal_id`, the files with it), and the chair
    and the secretary are told by e-mail."""
    payload, files = body_with_files(request, _REMARK, RemarkIn)
    author = request.auth
    body = author.body
    decision = named(
        Decision.objects.filter(meeting__body=body).select_related("meeting"),
        payload.decision_id,
        field="decision_id",
        message=_("There is no such decision in this body."),
    )
    plan_item = named(
        PlanItem.objects.filter(plan__body=body).select_related("plan"),
        payload.plan_item_id,
        field="plan_item_id",
        message=_("There is no such plan item in this body."),
    )
    remark = file_remark(
        body=body,
        author=author,
        actor=request.user,
        decision=decision,
        plan_item=plan_item,
        facts_ru=payload.facts_ru,
        facts_kk=payload.facts_kk,
        client_token=payload.client_token,
        files=files,
        identifiers_confirmed=payload.confirm_identifiers,
    )
    return Status(201, _remarks().get(pk=remark.pk))


@router.get(
    "/remarks/{remark_id}", response=RemarkOut, auth=gates.REMARK_READER, summary="One compliance remark"
)
def get_remark(request: Gated[ComplianceRemark], remark_id: PathId) -> ComplianceRemark:
    return _remarks().get(pk=request.auth.pk)


@router.get(
    "/remarks/{remark_id}/files/{remark_file_id}",
    response={200: None},
    auth=gates.REMARK_FILE_READER,
    summary="A file of a compliance remark",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file as filed, with its content type",
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in sorted(set(ALLOWED.values()))
                },
            }
        }
    },
)
def get_remark_file(request: Gated[Attachment], remark_id: PathId, remark_file_id: PathId) -> FileResponse:
    """A file filed with the remark (one of its `files`), as the remark's page serves it to members
    of the body; a file of another remark, or anybody else: 404."""
    return stored_file(request.auth)


class CloseRemarkIn(CaseGuardIn):
    outcome_ru: str = Field(default="", max_length=5000)
    outcome_kk: str = Field(default="", max_length=5000)


@router.post(
    "/remarks/{remark_id}/close",
    response=RemarkOut,
    auth=gates.REMARK_MANAGER,
    summary="Close a compliance remark with the outcome",
)
def close(request: Gated[ComplianceRemark], remark_id: PathId, payload: CloseRemarkIn) -> ComplianceRemark:
    """The chair, a deputy chair or the secretary closes the remark with the outcome heard, in
    words (a remark heard at a meeting is closed by the decision on its question). A remark
    already closed is refused (422)."""
    close_remark(
        request.auth,
        actor=request.user,
        outcome_ru=payload.outcome_ru,
        outcome_kk=payload.outcome_kk,
        identifiers_confirmed=payload.confirm_identifiers,
    )
    return _remarks().get(pk=request.auth.pk)


# --- work plans ----------------------------------------------------------------------------------


class PlanIn(In):
    period: PlanPeriod
    year: int = Field(ge=2000, le=2100)
    quarter: int | None = Field(default=None, ge=1, le=4, description="1–4 for a quarterly plan")


class PlanExecutorIn(In):
    member_id: Id | None = None
    unit_id: Id | None = None
    name: str = limited(Assignment, "executor_name", default="")


class PlanItemIn(CaseGuardIn):
    activity_ru: str = Field(default="", max_length=5000)
    activity_kk: str = Field(default="", max_length=5000)
    expected_ru: str = Field(default="", max_length=5000)
    expected_kk: str = Field(default="", max_length=5000)
    due_date: date
    executors: list[PlanExecutorIn] = Field(default_factory=list, max_length=50)
    reason: str = Field(
        default="",
        max_length=2000,
        description="required once the plan is approved: the item is an amendment",
    )


class PlanItemChangeIn(CaseGuardIn):
    """Only the fields sent change; the others stay as they are."""

    activity_ru: str | None = Field(default=None, max_length=5000)
    activity_kk: str | None = Field(default=None, max_length=5000)
    expected_ru: str | None = Field(default=None, max_length=5000)
    expected_kk: str | None = Field(default=None, max_length=5000)
    due_date: date | None = Field(default=None, description="within the plan's period")
    reason: str = Field(
        default="",
        max_length=2000,
        description="required once the plan is approved: the change is an amendment",
    )


class PlanResultIn(CaseGuardIn):
    status: Literal["done", "not_done"]
    done_on: date | None = Field(default=None, description="required when done; not after today")
    result_ru: str = Field(default="", max_length=5000)
    result_kk: str = Field(default="", max_length=5000)


class PlanStatisticsOut(Schema):
    plan_id: int
    period: str
    year: int
    quarter: int | None
    overall: PlanTallyOut
    by_side: dict[str, PlanTallyOut] = Field(description="police, bar, other (a named official)")


def _statistics(stats: PlanStats) -> dict[str, Any]:
    return {
        "overall": vars(stats.overall),
        "by_side": {side: vars(t) for side, t in stats.sides},
    }


def _item(pk: int) -> PlanItem:
    return PlanItem.objects.prefetch_related("assignments").get(pk=pk)


def _detail(plan: WorkPlan) -> WorkPlan:
    """The plan with its page's parts (items, amendments, statistics) for PlanDetailOut."""
    page = plan_page(plan)
    plan.page_items = [row.item for row in page.rows]  # type: ignore[attr-defined]
    plan.page_amendments = page.amendments  # type: ignore[attr-defined]
    figures = _statistics(page.stats)
    plan.page_statistics = figures["overall"]  # type: ignore[attr-defined]
    plan.page_statistics_by_side = figures["by_side"]  # type: ignore[attr-defined]
    return plan


@router.get(
    "/bodies/{body_id}/plans", response=list[PlanOut], auth=gates.BODY_READER, summary="Work plans of a body"
)
def list_plans(request: Gated[Body], body_id: PathId) -> QuerySet[WorkPlan]:
    """The body's quarterly and annual plans, newest period first."""
    return WorkPlan.objects.filter(body=request.auth).order_by("-year", "period", "-quarter")


@router.post(
    "/bodies/{body_id}/plans",
    response={201: PlanDetailOut},
    auth=gates.BODY_MANAGER,
    summary="Draft a work plan",
)
def post_plan(request: Gated[Body], body_id: PathId, payload: PlanIn) -> Status[WorkPlan]:
    """The secretary (or the chair, a deputy chair) drafts the plan of a quarter or a year: one
    per body and period."""
    plan = create_plan(
        body=request.auth,
        actor=request.user,
        period=payload.period.value,
        year=payload.year,
        quarter=payload.quarter or 0,
    )
    return Status(201, _detail(plan))


@router.get(
    "/plans/{plan_id}", response=PlanDetailOut, auth=gates.PLAN_READER, summary="A work plan with its items"
)
def get_plan(request: Gated[WorkPlan], plan_id: PathId) -> WorkPlan:
    """The plan, its items with their executors and results, the amendments after approval and
    the statistics of the period (done on time, late, not done, in progress; by side)."""
    return _detail(request.auth)


@router.post(
    "/plans/{plan_id}/items",
    response={201: PlanItemOut},
    auth=gates.PLAN_MANAGER,
    summary="Add an item to a work plan",
)
def post_plan_item(request: Gated[WorkPlan], plan_id: PathId, payload: PlanItemIn) -> Status[PlanItem]:
    """An item with its activity, deadline (within the plan's period), expected result and at
    least one responsible executor (a member, a unit or a named official). On an approved plan it
    is an amendment and needs the `reason`."""
    item = add_plan_item(
        request.auth,
        actor=request.user,
        activity_ru=payload.activity_ru,
        activity_kk=payload.activity_kk,
        expected_ru=payload.expected_ru,
        expected_kk=payload.expected_kk,
        due_date=payload.due_date,
        executors=[
            PlanExecutor(member_id=e.member_id, unit_id=e.unit_id, name=e.name) for e in payload.executors
        ],
        reason=payload.reason,
        identifiers_confirmed=payload.confirm_identifiers,
    )
    return Status(201, _item(item.pk))


@router.post(
    "/plans/{plan_id}/approve",
    response=PlanDetailOut,
    auth=gates.PLAN_APPROVER,
    summary="Approve a work plan",
)
def approve(request: Gated[tuple[WorkPlan, Member]], plan_id: PathId) -> WorkPlan:
    """The chair approves the plan (clause 2.1.1). Approving again is refused (422)."""
    plan, approver = request.auth
    approve_plan(plan, actor=request.user, approver=approver, now=timezone.now())
    return _detail(plan)


@router.post(
    "/plans/{plan_id}/copy-forward",
    response={201: PlanDetailOut},
    auth=gates.PLAN_MANAGER,
    summary="Draft the next period's plan with the items not done",
)
def post_copy_forward(request: Gated[WorkPlan], plan_id: PathId) -> Status[WorkPlan]:
    """Drafts the plan of the next quarter or year with every item of this plan not done, its
    executors included; refused (422) when that period has a plan."""
    return Status(201, _detail(copy_forward(request.auth, actor=request.user)))


@router.get(
    "/plans/{plan_id}/statistics",
    response=PlanStatisticsOut,
    auth=gates.PLAN_READER,
    summary="Statistics of a work plan's period",
)
def get_statistics(request: Gated[WorkPlan], plan_id: PathId) -> dict[str, Any]:
    """The plan's items by outcome as of today — done on time (on or before the deadline), done
    late, not done (recorded so, carried over, or past the deadline), open — overall and by the
    side of their responsible executors (an item with executors on both sides counts on each;
    a named official outside both is `other`). Clause 2.2.10."""
    plan = request.auth
    return {
        "plan_id": plan.pk,
        "period": plan.period,
        "year": plan.year,
        "quarter": plan.quarter or None,
        **_statistics(statistics_of(plan)),
    }


@router.patch(
    "/plan-items/{plan_item_id}",
    response=PlanItemOut,
    auth=gates.PLAN_ITEM_MANAGER,
    summary="Change a plan item",
)
def patch_plan_item(request: Gated[PlanItem], plan_item_id: PathId, payload: PlanItemChangeIn) -> PlanItem:
    """The chair, a deputy chair or the secretary changes the item's activity, expected result or
    deadline (only the fields sent). Once the plan is approved the change is an amendment: the
    `reason` is required, and the change is kept with it, before and after. Nothing changed: 422."""
    sent = payload.model_dump(exclude_unset=True, exclude={"reason", "confirm_identifiers"})
    fields = {name: ("" if value is None and name != "due_date" else value) for name, value in sent.items()}
    if "due_date" in fields and fields["due_date"] is None:
        raise DomainError({"due_date": _("Give the deadline.")})
    change_plan_item(
        request.auth,
        actor=request.user,
        reason=payload.reason,
        identifiers_confirmed=payload.confirm_identifiers,
        **fields,
    )
    return _item(request.auth.pk)


@router.post(
    "/plan-items/{plan_item_id}/result",
    response=PlanItemOut,
    auth=gates.PLAN_ITEM_MANAGER,
    summary="Record a plan item's result",
)
def post_plan_result(request: Gated[PlanItem], plan_item_id: PathId, payload: PlanResultIn) -> PlanItem:
    """The chair, a deputy chair or the secretary records the item's result on an approved plan:
    done (on `done_on`, not after today) or not done, with the result in words (a result heard at
    a meeting is recorded by its decision). Recorded again, the new result replaces the old."""
    record_plan_result(
        request.auth,
        actor=request.user,
        status=payload.status,
        done_on=payload.done_on,
        result_ru=payload.result_ru,
        result_kk=payload.result_kk,
        identifiers_confirmed=payload.confirm_identifiers,
    )
    return _item(request.auth.pk)
