"""The oversight pages: facilities, visits, findings, the visit report; what a user sees and what is
stored, in Russian and Kazakh, with the lists' queries bounded."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from alqa.domain.visits import CheckInput, add_finding, create_facility, plan_visit, record_visit
from alqa.enums import CheckResult, FacilityKind, FindingStatus, VisitStatus
from alqa.models import AuditEvent, ChecklistItem, Facility, Finding, Proposal, Visit
from tests.conftest import login

pytestmark = pytest.mark.usefixtures("waive_mfa")


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
        name_ru="УКП",
        kind=FacilityKind.OTHER,
        is_operational_criminal_police=True,
    )


@pytest.fixture
def visit(facility, chair, member):
    visit = plan_visit(
        body=facility.body, facility=facility, actor=chair.user, planned_on=timezone.localdate()
    )
    items = ChecklistItem.objects.filter(body=facility.body, kind=facility.kind)
    record_visit(
        visit,
        actor=chair.user,
        visited_on=timezone.localdate(),
        participants=[chair, member],
        checks=[CheckInput(i.pk, CheckResult.COMPLIANT) for i in items],
        summary_ru="Итог посещения",
        summary_kk="Бару қорытындысы",
    )
    return visit


def test_a_leader_registers_a_facility_and_the_checklist_comes_with_it(client, body, secretary, police_unit):
    login(client, secretary)
    response = client.post(
        f"/bodies/{body.pk}/facilities/new/",
        {
            "name_ru": "Спецприёмник",
            "name_kk": "Арнайы қабылдау орны",
            "kind": "special_reception",
            "unit": police_unit.pk,
        },
    )
    facility = Facility.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/facilities/{facility.pk}/"
    page = client.get(f"/bodies/{body.pk}/checklist/").content.decode()
    assert "Доступ адвокатов к подзащитным" in page  # an English reader reads the Russian items
    assert ChecklistItem.objects.filter(body=body, kind="special_reception").count() == 6


def test_a_plain_member_cannot_register_a_facility(client, body, member):
    login(client, member)
    response = client.post(f"/bodies/{body.pk}/facilities/new/", {"name_ru": "X", "kind": "other"})
    assert response.status_code == 403
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    ("language", "clause_text"),
    [
        ("ru", "оперативные подразделения криминальной полиции"),
        ("kk", "2.2-тармағының 7) тармақшасы"),
    ],
)
def test_planning_a_visit_to_an_operational_unit_says_why_in_the_readers_language(
    client, body, member, operational, language, clause_text
):
    login(client, member, language)
    response = client.post(
        f"/bodies/{body.pk}/visits/new/",
        {"facility": operational.pk, "planned_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert clause_text in response.content.decode()
    assert not Visit.objects.exists()


def test_a_member_plans_and_records_a_visit_with_both_sides(client, body, facility, chair, member, secretary):
    login(client, member, "ru")
    response = client.post(
        f"/bodies/{body.pk}/visits/new/",
        {"facility": facility.pk, "planned_on": timezone.localdate().isoformat(), "purpose": "Плановое"},
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    items = list(ChecklistItem.objects.filter(body=body, kind=facility.kind))
    data = {"visited_on": timezone.localdate().isoformat(), "participants": [chair.pk, secretary.pk]}
    data |= {f"check_{i.pk}": "compliant" for i in items}
    data[f"check_{items[1].pk}"] = "violation"
    data[f"note_{items[1].pk}"] = "Ждали 40 минут"
    response = client.post(f"/visits/{visit.pk}/record/", data)
    assert response.status_code == 400  # the police side only
    assert "одного члена со стороны полиции" in response.content.decode()
    data["participants"] = [chair.pk, member.pk]
    response = client.post(f"/visits/{visit.pk}/record/", data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.RECORDED
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert "Ждали 40 минут" in page and "Выявлено нарушение" in page


def test_a_finding_turned_into_a_proposal_from_the_visit_page(client, visit, member, chair):
    login(client, member, "kk")
    photo = _png()
    response = client.post(
        f"/visits/{visit.pk}/findings/new/",
        {
            "kind": "lawyer_access",
            "description": "Адвокат күтті",
            "cause": "Бөлме жоқ",
            "files": [SimpleUploadedFile("room.png", photo, content_type="image/png")],
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert "Адвокат күтті" in page and f"/findings/{finding.pk}/propose/" in page
    response = client.post(f"/findings/{finding.pk}/propose/")
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    finding.refresh_from_db()
    assert finding.status == FindingStatus.PROPOSED
    # the finding's photo is among the proposal's files, and opens from there
    (attachment,) = proposal.attachments.all()
    assert (attachment.name, attachment.size) == ("room.png", len(photo))
    proposal_page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "room.png" in proposal_page
    download = client.get(f"/proposals/{proposal.pk}/files/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == photo
    event = AuditEvent.objects.filter(action="finding.proposed").get()
    assert event.data["files"] == ["room.png"]
    facility_page = client.get(f"/facilities/{visit.facility_id}/").content.decode()
    assert "Алматы қ. ПД УҰИ" in facility_page


def test_a_file_with_an_iin_stays_refused_with_a_message_naming_it(client, visit, member):
    login(client, member, "en")
    pdf = _pdf_with_text("850101300005")
    response = client.post(
        f"/visits/{visit.pk}/findings/new/",
        {"kind": "register", "description": "Журнал", "files": [SimpleUploadedFile("list.pdf", pdf)]},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "list.pdf" in text and "850101300005" not in text
    assert 'type="checkbox" name="confirm_identifiers"' in text
    assert not Finding.objects.exists()


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def _pdf_with_text(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_visit_report_in_pdf_and_docx(client, visit, member, language):
    add_finding(visit, actor=member.user, kind="conditions", description="Нет вентиляции")
    login(client, member)
    pdf = client.get(f"/visits/{visit.pk}/report.pdf?lang={language}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert ("Отчёт о посещении" if language == "ru" else "бару туралы есеп") in text.replace("\n", " ")
    assert "Нет вентиляции" in text
    word = client.get(f"/visits/{visit.pk}/report.docx?lang={language}")
    assert word.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(word.content)).read("word/document.xml").decode()
    assert "Нет вентиляции" in xml and ("Алматы қ. ПД УҰИ" in xml if language == "kk" else "ИВС ДП" in xml)


def _queries(client, url) -> int:
    """The queries of one load of `url` after a first load, with nothing in the cache (what the
    first reader after a change pays: tests/views/test_query_counts.py)."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _visits_with_findings(body, facility, chair, member, n):
    for _ in range(n):
        visit = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())
        record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member])
        add_finding(visit, actor=chair.user, kind="other", description="Найдено")


# session, user, memberships, audit head, the header's bodies, and the page's own
OVERSIGHT_MAX = 12
FACILITY_MAX = 12


@pytest.mark.parametrize(("url", "ceiling"), [("oversight", OVERSIGHT_MAX), ("facility", FACILITY_MAX)])
def test_the_lists_answer_in_constant_queries(client, body, facility, chair, member, url, ceiling):
    login(client, member)
    path = f"/bodies/{body.pk}/oversight/" if url == "oversight" else f"/facilities/{facility.pk}/"
    _visits_with_findings(body, facility, chair, member, 2)
    few = _queries(client, path)
    _visits_with_findings(body, facility, chair, member, 8)
    assert _queries(client, path) == few <= ceiling
