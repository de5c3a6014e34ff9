"""Oversight between meetings through the API (issue 12): the registers of facilities, visits,
findings, requests for documents, urgent contacts, legislative proposals and publications — each
a list with filters and pages, a record, and where the API writes, the creation and the steps.

Refusals (alqa.api.errors): 404 — the body or record is not the caller's to see; 403 — the caller
may read it but not do this; 422 — what was sent is refused (a unit outside the directory, a date in
the future, a step out of order, a case or personal number not confirmed)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool

from alqa.api import gates
from alqa.api.common import Gated, named
from alqa.api.schemas import CaseGuardIn, Day, Id, In, LocalDateTime, Moment, OptionalDay, PathId, limited
from alqa.domain.legislation import create_proposal, move
from alqa.domain.publications import approve_publication, create_publication, publish
from alqa.domain.requests import create_request, mark_sent, record_answer
from alqa.domain.urgent_contacts import directory, log_contact
from alqa.domain.visits import cancel_visit, plan_visit, propose_from_finding
from alqa.enums import (
    AddresseeKind,
    AnswerAssessment,
    FacilityKind,
    FindingStatus,
    LegislativeStatus,
    PublicationStatus,
    RequestStatus,
    ViolationKind,
    VisitStatus,
)
from alqa.models import (
    Body,
    Decision,
    DocumentRequest,
    Facility,
    Finding,
    LegislativeProposal,
    Member,
    Publication,
    UrgentContact,
    Visit,
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

    @staticmethod
    def resolve_participant_ids(obj: Visit) -> list[int]:
        return [m.pk for m in obj.participants.all()]


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
        .prefetch_related("participants")
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
    qs = Finding.objects.filter(body=request.auth).order_by("-pk")
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
    finding.refresh_from_db()
    return finding


@router.get("/findings/{finding_id}", response=FindingOut, auth=gates.FINDING_READER, summary="A finding")
def get_finding(request: Gated[Finding], finding_id: PathId) -> Finding:
    return request.auth


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
    qs = DocumentRequest.objects.filter(body=request.auth).order_by("-year", "-number")
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


@router.post(
    "/requests/{request_id}/answer",
    response=RequestOut,
    auth=gates.REQUEST_MANAGER,
    summary="Record the answer to a request",
)
def answer_request(request: Gated[DocumentRequest], request_id: PathId, payload: AnswerIn) -> DocumentRequest:
    """The day the answer came, in brief, and its assessment (files are added on the page)."""
    fields = payload.dict()
    return record_answer(
        request.auth, actor=request.user, identifiers_confirmed=fields.pop("confirm_identifiers"), **fields
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


@router.get(
    "/publications/{publication_id}",
    response=PublicationOut,
    auth=gates.PUBLICATION_READER,
    summary="A publication",
)
def get_publication(request: Gated[Publication], publication_id: PathId) -> Publication:
    return request.auth
