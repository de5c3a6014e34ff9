"""The complaints register through the API (clause 2.1.4): the register with filters and pages,
a new complaint, an import's progress, the figures of the analytics page, the notes, the
classifier of subjects (a subject switched off or on).

Refusals (alqa.api.errors): 404 — the body, import or note is not the caller's to see; 403 — the
caller may read the body but not keep its register; 422 — what was sent is refused (a date in the
future, decided before filed, a unit or subject of another body, a case or personal number)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DomainError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field, StrictBool

from alqa import jobs
from alqa.api import gates
from alqa.api.common import Gated, named
from alqa.api.schemas import Day, Id, In, LocalDateTime, OptionalDay, PathId, limited
from alqa.domain.complaint_import import (
    IMPORT_FIELDS,
    error_text,
    guess_columns,
    preview,
    receive_import,
    saved_columns,
    start_import,
)
from alqa.domain.complaint_notes import create_note
from alqa.domain.complaints import create_complaint, switch_subject
from alqa.enums import ComplaintArticle, ComplaintOutcome, ImportStatus, NoteStatus, OfficialKind, Side
from alqa.models import Body, Complaint, ComplaintImport, ComplaintNote, ComplaintSubject, Unit
from alqa.queries.complaints import (
    Analytics,
    ComplaintFilters,
    SubjectRow,
    classifier_of,
    complaint_analytics,
)

router = Router(tags=["complaints"])


class ComplaintOut(Schema):
    id: int
    body_id: int
    article: ComplaintArticle
    filed_on: date
    decided_on: date | None
    unit_id: int
    official: OfficialKind
    subject_id: int
    outcome: ComplaintOutcome
    violation_found: bool
    measures: str
    source: str
    import_id: int | None = Field(alias="imported_id")


class ComplaintPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ComplaintOut]


class ComplaintIn(In):
    article: ComplaintArticle
    filed_on: Day
    decided_on: OptionalDay = None
    unit_id: Id
    official: OfficialKind
    subject_id: Id
    outcome: ComplaintOutcome
    violation_found: StrictBool = False
    measures: str = limited(Complaint, "measures", default="")
    source: str = limited(Complaint, "source", default="")


class FilterQuery(In):
    date_from: OptionalDay = None
    date_to: OptionalDay = None
    article: ComplaintArticle | None = None
    unit_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    subject_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    outcome: ComplaintOutcome | None = None
    official: OfficialKind | None = None
    violation_found: bool | None = None

    def filters(self) -> ComplaintFilters:
        return ComplaintFilters(
            date_from=self.date_from,
            date_to=self.date_to,
            article=self.article or "",
            unit=self.unit_id,
            subject=self.subject_id,
            outcome=self.outcome or "",
            official=self.official or "",
            violation=self.violation_found,
        )


class PageQuery(In):
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=50, ge=1, le=500)


class ImportOut(Schema):
    id: int
    body_id: int
    file_name: str
    source: str
    status: ImportStatus
    rows_total: int
    rows_done: int
    errors: list[str]
    created_at: LocalDateTime
    finished_at: LocalDateTime | None

    @staticmethod
    def resolve_errors(obj: Any) -> list[str]:
        return [error_text(e) for e in obj.errors]


class BarOut(Schema):
    label: str
    count: int
    satisfied: int


class ChartOut(Schema):
    key: str
    title: str
    bars: list[BarOut]


class QuarterOut(Schema):
    label: str
    count: int
    satisfied: int


class AggregatesOut(Schema):
    total: int
    decided: int
    satisfied: int
    violations: int
    median_days: float | None
    p90_days: float | None
    charts: list[ChartOut]
    quarters: list[QuarterOut]


class NoteOut(Schema):
    id: int
    body_id: int
    period_from: date
    period_to: date
    title_ru: str
    title_kk: str
    causes_ru: str
    causes_kk: str
    conclusions_ru: str
    conclusions_kk: str
    recommendations_ru: str
    recommendations_kk: str
    status: NoteStatus
    approved_at: LocalDateTime | None
    sent_at: LocalDateTime | None


@router.get(
    "/bodies/{body_id}/complaints",
    response=ComplaintPageOut,
    auth=gates.BODY_READER,
    summary="The register of complaints",
)
def list_complaints(
    request: Gated[Body],
    body_id: PathId,
    filters: Query[FilterQuery],
    paging: Query[PageQuery],
) -> dict[str, object]:
    """The body's complaints, latest filed first, filtered as the register page filters, one page
    at a time (`count`: all that match; `pages`: how many pages of `per_page`)."""
    qs = filters.filters().apply(Complaint.objects.filter(body=request.auth)).order_by("-filed_on", "-pk")
    paginator = Paginator(qs, paging.per_page)
    number = min(paging.page, max(paginator.num_pages, 1))
    return {
        "count": paginator.count,
        "page": number,
        "pages": paginator.num_pages,
        "results": list(paginator.page(number).object_list),
    }


@router.post(
    "/bodies/{body_id}/complaints",
    response={201: ComplaintOut},
    auth=gates.BODY_MANAGER,
    summary="Add a complaint",
)
def post_complaint(request: Gated[Body], body_id: PathId, payload: ComplaintIn) -> Status[Complaint]:
    """Chair, deputy chair and secretary add a complaint: no names, ИИН or case numbers (the
    measures and source are refused with type case_identifiers when they hold such a number)."""
    body = request.auth
    fields = payload.dict()
    unit = named(
        Unit.objects.filter(body=body, side=Side.POLICE),
        fields.pop("unit_id"),
        field="unit_id",
        message=_("Choose a police unit of this body."),
    )
    subject = named(
        ComplaintSubject.objects.filter(body=body),
        fields.pop("subject_id"),
        field="subject_id",
        message=_("Choose a subject of this body's classifier."),
    )
    complaint = create_complaint(body=body, actor=request.user, unit=unit, subject=subject, **fields)
    return Status(201, complaint)


@router.get(
    "/bodies/{body_id}/complaints/aggregates",
    response=AggregatesOut,
    auth=gates.BODY_READER,
    summary="The figures of the analytics page",
)
def aggregates(request: Gated[Body], body_id: PathId, filters: Query[FilterQuery]) -> Analytics:
    """What the analytics page shows for the same filters: totals, the share satisfied, the days
    to decision (median and 90th percentile), the five charts and the quarters."""
    return complaint_analytics(request.auth, filters.filters())


@router.get(
    "/complaint-imports/{import_id}",
    response=ImportOut,
    auth=gates.COMPLAINT_IMPORT_READER,
    summary="An import's progress",
)
def get_import(request: Gated[ComplaintImport], import_id: PathId) -> ComplaintImport:
    """An import of a file: its status, rows checked of about how many, and when refused the
    errors by row and column in the caller's language."""
    return request.auth


