"""What the oversight pages show (facilities, visits, findings, publications, the public page),
one read function per page, in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from alqa.domain.urgent_contacts import directory, waiting_for
from alqa.enums import (
    FindingStatus,
    LegislativeStatus,
    PublicationStatus,
    RequestStatus,
    Role,
    Side,
    VisitStatus,
)
from alqa.models import (
    AgendaItem,
    AuditEvent,
    Body,
    ChecklistItem,
    DocumentRequest,
    Facility,
    Finding,
    LegislativeProposal,
    Member,
    OversightFile,
    Publication,
    UrgentContact,
    Visit,
    VisitCheck,
)

PAGE_SIZE = 50


@dataclass(frozen=True)
class FacilityRow:
    pk: int
    name: str
    kind: str
    address: str
    unit: str
    closed: bool
    active: bool
    visits: int
    open_findings: int
    last_visit: date | None


@dataclass(frozen=True)
class VisitRow:
    pk: int
    facility_id: int
    facility: str
    status: str
    status_label: str
    day: date
    participants: tuple[str, ...]
    findings: int


@dataclass(frozen=True)
class FileRow:
    pk: int
    name: str
    size: int


@dataclass(frozen=True)
class FindingRow:
    pk: int
    visit_id: int
    facility: str
    day: date | None
    kind: str
    description: str
    cause: str
    unit: str
    status: str
    status_label: str
    proposal_id: int | None
    files: tuple[FileRow, ...] = ()
    remark_id: int | None = None
    # the meetings whose agenda its proposal (or its remark's) is on: (meeting id, when)
    agenda: tuple[tuple[int, datetime], ...] = ()


@dataclass(frozen=True)
class PublicationRow:
    pk: int
    title: str
    status: str
    status_label: str
    police_approved: bool
    bar_approved: bool
    published_at: datetime | None
    created_at: datetime


def _publication_row(p: Publication) -> PublicationRow:
    return PublicationRow(
        pk=p.pk,
        title=p.title,
        status=p.status,
        status_label=p.get_status_display(),
        police_approved=p.police_approved_by_id is not None,
        bar_approved=p.bar_approved_by_id is not None,
        published_at=p.published_at,
        created_at=p.created_at,
    )


def _facility_rows(facilities) -> list[FacilityRow]:
    return [
        FacilityRow(
            pk=f.pk,
            name=f.name,
            kind=f.get_kind_display(),
            address=f.address,
            unit=f.unit.name if f.unit_id else "",
            closed=f.closed_to_visits,
            active=f.is_active,
            visits=f.visit_count,
            open_findings=f.open_count,
            last_visit=f.last_visit,
        )
        for f in facilities
    ]


def _with_counts(qs):
    return qs.select_related("unit").annotate(
        visit_count=Count("visits", filter=Q(visits__status=VisitStatus.RECORDED), distinct=True),
        open_count=Count("findings", filter=Q(findings__status=FindingStatus.OPEN), distinct=True),
        last_visit=Max("visits__visited_on"),
    )


def _visit_rows(visits) -> list[VisitRow]:
    return [
        VisitRow(
            pk=v.pk,
            facility_id=v.facility_id,
            facility=v.facility.name,
            status=v.status,
            status_label=v.get_status_display(),
            day=v.visited_on or v.planned_on,
            participants=tuple(m.full_name for m in v.participants.all()),
            findings=v.finding_count,
        )
        for v in visits
    ]


def _visits(qs):
    return (
        qs.select_related("facility")
        .prefetch_related(Prefetch("participants", queryset=Member.objects.order_by("side", "full_name")))
        .annotate(finding_count=Count("findings"))
    )


def _finding_rows(findings) -> list[FindingRow]:
    return [
        FindingRow(
            pk=f.pk,
            visit_id=f.visit_id,
            facility=f.facility.name,
            day=f.visit.visited_on,
            kind=f.get_kind_display(),
            description=f.description,
            cause=f.cause,
            unit=f.unit.name if f.unit_id else "",
            status=f.status,
            status_label=f.get_status_display(),
            proposal_id=f.proposal_id,
            files=tuple(FileRow(x.pk, x.name, x.size) for x in f.files.all()),
            remark_id=f.remark_id,
            agenda=tuple(
                (i.meeting_id, i.meeting.starts_at) for i in (f.proposal.items.all() if f.proposal_id else ())
            ),
        )
        for f in findings
    ]


def _findings(qs):
    return qs.select_related("facility", "visit", "unit", "proposal").prefetch_related(
        Prefetch("files", queryset=OversightFile.objects.only("pk", "name", "size", "finding_id")),
        Prefetch("proposal__items", queryset=AgendaItem.objects.select_related("meeting").order_by("pk")),
    )


@dataclass(frozen=True)
class OversightPage:
    facilities: list[FacilityRow]
    planned: list[VisitRow]
    recorded: list[VisitRow]
    open_findings: list[FindingRow]
    more_visits: bool


def oversight_page(body: Body, *, page: int = 1) -> OversightPage:
    """The register of facilities with their counts, planned visits, recorded visits (a page of
    PAGE_SIZE, newest first) and open findings: five queries whatever their number."""
    facilities = _with_counts(Facility.objects.filter(body=body)).order_by("-is_active", "name_ru")
    planned = _visits(Visit.objects.filter(body=body, status=VisitStatus.PLANNED)).order_by(
        "planned_on", "pk"
    )
    start = (max(page, 1) - 1) * PAGE_SIZE
    recorded = list(
        _visits(Visit.objects.filter(body=body, status=VisitStatus.RECORDED)).order_by("-visited_on", "-pk")[
            start : start + PAGE_SIZE + 1
        ]
    )
    findings = _findings(Finding.objects.filter(body=body, status=FindingStatus.OPEN)).order_by("-pk")[
        :PAGE_SIZE
    ]
    return OversightPage(
        facilities=_facility_rows(facilities),
        planned=_visit_rows(planned),
        recorded=_visit_rows(recorded[:PAGE_SIZE]),
        open_findings=_finding_rows(findings),
        more_visits=len(recorded) > PAGE_SIZE,
    )


@dataclass(frozen=True)
class FacilityPage:
    facility: FacilityRow
    visits: list[VisitRow]
    findings: list[FindingRow]
    open_findings: list[FindingRow]


def facility_page(facility: Facility) -> FacilityPage:
    """The facility's history on one page: its visits (planned, recorded, cancelled), every finding
    and the open ones."""
    row = _facility_rows(_with_counts(Facility.objects.filter(pk=facility.pk)))[0]
    visits = _visit_rows(_visits(Visit.objects.filter(facility=facility)).order_by("-planned_on", "-pk"))
    findings = _finding_rows(_findings(Finding.objects.filter(facility=facility)).order_by("-pk"))
    return FacilityPage(
        facility=row,
        visits=visits,
        findings=findings,
        open_findings=[f for f in findings if f.status == FindingStatus.OPEN],
    )


@dataclass(frozen=True)
class CheckRow:
    text: str
    result: str
    result_label: str
    note: str


@dataclass(frozen=True)
class VisitPage:
    visit: Visit
    participants: list[tuple[str, str]]  # (name, side)
    checks: list[CheckRow]
    findings: list[FindingRow]


def visit_page(visit: Visit) -> VisitPage:
    """A visit: who went, the checklist's results, the findings with their files."""
    participants = [
        (m.full_name, m.get_side_display()) for m in visit.participants.order_by("side", "full_name")
    ]
    checks = [
        CheckRow(c.item.text, c.result, c.get_result_display(), c.note)
        for c in VisitCheck.objects.filter(visit=visit).select_related("item")
    ]
    findings = _finding_rows(_findings(Finding.objects.filter(visit=visit)))
    return VisitPage(visit=visit, participants=participants, checks=checks, findings=findings)


