# ruff: noqa: F811 - fixtures imported from the execution and oversight tests
"""Every kind of stored file is served the one way (alqa/views/attachments.serve_stored): under
the name it was sent with, Cyrillic included, with its checked content type, streamed; a file gone
from the storage answers 404, never an error page."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alqa.domain import execution
from alqa.domain.visits import add_finding
from alqa.models import AssignmentFile, OversightFile
from tests.conftest import login
from tests.execution.conftest import decision, official_task, signed  # noqa: F401
from tests.views.test_oversight_pages import facility, visit  # noqa: F401

pytestmark = pytest.mark.usefixtures("waive_mfa")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAME = "справка о допуске.pdf"


def _downloaded(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert f"filename*=utf-8''{quote(NAME)}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content)


@pytest.fixture
def finding_file(visit, member):
    finding = add_finding(
        visit,
        actor=member.user,
        kind="register",
        description="Журнал ведётся с пропусками",
        files=[SimpleUploadedFile(NAME, PDF, content_type="application/pdf")],
    )
    return OversightFile.objects.get(finding=finding)


@pytest.fixture
def report_file(signed, official_task, secretary):
    execution.send_link(official_task, actor=secretary.user)
    execution.submit_report(
        official_task,
        kind="info",
        text="Доступ организован",
        actor=None,
        files=[SimpleUploadedFile(NAME, PDF, content_type="application/pdf")],
    )
    return AssignmentFile.objects.get(report__assignment=official_task)


def test_a_findings_file_comes_under_its_name_and_a_missing_one_is_a_404(client, member, finding_file):
    login(client, member)
    url = f"/findings/{finding_file.finding_id}/files/{finding_file.pk}/"
    assert _downloaded(client.get(url)) == PDF
    finding_file.file.storage.delete(finding_file.file.name)
    assert client.get(url).status_code == 404


def test_a_reports_file_comes_under_its_name_on_the_page_and_through_the_link(
    client, chair, official_task, report_file
):
    login(client, chair)
    assert _downloaded(client.get(f"/assignment-files/{report_file.pk}/")) == PDF
    link = execution.live_link(official_task)
    client.logout()
    assert _downloaded(client.get(f"/tasks/{link.token}/files/{report_file.pk}/")) == PDF
    report_file.file.storage.delete(report_file.file.name)
    assert client.get(f"/tasks/{link.token}/files/{report_file.pk}/").status_code == 404
