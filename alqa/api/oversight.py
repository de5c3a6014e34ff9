"""Oversight between meetings through the API (issue 12): the registers of facilities, visits,
findings, requests for documents, urgent contacts, legislative proposals and publications — each
a list with filters and pages, a record, and where the API writes, the creation and the steps.

Refusals (alqa.api.errors): 404 — the body or record is not the caller's to see; 403 — the caller
may read it but not do this; 422 — what was sent is refused (a unit outside the directory, a date in
the future, a step out of order, a case or personal number not confirmed).

Writes with files (a finding, the answer to a request) take JSON, or multipart/form-data with the
same fields and up to ten `files` (PDF, DOCX, PNG, JPEG up to 10 MB each, the type checked by
content; the case guard reads the text inside PDF and DOCX files)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, get_args

from django.core.exceptions import ValidationError as DomainError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError as SchemaError
from pydantic import BaseModel, Field, StrictBool, TypeAdapter

from alqa.api import gates
from alqa.api.common import Gated, json_body, named, validate_body
from alqa.api.schemas import (
    CaseGuardIn,
    Day,
    Id,
    In,
    LocalDateTime,
    Moment,
    NotNull,
    OptionalDay,
    PathId,
    limited,
    unset,
)
from alqa.domain.legislation import create_proposal, move, update_draft
from alqa.domain.publications import (
    approve_publication,
    create_publication,
    edit_publication,
    publish,
    withdraw_publication,
)
from alqa.domain.requests import create_request, mark_sent, record_answer
from alqa.domain.urgent_contacts import directory, log_contact, put_on_agenda
from alqa.domain.visits import (
    CheckInput,
    add_checklist_item,
    add_finding,
    cancel_visit,
    create_facility,
    plan_visit,
    propose_from_finding,
    record_visit,
    remark_from_finding,
    set_checklist_item_in_use,
    update_facility,
)
from alqa.enums import (
    AddresseeKind,
    AnswerAssessment,
    CheckResult,
    FacilityKind,
    FindingStatus,
    LegislativeStatus,
    PublicationStatus,
    RequestStatus,
    ViolationKind,
    VisitStatus,
)
from alqa.models import (
    AgendaItem,
    Body,
    ChecklistItem,
    Decision,
    DocumentRequest,
    Facility,
    Finding,
    LegislativeProposal,
    Meeting,
    Member,
    Publication,
    Unit,
    UrgentContact,
    Visit,
    VisitCheck,
)

router = Router(tags=["oversight"])


class Guarded(CaseGuardIn):
    """The case guard's confirmation as JSON's own true or false (0, 1 or "yes" are refused)."""

    confirm_identifiers: StrictBool = Field(
        default=False, description=CaseGuardIn.model_fields["confirm_identifiers"].description
    )


class PageQuery(In):
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=50, ge=1, le=500)


def _page(qs: QuerySet[Any], paging: PageQuery) -> dict[str, Any]:
    paginator = Paginator(qs, paging.per_page)
    number = min(paging.page, max(paginator.num_pages, 1))
    return {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "results": list(paginator.page(number).object_list),
    }


class PageOut(Schema):
    count: int
    page: int
    pages: int


_FILES = {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    """The schema with its local `$defs` references replaced by what they name (the enums)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline(definitions[ref.rsplit("/", 1)[-1]], definitions)
        return {k: _inline(v, definitions) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, definitions) for v in node]
    return node


def _form_field(prop: dict[str, Any]) -> dict[str, Any]:
    """A field of the multipart form: as in JSON, but a form has no null (an empty or absent field
    is not given)."""
    options: list[dict[str, Any]] = [o for o in prop.get("anyOf", []) if o != {"type": "null"}]
    if len(options) == 1:
        return {k: v for k, v in prop.items() if k not in ("anyOf", "default")} | options[0]
    return prop


