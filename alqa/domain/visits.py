"""Facilities, visits and findings (clauses 2.2.7 and 2.1.5).

Members of both sides visit police premises freely, except operational units of the criminal
police (2.2.7): such a visit cannot even be planned. A visit is planned, then recorded with who
went (members of both sides), when, what was checked (the body's checklist for the kind of
facility) and what was found. A finding — kind of violation, cause, unit, photos and files — may
become a member's proposal (2.1.5), or a remark that a decision is not complied with (2.2.3), in
one step; either way it reaches an agenda as a proposal the chair and the secretary put on one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alqa.domain.attachments import CheckedFile, check_files, store_checked
from alqa.domain.audit import diff, record_event
from alqa.domain.case_guard import audit_data, check_texts
from alqa.domain.errors import atomic_unique
from alqa.domain.file_guard import check_file_texts
from alqa.domain.proposals import submit_proposal
from alqa.domain.remarks import file_remark
from alqa.enums import CheckResult, FacilityKind, FindingStatus, Side, ViolationKind, VisitStatus
from alqa.models import (
    Attachment,
    Body,
    ChecklistItem,
    ComplianceRemark,
    Decision,
    DocumentRequest,
    Facility,
    Finding,
    Member,
    OversightFile,
    Proposal,
    Unit,
    User,
    Visit,
    VisitCheck,
)

# What is checked on a visit, per kind of facility, until a body edits its own list.
_DETENTION = (
    (
        "Условия содержания: площадь камер, освещение, вентиляция, санитария",
        "Ұстау жағдайлары: камералардың ауданы, жарық, желдету, санитария",
    ),
    ("Доступ адвокатов к подзащитным", "Адвокаттардың қорғалушыларына қол жеткізуі"),
    ("Ведение журнала учёта содержащихся", "Ұсталғандарды есепке алу журналын жүргізу"),
    ("Соблюдение сроков задержания и содержания", "Ұстау және ұстап отыру мерзімдерінің сақталуы"),
    ("Разъяснение прав задержанным", "Ұсталғандарға олардың құқықтарын түсіндіру"),
    ("Медицинское обслуживание и питание", "Медициналық қызмет көрсету және тамақтану"),
)
_DEPARTMENT = (
    ("Доступ адвокатов к доверителям", "Адвокаттардың сенім білдірушілеріне қол жеткізуі"),
    (
        "Помещение для конфиденциальных встреч адвоката с доверителем",
        "Адвокаттың сенім білдірушімен құпия кездесуіне арналған үй-жай",
    ),
    ("Ведение журнала учёта доставленных лиц", "Жеткізілген адамдарды есепке алу журналын жүргізу"),
    ("Соблюдение сроков задержания", "Ұстау мерзімдерінің сақталуы"),
    ("Разъяснение прав задержанным", "Ұсталғандарға олардың құқықтарын түсіндіру"),
    (
        "Видеонаблюдение в местах проведения следственных действий",
        "Тергеу әрекеттері жүргізілетін орындардағы бейнебақылау",
    ),
)
DEFAULT_CHECKLIST: dict[str, tuple[tuple[str, str], ...]] = {
    FacilityKind.TEMPORARY_DETENTION: _DETENTION,
    FacilityKind.SPECIAL_RECEPTION: _DETENTION,
    FacilityKind.DISTRICT_DEPARTMENT: _DEPARTMENT,
    FacilityKind.LOCAL_POLICE_SERVICE: _DEPARTMENT,
    FacilityKind.OTHER: _DEPARTMENT,
}


def closed_to_visits_message() -> str:
    return _(
        "Members may not visit operational units of the criminal police (clause 2.2.7 of the "
        "regulation): a visit to this facility cannot be planned."
    )


# --- facilities -------------------------------------------------------------------------------


def _check_unit(body: Body, unit: Unit | None) -> None:
    if unit is not None and unit.body_id != body.pk:
        raise ValidationError({"unit": _("This unit belongs to another body.")})


def _seed_checklist(body: Body, kind: str, *, actor: User) -> None:
    """The default checklist of a kind of facility, the first time a body registers one."""
    if ChecklistItem.objects.filter(body=body, kind=kind).exists():
        return
    items = [
        ChecklistItem(body=body, kind=kind, text_ru=ru, text_kk=kk, order=n)
        for n, (ru, kk) in enumerate(DEFAULT_CHECKLIST[kind], start=1)
    ]
    ChecklistItem.objects.bulk_create(items)
    record_event(
        None,
        "checklist.seeded",
        actor=actor,
        body=body,
        object_type="checklistitem",
        object_id=kind,
        data={"kind": kind, "items": [i.text_ru for i in items]},
    )


FACILITY_FIELDS = (
    "name_ru",
    "name_kk",
    "kind",
    "address",
    "unit",
    "is_operational_criminal_police",
    "is_active",
)


def _facility_texts(fields: dict[str, Any]) -> dict[str, str]:
    return {k: fields.get(k) or "" for k in ("name_ru", "name_kk", "address")}


def create_facility(
    *,
    body: Body,
    actor: User,
    name_ru: str,
    kind: str,
    name_kk: str = "",
    address: str = "",
    unit: Unit | None = None,
    is_operational_criminal_police: bool = False,
    identifiers_confirmed: bool = False,
) -> Facility:
    """Effects: checks the name (unique in the body), the kind and the unit (of this body), the case
    guard; saves the facility; the first facility of a kind gives the body that kind's default
    checklist (`checklist.seeded`); records `facility.created`."""
    facility = Facility(
        body=body,
        name_ru=name_ru.strip(),
        name_kk=name_kk.strip(),
        kind=kind,
        address=address.strip(),
        unit=unit,
        is_operational_criminal_police=is_operational_criminal_police,
    )
    _check_unit(body, unit)
    facility.full_clean(exclude=["body", "unit"], validate_unique=False)
    confirmed = check_texts(_facility_texts(facility.__dict__), confirmed=identifiers_confirmed, body=body)
    message = _("A facility with this name is already registered in this body.")
    with atomic_unique("name_ru", message):
        if Facility.objects.filter(body=body, name_ru=facility.name_ru).exists():
            raise ValidationError({"name_ru": message})
        facility.save()
        _seed_checklist(body, kind, actor=actor)
        record_event(
            facility,
            "facility.created",
            actor=actor,
            body=body,
            data={f: getattr(facility, f) for f in FACILITY_FIELDS} | audit_data(confirmed),
        )
    return facility


def update_facility(
    facility: Facility, *, actor: User, identifiers_confirmed: bool = False, **changes: Any
) -> Facility:
    """Effects: checks and saves the changed fields (as create_facility); a kind new to the body
    gets its default checklist; records `facility.changed` with old and new values."""
    unknown = set(changes) - set(FACILITY_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    before = {f: getattr(facility, f) for f in FACILITY_FIELDS}
    for field, value in changes.items():
        setattr(facility, field, value.strip() if isinstance(value, str) and field != "kind" else value)
    try:
        _check_unit(facility.body, facility.unit)
        facility.full_clean(exclude=["body", "unit"], validate_unique=False)
        confirmed = check_texts(
            _facility_texts(facility.__dict__), confirmed=identifiers_confirmed, body=facility.body
        )
    except ValidationError:
        facility.refresh_from_db()
        raise
    message = _("A facility with this name is already registered in this body.")
    with atomic_unique("name_ru", message):
        if (
            Facility.objects.filter(body=facility.body, name_ru=facility.name_ru)
            .exclude(pk=facility.pk)
            .exists()
        ):
            raise ValidationError({"name_ru": message})
        facility.save()
        _seed_checklist(facility.body, facility.kind, actor=actor)
        after = {f: getattr(facility, f) for f in FACILITY_FIELDS}
        record_event(
            facility,
            "facility.changed",
            actor=actor,
            body=facility.body,
            data=diff(before, after) | audit_data(confirmed),
        )
    return facility


# --- the checklist ----------------------------------------------------------------------------


def add_checklist_item(
    *,
    body: Body,
    actor: User,
    kind: str,
    text_ru: str,
    text_kk: str = "",
    identifiers_confirmed: bool = False,
) -> ChecklistItem:
    """Effects: adds an item at the end of the body's checklist for the kind of facility (the
    case guard on its text); records `checklist.item_added`. The same text again is refused."""
    text_ru, text_kk = text_ru.strip(), text_kk.strip()
    if kind not in FacilityKind.values:
        raise ValidationError({"kind": _("Choose the kind of facility.")})
    if not text_ru:
        raise ValidationError({"text_ru": _("Write the item in Russian.")})
    confirmed = check_texts(
        {"text_ru": text_ru, "text_kk": text_kk}, confirmed=identifiers_confirmed, body=body
    )
    message = _("This item is already on the checklist.")
    with atomic_unique("text_ru", message):
        if ChecklistItem.objects.filter(body=body, kind=kind, text_ru=text_ru).exists():
            raise ValidationError({"text_ru": message})
        last = ChecklistItem.objects.filter(body=body, kind=kind).order_by("-order").first()
        item = ChecklistItem.objects.create(
            body=body, kind=kind, text_ru=text_ru, text_kk=text_kk, order=(last.order + 1) if last else 1
        )
        record_event(
            item,
            "checklist.item_added",
            actor=actor,
            body=body,
            data={"kind": kind, "text_ru": text_ru, "text_kk": text_kk} | audit_data(confirmed),
        )
    return item


def set_checklist_item_in_use(item: ChecklistItem, *, actor: User, in_use: bool) -> ChecklistItem:
    """Effects: takes the item off the checklist of future visits (or back on); visits already
    recorded keep their results. Records `checklist.item_changed`; no change, no event."""
    with transaction.atomic():
        ChecklistItem.objects.select_for_update().filter(pk=item.pk).first()
        item.refresh_from_db()
        if item.is_active != in_use:
            item.is_active = in_use
            item.save(update_fields=["is_active"])
            record_event(item, "checklist.item_changed", actor=actor, body=item.body, data={"in_use": in_use})
    return item


# --- visits -----------------------------------------------------------------------------------


def _check_facility(body: Body, facility: Facility) -> None:
    if facility.body_id != body.pk:
        raise ValidationError({"facility": _("This facility belongs to another body.")})
    if facility.closed_to_visits:
        raise ValidationError({"facility": closed_to_visits_message()}, code="closed_to_visits")
    if not facility.is_active:
        raise ValidationError({"facility": _("This facility is no longer in the register.")})


def _lock_visit(visit: Visit) -> None:
    Visit.objects.select_for_update(no_key=True).filter(pk=visit.pk).values_list("pk", flat=True).first()
    visit.refresh_from_db()


def plan_visit(
    *,
    body: Body,
    facility: Facility,
    actor: User,
    planned_on: date,
    purpose: str = "",
    identifiers_confirmed: bool = False,
) -> Visit:
    """Effects: refuses a facility of another body, one no longer registered, and an operational
    unit of the criminal police (clause 2.2.7, by the facility's flag or its unit's); checks the
    date (not in the past) and the purpose (case guard); saves the planned visit; records
    `visit.planned`."""
    purpose = (purpose or "").strip()
    _check_facility(body, facility)
    if planned_on < timezone.localdate():
        raise ValidationError({"planned_on": _("A visit is planned for today or a later day.")})
    confirmed = check_texts({"purpose": purpose}, confirmed=identifiers_confirmed, body=body)
    with transaction.atomic():
        visit = Visit.objects.create(
            body=body, facility=facility, planned_on=planned_on, purpose=purpose, planned_by=actor
        )
        record_event(
            visit,
            "visit.planned",
            actor=actor,
            body=body,
            data={"facility": facility.pk, "planned_on": planned_on, "purpose": purpose}
            | audit_data(confirmed),
        )
    return visit


@dataclass(frozen=True)
class CheckInput:
    """The result of one checklist item: `item_id` of the body's checklist, `result` of CheckResult."""

    item_id: int
    result: str
    note: str = ""