def checklist_items(body: Body, kind: str | None = None) -> list[ChecklistItem]:
    qs = ChecklistItem.objects.filter(body=body)
    return list(qs.filter(kind=kind, is_active=True) if kind else qs)


@dataclass(frozen=True)
class PublicationsPage:
    drafts: list[PublicationRow]
    published: list[PublicationRow]


def publications_page(body: Body) -> PublicationsPage:
    rows = [_publication_row(p) for p in Publication.objects.filter(body=body).order_by("-created_at")]
    return PublicationsPage(
        drafts=[r for r in rows if r.status == PublicationStatus.DRAFT],
        published=[r for r in rows if r.status == PublicationStatus.PUBLISHED],
    )


# --- the public page (clause 2.2.2): published items and the composition, nothing else ---------


@dataclass(frozen=True)
class PublicItem:
    pk: int
    title_ru: str
    title_kk: str
    text_ru: str
    text_kk: str
    published_at: datetime | None


@dataclass(frozen=True)
class PublicMember:
    """Names and positions only: no e-mail, phone, unit or appointment document."""

    name: str
    position: str
    role: str
    side: str


@dataclass(frozen=True)
class PublicPage:
    body: Body
    items: list[PublicItem]
    police: list[PublicMember]
    bar: list[PublicMember]
    updated: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)