def _json_or_multipart(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of a write that takes JSON, or multipart/form-data with files."""
    raw = model.model_json_schema()
    schema = _inline(raw, raw.get("$defs", {}))
    form = {name: _form_field(prop) for name, prop in schema["properties"].items()}
    return {
        "required": True,
        "content": {
            "application/json": {"schema": schema},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": form | _FILES,
                    "required": schema.get("required", []),
                }
            },
        },
    }


def _blank_is_unset(annotation: Any) -> bool:
    return annotation is bool or type(None) in get_args(annotation)


_TRUTH = {"true": True, "on": True, "1": True, "false": False, "off": False, "0": False, "": False}


def _input(request: HttpRequest, adapter: TypeAdapter[Any], model: type[BaseModel]) -> tuple[Any, list[Any]]:
    """The write's fields from JSON, or from multipart/form-data with its `files` (a form's
    "true", "on" or "1" confirms the case guard; anything else there is refused as JSON's would be)."""
    if request.content_type == "multipart/form-data":
        # a form has no null: an empty field that may be null (or a box not ticked) is not given
        raw: dict[str, Any] = {
            name: request.POST[name]
            for name, field in model.model_fields.items()
            if name in request.POST and (request.POST[name] != "" or not _blank_is_unset(field.annotation))
        }
        if "confirm_identifiers" in raw:
            flag = str(raw["confirm_identifiers"]).strip().lower()
            raw["confirm_identifiers"] = _TRUTH.get(flag, raw["confirm_identifiers"])
        if request.POST.getlist("files"):  # text where the files go
            raise DomainError({"files": _("Send the files as files of the form, not as text.")})
        files: list[UploadedFile[Any]] = request.FILES.getlist("files")
        return validate_body(adapter, raw), files
    data = json_body(request)
    if not isinstance(data, dict):
        raise SchemaError([{"loc": ["body"], "msg": "", "type": "json_invalid"}])
    return validate_body(adapter, data), []


# --- facilities, visits, findings (clause 2.2.7) -------------------------------------------------


class FacilityOut(Schema):
    id: int
    body_id: int
    name_ru: str
    name_kk: str
    kind: FacilityKind
    address: str
    unit_id: int | None
    is_operational_criminal_police: bool
    is_active: bool


class FacilityPageOut(PageOut):
    results: list[FacilityOut]


class FacilityFilter(In):
    kind: FacilityKind | None = None
    active: bool | None = None


@router.get(
    "/bodies/{body_id}/facilities",
    response=FacilityPageOut,
    auth=gates.BODY_READER,
    summary="The register of facilities",
)
def list_facilities(
    request: Gated[Body], body_id: PathId, filters: Query[FacilityFilter], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The body's facilities by name; `kind` and `active` filter."""
    qs = Facility.objects.filter(body=request.auth).order_by("name_ru", "pk")
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return _page(qs, paging)


@router.get(
    "/facilities/{facility_id}", response=FacilityOut, auth=gates.FACILITY_READER, summary="A facility"
)
def get_facility(request: Gated[Facility], facility_id: PathId) -> Facility:
    return request.auth


class FacilityIn(Guarded):
    name_ru: str = limited(Facility, "name_ru")
    name_kk: str = limited(Facility, "name_kk", default="")
    kind: FacilityKind
    address: str = limited(Facility, "address", default="")
    unit_id: Id | None = None
    is_operational_criminal_police: StrictBool = Field(
        default=False,
        description="clause 2.2.7: an operational unit of the criminal police, closed to members' visits",
    )


class FacilityPatch(Guarded):
    """Only the fields sent change; the name, kind and flags cannot be emptied (null is refused),
    the responsible unit is cleared with null."""

    name_ru: NotNull[str] = unset(max_length=Facility._meta.get_field("name_ru").max_length)
    name_kk: NotNull[str] = unset(max_length=Facility._meta.get_field("name_kk").max_length)
    kind: NotNull[FacilityKind] = unset()
    address: NotNull[str] = unset(max_length=Facility._meta.get_field("address").max_length)
    unit_id: Id | None = None
    is_operational_criminal_police: NotNull[StrictBool] = unset(
        description="clause 2.2.7: an operational unit of the criminal police, closed to members' visits"
    )
    is_active: NotNull[StrictBool] = unset(description="false takes the facility off the register")


def _facility_unit(body: Body, unit_id: int | None) -> Unit | None:
    return named(
        Unit.objects.filter(body=body, side="police"),
        unit_id,
        field="unit_id",
        message=_("Choose a police unit of this body."),
    )


@router.post(
    "/bodies/{body_id}/facilities",
    response={201: FacilityOut},
    auth=gates.BODY_MANAGER,
    summary="Register a facility",
)
def post_facility(request: Gated[Body], body_id: PathId, payload: FacilityIn) -> Status[Facility]:
    """Chair, deputy chair and secretary register a facility (its name unique in the body); the
    first facility of a kind gives the body that kind's default checklist. A facility marked an
    operational unit of the criminal police is closed to visits (clause 2.2.7)."""
    body = request.auth
    fields = payload.dict()
    unit = _facility_unit(body, fields.pop("unit_id"))
    facility = create_facility(
        body=body,
        actor=request.user,
        unit=unit,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )
    return Status(201, facility)


@router.patch(
    "/facilities/{facility_id}",
    response=FacilityOut,
    auth=gates.FACILITY_MANAGER,
    summary="Change a facility",
)
def patch_facility(request: Gated[Facility], facility_id: PathId, payload: FacilityPatch) -> Facility:
    """Chair, deputy chair and secretary change the facility's fields sent, the operational-unit
    flag (clause 2.2.7) and its place on the register included."""
    facility = request.auth
    changes = payload.dict(exclude_unset=True)
    confirmed = changes.pop("confirm_identifiers", False)
    if "unit_id" in changes:
        changes["unit"] = _facility_unit(facility.body, changes.pop("unit_id"))
    return update_facility(facility, actor=request.user, identifiers_confirmed=confirmed, **changes)


# --- the checklist of visits ------------------------------------------------------------------


class ChecklistItemOut(Schema):
    id: int
    body_id: int
    kind: FacilityKind
    text_ru: str
    text_kk: str
    order: int
    is_active: bool


class ChecklistFilter(In):
    kind: FacilityKind | None = None
    active: bool | None = None


@router.get(
    "/bodies/{body_id}/checklist",
    response=list[ChecklistItemOut],
    auth=gates.BODY_READER,
    summary="The checklist of visits",
)
def list_checklist(
    request: Gated[Body], body_id: PathId, filters: Query[ChecklistFilter]
) -> QuerySet[ChecklistItem]:
    """What is checked on a visit, per kind of facility, in order; `kind` and `active` filter."""
    qs = ChecklistItem.objects.filter(body=request.auth).order_by("kind", "order", "pk")
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return qs


class ChecklistItemIn(Guarded):
    kind: FacilityKind
    text_ru: str = limited(ChecklistItem, "text_ru")
    text_kk: str = limited(ChecklistItem, "text_kk", default="")


@router.post(
    "/bodies/{body_id}/checklist",
    response={201: ChecklistItemOut},
    auth=gates.BODY_MANAGER,
    summary="Add an item to the checklist",
)
def post_checklist_item(
    request: Gated[Body], body_id: PathId, payload: ChecklistItemIn
) -> Status[ChecklistItem]:
    """Chair, deputy chair and secretary add an item at the end of the list for a kind of
    facility; the same text again is refused (422 on `text_ru`)."""
    fields = payload.dict()
    item = add_checklist_item(
        body=request.auth,
        actor=request.user,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )
    return Status(201, item)


@router.get(
    "/checklist-items/{checklist_item_id}",
    response=ChecklistItemOut,
    auth=gates.CHECKLIST_ITEM_READER,
    summary="A checklist item",
)
def get_checklist_item(request: Gated[ChecklistItem], checklist_item_id: PathId) -> ChecklistItem:
    return request.auth


class ChecklistItemPatch(In):
    is_active: StrictBool = Field(description="false takes the item off the checklist of future visits")


@router.patch(
    "/checklist-items/{checklist_item_id}",
    response=ChecklistItemOut,
    auth=gates.CHECKLIST_ITEM_MANAGER,
    summary="Take a checklist item off the list, or back on",
)
def patch_checklist_item(
    request: Gated[ChecklistItem], checklist_item_id: PathId, payload: ChecklistItemPatch
) -> ChecklistItem:
    """Visits already recorded keep their results; the same value again changes nothing."""
    return set_checklist_item_in_use(request.auth, actor=request.user, in_use=payload.is_active)


class CheckOut(Schema):
    item_id: int
    result: CheckResult
    note: str


class VisitOut(Schema):
    id: int
    body_id: int
    facility_id: int
    status: VisitStatus
    planned_on: date
    visited_on: date | None
    purpose: str
    summary_ru: str
    summary_kk: str
    participant_ids: list[int]
    checks: list[CheckOut]

    @staticmethod
    def resolve_participant_ids(obj: Visit) -> list[int]:
        return [m.pk for m in obj.participants.all()]

    @staticmethod
    def resolve_checks(obj: Visit) -> list[VisitCheck]:
        return list(obj.checks.all())


class VisitPageOut(PageOut):
    results: list[VisitOut]


class VisitFilter(In):
    status: VisitStatus | None = None
    facility_id: int | None = Field(default=None, ge=1, le=2**63 - 1)


@router.get("/bodies/{body_id}/visits", response=VisitPageOut, auth=gates.BODY_READER, summary="Visits")
def list_visits(
    request: Gated[Body], body_id: PathId, filters: Query[VisitFilter], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The body's visits, latest first; `status` and `facility_id` filter."""
    qs = (
        Visit.objects.filter(body=request.auth)
        .prefetch_related("participants", "checks")
        .order_by("-planned_on", "-pk")
    )
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.facility_id is not None:
        qs = qs.filter(facility_id=filters.facility_id)
    return _page(qs, paging)


class VisitIn(Guarded):
    facility_id: Id
    planned_on: Day
    purpose: str = Field(default="", max_length=2000)


@router.post(
    "/bodies/{body_id}/visits",
    response={201: VisitOut},
    auth=gates.VISIT_PLANNER,
    summary="Plan a visit",
)
def post_visit(request: Gated[Body], body_id: PathId, payload: VisitIn) -> Status[Visit]:
    """A member plans a visit to a facility of the body; an operational unit of the criminal
    police is refused (clause 2.2.7, 422 on `facility_id`)."""
    body = request.auth
    fields = payload.dict()
    facility = named(
        Facility.objects.filter(body=body).select_related("unit"),
        fields.pop("facility_id"),
        field="facility_id",
        message=_("There is no such facility in this body."),
    )
    visit = plan_visit(
        body=body,
        facility=facility,
        actor=request.user,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )
    return Status(201, visit)


@router.post(
    "/visits/{visit_id}/cancel", response=VisitOut, auth=gates.VISIT_READER, summary="Cancel a visit"
)
def post_visit_cancel(request: Gated[Visit], visit_id: PathId) -> Visit:
    """A planned visit is cancelled (again: no change); a recorded one is refused."""
    return cancel_visit(request.auth, actor=request.user)


@router.get("/visits/{visit_id}", response=VisitOut, auth=gates.VISIT_READER, summary="A visit")
def get_visit(request: Gated[Visit], visit_id: PathId) -> Visit:
    return request.auth


class CheckIn(In):
    item_id: Id = Field(description="an item of the body's checklist for this kind of facility")
    result: CheckResult
    note: str = limited(VisitCheck, "note", default="")


class VisitRecordIn(Guarded):
    visited_on: Day
    participant_ids: list[Id] = Field(
        max_length=200, description="who went: members of the body on that day, at least one of each side"
    )
    checks: list[CheckIn] = Field(default=[], max_length=500)
    summary_ru: str = Field(default="", max_length=50000)
    summary_kk: str = Field(default="", max_length=50000)


@router.post(
    "/visits/{visit_id}/record",
    response=VisitOut,
    auth=gates.VISIT_READER,
    summary="Record a visit",
)
def post_visit_record(request: Gated[Visit], visit_id: PathId, payload: VisitRecordIn) -> Visit:
    """A member records the visit after it took place: the day (not in the future), who went
    (members of the body on that day, at least one of each side, else 422 on `participant_ids`),
    the checklist's results and a summary. A cancelled visit, or a facility closed to visits
    since (an operational unit of the criminal police, clause 2.2.7: 422 on `facility_id`), is
    refused. Recorded again, its record is replaced."""
    visit = request.auth
    fields = payload.dict()
    wanted = set(fields.pop("participant_ids"))
    people = list(Member.objects.filter(body_id=visit.body_id, pk__in=wanted))
    if len(people) != len(wanted):
        raise DomainError(
            {
                "participant_ids": _(
                    "Only members of this body on the day of the visit can be its participants."
                )
            }
        )
    checks = [
        CheckInput(item_id=c["item_id"], result=c["result"], note=c["note"]) for c in fields.pop("checks")
    ]
    record_visit(
        visit,
        actor=request.user,
        participants=people,
        checks=checks,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )
    return Visit.objects.prefetch_related("participants", "checks").get(pk=visit.pk)


class FindingOut(Schema):
    id: int
    body_id: int
    visit_id: int
    facility_id: int
    kind: ViolationKind
    description: str
    cause: str
    unit_id: int | None
    status: FindingStatus
    proposal_id: int | None
    remark_id: int | None
    agenda_item_ids: list[int] = Field(
        description="the questions of meetings its proposal (or its remark's) was put on as"
    )
    file_names: list[str]

    @staticmethod
    def resolve_agenda_item_ids(obj: Finding) -> list[int]:
        return [i.pk for i in obj.proposal.items.all()] if obj.proposal_id and obj.proposal else []

    @staticmethod
    def resolve_file_names(obj: Finding) -> list[str]:
        return [f.name for f in obj.files.all()]


def _findings() -> QuerySet[Finding]:
    return Finding.objects.select_related("proposal").prefetch_related(
        "files", Prefetch("proposal__items", queryset=AgendaItem.objects.order_by("pk"))
    )


class FindingPageOut(PageOut):
    results: list[FindingOut]


class FindingFilter(In):
    status: FindingStatus | None = None
    kind: ViolationKind | None = None


@router.get("/bodies/{body_id}/findings", response=FindingPageOut, auth=gates.BODY_READER, summary="Findings")
def list_findings(
    request: Gated[Body], body_id: PathId, filters: Query[FindingFilter], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The body's findings, latest first; `status` and `kind` filter."""
    qs = _findings().filter(body=request.auth).order_by("-pk")
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    return _page(qs, paging)


@router.post(
    "/findings/{finding_id}/propose",
    response=FindingOut,
    auth=gates.FINDING_PROPOSER,
    summary="Turn a finding into a proposal",
)
def post_finding_propose(request: Gated[tuple[Finding, Member]], finding_id: PathId) -> Finding:
    """A member of the body turns the finding into a proposal in one step (clause 2.1.5); again,
    the same proposal."""
    finding, author = request.auth
    propose_from_finding(finding, actor=request.user, author=author)
    return _findings().get(pk=finding.pk)


class FindingRemarkIn(In):
    decision_id: Id = Field(description="the decision of the body that is not complied with")


@router.post(
    "/findings/{finding_id}/remark",
    response=FindingOut,
    auth=gates.FINDING_REMARKER,
    summary="Turn a finding into a compliance remark on a decision",
)
def post_finding_remark(
    request: Gated[tuple[Finding, Member]], finding_id: PathId, payload: FindingRemarkIn
) -> Finding:
    """A member of the body files the finding, with its files, as a remark that the chosen
    decision is not complied with (clause 2.2.3), in one step: the remark is proposed for the next
    agenda and the chair and the secretary are told. Again on the same decision, the same remark;
    a finding already made a proposal or a remark on another decision is refused (422)."""
    finding, author = request.auth
    decision = named(
        Decision.objects.filter(meeting__body_id=finding.body_id).select_related("meeting"),
        payload.decision_id,
        field="decision_id",
        message=_("There is no such decision in this body."),
    )
    remark_from_finding(finding, actor=request.user, author=author, decision=decision)
    return _findings().get(pk=finding.pk)


class FindingIn(Guarded):
    kind: ViolationKind
    description: str = Field(
        default="", max_length=20000, description="what was found (required by the rules)"
    )
    cause: str = Field(default="", max_length=5000)
    unit_id: Id | None = None


_FINDING = TypeAdapter(FindingIn)


@router.post(
    "/visits/{visit_id}/findings",
    response={201: FindingOut},
    openapi_extra={"requestBody": _json_or_multipart(FindingIn)},
    auth=gates.VISIT_READER,
    summary="Add a finding to a recorded visit",
)
def post_finding(request: Gated[Visit], visit_id: PathId) -> Status[Finding]:
    """A member adds what was found on a recorded visit: the kind of violation, what was found,
    its cause, the unit concerned; JSON, or multipart/form-data with photos and files as `files`.
    A case or personal number in the texts or inside a file is refused (422) unless confirmed."""
    visit = request.auth
    payload, files = _input(request, _FINDING, FindingIn)
    fields = payload.dict()
    unit = named(
        Unit.objects.filter(body_id=visit.body_id),
        fields.pop("unit_id"),
        field="unit_id",
        message=_("There is no such unit in this body."),
    )
    finding = add_finding(
        visit,
        actor=request.user,
        unit=unit,
        files=files,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )
    return Status(201, _findings().get(pk=finding.pk))


@router.get("/findings/{finding_id}", response=FindingOut, auth=gates.FINDING_READER, summary="A finding")
def get_finding(request: Gated[Finding], finding_id: PathId) -> Finding:
    return _findings().get(pk=request.auth.pk)


# --- requests for documents (clause 2.2.8) ---------------------------------------------------


class RequestOut(Schema):
    id: int
    body_id: int
    number: str = Field(alias="outgoing_number")
    addressee_kind: AddresseeKind
    addressee: str
    addressee_unit: str
    addressee_official: str
    subject: str
    legal_basis: str
    status: RequestStatus
    sent_on: date | None
    due_on: date | None
    answered_on: date | None
    answer_summary: str
    assessment: str
    file_names: list[str]

    @staticmethod
    def resolve_file_names(obj: DocumentRequest) -> list[str]:
        return [f.name for f in obj.files.all()]


class RequestPageOut(PageOut):
    results: list[RequestOut]


class RequestFilter(In):
    status: RequestStatus | None = None
    overdue: bool = False


class RequestIn(Guarded):
    addressee_kind: AddresseeKind
    addressee: str = limited(DocumentRequest, "addressee")
    addressee_unit: str = limited(DocumentRequest, "addressee_unit", default="")
    addressee_official: str = limited(DocumentRequest, "addressee_official", default="")
    subject: str = Field(max_length=20000)
    legal_basis: str = limited(DocumentRequest, "legal_basis")


class SentIn(In):
    sent_on: Day


class AnswerIn(Guarded):
    answered_on: Day
    answer_summary: str = Field(default="", max_length=20000)
    assessment: AnswerAssessment | Literal[""] = ""


@router.get(
    "/bodies/{body_id}/requests",
    response=RequestPageOut,
    auth=gates.BODY_READER,
    summary="Requests for documents",
)
def list_requests(
    request: Gated[Body], body_id: PathId, filters: Query[RequestFilter], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The body's requests, newest number first; `status` filters, `overdue` keeps those sent,
    unanswered and past their due date."""
    qs = (
        DocumentRequest.objects.filter(body=request.auth)
        .prefetch_related("files")
        .order_by("-year", "-number")
    )
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(status=RequestStatus.SENT, due_on__lt=timezone.localdate())
    return _page(qs, paging)


@router.post(
    "/bodies/{body_id}/requests",
    response={201: RequestOut},
    auth=gates.BODY_MANAGER,
    summary="Enter a request",
)
def post_request(request: Gated[Body], body_id: PathId, payload: RequestIn) -> Status[DocumentRequest]:
    """Chair, deputy chair and secretary enter a request under the body's next outgoing number."""
    fields = payload.dict()
    created = create_request(
        body=request.auth,
        actor=request.user,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )
    return Status(201, created)


@router.get("/requests/{request_id}", response=RequestOut, auth=gates.REQUEST_READER, summary="A request")
def get_request(request: Gated[DocumentRequest], request_id: PathId) -> DocumentRequest:
    return request.auth


@router.post(
    "/requests/{request_id}/send",
    response=RequestOut,
    auth=gates.REQUEST_MANAGER,
    summary="Mark a request sent",
)
def send_request(request: Gated[DocumentRequest], request_id: PathId, payload: SentIn) -> DocumentRequest:
    """The day it was sent; the answer's due date follows from the kind of addressee."""
    return mark_sent(request.auth, actor=request.user, sent_on=payload.sent_on)


_ANSWER = TypeAdapter(AnswerIn)


@router.post(
    "/requests/{request_id}/answer",
    response=RequestOut,
    openapi_extra={"requestBody": _json_or_multipart(AnswerIn)},
    auth=gates.REQUEST_MANAGER,
    summary="Record the answer to a request",
)
def answer_request(request: Gated[DocumentRequest], request_id: PathId) -> DocumentRequest:
    """The day the answer came, in brief, and its assessment; JSON, or multipart/form-data with
    the answer's documents as `files`. Refused (422 on `answered_on`) before the request was
    sent, dated before its sending or in the future, and once an answer is recorded."""
    payload, files = _input(request, _ANSWER, AnswerIn)
    fields = payload.dict()
    return record_answer(
        request.auth,
        actor=request.user,
        files=files,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )


# --- urgent contacts (clause 2.2.5) ----------------------------------------------------------


class UrgentContactOut(Schema):
    id: int
    body_id: int
    member_id: int
    unit_id: int
    contact_person: str
    contacted_at: LocalDateTime
    reason: str
    outcome: str
    agenda_item_id: int | None


class UrgentContactPageOut(PageOut):
    results: list[UrgentContactOut]


class UrgentContactFilter(In):
    waiting: bool | None = None
    unit_id: int | None = Field(default=None, ge=1, le=2**63 - 1)


class UrgentContactIn(Guarded):
    unit_id: Id
    contacted_at: Moment
    reason: str = Field(max_length=5000)
    outcome: str = Field(default="", max_length=5000)
    contact_person: str = limited(UrgentContact, "contact_person", default="")


@router.get(
    "/bodies/{body_id}/urgent-contacts",
    response=UrgentContactPageOut,
    auth=gates.BODY_READER,
    summary="The log of urgent contacts",
)
def list_urgent_contacts(
    request: Gated[Body], body_id: PathId, filters: Query[UrgentContactFilter], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The body's urgent contacts, latest first; `waiting` keeps those not yet on an agenda (true)
    or those reported (false); `unit_id` filters."""
    qs = UrgentContact.objects.filter(body=request.auth).order_by("-contacted_at", "-pk")
    if filters.waiting is not None:
        qs = qs.filter(agenda_item__isnull=filters.waiting)
    if filters.unit_id is not None:
        qs = qs.filter(unit_id=filters.unit_id)
    return _page(qs, paging)


@router.post(
    "/bodies/{body_id}/urgent-contacts",
    response={201: UrgentContactOut},
    auth=gates.CONTACT_AUTHOR,
    summary="Log an urgent contact",
)
def post_urgent_contact(
    request: Gated[Member], body_id: PathId, payload: UrgentContactIn
) -> Status[UrgentContact]:
    """A member of the body logs an urgent contact with the head of a police unit or the Bar's
    Presidium; whom defaults to the head named in the units register."""
    member = request.auth
    fields = payload.dict()
    unit = named(
        directory(member.body),
        fields.pop("unit_id"),
        field="unit_id",
        message=_("Choose a police unit or the Bar's Presidium of this body."),
    )
    contact = log_contact(
        body=member.body,
        actor=request.user,
        member=member,
        unit=unit,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )
    return Status(201, contact)


@router.get(
    "/urgent-contacts/{urgent_contact_id}",
    response=UrgentContactOut,
    auth=gates.URGENT_CONTACT_READER,
    summary="An urgent contact",
)
def get_urgent_contact(request: Gated[UrgentContact], urgent_contact_id: PathId) -> UrgentContact:
    return request.auth


class UrgentReportIn(In):
    withdraw_approval: StrictBool = Field(
        default=False,
        description="true to add the question to an approved agenda, withdrawing its approval (else 409)",
    )


class UrgentReportOut(Schema):
    meeting_id: int
    agenda_item_id: int
    urgent_contact_ids: list[int]


@router.post(
    "/meetings/{meeting_id}/urgent-contacts",
    response=UrgentReportOut,
    auth=gates.MEETING_MANAGER,
    summary="Put the urgent contacts waiting on a meeting's agenda",
)
def post_urgent_report(
    request: Gated[Meeting], meeting_id: PathId, payload: UrgentReportIn
) -> dict[str, Any]:
    """Chair, deputy chair and secretary put every urgent contact waiting for the meeting on its
    agenda as one question (clause 2.2.5); again with nothing new waiting, the same question; with
    nothing waiting at all, 422."""
    item = put_on_agenda(request.auth, actor=request.user, withdraw_approval=payload.withdraw_approval)
    return {
        "meeting_id": item.meeting_id,
        "agenda_item_id": item.pk,
        "urgent_contact_ids": list(
            UrgentContact.objects.filter(agenda_item=item).order_by("pk").values_list("pk", flat=True)
        ),
    }


# --- legislative proposals (clause 2.2.11) ---------------------------------------------------


class LegislativeOut(Schema):
    id: int
    body_id: int
    title_ru: str
    title_kk: str
    text_ru: str
    text_kk: str
    act: str
    justification: str
    addressee: str
    status: LegislativeStatus
    decision_id: int | None
    submitted_on: date | None
    outgoing_ref: str
    outcome_on: date | None
    outcome_note: str
    version: int


class LegislativePageOut(PageOut):
    results: list[LegislativeOut]


class LegislativeFilter(In):
    status: LegislativeStatus | None = None
    q: str = Field(default="", max_length=200)


class LegislativeIn(Guarded):
    title_ru: str = limited(LegislativeProposal, "title_ru")
    title_kk: str = limited(LegislativeProposal, "title_kk", default="")
    text_ru: str = Field(max_length=50000)
    text_kk: str = Field(default="", max_length=50000)
    act: str = limited(LegislativeProposal, "act")
    justification: str = Field(max_length=50000)
    addressee: str = limited(LegislativeProposal, "addressee")


class StepIn(Guarded):
    to: Literal["approved", "submitted", "accepted", "partly", "rejected"]
    decision_id: Id | None = None
    submitted_on: OptionalDay = None
    outgoing_ref: str = limited(LegislativeProposal, "outgoing_ref", default="")
    outcome_on: OptionalDay = None
    outcome_note: str = Field(default="", max_length=20000)


@router.get(
    "/bodies/{body_id}/legislative-proposals",
    response=LegislativePageOut,
    auth=gates.BODY_READER,
    summary="Legislative proposals",
)
def list_legislative(
    request: Gated[Body], body_id: PathId, filters: Query[LegislativeFilter], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The body's legislative proposals, newest first; `status` filters, `q` looks in the title,
    the act and the addressee."""
    qs = LegislativeProposal.objects.filter(body=request.auth).order_by("-created_at", "-pk")
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    words = filters.q.strip()
    if words:
        qs = qs.filter(
            Q(title_ru__icontains=words)
            | Q(title_kk__icontains=words)
            | Q(act__icontains=words)
            | Q(addressee__icontains=words)
        )
    return _page(qs, paging)


@router.post(
    "/bodies/{body_id}/legislative-proposals",
    response={201: LegislativeOut},
    auth=gates.BODY_MANAGER,
    summary="Draft a legislative proposal",
)
def post_legislative(
    request: Gated[Body], body_id: PathId, payload: LegislativeIn
) -> Status[LegislativeProposal]:
    """Chair, deputy chair and secretary draft a proposal (the Russian text required, the Kazakh
    beside it)."""
    fields = payload.dict()
    created = create_proposal(
        body=request.auth,
        actor=request.user,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )
    return Status(201, created)


@router.get(
    "/legislative-proposals/{legislative_proposal_id}",
    response=LegislativeOut,
    auth=gates.LEGISLATIVE_READER,
    summary="A legislative proposal",
)
def get_legislative(
    request: Gated[LegislativeProposal], legislative_proposal_id: PathId
) -> LegislativeProposal:
    return request.auth


class LegislativeEditIn(LegislativeIn):
    version: int = Field(ge=0, le=2**31 - 1, description="the version the changes were made on")


@router.put(
    "/legislative-proposals/{legislative_proposal_id}",
    response=LegislativeOut,
    auth=gates.LEGISLATIVE_MANAGER,
    summary="Change a draft legislative proposal",
)
def put_legislative(
    request: Gated[LegislativeProposal], legislative_proposal_id: PathId, payload: LegislativeEditIn
) -> LegislativeProposal:
    """Chair, deputy chair and secretary change a draft's texts made on `version` (someone saved
    meanwhile, or the group approved it already: 422); the version goes up by one."""
    fields = payload.dict()
    return update_draft(
        request.auth,
        actor=request.user,
        version=fields.pop("version"),
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )


@router.post(
    "/legislative-proposals/{legislative_proposal_id}/steps",
    response=LegislativeOut,
    auth=gates.LEGISLATIVE_MANAGER,
    summary="Record a step of a legislative proposal",
)
def post_step(
    request: Gated[LegislativeProposal], legislative_proposal_id: PathId, payload: StepIn
) -> LegislativeProposal:
    """`approved` with the `decision_id` of the group's decision; `submitted` with `submitted_on`
    and `outgoing_ref`; `accepted`, `partly` or `rejected` with `outcome_on` and `outcome_note`.
    A step out of order is refused (422 on `to`); the same step again changes nothing."""
    proposal = request.auth
    fields = payload.dict()
    decision = named(
        Decision.objects.filter(meeting__body_id=proposal.body_id).select_related("meeting"),
        fields.pop("decision_id"),
        field="decision_id",
        message=_("There is no such decision in this body."),
    )
    return move(
        proposal,
        actor=request.user,
        decision=decision,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )


# --- publications (clause 2.2.2) -------------------------------------------------------------


class PublicationOut(Schema):
    id: int
    body_id: int
    title_ru: str
    title_kk: str
    text_ru: str
    text_kk: str
    status: PublicationStatus
    police_approved: bool
    bar_approved: bool
    published_at: LocalDateTime | None

    @staticmethod
    def resolve_police_approved(obj: Publication) -> bool:
        return obj.police_approved_by_id is not None

    @staticmethod
    def resolve_bar_approved(obj: Publication) -> bool:
        return obj.bar_approved_by_id is not None


class PublicationPageOut(PageOut):
    results: list[PublicationOut]


class PublicationFilter(In):
    status: PublicationStatus | None = None


@router.get(
    "/bodies/{body_id}/publications",
    response=PublicationPageOut,
    auth=gates.BODY_READER,
    summary="Publications",
)
def list_publications(
    request: Gated[Body], body_id: PathId, filters: Query[PublicationFilter], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The body's drafts and publications, latest first; `status` filters."""
    qs = Publication.objects.filter(body=request.auth).order_by("-published_at", "-created_at", "-pk")
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    return _page(qs, paging)


class PublicationIn(Guarded):
    title_ru: str = limited(Publication, "title_ru")
    title_kk: str = limited(Publication, "title_kk")
    text_ru: str = Field(max_length=50000)
    text_kk: str = Field(max_length=50000)


@router.post(
    "/bodies/{body_id}/publications",
    response={201: PublicationOut},
    auth=gates.BODY_MANAGER,
    summary="Draft a publication",
)
def post_publication(request: Gated[Body], body_id: PathId, payload: PublicationIn) -> Status[Publication]:
    """Chair, deputy chair and secretary draft a publication in both languages; it is never
    public before both sides approve it and it is published."""
    fields = payload.dict()
    created = create_publication(
        body=request.auth,
        actor=request.user,
        identifiers_confirmed=fields.pop("confirm_identifiers"),
        **fields,
    )
    return Status(201, created)


@router.post(
    "/publications/{publication_id}/approve",
    response=PublicationOut,
    auth=gates.PUBLICATION_APPROVER,
    summary="Approve a publication for one's side",
)
def post_publication_approve(
    request: Gated[tuple[Publication, Member]], publication_id: PathId
) -> Publication:
    """The chair or a deputy chair approves the draft for their side (clause 2.2.2)."""
    publication, approver = request.auth
    return approve_publication(publication, actor=request.user, approver=approver)


@router.post(
    "/publications/{publication_id}/publish",
    response=PublicationOut,
    auth=gates.PUBLICATION_MANAGER,
    summary="Publish an approved publication",
)
def post_publication_publish(request: Gated[Publication], publication_id: PathId) -> Publication:
    """Published once both sides approved it (otherwise 422); again, no change."""
    return publish(request.auth, actor=request.user)


@router.put(
    "/publications/{publication_id}",
    response=PublicationOut,
    auth=gates.PUBLICATION_MANAGER,
    summary="Change a publication",
)
def put_publication(
    request: Gated[Publication], publication_id: PathId, payload: PublicationIn
) -> Publication:
    """Chair, deputy chair and secretary change a draft's title and text in both languages; the
    approvals given are withdrawn when the texts change, and a published item is refused (422:
    withdraw it first)."""
    fields = payload.dict()
    return edit_publication(
        request.auth, actor=request.user, identifiers_confirmed=fields.pop("confirm_identifiers"), **fields
    )


@router.post(
    "/publications/{publication_id}/withdraw",
    response=PublicationOut,
    auth=gates.PUBLICATION_MANAGER,
    summary="Withdraw a publication",
)
def post_publication_withdraw(request: Gated[Publication], publication_id: PathId) -> Publication:
    """A published item leaves the public page and the feed, back to a draft without approvals;
    a draft stays as it is."""
    return withdraw_publication(request.auth, actor=request.user)


@router.get(
    "/publications/{publication_id}",
    response=PublicationOut,
    auth=gates.PUBLICATION_READER,
    summary="A publication",
)
def get_publication(request: Gated[Publication], publication_id: PathId) -> Publication:
    return request.auth