def record_visit(
    visit: Visit,
    *,
    actor: User,
    visited_on: date,
    participants: Iterable[Member],
    checks: Sequence[CheckInput] = (),
    summary_ru: str = "",
    summary_kk: str = "",
    identifiers_confirmed: bool = False,
) -> Visit:
    """Effects: under the visit's lock, refuses a cancelled visit and a facility closed to visits
    since; checks the day (not in the future), the participants (members of the body on that day,
    at least one of each side), the checklist results (items of the body's list for this kind of
    facility) and the summary (case guard); saves who went, the results and the summary; records
    `visit.recorded` (a visit recorded again: its record is replaced, recorded again)."""
    summary_ru, summary_kk = summary_ru.strip(), summary_kk.strip()
    people = list({m.pk: m for m in participants}.values())
    errors: dict[str, str] = {}
    if visited_on > timezone.localdate():
        errors["visited_on"] = _(
            "A visit is recorded once it has taken place: the day cannot be in the future."
        )
    strangers = [m for m in people if m.body_id != visit.body_id or not m.is_active_on(visited_on)]
    if strangers:
        errors["participants"] = _(
            "Only members of this body on the day of the visit can be its participants."
        )
    elif not {Side.POLICE, Side.BAR} <= {m.side for m in people}:
        errors["participants"] = _(
            "Name who went: at least one member of the police side and one of the bar side."
        )
    items = {i.pk: i for i in ChecklistItem.objects.filter(body_id=visit.body_id, kind=visit.facility.kind)}
    for check in checks:
        if check.item_id not in items or check.result not in CheckResult.values:
            errors["checks"] = _("Answer every item of the checklist with one of its results.")
    if errors:
        raise ValidationError(errors)
    texts = {"summary_ru": summary_ru, "summary_kk": summary_kk}
    texts |= {f"checks.{c.item_id}": c.note for c in checks}
    confirmed = check_texts(texts, confirmed=identifiers_confirmed, body=visit.body)
    with transaction.atomic():
        _lock_visit(visit)
        if visit.status == VisitStatus.CANCELLED:
            raise ValidationError(_("This visit was cancelled."))
        visit.facility.refresh_from_db()
        if visit.facility.closed_to_visits:
            raise ValidationError({"facility": closed_to_visits_message()}, code="closed_to_visits")
        again = visit.status == VisitStatus.RECORDED
        visit.status = VisitStatus.RECORDED
        visit.visited_on = visited_on
        visit.summary_ru, visit.summary_kk = summary_ru, summary_kk
        visit.recorded_by, visit.recorded_at = actor, timezone.now()
        visit.save()
        visit.participants.set(people)
        VisitCheck.objects.filter(visit=visit).delete()
        VisitCheck.objects.bulk_create(
            [VisitCheck(visit=visit, item_id=c.item_id, result=c.result, note=c.note.strip()) for c in checks]
        )
        record_event(
            visit,
            "visit.recorded_again" if again else "visit.recorded",
            actor=actor,
            body=visit.body,
            data={
                "visited_on": visited_on,
                "participants": sorted(m.pk for m in people),
                "checks": {str(c.item_id): c.result for c in checks},
                "summary_ru": summary_ru,
                "summary_kk": summary_kk,
            }
            | audit_data(confirmed),
        )
    return visit