def public_items(body: Body, *, limit: int = PAGE_SIZE) -> list[PublicItem]:
    qs = (
        Publication.objects.filter(body=body, status=PublicationStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .values_list("pk", "title_ru", "title_kk", "text_ru", "text_kk", "published_at")[:limit]
    )
    return [PublicItem(*row) for row in qs]


def public_last_change(body: Body) -> datetime:
    """When the public page last changed, in one query: the latest audited change of the body, its
    members or its publications (a draft's changes included: the page is then merely re-sent), and
    at least the start of today (the composition is the members in office today)."""
    latest = (
        AuditEvent.objects.filter(body=body, object_type__in=("body", "member", "publication"))
        .order_by("-id")
        .values_list("at", flat=True)
        .first()
    )
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return max(latest, today) if latest is not None else today


def public_page(body: Body) -> PublicPage:
    """The body's public page: its published items (newest first) and its composition today —
    names, positions and roles by side, nothing personal."""
    items = public_items(body)
    members = Member.objects.filter(body=body).current().order_by("side", "full_name")
    order: dict[str, int] = {Role.CHAIR: 0, Role.DEPUTY_CHAIR: 1, Role.SECRETARY: 2, Role.MEMBER: 3}
    rows = sorted(members, key=lambda m: (order.get(m.role, 9), m.full_name))
    composition = [
        (m.side, PublicMember(m.full_name, m.position, m.get_role_display(), m.get_side_display()))
        for m in rows
    ]
    return PublicPage(
        body=body,
        items=items,
        police=[p for side, p in composition if side == Side.POLICE],
        bar=[p for side, p in composition if side == Side.BAR],
        updated=timezone.now(),
    )


# --- requests for documents (clause 2.2.8) ------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    pk: int
    number: str
    addressee: str
    kind: str
    subject: str
    status: str
    status_label: str
    sent_on: date | None
    due_on: date | None
    answered_on: date | None
    overdue: bool


@dataclass(frozen=True)
class RequestsPage:
    rows: list[RequestRow]
    overdue_only: bool
    overdue_count: int
    more: bool


def requests_page(body: Body, *, overdue_only: bool = False, page: int = 1) -> RequestsPage:
    """The body's requests, newest first, PAGE_SIZE a page, or the overdue ones only (sent,
    unanswered, due before today): two queries whatever their number."""
    today = timezone.localdate()
    overdue = Q(status=RequestStatus.SENT, due_on__lt=today)
    qs = DocumentRequest.objects.filter(body=body)
    if overdue_only:
        qs = qs.filter(overdue)
    start = (max(page, 1) - 1) * PAGE_SIZE
    found = list(qs.order_by("-year", "-number")[start : start + PAGE_SIZE + 1])
    rows = [
        RequestRow(
            pk=r.pk,
            number=r.outgoing_number,
            addressee=r.addressee,
            kind=r.get_addressee_kind_display(),
            subject=r.subject,
            status=r.status,
            status_label=r.get_status_display(),
            sent_on=r.sent_on,
            due_on=r.due_on,
            answered_on=r.answered_on,
            overdue=r.status == RequestStatus.SENT and r.due_on is not None and r.due_on < today,
        )
        for r in found[:PAGE_SIZE]
    ]
    return RequestsPage(
        rows=rows,
        overdue_only=overdue_only,
        overdue_count=DocumentRequest.objects.filter(body=body).filter(overdue).count(),
        more=len(found) > PAGE_SIZE,
    )


# --- urgent contacts (clause 2.2.5) -----------------------------------------------------------


@dataclass(frozen=True)
class DirectoryRow:
    pk: int
    unit: str
    side: str
    parent: str
    head: str
    phone: str
    email: str


@dataclass(frozen=True)
class UrgentContactRow:
    pk: int
    contacted_at: datetime
    member: str
    unit: str
    contact_person: str
    reason: str
    outcome: str
    meeting_id: int | None
    meeting_day: date | None


@dataclass(frozen=True)
class UrgentContactsPage:
    directory: list[DirectoryRow]
    rows: list[UrgentContactRow]
    waiting: int
    more: bool


def _contact_rows(contacts) -> list[UrgentContactRow]:
    return [
        UrgentContactRow(
            pk=c.pk,
            contacted_at=c.contacted_at,
            member=c.member.full_name,
            unit=c.unit.name,
            contact_person=c.contact_person,
            reason=c.reason,
            outcome=c.outcome,
            meeting_id=c.agenda_item.meeting_id if c.agenda_item_id else None,
            meeting_day=timezone.localtime(c.agenda_item.meeting.starts_at).date()
            if c.agenda_item_id
            else None,
        )
        for c in contacts
    ]


def _contacts(qs):
    return qs.select_related("member", "unit", "agenda_item__meeting")


def urgent_contacts_page(body: Body, *, page: int = 1) -> UrgentContactsPage:
    """The directory of unit heads and the Presidium (read from the units register) and the log of
    urgent contacts, newest first, PAGE_SIZE a page: three queries whatever their number."""
    units = [
        DirectoryRow(
            pk=u.pk,
            unit=u.name,
            side=u.get_side_display(),
            parent=u.parent.name if u.parent is not None else "",
            head=u.head_name,
            phone=u.phone,
            email=u.email,
        )
        for u in directory(body)
    ]
    start = (max(page, 1) - 1) * PAGE_SIZE
    found = list(_contacts(UrgentContact.objects.filter(body=body))[start : start + PAGE_SIZE + 1])
    return UrgentContactsPage(
        directory=units,
        rows=_contact_rows(found[:PAGE_SIZE]),
        waiting=UrgentContact.objects.filter(body=body, agenda_item__isnull=True).count(),
        more=len(found) > PAGE_SIZE,
    )


def urgent_contacts_waiting(meeting) -> list[UrgentContactRow]:
    """The urgent contacts waiting to be reported to this meeting (one query)."""
    return _contact_rows(_contacts(waiting_for(meeting)).order_by("contacted_at", "id"))


# --- legislative proposals (clause 2.2.11) ---------------------------------------------------


@dataclass(frozen=True)
class LegislativeRow:
    pk: int
    title: str
    act: str
    addressee: str
    status: str
    status_label: str
    decision_meeting_id: int | None
    decision_day: date | None
    submitted_on: date | None
    outcome_on: date | None
    created_at: datetime


@dataclass(frozen=True)
class LegislativePage:
    rows: list[LegislativeRow]
    counts: dict[str, int]
    status: str
    search: str
    more: bool


def legislative_page(body: Body, *, status: str = "", search: str = "", page: int = 1) -> LegislativePage:
    """The body's legislative proposals, newest first, PAGE_SIZE a page, filtered by status and by
    words of the title, the act or the addressee; with the number at each status. Two queries
    whatever their number."""
    qs = LegislativeProposal.objects.filter(body=body)
    counts = {row["status"]: row["n"] for row in qs.order_by().values("status").annotate(n=Count("id"))}
    if status in LegislativeStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    search = search.strip()
    if search:
        qs = qs.filter(
            Q(title_ru__icontains=search)
            | Q(title_kk__icontains=search)
            | Q(act__icontains=search)
            | Q(addressee__icontains=search)
        )
    start = (max(page, 1) - 1) * PAGE_SIZE
    found = list(
        qs.select_related("decision__meeting").order_by("-created_at", "-id")[start : start + PAGE_SIZE + 1]
    )
    rows = [
        LegislativeRow(
            pk=p.pk,
            title=p.title,
            act=p.act,
            addressee=p.addressee,
            status=p.status,
            status_label=p.get_status_display(),
            decision_meeting_id=p.decision.meeting_id if p.decision is not None else None,
            decision_day=timezone.localtime(p.decision.meeting.starts_at).date()
            if p.decision is not None
            else None,
            submitted_on=p.submitted_on,
            outcome_on=p.outcome_on,
            created_at=p.created_at,
        )
        for p in found[:PAGE_SIZE]
    ]
    return LegislativePage(
        rows=rows, counts=counts, status=status, search=search, more=len(found) > PAGE_SIZE
    )