_FIELDS = [name for name, _required in IMPORT_FIELDS]
_IMPORT_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file", "source"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "XLSX or CSV, up to 50 MB"},
                    "source": {
                        "type": "string",
                        "maxLength": 200,
                        "description": "where the file comes from",
                    },
                    "mapping": {
                        "type": "string",
                        "description": "JSON object: field → the file's column header; fields: "
                        + ", ".join(_FIELDS)
                        + ". Without it, the source's saved mapping and the headers that name a field.",
                    },
                },
            }
        }
    },
}


def _mapping(request: HttpRequest) -> dict[str, str] | None:
    raw = request.POST.get("mapping")
    if raw is None or raw == "":
        return None
    try:
        mapping = json.loads(raw)
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and k in _FIELDS and isinstance(v, str) for k, v in mapping.items()
    ):
        raise DomainError(
            {
                "mapping": _(
                    "Give the mapping as a JSON object of fields (%(fields)s) and the file's column headers."
                )
                % {"fields": ", ".join(_FIELDS)}
            }
        )
    return mapping


@router.post(
    "/bodies/{body_id}/complaints/imports",
    response={202: ImportOut},
    openapi_extra={"requestBody": _IMPORT_BODY},
    auth=gates.BODY_MANAGER,
    summary="Import complaints from a file",
)
def post_import(request: Gated[Body], body_id: PathId) -> Status[ComplaintImport]:
    """Chair, deputy chair and secretary send an XLSX or CSV file as exported by police statistics
    (multipart/form-data: `file`, `source`, optionally `mapping`). The file is checked and queued
    for the worker at once (202); follow its progress at /complaint-imports/{id}. All or nothing:
    a file with any wrong cell is refused as a whole, its errors named by row and column. A file
    imported before is refused (422); the same file sent again while it waits answers that import."""
    body = request.auth
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError({"file": _("Send an XLSX or a CSV file.")})
    mapping = _mapping(request)
    job = receive_import(body=body, actor=request.user, upload=upload, source=request.POST.get("source", ""))
    if job.status == ImportStatus.UPLOADED:
        headers, _rows = preview(job)
        columns = mapping if mapping is not None else guess_columns(headers, saved_columns(body, job.source))
        if start_import(job, actor=request.user, columns=columns, headers=headers):
            jobs.import_complaints_task(job.pk)
        job.refresh_from_db()
    return Status(202, job)