def cancel_visit(visit: Visit, *, actor: User) -> Visit:
    """Effects: cancels a planned visit and records `visit.cancelled`; cancelling again changes
    nothing; a recorded visit is not cancelled."""
    with transaction.atomic():
        _lock_visit(visit)
        if visit.status == VisitStatus.CANCELLED:
            return visit
        if visit.status == VisitStatus.RECORDED:
            raise ValidationError(_("A recorded visit cannot be cancelled."))
        visit.status = VisitStatus.CANCELLED
        visit.save(update_fields=["status"])
        record_event(visit, "visit.cancelled", actor=actor, body=visit.body)
    return visit


# --- findings ---------------------------------------------------------------------------------


def store_oversight_files(
    files: list[CheckedFile],
    *,
    body: Body,
    actor: User,
    finding: Finding | None = None,
    document_request: DocumentRequest | None = None,
) -> list[OversightFile]:
    """Saves checked files with their finding or request (store_checked)."""
    return store_checked(
        OversightFile,
        files,
        body=body,
        finding=finding,
        document_request=document_request,
        uploaded_by=actor,
    )


def add_finding(
    visit: Visit,
    *,
    actor: User,
    kind: str,
    description: str,
    cause: str = "",
    unit: Unit | None = None,
    files: Sequence[UploadedFile[Any]] = (),
    identifiers_confirmed: bool = False,
) -> Finding:
    """Effects: checks that the visit is recorded, the kind, the description, the unit (of this
    body), every file (type by content, size) and the case guard over the texts and the text inside
    PDF and DOCX files; saves the finding and its files; records `finding.added`."""
    description, cause = description.strip(), cause.strip()
    errors: dict[str, str] = {}
    if visit.status != VisitStatus.RECORDED:
        errors["visit"] = _("Findings are added to a recorded visit.")
    if kind not in ViolationKind.values:
        errors["kind"] = _("Choose the kind of violation.")
    if not description:
        errors["description"] = _("Describe what was found.")
    if errors:
        raise ValidationError(errors)
    _check_unit(visit.body, unit)
    checked = check_files(list(files))
    texts = {"description": description, "cause": cause}
    confirmed = check_texts(texts, confirmed=identifiers_confirmed, body=visit.body)
    confirmed += check_file_texts(checked, confirmed=identifiers_confirmed, body=visit.body)
    with transaction.atomic():
        finding = Finding.objects.create(
            body=visit.body,
            visit=visit,
            facility=visit.facility,
            kind=kind,
            description=description,
            cause=cause,
            unit=unit,
            created_by=actor,
        )
        stored = store_oversight_files(checked, body=visit.body, actor=actor, finding=finding)
        record_event(
            finding,
            "finding.added",
            actor=actor,
            body=visit.body,
            data={
                "visit": visit.pk,
                "kind": kind,
                "description": description,
                "cause": cause,
                "unit": unit.pk if unit else None,
                "files": [f.name for f in stored],
            }
            | audit_data(confirmed),
        )
    return finding


