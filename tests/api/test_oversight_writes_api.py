"""The oversight registers written through the API as on the pages: facilities (the operational
unit's flag, clause 2.2.7) and the checklist, a visit recorded with who went from both sides,
findings with files under the case guard, a request's answer with files, a draft publication
changed and withdrawn, a legislative draft changed on its version, a finding made a proposal or a
remark on a decision in one step and so put on an agenda, urgent contacts put on an agenda. Each
with its refusals: what is refused changes nothing and says why in the caller's language."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alqa.domain.legislation import create_proposal
from alqa.domain.meetings import record_decision
from alqa.domain.proposals import accept_proposal
from alqa.domain.publications import approve_publication, create_publication, publish
from alqa.domain.requests import create_request
from alqa.domain.urgent_contacts import log_contact
from alqa.domain.visits import add_finding, create_facility, plan_visit, record_visit
from alqa.enums import RemarkStatus
from alqa.models import (
    AuditEvent,
    ChecklistItem,
    ComplianceRemark,
    Facility,
    Finding,
    OversightFile,
    Proposal,
    Publication,
    UrgentContact,
    Visit,
)
from tests.api.conftest import API, Api, token_for
from tests.conftest import meeting_on

ERDR = "267511031000123"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _multipart(api: Api, path: str, data: dict, *, language: str = "en"):
    """multipart/form-data, as a browser form or `curl -F` sends it."""
    return api.client.post(
        API + path, data, HTTP_AUTHORIZATION=f"Bearer {api.token}", HTTP_ACCEPT_LANGUAGE=language
    )


@pytest.fixture
def facility(body, admin_user, police_unit):
    return create_facility(
        body=body, actor=admin_user, name_ru="ИВС ДП", kind="temporary_detention", unit=police_unit
    )


@pytest.fixture
def visit(body, facility, chair, member):
    planned = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())
    return record_visit(
        planned, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member]
    )


# --- facilities and the checklist -----------------------------------------------------------------


def test_leaders_register_and_change_a_facility_and_its_flag_closes_it_to_visits(
    body, secretary, member, police_unit, bar_unit
):
    api = Api(token_for(secretary.user))
    created = api.post(
        f"/bodies/{body.pk}/facilities",
        {
            "name_ru": "СП ДП",
            "kind": "special_reception",
            "unit_id": police_unit.pk,
            "address": "ул. Абая, 1",
        },
    )
    assert created.status_code == 201, created.content
    facility = created.json()
    assert facility["unit_id"] == police_unit.pk and not facility["is_operational_criminal_police"]
    assert AuditEvent.objects.filter(action="facility.created", object_id=str(facility["id"])).exists()
    assert ChecklistItem.objects.filter(body=body, kind="special_reception").exists()  # seeded

    # bad input: a unit of the bar's side, a name already registered; nothing changes
    refused = api.patch(f"/facilities/{facility['id']}", {"unit_id": bar_unit.pk}, language="ru")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "unit_id"]
    twice = api.post(f"/bodies/{body.pk}/facilities", {"name_ru": "СП ДП", "kind": "other"})
    assert twice.status_code == 422 and twice.json()["detail"][0]["loc"] == ["body", "name_ru"]
    assert Facility.objects.count() == 1 and Facility.objects.get().unit_id == police_unit.pk

    # a member reads but may not change the register
    member_api = Api(token_for(member.user))
    assert member_api.get(f"/facilities/{facility['id']}").status_code == 200
    assert member_api.patch(f"/facilities/{facility['id']}", {"name_ru": "Иное"}).status_code == 403
    assert (
        member_api.post(f"/bodies/{body.pk}/facilities", {"name_ru": "X", "kind": "other"}).status_code == 403
    )

    changed = api.patch(f"/facilities/{facility['id']}", {"is_operational_criminal_police": True})
    assert changed.status_code == 200 and changed.json()["is_operational_criminal_police"] is True
    event = AuditEvent.objects.get(action="facility.changed")
    assert event.data["is_operational_criminal_police"] == [False, True]
    planned = member_api.post(
        f"/bodies/{body.pk}/visits",
        {"facility_id": facility["id"], "planned_on": timezone.localdate().isoformat()},
        language="kk",
    )
    assert planned.status_code == 422 and planned.json()["detail"][0]["loc"] == ["body", "facility_id"]
    assert "криминалдық полицияның" in planned.json()["detail"][0]["msg"] and not Visit.objects.exists()
    assert api.patch(f"/facilities/{facility['id']}", {"name_ru": None}).status_code == 422


def test_leaders_keep_the_checklist(body, secretary, member, facility):
    api = Api(token_for(secretary.user))
    added = api.post(
        f"/bodies/{body.pk}/checklist", {"kind": "temporary_detention", "text_ru": "Наличие питьевой воды"}
    )
    assert added.status_code == 201, added.content
    item = added.json()
    assert AuditEvent.objects.filter(action="checklist.item_added").exists()
    again = api.post(
        f"/bodies/{body.pk}/checklist", {"kind": "temporary_detention", "text_ru": "Наличие питьевой воды"}
    )
    assert again.status_code == 422 and again.json()["detail"][0]["loc"] == ["body", "text_ru"]
    member_api = Api(token_for(member.user))
    assert member_api.patch(f"/checklist-items/{item['id']}", {"is_active": False}).status_code == 403
    off = api.patch(f"/checklist-items/{item['id']}", {"is_active": False})
    assert off.status_code == 200 and off.json()["is_active"] is False
    listed = member_api.get(
        f"/bodies/{body.pk}/checklist", {"kind": "temporary_detention", "active": "false"}
    )
    assert [i["id"] for i in listed.json()] == [item["id"]]
    assert AuditEvent.objects.filter(action="checklist.item_changed").count() == 1


# --- visits and findings --------------------------------------------------------------------------


def test_a_member_records_a_visit_with_both_sides_and_the_checklist(body, chair, member, secretary, facility):
    planned = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())
    item = ChecklistItem.objects.filter(body=body, kind=facility.kind).first()
    api = Api(token_for(member.user))
    today = timezone.localdate().isoformat()
    # nobody of the police side went: refused on participant_ids, nothing recorded
    alone = api.post(f"/visits/{planned.pk}/record", {"visited_on": today, "participant_ids": [member.pk]})
    assert alone.status_code == 422 and alone.json()["detail"][0]["loc"] == ["body", "participant_ids"]
    nobody = api.post(
        f"/visits/{planned.pk}/record", {"visited_on": today, "participant_ids": []}, language="ru"
    )
    assert nobody.status_code == 422 and "полиции" in nobody.json()["detail"][0]["msg"]
    planned.refresh_from_db()
    assert planned.status == "planned" and not AuditEvent.objects.filter(action="visit.recorded").exists()

    recorded = api.post(
        f"/visits/{planned.pk}/record",
        {
            "visited_on": today,
            "participant_ids": [member.pk, chair.pk],
            "checks": [{"item_id": item.pk, "result": "violation", "note": "Нет журнала"}],
            "summary_ru": "Посещение проведено",
        },
    )
    assert recorded.status_code == 200, recorded.content
    out = recorded.json()
    assert out["status"] == "recorded" and sorted(out["participant_ids"]) == sorted([member.pk, chair.pk])
    assert out["checks"] == [{"item_id": item.pk, "result": "violation", "note": "Нет журнала"}]
    assert AuditEvent.objects.get(action="visit.recorded").data["participants"] == sorted(
        [member.pk, chair.pk]
    )

    # a facility found to be an operational unit since: recording again is refused (2.2.7)
    Api(token_for(secretary.user)).patch(
        f"/facilities/{facility.pk}", {"is_operational_criminal_police": True}
    )
    closed = api.post(
        f"/visits/{planned.pk}/record", {"visited_on": today, "participant_ids": [member.pk, chair.pk]}
    )
    assert closed.status_code == 422 and closed.json()["detail"][0]["loc"] == ["body", "facility_id"]
    assert not AuditEvent.objects.filter(action="visit.recorded_again").exists()


def test_findings_with_files_pass_the_case_guard(body, visit, member, admin_user, police_unit):
    api = Api(token_for(member.user))
    data = {
        "kind": "register",
        "description": "Журнал доставленных не ведётся",
        "unit_id": str(police_unit.pk),
        "files": [
            SimpleUploadedFile("akt.docx", _docx(f"Дело № {ERDR}")),
            SimpleUploadedFile("photo.pdf", PDF, content_type="application/pdf"),
        ],
    }
    refused = _multipart(api, f"/visits/{visit.pk}/findings", data)
    assert refused.status_code == 422 and refused.json()["detail"][0]["type"] == "case_identifiers"
    assert not Finding.objects.exists() and not OversightFile.objects.exists()
    for f in data["files"]:
        f.seek(0)
    created = _multipart(api, f"/visits/{visit.pk}/findings", data | {"confirm_identifiers": "true"})
    assert created.status_code == 201, created.content
    finding = created.json()
    assert sorted(finding["file_names"]) == ["akt.docx", "photo.pdf"] and finding["unit_id"] == police_unit.pk
    assert AuditEvent.objects.get(action="finding.added").data["files"] == ["akt.docx", "photo.pdf"]
    # JSON without files; bad input refused in the caller's language
    plain = api.post(f"/visits/{visit.pk}/findings", {"kind": "other", "description": "Нет вентиляции"})
    assert plain.status_code == 201 and plain.json()["file_names"] == []
    bad = api.post(f"/visits/{visit.pk}/findings", {"kind": "other", "description": ""}, language="ru")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "description"]
    assert Finding.objects.count() == 2
    outsider = Api(token_for(admin_user)).post(
        f"/visits/{visit.pk}/findings", {"kind": "other", "description": "X"}
    )
    assert outsider.status_code == 201  # an installation administrator reads and writes every body's visits


def test_a_finding_becomes_a_remark_on_a_decision_in_one_step_and_reaches_an_agenda(
    body, visit, chair, secretary, member, deputy, admin_user
):
    held, item = meeting_on(
        body, secretary, chair, days=-2, present=(chair, secretary, member, deputy), approved=True
    )
    decision = record_decision(
        held, actor=secretary.user, agenda_item=item, text_ru="Обеспечить допуск адвокатов"
    )
    finding = add_finding(
        visit,
        actor=chair.user,
        kind="lawyer_access",
        description="Адвоката не допустили к подзащитному",
        files=[SimpleUploadedFile("photo.pdf", PDF, content_type="application/pdf")],
    )
    api = Api(token_for(member.user))
    assert (
        Api(token_for(admin_user))
        .post(f"/findings/{finding.pk}/remark", {"decision_id": decision.pk})
        .status_code
        == 403
    )
    wrong = api.post(f"/findings/{finding.pk}/remark", {"decision_id": 10**9}, language="kk")
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "decision_id"]
    assert not ComplianceRemark.objects.exists()

    answer = api.post(f"/findings/{finding.pk}/remark", {"decision_id": decision.pk})
    assert answer.status_code == 200, answer.content
    out = answer.json()
    remark = ComplianceRemark.objects.get()
    assert (
        out["status"] == "remarked"
        and out["remark_id"] == remark.pk
        and out["proposal_id"] == remark.proposal_id
    )
    assert remark.decision_id == decision.pk and remark.author_id == member.pk
    assert "Адвоката не допустили" in remark.facts_ru and "Адвоката не допустили" in remark.facts_kk
    assert list(remark.proposal.attachments.values_list("name", flat=True)) == ["photo.pdf"]
    assert remark.finding.pk == finding.pk  # linked both ways
    event = AuditEvent.objects.get(action="finding.remarked")
    assert event.data == {"remark": remark.pk, "decision": decision.pk, "proposal": remark.proposal_id}
    assert AuditEvent.objects.filter(action="remark.filed").count() == 1
    # again: the same remark; a proposal of it refused
    assert (
        api.post(f"/findings/{finding.pk}/remark", {"decision_id": decision.pk}).json()["remark_id"]
        == remark.pk
    )
    assert ComplianceRemark.objects.count() == 1 and Proposal.objects.count() == 1
    proposed = api.post(f"/findings/{finding.pk}/propose")
    assert proposed.status_code == 422 and Proposal.objects.count() == 1

    # the chair puts the remark's proposal on the next meeting's agenda: the finding is there
    ahead, _item = meeting_on(body, secretary, chair, days=7)
    agenda_item = accept_proposal(remark.proposal, meeting=ahead, actor=chair.user, decider=chair)
    read = api.get(f"/findings/{finding.pk}").json()
    assert read["agenda_item_ids"] == [agenda_item.pk]
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.ON_AGENDA


def test_a_finding_made_a_proposal_reaches_an_agenda(body, visit, chair, secretary, member):
    finding = add_finding(visit, actor=chair.user, kind="other", description="Нет вентиляции")
    api = Api(token_for(member.user))
    proposed = api.post(f"/findings/{finding.pk}/propose")
    assert proposed.status_code == 200 and proposed.json()["status"] == "proposed"
    ahead, _item = meeting_on(body, secretary, chair, days=7)
    agenda_item = accept_proposal(Proposal.objects.get(), meeting=ahead, actor=chair.user, decider=chair)
    assert api.get(f"/bodies/{body.pk}/findings").json()["results"][0]["agenda_item_ids"] == [agenda_item.pk]


# --- requests, publications, legislative drafts, urgent contacts -----------------------------


def test_a_requests_answer_with_files_only_once_it_was_sent(body, secretary, member):
    document_request = create_request(
        body=body,
        actor=secretary.user,
        addressee_kind="police_unit",
        addressee="ДП",
        subject="Журнал",
        legal_basis="2.2.8",
    )
    api = Api(token_for(secretary.user))
    today = timezone.localdate().isoformat()
    data = {
        "answered_on": today,
        "files": [SimpleUploadedFile("answer.pdf", PDF, content_type="application/pdf")],
    }
    early = _multipart(api, f"/requests/{document_request.pk}/answer", data, language="ru")
    assert early.status_code == 422 and early.json()["detail"][0]["loc"] == ["body", "answered_on"]
    assert not OversightFile.objects.exists()
    assert api.post(f"/requests/{document_request.pk}/send", {"sent_on": today}).status_code == 200
    data["files"][0].seek(0)
    forbidden = _multipart(Api(token_for(member.user)), f"/requests/{document_request.pk}/answer", data)
    assert forbidden.status_code == 403 and not OversightFile.objects.exists()
    data["files"][0].seek(0)
    answered = _multipart(api, f"/requests/{document_request.pk}/answer", data | {"assessment": "complete"})
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered" and answered.json()["file_names"] == ["answer.pdf"]
    assert AuditEvent.objects.get(action="request.answered").data["files"] == ["answer.pdf"]
    bad_flag = _multipart(
        api, f"/requests/{document_request.pk}/answer", {"answered_on": today, "confirm_identifiers": "maybe"}
    )
    assert bad_flag.status_code == 422


def test_a_publication_is_changed_and_withdrawn(body, admin_user, secretary, chair, deputy, member):
    publication = create_publication(
        body=body, actor=admin_user, title_ru="Итоги", title_kk="Қорытынды", text_ru="Текст", text_kk="Мәтін"
    )
    approve_publication(publication, actor=chair.user, approver=chair)
    api = Api(token_for(secretary.user))
    texts = {"title_ru": "Итоги года", "title_kk": "Жыл қорытындысы", "text_ru": "Текст", "text_kk": "Мәтін"}
    assert (
        Api(token_for(member.user))
        .client.put(
            f"{API}/publications/{publication.pk}",
            texts,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token_for(member.user)}",
        )
        .status_code
        == 403
    )
    changed = api.client.put(
        f"{API}/publications/{publication.pk}",
        texts,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert changed.status_code == 200 and changed.json()["title_ru"] == "Итоги года"
    assert changed.json()["police_approved"] is False  # the approval of the earlier text is gone
    assert AuditEvent.objects.get(action="publication.edited").data["approvals_withdrawn"] is True
    approve_publication(publication, actor=chair.user, approver=chair)
    approve_publication(publication, actor=deputy.user, approver=deputy)
    publish(publication, actor=secretary.user)
    refused = api.client.put(
        f"{API}/publications/{publication.pk}",
        texts | {"title_ru": "Другое"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert refused.status_code == 422 and Publication.objects.get().title_ru == "Итоги года"
    withdrawn = api.post(f"/publications/{publication.pk}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "draft"
    assert api.post(f"/publications/{publication.pk}/withdraw").status_code == 200  # again: no change
    assert AuditEvent.objects.filter(action="publication.withdrawn").count() == 1


def test_a_legislative_draft_is_changed_on_its_version(body, admin_user, secretary):
    draft = create_proposal(
        body=body,
        actor=admin_user,
        title_ru="О допуске",
        text_ru="Редакция",
        act="УПК",
        justification="Да",
        addressee="Мажилис",
    )
    api = Api(token_for(secretary.user))
    fields = {
        "title_ru": "О допуске защитника",
        "text_ru": "Редакция 2",
        "act": "УПК",
        "justification": "Да",
        "addressee": "Мажилис",
    }
    put = api.client.put(
        f"{API}/legislative-proposals/{draft.pk}",
        fields | {"version": draft.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert put.status_code == 200 and put.json()["version"] == draft.version + 1
    stale = api.client.put(
        f"{API}/legislative-proposals/{draft.pk}",
        fields | {"version": draft.version, "text_ru": "Редакция 3"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token}",
    )
    assert stale.status_code == 422
    draft.refresh_from_db()
    assert draft.text_ru == "Редакция 2"
    assert AuditEvent.objects.filter(action="legislative_proposal.changed").count() == 1


def test_urgent_contacts_are_put_on_a_meeting_agenda(body, chair, secretary, member, police_unit):
    ahead, _item = meeting_on(body, secretary, chair, days=7)
    api = Api(token_for(secretary.user))
    assert api.post(f"/meetings/{ahead.pk}/urgent-contacts").status_code == 422  # nothing waiting
    contact = log_contact(
        body=body,
        actor=member.user,
        member=member,
        unit=police_unit,
        contact_person="Начальник ИВС",
        contacted_at=timezone.now(),
        reason="Допуск",
    )
    assert Api(token_for(member.user)).post(f"/meetings/{ahead.pk}/urgent-contacts").status_code == 403
    put = api.post(f"/meetings/{ahead.pk}/urgent-contacts")
    assert put.status_code == 200, put.content
    assert put.json()["urgent_contact_ids"] == [contact.pk]
    assert UrgentContact.objects.get().agenda_item_id == put.json()["agenda_item_id"]
    assert api.post(f"/meetings/{ahead.pk}/urgent-contacts").json() == put.json()  # again: the same
    assert AuditEvent.objects.filter(action="urgent_contacts.put_on_agenda").count() == 1


def test_text_where_the_files_go_is_refused(body, visit, member):
    api = Api(token_for(member.user))
    data = {"kind": "other", "description": "Нет вентиляции", "files": "{}"}
    refused = _multipart(api, f"/visits/{visit.pk}/findings", data, language="ru")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "files"]
    assert not Finding.objects.exists()
