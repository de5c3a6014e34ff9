"""Facilities, visits and findings (clauses 2.2.7, 2.1.5): the rules, what is stored and audited."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alqa.domain.bodies import create_unit
from alqa.domain.visits import (
    CheckInput,
    add_checklist_item,
    add_finding,
    cancel_visit,
    create_facility,
    plan_visit,
    propose_from_finding,
    record_visit,
    set_checklist_item_in_use,
    update_facility,
)
from alqa.enums import CheckResult, FacilityKind, FindingStatus, ProposalStatus, Side, UnitKind, VisitStatus
from alqa.models import AuditEvent, ChecklistItem, Facility, Finding, OversightFile, Proposal, Visit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def facility(body, admin_user, police_unit):
    return create_facility(
        body=body,
        actor=admin_user,
        name_ru="ИВС ДП г. Алматы",
        name_kk="Алматы қ. ПД УҰИ",
        kind=FacilityKind.TEMPORARY_DETENTION,
        address="ул. Байзакова, 1",
        unit=police_unit,
    )


@pytest.fixture
def operational(body, admin_user):
    return create_facility(
        body=body,
        actor=admin_user,
        name_ru="Оперативное подразделение",
        kind=FacilityKind.OTHER,
        is_operational_criminal_police=True,
    )


@pytest.fixture
def recorded(facility, chair, member, secretary):
    visit = plan_visit(
        body=facility.body, facility=facility, actor=chair.user, planned_on=timezone.localdate()
    )
    items = ChecklistItem.objects.filter(body=facility.body, kind=facility.kind)
    checks = [CheckInput(i.pk, CheckResult.COMPLIANT) for i in items]
    return record_visit(
        visit,
        actor=chair.user,
        visited_on=timezone.localdate(),
        participants=[chair, member],
        checks=checks,
        summary_ru="Нарушений условий содержания нет.",
    )


def test_the_first_facility_of_a_kind_brings_its_default_checklist_in_both_languages(facility, body):
    items = list(ChecklistItem.objects.filter(body=body, kind=FacilityKind.TEMPORARY_DETENTION))
    assert len(items) == 6
    assert all(i.text_ru and i.text_kk for i in items)
    assert AuditEvent.objects.filter(action="checklist.seeded", body=body).count() == 1
    assert AuditEvent.objects.filter(action="facility.created", object_id=str(facility.pk)).exists()


def test_a_facility_name_is_unique_in_the_body(facility, body, admin_user):
    with pytest.raises(ValidationError) as exc:
        create_facility(body=body, actor=admin_user, name_ru="ИВС ДП г. Алматы", kind=FacilityKind.OTHER)
    assert "name_ru" in exc.value.message_dict
    assert Facility.objects.filter(body=body).count() == 1


def test_a_unit_of_another_body_is_refused(body, other_body, admin_user):
    foreign = create_unit(
        body=other_body, actor=admin_user, name_ru="Чужое", side=Side.POLICE, kind=UnitKind.STRUCTURAL
    )
    with pytest.raises(ValidationError) as exc:
        create_facility(body=body, actor=admin_user, name_ru="ИВС", kind=FacilityKind.OTHER, unit=foreign)
    assert "unit" in exc.value.message_dict


def test_no_visit_is_planned_to_an_operational_unit_of_the_criminal_police(operational, chair):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        plan_visit(
            body=operational.body, facility=operational, actor=chair.user, planned_on=timezone.localdate()
        )
    assert "подпункт 7 пункта 2.2" in exc.value.message_dict["facility"][0]
    assert not Visit.objects.exists()
    assert AuditEvent.objects.count() == before


def test_the_units_flag_closes_its_facilities_too(body, admin_user, chair):
    unit = create_unit(
        body=body,
        actor=admin_user,
        name_ru="Управление криминальной полиции",
        side=Side.POLICE,
        kind=UnitKind.STRUCTURAL,
        is_operational_criminal_police=True,
    )
    facility = create_facility(
        body=body, actor=admin_user, name_ru="Отдел УКП", kind=FacilityKind.OTHER, unit=unit
    )
    with pytest.raises(ValidationError, match="подпункт 7 пункта 2.2"):
        plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())


def test_a_facility_flagged_after_planning_cannot_be_recorded(facility, chair, member, admin_user):
    visit = plan_visit(
        body=facility.body, facility=facility, actor=chair.user, planned_on=timezone.localdate()
    )
    update_facility(facility, actor=admin_user, is_operational_criminal_police=True)
    with pytest.raises(ValidationError, match="подпункт 7 пункта 2.2"):
        record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member])
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_a_visit_is_not_planned_in_the_past(facility, chair):
    with pytest.raises(ValidationError) as exc:
        plan_visit(
            body=facility.body,
            facility=facility,
            actor=chair.user,
            planned_on=timezone.localdate() - timedelta(days=1),
        )
    assert "planned_on" in exc.value.message_dict


def test_a_visit_record_names_members_of_both_sides(facility, chair, secretary, member):
    visit = plan_visit(
        body=facility.body, facility=facility, actor=chair.user, planned_on=timezone.localdate()
    )
    for people in ([], [chair, secretary]):  # nobody; the police side only
        with pytest.raises(ValidationError) as exc:
            record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=people)
        assert "participants" in exc.value.message_dict
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and not visit.participants.exists()
    record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member])
    visit.refresh_from_db()
    assert visit.status == VisitStatus.RECORDED
    assert set(visit.participants.values_list("pk", flat=True)) == {chair.pk, member.pk}


def test_a_member_of_another_body_does_not_go_on_the_visit(facility, chair, member, outsider):
    visit = plan_visit(
        body=facility.body, facility=facility, actor=chair.user, planned_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as exc:
        record_visit(
            visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member, outsider]
        )
    assert "participants" in exc.value.message_dict


def test_a_visit_is_recorded_once_it_has_taken_place(facility, chair, member):
    visit = plan_visit(
        body=facility.body, facility=facility, actor=chair.user, planned_on=timezone.localdate()
    )
    with pytest.raises(ValidationError) as exc:
        record_visit(
            visit,
            actor=chair.user,
            visited_on=timezone.localdate() + timedelta(days=1),
            participants=[chair, member],
        )
    assert "visited_on" in exc.value.message_dict


def test_checklist_results_are_stored_and_audited(recorded):
    assert recorded.checks.count() == 6
    assert set(recorded.checks.values_list("result", flat=True)) == {CheckResult.COMPLIANT}
    event = AuditEvent.objects.get(action="visit.recorded", object_id=str(recorded.pk))
    assert len(event.data["checks"]) == 6


def test_an_item_of_another_kind_is_refused(facility, body, chair, member, admin_user):
    other = add_checklist_item(body=body, actor=admin_user, kind=FacilityKind.OTHER, text_ru="Другое")
    visit = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        record_visit(
            visit,
            actor=chair.user,
            visited_on=timezone.localdate(),
            participants=[chair, member],
            checks=[CheckInput(other.pk, CheckResult.VIOLATION)],
        )
    assert "checks" in exc.value.message_dict


def test_a_body_edits_its_checklist(facility, body, admin_user):
    item = add_checklist_item(
        body=body,
        actor=admin_user,
        kind=facility.kind,
        text_ru="Наличие кнопки вызова",
        text_kk="Шақыру түймесі",
    )
    assert item.order == 7
    with pytest.raises(ValidationError):
        add_checklist_item(body=body, actor=admin_user, kind=facility.kind, text_ru="Наличие кнопки вызова")
    set_checklist_item_in_use(item, actor=admin_user, in_use=False)
    set_checklist_item_in_use(item, actor=admin_user, in_use=False)
    item.refresh_from_db()
    assert not item.is_active
    assert AuditEvent.objects.filter(action="checklist.item_changed", object_id=str(item.pk)).count() == 1


def test_a_recorded_visit_is_not_cancelled_and_a_cancelled_one_not_recorded(
    facility, recorded, chair, member
):
    with pytest.raises(ValidationError):
        cancel_visit(recorded, actor=chair.user)
    visit = plan_visit(
        body=facility.body, facility=facility, actor=chair.user, planned_on=timezone.localdate()
    )
    cancel_visit(visit, actor=chair.user)
    cancel_visit(visit, actor=chair.user)
    assert AuditEvent.objects.filter(action="visit.cancelled", object_id=str(visit.pk)).count() == 1
    with pytest.raises(ValidationError):
        record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member])


def test_a_finding_with_photos(recorded, chair, police_unit):
    finding = add_finding(
        recorded,
        actor=chair.user,
        kind="lawyer_access",
        description="Адвоката не допустили к подзащитному 40 минут.",
        cause="Нет комнаты для встреч.",
        unit=police_unit,
        files=[SimpleUploadedFile("room.png", PNG, content_type="image/png")],
    )
    assert finding.facility == recorded.facility and finding.status == FindingStatus.OPEN
    assert list(OversightFile.objects.filter(finding=finding).values_list("name", flat=True)) == ["room.png"]
    event = AuditEvent.objects.get(action="finding.added")
    assert event.data["files"] == ["room.png"]


def test_a_finding_is_added_to_a_recorded_visit_only(facility, chair):
    visit = plan_visit(
        body=facility.body, facility=facility, actor=chair.user, planned_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        add_finding(visit, actor=chair.user, kind="other", description="Что-то")
    assert not Finding.objects.exists()


IIN = "850101300005"  # a valid ИИН (tests/domain/test_case_guard_iin.py)


def test_a_finding_text_with_an_iin_is_refused_until_confirmed(recorded, chair):
    with pytest.raises(ValidationError) as exc:
        add_finding(recorded, actor=chair.user, kind="other", description=f"Задержанный ИИН {IIN}")
    assert "description" in exc.value.message_dict
    assert IIN not in str(exc.value)
    assert not Finding.objects.exists()


def test_a_file_with_an_iin_inside_is_refused_and_nothing_is_saved(recorded, chair):
    upload = SimpleUploadedFile("list.docx", _docx(f"Список: {IIN}"))
    with pytest.raises(ValidationError) as exc:
        add_finding(
            recorded, actor=chair.user, kind="register", description="Журнал не ведётся", files=[upload]
        )
    assert "list.docx" in exc.value.message_dict["files"][0]
    assert not Finding.objects.exists() and not OversightFile.objects.exists()
    upload.seek(0)
    finding = add_finding(
        recorded,
        actor=chair.user,
        kind="register",
        description="Журнал не ведётся",
        files=[upload],
        identifiers_confirmed=True,
    )
    event = AuditEvent.objects.get(action="finding.added", object_id=str(finding.pk))
    assert event.data["case_identifiers_confirmed"] == ["files: iin"]


def test_a_finding_becomes_a_proposal_in_one_step_once(recorded, chair, member):
    finding = add_finding(
        recorded, actor=chair.user, kind="conditions", description="Нет вентиляции в камере 3."
    )
    proposal = propose_from_finding(finding, actor=member.user, author=member)
    again = propose_from_finding(finding, actor=member.user, author=member)
    assert again == proposal
    assert Proposal.objects.count() == 1
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.author == member
    assert "ИВС ДП г. Алматы" in proposal.title_ru and "Алматы қ. ПД УҰИ" in proposal.title_kk
    assert "Нет вентиляции в камере 3." in proposal.memo_ru
    finding.refresh_from_db()
    assert finding.status == FindingStatus.PROPOSED and finding.proposal == proposal
    assert AuditEvent.objects.filter(action="finding.proposed").count() == 1
    assert AuditEvent.objects.filter(action="proposal.submitted").count() == 1