def _proposal_texts(finding: Finding, language: str) -> tuple[str, str]:
    with translation.override(language):
        kind = finding.get_kind_display()
        facility = finding.facility.name
        day = finding.visit.visited_on
        title = _("Remove the violation found at %(facility)s: %(kind)s") % {
            "facility": facility,
            "kind": kind,
        }
        lines = [
            _("Found on the visit of %(day)s to %(facility)s.")
            % {"day": day.strftime("%d.%m.%Y") if day else "", "facility": facility},
            _("Kind of violation: %(kind)s.") % {"kind": kind},
            _("What was found: %(text)s") % {"text": finding.description},
        ]
        if finding.cause:
            lines.append(_("Its cause: %(text)s") % {"text": finding.cause})
        if finding.unit_id and finding.unit is not None:
            lines.append(_("Unit: %(unit)s.") % {"unit": finding.unit.name})
    return title[:500], "\n".join(lines)


def propose_from_finding(finding: Finding, *, actor: User, author: Member) -> Proposal:
    """Effects: in one step, under the finding's lock, submits a proposal (clause 2.1.5) by the
    acting member whose title and memo, in Russian and Kazakh, say what was found, where, its cause
    and unit (submit_proposal: `proposal.submitted`); marks the finding proposed and records
    `finding.proposed`. Asked again (a second click, a parallel request) it returns the same
    proposal."""
    with transaction.atomic():
        _lock_finding(finding)
        if finding.remark_id is not None:
            raise ValidationError(_("This finding has already been turned into a compliance remark."))
        if finding.proposal_id is not None:
            return Proposal.objects.get(pk=finding.proposal_id)
        if finding.status == FindingStatus.CLOSED:
            raise ValidationError(_("This finding has been remedied."))
        title_ru, memo_ru = _proposal_texts(finding, "ru")
        title_kk, memo_kk = _proposal_texts(finding, "kk")
        # the finding's texts passed the case guard when they were written
        proposal = submit_proposal(
            body=finding.body,
            author=author,
            actor=actor,
            title_ru=title_ru,
            title_kk=title_kk,
            memo_ru=memo_ru,
            memo_kk=memo_kk,
            identifiers_confirmed=True,
        )
        # the photos and files of the finding come with it: the same stored files, checked when
        # they were uploaded, listed among the proposal's own
        carried = Attachment.objects.bulk_create(
            Attachment(
                body=finding.body,
                proposal=proposal,
                file=f.file.name,
                name=f.name,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
                uploaded_by=f.uploaded_by,
                uploaded_at=f.uploaded_at,
            )
            for f in finding.files.order_by("pk")
        )
        finding.proposal = proposal
        finding.status = FindingStatus.PROPOSED
        finding.save(update_fields=["proposal", "status"])
        record_event(
            finding,
            "finding.proposed",
            actor=actor,
            body=finding.body,
            data={"proposal": proposal.pk, "files": [a.name for a in carried]},
        )
    return proposal


