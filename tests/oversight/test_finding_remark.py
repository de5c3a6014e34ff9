"""A finding becomes, in one step on the visit's page, a member's remark that a chosen decision is
not complied with (clause 2.2.3): the two are linked both ways, the files go with it, and once its
proposal is put on an agenda the finding shows the meeting."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alqa.domain.meetings import record_decision
from alqa.domain.proposals import accept_proposal
from alqa.domain.visits import add_finding, create_facility, plan_visit, record_visit
from alqa.models import AuditEvent, ComplianceRemark, Finding, Proposal
from tests.conftest import login, meeting_on

pytestmark = pytest.mark.usefixtures("waive_mfa")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def finding(body, admin_user, chair, member, police_unit):
    facility = create_facility(body=body, actor=admin_user, name_ru="ИВС", kind="temporary_detention")
    visit = plan_visit(body=body, facility=facility, actor=chair.user, planned_on=timezone.localdate())
    record_visit(visit, actor=chair.user, visited_on=timezone.localdate(), participants=[chair, member])
    return add_finding(
        visit,
        actor=chair.user,
        kind="lawyer_access",
        description="Адвоката не допустили к подзащитному",
        unit=police_unit,
        files=[SimpleUploadedFile("photo.pdf", PDF, content_type="application/pdf")],
    )


@pytest.fixture
def decision(body, chair, secretary, member, deputy):
    held, item = meeting_on(
        body, secretary, chair, days=-2, present=(chair, secretary, member, deputy), approved=True
    )
    return record_decision(
        held, actor=secretary.user, agenda_item=item, text_ru="Обеспечить допуск адвокатов"
    )


def test_a_member_files_a_finding_as_a_remark_and_it_reaches_the_agenda(
    client, body, finding, decision, member, chair, secretary
):
    login(client, member, language="kk")
    page = client.get(f"/visits/{finding.visit_id}/").content.decode()
    assert f'action="/findings/{finding.pk}/remark/"' in page and f'value="{decision.pk}"' in page

    response = client.post(f"/findings/{finding.pk}/remark/", {"decision": decision.pk})
    remark = ComplianceRemark.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/remarks/{remark.pk}/"
    finding.refresh_from_db()
    assert finding.remark_id == remark.pk and finding.proposal_id == remark.proposal_id
    assert finding.status == "remarked" and remark.decision_id == decision.pk
    assert "Адвоката не допустили" in remark.facts_ru
    assert [a.name for a in remark.proposal.attachments.all()] == ["photo.pdf"]
    assert AuditEvent.objects.filter(action="finding.remarked", object_id=str(finding.pk)).exists()

    detail = client.get(f"/remarks/{remark.pk}/").content.decode()
    assert f"/visits/{finding.visit_id}/#finding-{finding.pk}" in detail  # back to the finding
    visit_page = client.get(f"/visits/{finding.visit_id}/").content.decode()
    assert f'href="/remarks/{remark.pk}/"' in visit_page
    assert f'action="/findings/{finding.pk}/remark/"' not in visit_page  # done once

    # a second click: the same remark, nothing more
    assert client.post(f"/findings/{finding.pk}/remark/", {"decision": decision.pk}).status_code == 302
    assert ComplianceRemark.objects.count() == 1 and Proposal.objects.count() == 1

    ahead, _item = meeting_on(body, secretary, chair, days=7)
    accept_proposal(remark.proposal, meeting=ahead, actor=chair.user, decider=chair)
    visit_page = client.get(f"/visits/{finding.visit_id}/").content.decode()
    assert f'href="/meetings/{ahead.pk}/"' in visit_page and "күн тәртібінде" in visit_page


def test_a_wrong_decision_is_refused_on_the_page_and_nothing_changes(
    client, finding, decision, member, other_body, outsider, admin_user
):
    login(client, member)
    response = client.post(f"/findings/{finding.pk}/remark/", {"decision": 10**9})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ComplianceRemark.objects.exists()
    assert Finding.objects.get().status == "open"
    login(client, outsider)
    assert client.post(f"/findings/{finding.pk}/remark/", {"decision": decision.pk}).status_code == 404
    client.force_login(admin_user)
    assert client.post(f"/findings/{finding.pk}/remark/", {"decision": decision.pk}).status_code == 403
    assert not ComplianceRemark.objects.exists()


def test_a_finding_made_a_proposal_is_not_also_a_remark(client, finding, decision, member):
    login(client, member)
    assert client.post(f"/findings/{finding.pk}/propose/").status_code == 302
    response = client.post(
        f"/findings/{finding.pk}/remark/", {"decision": decision.pk}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "already been turned into a proposal" in response.content.decode()
    assert not ComplianceRemark.objects.exists()