class NoteIn(In):
    period_from: Day
    period_to: Day
    title_ru: str = limited(ComplaintNote, "title_ru")
    title_kk: str = limited(ComplaintNote, "title_kk", default="")
    causes_ru: str = Field(default="", max_length=20_000)
    causes_kk: str = Field(default="", max_length=20_000)
    conclusions_ru: str = Field(default="", max_length=20_000)
    conclusions_kk: str = Field(default="", max_length=20_000)
    recommendations_ru: str = Field(default="", max_length=20_000)
    recommendations_kk: str = Field(default="", max_length=20_000)


@router.post(
    "/bodies/{body_id}/complaint-notes",
    response={201: NoteOut},
    auth=gates.BODY_MANAGER,
    summary="Write a generalisation note",
)
def post_note(request: Gated[Body], body_id: PathId, payload: NoteIn) -> Status[ComplaintNote]:
    """Chair, deputy chair and secretary write a draft note over a period: the text in Russian
    (and Kazakh), no case or personal numbers in it (422, type case_identifiers). The chair
    approves it on the page; its figures are those of the period."""
    note = create_note(body=request.auth, actor=request.user, **payload.dict())
    return Status(201, note)


@router.get(
    "/bodies/{body_id}/complaint-notes",
    response=list[NoteOut],
    auth=gates.BODY_READER,
    summary="Generalisation notes",
)
def list_notes(request: Gated[Body], body_id: PathId) -> QuerySet[ComplaintNote]:
    """The body's generalisation notes of complaints practice, latest period first."""
    return ComplaintNote.objects.filter(body=request.auth)


@router.get(
    "/complaint-notes/{note_id}",
    response=NoteOut,
    auth=gates.NOTE_READER,
    summary="A generalisation note",
)
def get_note(request: Gated[ComplaintNote], note_id: PathId) -> ComplaintNote:
    """One generalisation note with its text in both languages."""
    return request.auth


class SubjectOut(Schema):
    id: int = Field(validation_alias="pk")
    name_ru: str
    name_kk: str
    position: int
    is_active: bool
    complaints: int


@router.get(
    "/bodies/{body_id}/complaint-subjects",
    response=list[SubjectOut],
    auth=gates.BODY_READER,
    summary="The classifier of subjects",
)
def list_subjects(request: Gated[Body], body_id: PathId) -> list[SubjectRow]:
    """The body's classifier of what complaints are about, in its order, with the number of
    complaints filed under each subject; `is_active` false: switched off (not taken for new
    complaints or by the import, still counted in the register and the analytics)."""
    return classifier_of(request.auth)


def _subject_row(subject: ComplaintSubject) -> SubjectRow:
    return next(row for row in classifier_of(subject.body) if row.pk == subject.pk)


@router.post(
    "/complaint-subjects/{subject_id}/switch-off",
    response=SubjectOut,
    auth=gates.COMPLAINT_SUBJECT_MANAGER,
    summary="Switch a subject off",
)
def subject_off(request: Gated[ComplaintSubject], subject_id: PathId) -> SubjectRow:
    """Chair, deputy chair and secretary switch a subject off: new complaints (page, API, import)
    are refused under it (422 on `subject_id`; an import's row and column), the complaints filed
    under it keep it. Repeating it changes nothing."""
    return _subject_row(switch_subject(request.auth, actor=request.user, active=False))


@router.post(
    "/complaint-subjects/{subject_id}/switch-on",
    response=SubjectOut,
    auth=gates.COMPLAINT_SUBJECT_MANAGER,
    summary="Switch a subject on again",
)
def subject_on(request: Gated[ComplaintSubject], subject_id: PathId) -> SubjectRow:
    """Chair, deputy chair and secretary switch a subject on again. Repeating it changes nothing."""
    return _subject_row(switch_subject(request.auth, actor=request.user, active=True))