def _lock_finding(finding: Finding) -> None:
    Finding.objects.select_for_update(no_key=True).filter(pk=finding.pk).values_list("pk", flat=True).first()
    finding.refresh_from_db()


def _as_upload(stored: OversightFile) -> SimpleUploadedFile:
    with stored.file.open("rb") as handle:
        return SimpleUploadedFile(stored.name, handle.read(), content_type=stored.content_type)


def remark_from_finding(
    finding: Finding, *, actor: User, author: Member, decision: Decision
) -> ComplianceRemark:
    """Effects: in one step, under the finding's lock, files a compliance remark (clause 2.2.3) by
    the acting member on the chosen decision of the body, its facts in Russian and Kazakh saying
    what was found, where, its cause and unit, with the finding's files (file_remark:
    `remark.filed`, its proposal for the next agenda, the leaders told); links the finding and the
    remark both ways, marks the finding remarked and records `finding.remarked`. Asked again on
    the same decision (a second click, a parallel request) it returns the same remark; a finding
    already made a proposal, remedied, or a remark on another decision is refused."""
    with transaction.atomic():
        _lock_finding(finding)
        if finding.remark_id is not None:
            remark = ComplianceRemark.objects.select_related("decision__meeting").get(pk=finding.remark_id)
            if remark.decision_id == decision.pk:
                return remark
            raise ValidationError(
                {
                    "decision": _("This finding is already a remark on decision %(number)s.")
                    % {"number": remark.decision.number if remark.decision else ""}
                }
            )
        if finding.proposal_id is not None:
            raise ValidationError(_("This finding has already been turned into a proposal."))
        if finding.status == FindingStatus.CLOSED:
            raise ValidationError(_("This finding has been remedied."))
        files = [_as_upload(f) for f in finding.files.order_by("pk")]
        # the finding's texts and files passed the case guard when they were written
        remark = file_remark(
            body=finding.body,
            author=author,
            actor=actor,
            decision=decision,
            facts_ru=_proposal_texts(finding, "ru")[1],
            facts_kk=_proposal_texts(finding, "kk")[1],
            files=files,
            identifiers_confirmed=True,
        )
        finding.remark = remark
        finding.proposal_id = remark.proposal_id
        finding.status = FindingStatus.REMARKED
        finding.save(update_fields=["remark", "proposal", "status"])
        record_event(
            finding,
            "finding.remarked",
            actor=actor,
            body=finding.body,
            data={"remark": remark.pk, "decision": decision.pk, "proposal": remark.proposal_id},
        )
    return remark


def close_finding(finding: Finding, *, actor: User) -> Finding:
    """Effects: marks an open finding remedied and records `finding.closed`; again, no change."""
    with transaction.atomic():
        _lock_finding(finding)
        if finding.status == FindingStatus.CLOSED:
            return finding
        finding.status = FindingStatus.CLOSED
        finding.save(update_fields=["status"])
        record_event(finding, "finding.closed", actor=actor, body=finding.body)
    return finding
